// Invokes a bundled function as the Lambda Node.js runtime does, in this fresh process:
// loads <dir>/index.mjs or <dir>/index.js as the runtime loads them (an index.js with no
// package.json saying "type": "module" by require(), an index.mjs by import()), calls its
// `handler` with the event and a context, and prints { answer, coldStartMs, loadToAnswerMs,
// cpuMs } as one JSON line: coldStartMs from this process's start to the answer; loadToAnswerMs
// from loading the bundle to the answer (the function's own part of a cold start: bundle, wasm
// compile, first review); cpuMs the CPU time the process used until the answer (user + system).
//   node invoke.mjs dist/review events/review.json
//   node invoke.mjs dist/token '{"requestContext": ...}'      (an event as JSON text)
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, eventArgument] = process.argv.slice(2);
if (!dir || !eventArgument) {
  console.error('usage: node invoke.mjs <function folder> <event.json | event JSON text>');
  process.exit(2);
}
const event = JSON.parse(eventArgument.trimStart().startsWith('{') ? eventArgument : readFileSync(eventArgument, 'utf8'));
const taskRoot = resolve(dir);
const file = ['index.mjs', 'index.js'].map((name) => resolve(taskRoot, name)).find((path) => existsSync(path));
if (!file) throw new Error(`${dir} has no index.mjs or index.js: run npm run build`);
// The runtime's working directory is the function's folder (/var/task), with LAMBDA_TASK_ROOT.
process.chdir(taskRoot);
process.env.LAMBDA_TASK_ROOT ??= taskRoot;
const loadStarted = performance.now();
// The runtime require()s a CommonJS index.js (import() of it would also work, but takes another
// path through Node's loader: in Node 20 that path parses the bundle for its exports and delayed
// the wasm's asynchronous compile by 0.1-0.5 s on a loaded machine, which a Lambda never sees).
const loaded = file.endsWith('.js') ? createRequire(import.meta.url)(file) : await import(pathToFileURL(file).href);
const handler = loaded.handler ?? loaded.default?.handler;
if (typeof handler !== 'function') throw new Error(`${file} exports no handler`);
const context = { awsRequestId: 'local-invoke', functionName: dir, getRemainingTimeInMillis: () => 3000 };
const answer = await handler(event, context);
const answeredAt = performance.now();
const { user, system } = process.cpuUsage();
const round = (ms) => Math.round(ms * 10) / 10;
console.log(JSON.stringify({ answer, coldStartMs: round(answeredAt), loadToAnswerMs: round(answeredAt - loadStarted), cpuMs: round((user + system) / 1000) }));
