// fan-out: the local IVS Chat server (ivschat-wasm/local) carrying a crowd. One room, N receivers
// (real `ws` clients with receive-only tokens) and one sender sending SEND_MESSAGE at R messages/s
// for a few seconds, for N in 10/100/500 and R in 10/100 (--quick: two of them, briefly).
//   latency   performance.now() just before the sender's ws.send → performance.now() in each
//             receiver's 'message' handler. Sender and receivers share this process (one clock),
//             so the receivers' own work on the frames is part of the figure (kept small: no UTF-8
//             check, the sequence number read from the raw bytes); p50 / p99 / max over every
//             delivery of the measured phase.
//   CPU       the server runs in a child process (this file with --serve); its process.cpuUsage()
//             (user + system) from the first measured send until the last delivery arrived (or
//             the drain limit), divided by the deliveries of that phase. The same for this process
//             (the sender and every receiver) as clientCpuMicrosPerDelivery: when it nears a whole
//             core, the receivers, not the server, set the latency.
// Before the measured phase, half a second of messages at the same rate warms both sides up, then
// the room's one-second rate window is let to empty. A message the room refuses (429: its rate is
// 100/s, the most IVS allows, and arrivals can bunch) is counted as `rejected`; deliveries that
// have not arrived DRAIN_LIMIT_MS after the last send are counted as `missing`.
//   node bench/fan-out.js [--quick] [--local <path to a copy of js/local/index.js>]
// (--local compares another copy of the local server, e.g. an older messaging.js.) Everything on
// 127.0.0.1.
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { signCreateChatTokenRequest } from 'ivschat-wasm/backend';
import { WebSocket } from 'ws';

import { within } from '../js/deadline.js';
import { percentile, repoRoot } from './lib/measure.js';

const SELF = fileURLToPath(import.meta.url);
const DEFAULT_LOCAL = `${repoRoot}js/local/index.js`;
const CREDENTIALS = { accessKeyId: 'AKIABENCHFANOUT00001', secretAccessKey: 'benchFanOutSecretAccessKey/0123456789abcdefgh' };
const WARMUP_SECONDS = 0.5;
const DRAIN_LIMIT_MS = 30_000;
const CONNECT_CONCURRENCY = 50;
const STEP_TIMEOUT_MS = 60_000;

const argValue = (/** @type {string} */ name) => {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
};

/** The server side, in its own process: the local server, one room, its CPU time on request. */
async function serve() {
  const { startLocalIvsChat } = await import(pathToFileURL(argValue('--serve') ?? DEFAULT_LOCAL).href);
  const ivs = await startLocalIvsChat({ credentials: CREDENTIALS, tokenLifetimeSeconds: 600 });
  const room = await ivs.createRoom({ name: 'fan-out', maximumMessageRatePerSecond: 100 });
  const send = (/** @type {any} */ message) => /** @type {NonNullable<typeof process.send>} */ (process.send)(message);
  process.on('message', (/** @type {any} */ message) => {
    if (message === 'cpu') send({ cpu: process.cpuUsage(), stats: ivs.stats() });
    else if (message === 'close') void ivs.close().then(() => process.exit(0));
  });
  send({ ready: { controlPlaneUrl: ivs.controlPlaneUrl, messagingUrl: ivs.messagingUrl, roomArn: room.arn } });
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {string} what
 * @returns {Promise<T>}
 */
function bounded(promise, what) {
  return within(promise, STEP_TIMEOUT_MS, { reason: () => new Error(`fan-out: timed out: ${what}`) });
}

/**
 * Starts the server child; resolves with its URLs and a way to ask it things.
 * @param {string} localPath the local server module the child runs
 */
async function startServerChild(localPath) {
  const child = fork(SELF, ['--serve', localPath], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  /** @type {Array<(message: any) => void>} */
  const waiting = [];
  child.on('message', (message) => waiting.shift()?.(message));
  const next = () => bounded(new Promise((resolve) => waiting.push(resolve)), 'server child answer');
  const { ready } = await next();
  return {
    ...ready,
    /** @returns {Promise<{ cpu: NodeJS.CpuUsage, stats: any }>} */
    usage: () => {
      const answer = next();
      child.send('cpu');
      return answer;
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await bounded(exited, 'server child exit').catch(() => child.kill('SIGKILL'));
    },
  };
}

/**
 * A chat token from the server's control plane.
 * @param {{ controlPlaneUrl: string, roomArn: string }} server
 * @param {string} userId
 * @param {NonNullable<Parameters<typeof signCreateChatTokenRequest>[0]['capabilities']>} capabilities
 */
async function chatToken(server, userId, capabilities) {
  const signed = await signCreateChatTokenRequest(
    { roomIdentifier: server.roomArn, userId, capabilities },
    { credentials: CREDENTIALS, region: 'us-east-1', endpoint: server.controlPlaneUrl },
  );
  const response = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
  const answer = await response.json();
  if (!response.ok) throw new Error(`CreateChatToken ${response.status}: ${JSON.stringify(answer)}`);
  return /** @type {string} */ (answer.token);
}

/**
 * @param {string} url
 * @param {string} token
 * @returns {Promise<WebSocket>}
 */
function openSocket(url, token) {
  return bounded(
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url, token, { perMessageDeflate: false, skipUTF8Validation: true });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    }),
    'WebSocket open',
  );
}

