#!/usr/bin/env node
// `npm run reliability`: the full fault-injection and load runs, on loopback, with their figures
// printed and recorded in reliability/results.json and reliability/results.md (generated; what each
// check does is in RELIABILITY.md).
//   - 1,000 forced disconnects over a send loop by 6 clients (reliability/storm.js)
//   - 5,000 random sequences against ChatRoom's connection model (tests/chat/model.js)
//   - 200 ChatRoom clients × 50 messages through the local server (reliability/load.js)
//   - the token handler taking 2,000 requests at concurrency 50 (reliability/load.js)
//   - the attack suite, `node --test tests/security/` in a child process, for its counts
// Every check is an assertion: a violation fails the run (exit 1). Nothing is asserted on speed.
// `--quick` runs the short versions (as in npm test) and records nothing.
// `--render` runs nothing: it rewrites results.md from results.json.
import { execFileSync, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

import { renderMarkdown } from './report.js';

const RESULTS_JSON = new URL('./results.json', import.meta.url);
const RESULTS_MD = new URL('./results.md', import.meta.url);
if (process.argv.includes('--render')) {
  await writeFile(RESULTS_MD, renderMarkdown(JSON.parse(await readFile(RESULTS_JSON, 'utf8'))));
  console.log('rewrote reliability/results.md from reliability/results.json');
  process.exit(0);
}

// Loaded after --render, which needs neither the build nor the runs.
const { init } = await import('ivschat-wasm');
const { runChatModel } = await import('../tests/chat/model.js');
const { chatLoad, handlerLoad } = await import('./load.js');
const { disconnectStorm } = await import('./storm.js');

const quick = process.argv.includes('--quick');
const runs = quick
  ? { storm: { disconnects: 150 }, model: { runs: 150, maxCommands: 40 }, chat: { clients: 50, messagesPerClient: 10 }, handler: { requests: 300, concurrency: 50 } }
  : { storm: { disconnects: 1000 }, model: { runs: 5000, maxCommands: 60 }, chat: { clients: 200, messagesPerClient: 50 }, handler: { requests: 2000, concurrency: 50 } };

// Bounded: whatever happens, the run ends.
setTimeout(() => {
  console.error('reliability: still running after 20 minutes, giving up');
  process.exit(1);
}, 20 * 60_000).unref();

/** @param {string[]} args */
function git(args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined; // not a git checkout, or no git
  }
}
const commit = () => git(['rev-parse', '--short', 'HEAD']);
/** Tracked files changed since that commit, apart from the results this run rewrites. */
const uncommitted = () => git(['status', '--porcelain', '--untracked-files=no'])?.split('\n').filter((line) => line && !/reliability\/results\.(json|md)$/.test(line)).length ?? 0;

/**
 * The attack suite in a child process, as npm test runs it (no eval); its TAP summary gives the
 * counts, and the handler tests' `cases: N` diagnostics the number of cases. Fails on any failure.
 * @returns {Promise<Record<string, number>>}
 */
function attackSuite() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--disallow-code-generation-from-strings', '--test', '--test-reporter=tap', 'tests/security/'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 5 * 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const total = (/** @type {string} */ name) => Number(out.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? NaN);
      const figures = { tests: total('tests'), pass: total('pass'), fail: total('fail'), cases: [...out.matchAll(/^\s*# cases: (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0), ms: Date.now() - started };
      if (code !== 0 || figures.fail !== 0 || !(figures.tests > 0)) reject(new Error(`attack suite: exit ${code}, ${JSON.stringify(figures)}\n${out.split('\n').filter((line) => /^\s*not ok/.test(line)).join('\n')}`));
      else resolve(figures);
    });
  });
}

const runStarted = Date.now();
const results = {
  date: new Date().toISOString(),
  commit: commit(),
  uncommittedChanges: uncommitted() > 0,
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
  if (!quick) await step('attackSuite', 'attack suite: node --test tests/security/', attackSuite);
} catch (error) {
  console.error('\nreliability: FAILED\n', error);
  process.exitCode = 1;
}

if (process.exitCode !== 1) {
  const s = /** @type {any} */ (results.runs.disconnectStorm);
  const c = /** @type {any} */ (results.runs.chatLoad);
  const m = /** @type {any} */ (results.runs.chatModel);
  const h = /** @type {any} */ (results.runs.handlerLoad);
  const a = /** @type {any} */ (results.runs.attackSuite);
  results.durationSeconds = Math.round((Date.now() - runStarted) / 100) / 10;
  console.log(`
== summary (${results.machine}, Node ${results.node})
disconnect storm : ${s.disconnects} disconnects, ${s.outages} outages, ${s.tokenFetches} token fetches (max ${s.maxFetchesPerOutage} per outage, allowed ${s.maxAllowedFetchesPerOutage}), ${s.backoffDelaysChecked} backoff delays exact, ${s.sends} sends all settled (${s.sendsResolved} delivered), ${s.lost} lost, ${s.duplicates} duplicates, ${(s.stormMs / 1000).toFixed(1)} s
chat model       : ${m.sequences} sequences, ${m.steps} steps, ${m.sends} sends, ${m.sockets} sockets, max ${m.mostFetchesPerOutage} fetches per outage (allowed ${m.maxAllowedFetchesPerOutage}), max ${m.mostSocketsAtOnce} sockets at once, ${m.violations} violations (seed ${m.seed})
chat load        : ${c.clients} clients in ${c.rooms} rooms × ${c.messagesPerClient} messages = ${c.messagesSent} messages, ${c.deliveries} deliveries of ${c.expectedDeliveries}, ${c.lost} lost, ${c.duplicates} duplicates, echo p50 ${c.echoLatencyMs.p50} ms / p99 ${c.echoLatencyMs.p99} ms
token handler    : ${h.requests} requests at concurrency ${h.concurrency}, ${h.failures} failures, ${h.requestsPerSecond} req/s, p50 ${h.latencyMs.p50} ms / p99 ${h.latencyMs.p99} ms${a ? `
attack suite     : ${a.tests} tests, ${a.pass} pass, ${a.fail} fail, ${a.cases} handler cases` : ''}
took ${results.durationSeconds} s`);
  if (!quick) {
    await writeFile(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(RESULTS_MD, renderMarkdown(results));
    console.log('recorded in reliability/results.json and reliability/results.md');
  }
}
