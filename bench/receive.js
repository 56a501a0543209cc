// receive path: server frames per second parsed and dispatched by our ChatRoom and by the
// official client, each in its own process (node --expose-gc), both reading the same stream from
// a loopback WebSocket server (bench/receive-server.js) in this process; the heap of the client
// process after a full GC before and after the stream.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { median } from './lib/measure.js';
import { startReceiveServer } from './receive-server.js';

const CLIENT = fileURLToPath(new URL('./receive-client.js', import.meta.url));

/**
 * @param {'ours' | 'official'} client
 * @param {number} frames
 */
async function runClient(client, frames) {
  const server = await startReceiveServer({ frames });
  try {
    const child = spawn(process.execPath, ['--expose-gc', CLIENT, client, server.url, String(frames)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`${client} client exited with ${code}: ${stderr.trim()}`);
    return JSON.parse(stdout.trim().split('\n').pop() ?? '');
  } finally {
    await server.close();
  }
}

/** @param {{ quick: boolean }} options */
export async function run({ quick }) {
  const frames = quick ? 50_000 : 1_000_000;
  const repeats = quick ? 1 : 3;
  const labels = { ours: 'ours: ChatRoom (ivschat-wasm)', official: 'official: amazon-ivs-chat-messaging ChatRoom' };
  /** @type {Record<'ours' | 'official', any[]>} */
  const runs = { ours: [], official: [] };
  for (let r = 0; r < repeats; r++) {
    for (const client of /** @type {const} */ (['ours', 'official'])) runs[client].push(await runClient(client, frames));
  }
  const summary = (/** @type {'ours' | 'official'} */ client) => ({
    label: labels[client],
    median: median(runs[client].map((run) => run.framesPerSecond)),
    runs: runs[client].map((run) => run.framesPerSecond),
    heapBefore: median(runs[client].map((run) => run.heapBefore)),
    heapAfter: median(runs[client].map((run) => run.heapAfter)),
    heapGrowth: median(runs[client].map((run) => run.heapAfter - run.heapBefore)),
  });
  return { unit: 'frames/s', frames, contenders: { ours: summary('ours'), official: summary('official') } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run({ quick: process.argv.includes('--quick') })));
}
