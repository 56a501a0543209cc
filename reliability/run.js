#!/usr/bin/env node
// `npm run reliability`: the full fault-injection and load runs, on loopback, with their figures
// printed and recorded in reliability/results.json (RELIABILITY.md quotes them).
//   - 1,000 forced disconnects over a send loop by 6 clients (reliability/storm.js)
//   - 5,000 random sequences against ChatRoom's connection model (tests/chat/model.js)
//   - 200 ChatRoom clients × 50 messages through the local server (reliability/load.js)
//   - the token handler taking 2,000 requests at concurrency 50 (reliability/load.js)
// Every check is an assertion: a violation fails the run (exit 1). Nothing is asserted on speed.
// `--quick` runs the short versions (as in npm test) and records nothing.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';

import { init } from 'ivschat-wasm';

import { runChatModel } from '../tests/chat/model.js';
import { chatLoad, handlerLoad } from './load.js';
import { disconnectStorm } from './storm.js';

const quick = process.argv.includes('--quick');
const runs = quick
  ? { storm: { disconnects: 150 }, model: { runs: 150, maxCommands: 40 }, chat: { clients: 50, messagesPerClient: 10 }, handler: { requests: 300, concurrency: 50 } }
  : { storm: { disconnects: 1000 }, model: { runs: 5000, maxCommands: 60 }, chat: { clients: 200, messagesPerClient: 50 }, handler: { requests: 2000, concurrency: 50 } };

// Bounded: whatever happens, the run ends.
setTimeout(() => {
  console.error('reliability: still running after 20 minutes, giving up');
  process.exit(1);
}, 20 * 60_000).unref();

function commit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const results = {
  date: new Date().toISOString(),
  commit: commit(),
  node: process.version,
  machine: `${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  /** @type {Record<string, unknown>} */
  runs: {},
};

/**
 * @param {string} name
 * @param {string} what
 * @param {() => Promise<Record<string, unknown>>} run
 */
async function step(name, what, run) {
  process.stdout.write(`\n== ${what}\n`);
  const figures = await run();
  results.runs[name] = figures;
  console.log(JSON.stringify(figures, null, 2));
}

try {
  await step('disconnectStorm', `${runs.storm.disconnects} forced disconnects over a send loop (6 senders, 2 observers, 2 rooms)`, () => disconnectStorm(runs.storm));
  await init();
  await step('chatModel', `ChatRoom's connection model: ${runs.model.runs} random sequences of up to ${runs.model.maxCommands} steps`, async () => {
    const started = Date.now();
    return { ...(await runChatModel(runs.model)), ms: Date.now() - started };
  });
  await step('chatLoad', `${runs.chat.clients} ChatRoom clients × ${runs.chat.messagesPerClient} messages`, () => chatLoad(runs.chat));
  await step('handlerLoad', `token handler: ${runs.handler.requests} requests at concurrency ${runs.handler.concurrency}`, () => handlerLoad(runs.handler));
} catch (error) {
  console.error('\nreliability: FAILED\n', error);
  process.exitCode = 1;
}

if (process.exitCode !== 1) {
  const s = /** @type {any} */ (results.runs.disconnectStorm);
  const c = /** @type {any} */ (results.runs.chatLoad);
  const m = /** @type {any} */ (results.runs.chatModel);
  const h = /** @type {any} */ (results.runs.handlerLoad);
  console.log(`
== summary (${results.machine}, Node ${results.node})
disconnect storm : ${s.disconnects} disconnects, ${s.outages} outages, ${s.tokenFetches} token fetches (max ${s.maxFetchesPerOutage} per outage, allowed ${s.maxAllowedFetchesPerOutage}), ${s.backoffDelaysChecked} backoff delays exact, ${s.sends} sends all settled (${s.sendsResolved} delivered), ${s.lost} lost, ${s.duplicates} duplicates, ${(s.stormMs / 1000).toFixed(1)} s
chat model       : ${m.sequences} sequences, ${m.steps} steps, ${m.sends} sends, ${m.sockets} sockets, max ${m.mostFetchesPerOutage} fetches per outage (allowed ${m.maxAllowedFetchesPerOutage}), max ${m.mostSocketsAtOnce} sockets at once, ${m.violations} violations (seed ${m.seed})
chat load        : ${c.clients} clients in ${c.rooms} rooms × ${c.messagesPerClient} messages = ${c.messagesSent} messages, ${c.deliveries} deliveries of ${c.expectedDeliveries}, ${c.lost} lost, ${c.duplicates} duplicates, echo p50 ${c.echoLatencyMs.p50} ms / p99 ${c.echoLatencyMs.p99} ms
token handler    : ${h.requests} requests at concurrency ${h.concurrency}, ${h.failures} failures, ${h.requestsPerSecond} req/s, p50 ${h.latencyMs.p50} ms / p99 ${h.latencyMs.p99} ms`);
  if (!quick) {
    await writeFile(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
    console.log('recorded in reliability/results.json');
  }
}
