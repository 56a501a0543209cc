// Hosts a bundled Vercel Edge function in edge-runtime (Vercel's runtime, as `vercel dev`
// runs it), on loopback: run as `node edge-host.js <bundle.js> <ivschat-backend.wasm>`.
// Like the platform, the host compiles the wasm itself and injects the compiled Module as a
// global binding; inside the sandbox code generation is off for strings AND wasm, so the
// function cannot compile anything. process.env holds only the variables the function is given.
import { readFile } from 'node:fs/promises';

import { EdgeRuntime, runServer } from 'edge-runtime';

const [bundlePath, wasmPath] = process.argv.slice(2);
const FORWARDED_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'IVSCHAT_ENDPOINT'];

const compiled = await WebAssembly.compile(await readFile(wasmPath));
const env = Object.fromEntries(FORWARDED_ENV.filter((name) => process.env[name]).map((name) => [name, process.env[name]]));
const runtime = new EdgeRuntime({
  codeGeneration: { strings: false, wasm: false },
  extend(context) {
    context.__IVSCHAT_CORE_WASM__ = compiled;
    context.process = { env };
    return context;
  },
});
runtime.evaluate(await readFile(bundlePath, 'utf8'));
const server = await runServer({ runtime, host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ url: server.url.replace(/\/$/, '') }));

const stop = () => server.close().then(() => process.exit(0), () => process.exit(1));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