/**
 * One scenario on a fresh server.
 * @param {{ receivers: number, rate: number, seconds: number, localPath: string }} scenario
 */
async function runScenario({ receivers, rate, seconds, localPath }) {
  const server = await startServerChild(localPath);
  /** @type {WebSocket[]} */
  const sockets = [];
  try {
    const warmupCount = Math.max(2, Math.round(rate * WARMUP_SECONDS));
    const measuredCount = Math.round(rate * seconds);
    const total = warmupCount + measuredCount;
    const sentAt = new Float64Array(total);
    /** Deliveries of each message so far; latencies of the measured ones. */
    const received = new Uint32Array(total);
    /** @type {number[]} */
    const latencies = [];
    let delivered = 0;
    let measuredDelivered = 0;
    let rejected = 0;
    /** @type {(() => void) | undefined} */
    let onProgress;

    const marker = Buffer.from('"RequestId":"r');
    const onFrame = (/** @type {Buffer} */ data) => {
      const now = performance.now();
      const at = data.indexOf(marker);
      if (at === -1) return;
      let seq = 0;
      for (let i = at + marker.length; data[i] >= 0x30 && data[i] <= 0x39; i++) seq = seq * 10 + data[i] - 0x30;
      received[seq] += 1;
      delivered += 1;
      if (seq >= warmupCount) {
        latencies.push(now - sentAt[seq]);
        measuredDelivered += 1;
      }
      onProgress?.();
    };

    for (let start = 0; start < receivers; start += CONNECT_CONCURRENCY) {
      const batch = Array.from({ length: Math.min(CONNECT_CONCURRENCY, receivers - start) }, async (_, k) => {
        const ws = await openSocket(server.messagingUrl, await chatToken(server, `receiver-${start + k}`, []));
        ws.on('message', (data) => onFrame(/** @type {Buffer} */ (data)));
        ws.on('error', () => {});
        sockets.push(ws);
      });
      await Promise.all(batch);
    }
    const sender = await openSocket(server.messagingUrl, await chatToken(server, 'sender', ['SEND_MESSAGE']));
    sockets.push(sender);
    sender.on('message', (data) => {
      if (data.toString().startsWith('{"Type":"ERROR"')) {
        rejected += 1;
        onProgress?.();
      }
    });

    /** Sends messages first..end-1 on an absolute schedule of `rate` per second. */
    const sendRange = (/** @type {number} */ first, /** @type {number} */ end) =>
      new Promise((resolve) => {
        const start = performance.now();
        let next = first;
        const tick = () => {
          const elapsed = performance.now() - start;
          while (next < end && (next - first) * (1000 / rate) <= elapsed) {
            sentAt[next] = performance.now();
            sender.send(`{"Action":"SEND_MESSAGE","RequestId":"r${next}","Content":"fan-out message ${next} to everyone in the room"}`);
            next += 1;
          }
          if (next >= end) resolve(undefined);
          else setTimeout(tick, Math.max(0, (next - first) * (1000 / rate) - (performance.now() - start)));
        };
        tick();
      });

    /** Waits until messages below `end` reached every receiver (refused ones aside), bounded. */
    const drain = (/** @type {number} */ end) =>
      new Promise((resolve) => {
        const done = () => delivered + rejected * receivers >= end * receivers;
        const finish = () => {
          onProgress = undefined;
          clearTimeout(limit);
          resolve(undefined);
        };
        const limit = setTimeout(finish, DRAIN_LIMIT_MS);
        if (done()) finish();
        else onProgress = () => done() && finish();
      });

    await sendRange(0, warmupCount);
    await drain(warmupCount);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the room's rate window empties
    const rejectedBefore = rejected;
    const before = await server.usage();
    const clientBefore = process.cpuUsage();
    const phaseStart = performance.now();
    await sendRange(warmupCount, total);
    const sendSeconds = (performance.now() - phaseStart) / 1000;
    await drain(total);
    const clientCpu = process.cpuUsage(clientBefore);
    const phaseSeconds = (performance.now() - phaseStart) / 1000;
    const after = await server.usage();
    const cpuMicros = after.cpu.user - before.cpu.user + (after.cpu.system - before.cpu.system);
    const measuredRejected = rejected - rejectedBefore;
    return {
      receivers,
      rate,
      seconds,
      sendSeconds,
      messages: measuredCount,
      rejected: measuredRejected,
      deliveries: measuredDelivered,
      missing: (measuredCount - measuredRejected) * receivers - measuredDelivered,
      p50Ms: latencies.length ? percentile(latencies, 50) : null,
      p99Ms: latencies.length ? percentile(latencies, 99) : null,
      maxMs: latencies.length ? latencies.reduce((a, b) => Math.max(a, b)) : null,
      serverCpuMs: cpuMicros / 1000,
      serverCpuMicrosPerDelivery: measuredDelivered ? cpuMicros / measuredDelivered : null,
      phaseSeconds,
      clientCpuMicrosPerDelivery: measuredDelivered ? (clientCpu.user + clientCpu.system) / measuredDelivered : null,
    };
  } finally {
    for (const ws of sockets) ws.terminate();
    await server.close();
  }
}

