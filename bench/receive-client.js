// One client of the receive benchmark, in its own process (node --expose-gc):
//   node --expose-gc bench/receive-client.js <ours|official> <ws url> <frames>
// Connects its ChatRoom to the benchmark server, measures the heap (after a full GC), sends one
// frame that starts the stream, counts every `message` and `event` the room dispatches, and
// prints one JSON line: frames per second from the first dispatched frame to the last, and the
// heap after the stream (after a full GC).
import { WebSocket } from 'ws';

const [client, url, framesArg] = process.argv.slice(2);
const frames = Number(framesArg);
const gc = /** @type {() => void} */ (globalThis.gc);
if (typeof gc !== 'function') throw new Error('run with --expose-gc');
const TIMEOUT_MS = 300_000;

const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

let received = 0;
let firstAt = 0;
/** @type {() => void} */
let done = () => {};
const finished = new Promise((resolve) => (done = () => resolve(undefined)));
const onFrame = () => {
  if (received === 0) firstAt = performance.now();
  received++;
  if (received === frames) done();
};
const far = new Date(Date.now() + 3_600_000);

/** @type {{ start: () => void, close: () => void }} */
let room;
if (client === 'ours') {
  const { ChatRoom, init } = await import('ivschat-wasm');
  await init();
  const ours = new ChatRoom({
    regionOrUrl: url,
    WebSocket: /** @type {any} */ (WebSocket),
    maxReconnectAttempts: 0,
    requestTimeoutMs: TIMEOUT_MS,
    tokenProvider: () => ({ token: 'bench-token', sessionExpirationTime: far, tokenExpirationTime: far }),
  });
  ours.addListener('message', onFrame);
  ours.addListener('event', onFrame);
  ours.addListener('error', (error) => console.error(`ours: ${error.message}`));
  await ours.connect();
  room = {
    start: () => void ours.sendMessage({ content: 'start' }).catch(() => {}),
    close: () => ours.disconnect(),
  };
} else {
  // The official client needs a global WebSocket (Node 20 has none).
  globalThis.WebSocket = /** @type {any} */ (WebSocket);
  const { ChatRoom, SendMessageRequest } = await import('amazon-ivs-chat-messaging');
  const official = new ChatRoom({
    regionOrUrl: url,
    maxReconnectAttempts: 0,
    tokenProvider: async () => ({ token: 'bench-token', sessionExpirationTime: far }),
  });
  official.logger = { debug() {}, info() {}, warn() {}, error(...args) { console.error('official:', ...args); } };
  official.addListener('message', onFrame);
  official.addListener('event', onFrame);
  const connected = new Promise((resolve) => official.addListener('connect', () => resolve(undefined)));
  official.connect();
  await connected;
  room = {
    start: () => void official.sendMessage(new SendMessageRequest('start')).catch(() => {}),
    close: () => official.disconnect(),
  };
}

const heapBefore = heapUsed();
const timer = setTimeout(() => {
  console.error(`timed out after ${received} of ${frames} frames`);
  process.exit(2);
}, TIMEOUT_MS);
room.start();
await finished;
const elapsedMs = performance.now() - firstAt;
clearTimeout(timer);
const heapAfter = heapUsed();
room.close();
console.log(JSON.stringify({ client, frames: received, elapsedMs, framesPerSecond: ((received - 1) * 1000) / elapsedMs, heapBefore, heapAfter }));
process.exit(0);
