// `npm start`: the web demo on the local IVS Chat server (or on Amazon IVS when AWS credentials
// and IVSCHAT_ROOM_ARN are set). PORT chooses the port (default 8080); IVSCHAT_DEMO_MODERATOR_CODE
// the code a visitor needs to moderate; IVSCHAT_DEMO_HOST (comma-separated) host names served
// besides loopback (e.g. behind a proxy: any other Host is refused, against DNS rebinding).
import { startDemo } from '../web-demo/server.js';

const port = Number(process.env.PORT ?? 8080);
let demo;
try {
  demo = await startDemo({ port });
} catch (error) {
  if (error?.code === 'EADDRINUSE') {
    console.error(`Port ${port} is taken: run with another, e.g. PORT=8081 npm start`);
    process.exit(1);
  }
  if (error instanceof TypeError) { // a setting in the environment, named in the message
    console.error(`Cannot start the demo: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
const MODERATORS = {
  code: 'moderators need the code in IVSCHAT_DEMO_MODERATOR_CODE',
  open: 'anyone may join as moderator (local server, no IVSCHAT_DEMO_MODERATOR_CODE set)',
  off: 'nobody may join as moderator (set IVSCHAT_DEMO_MODERATOR_CODE to allow it)',
};
console.log(`ivschat-wasm demo (${demo.mode === 'aws' ? 'Amazon IVS' : 'local IVS Chat server'}) — room ${demo.roomArn}`);
console.log(`Moderators: ${MODERATORS[demo.moderators]}.`);
console.log(`Page: web-demo/app.js bundled with the package by esbuild in ${(demo.pageBundle.ms / 1000).toFixed(1)} s (build/web-demo/; again after an edit, at the next reload).`);
if (demo.local) {
  // The local server's own routes (js/local/index.js): faults to try the page against, and counters.
  const server = demo.local.controlPlaneUrl;
  console.log(`Local IVS Chat server: ${server} (control plane; chat on ${demo.local.messagingUrl}).`);
  console.log(`Fault controls: POST ${server}/_local/faults/<name> with the header x-ivschat-local: 1 and a JSON body;`);
  console.log('  names: dropConnections {userId?}, delayFrames {ms}, stall {stalled}, injectFrame {text, userId?}, failCreateChatToken {count?, status?, errorType?, hang?}, reset.');
  console.log(`  e.g. curl -X POST -H 'x-ivschat-local: 1' -d '{"ms":1500}' ${server}/_local/faults/delayFrames`);
  console.log(`  Counters: GET ${server}/_local/stats. More in docs/local-server.md.`);
}
console.log(`Open ${demo.url} in two tabs and chat. Ctrl+C stops.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await demo.close();
    process.exit(0);
  });
}
