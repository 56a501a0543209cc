// token handler: requests per second and latency percentiles of a token backend on loopback,
// calling the local IVS Chat server (bench/token-handler-server.js, its own process) — ours
// (createTokenHandler) and, for comparison, a handler around @aws-sdk/client-ivschat. The load
// comes from this process: a fixed number of POSTs with a fixed number in flight, keep-alive.
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';

import { median, percentile } from './lib/measure.js';

const SERVER = fileURLToPath(new URL('./token-handler-server.js', import.meta.url));
const START_TIMEOUT_MS = 30_000;

/** @param {'ours' | 'sdk'} contender */
async function startBackend(contender) {
  const child = spawn(process.execPath, [SERVER, contender], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const line = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`${contender} backend did not start: ${stderr}`)), START_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline !== -1) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    });
    child.once('exit', (code) => reject(new Error(`${contender} backend exited (${code}): ${stderr}`)));
  });
  const { url } = JSON.parse(line);
  return {
    url,
    stop: () => new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }),
  };
}

/**
 * @param {string} url
 * @param {{ requests: number, concurrency: number }} load
 */
async function generateLoad(url, { requests, concurrency }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const body = JSON.stringify({ roomIdentifier: 'ignored: the backend decides' });
  /** @type {number[]} */
  const latencies = [];
  let failures = 0;
  let next = 0;
  const one = () => new Promise((resolve) => {
    const started = performance.now();
    const request = httpRequest({
      host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer user-${next % 1000}` },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => {
        latencies.push(performance.now() - started);
        if (response.statusCode !== 200 || !text.includes('"token"')) failures++;
        resolve(undefined);
      });
    });
    request.on('error', () => {
      failures++;
      resolve(undefined);
    });
    request.end(body);
  });
  const worker = async () => {
    while (next < requests) {
      next++;
      await one();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - started;
  agent.destroy();
  return { requestsPerSecond: (requests * 1000) / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures };
}

/** @param {{ quick: boolean }} options */
export async function run({ quick }) {
  const requests = quick ? 300 : 4000;
  const warmup = quick ? 50 : 400;
  const repeats = quick ? 1 : 3;
  const concurrency = 16;
  const labels = { ours: 'ours: createTokenHandler + toNodeListener', sdk: '@aws-sdk/client-ivschat CreateChatTokenCommand in a Node handler' };
  /** @type {Record<'ours' | 'sdk', Awaited<ReturnType<typeof generateLoad>>[]>} */
  const runs = { ours: [], sdk: [] };
  for (let r = 0; r < repeats; r++) {
    for (const contender of /** @type {const} */ (['ours', 'sdk'])) {
      const backend = await startBackend(contender);
      try {
        await generateLoad(backend.url, { requests: warmup, concurrency });
        runs[contender].push(await generateLoad(backend.url, { requests, concurrency }));
      } finally {
        await backend.stop();
      }
    }
  }
  const summary = (/** @type {'ours' | 'sdk'} */ contender) => ({
    label: labels[contender],
    median: median(runs[contender].map((run) => run.requestsPerSecond)),
    runs: runs[contender].map((run) => run.requestsPerSecond),
    p50: median(runs[contender].map((run) => run.p50)),
    p99: median(runs[contender].map((run) => run.p99)),
    failures: runs[contender].reduce((sum, run) => sum + run.failures, 0),
  });
  return { unit: 'requests/s', requests, concurrency, contenders: { ours: summary('ours'), sdk: summary('sdk') } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run({ quick: process.argv.includes('--quick') }), null, 1));
}