/** @param {{ quick: boolean, localPath?: string }} options */
export async function run({ quick, localPath = DEFAULT_LOCAL }) {
  const scenarios = quick
    ? [{ receivers: 10, rate: 10 }, { receivers: 500, rate: 100 }]
    : [10, 100, 500].flatMap((receivers) => [10, 100].map((rate) => ({ receivers, rate })));
  const seconds = quick ? 1 : 3;
  const rows = [];
  for (const scenario of scenarios) {
    const row = await runScenario({ ...scenario, seconds, localPath });
    process.stderr.write(
      `fan-out ${row.receivers} receivers × ${row.rate}/s: p50 ${row.p50Ms?.toFixed(2)} ms, p99 ${row.p99Ms?.toFixed(2)} ms, max ${row.maxMs?.toFixed(1)} ms, ` +
        `server CPU ${row.serverCpuMicrosPerDelivery?.toFixed(2)} µs/delivery, client ${row.clientCpuMicrosPerDelivery?.toFixed(2)} (${row.deliveries} deliveries, ${row.rejected} rejected, ${row.missing} missing)\n`,
    );
    rows.push(row);
  }
  return {
    unit: 'ms (latency), µs of server CPU per delivery',
    serverCpu: 'process.cpuUsage() of the server child process (user + system)',
    scenarios: rows,
  };
}

if (process.argv.includes('--serve')) {
  await serve();
} else if (process.argv[1] === SELF) {
  console.log(JSON.stringify(await run({ quick: process.argv.includes('--quick'), localPath: argValue('--local') })));
}
