// npm run bench: every benchmark, then bench/results.md (table + notes) and bench/results.svg.
//   node bench/run.js            full run (about 10 minutes on 2 cores), writes bench/results.*
//   node bench/run.js --quick    each benchmark briefly (CI, about a minute), writes test-output/bench/
//   --out <dir>                  write the results elsewhere
//   --only sign,send,...         run some benchmarks only (sign, coldStart, lambdaColdStart, size, receive, send,
//                                tokenHandler, firstMessage, fanOut, history)
//   --render                     run nothing: rewrite results.md and .svg from the results.json there
// Each timed benchmark runs in its own Node process (its own JIT and heap); everything talks to
// 127.0.0.1 only. bench/results.json keeps the raw numbers.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { machineInfo, repoRoot } from './lib/measure.js';
import { buildRows, renderMarkdown, renderSvg } from './lib/report.js';
import { measureSizes } from './size.js';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const CHILD_TIMEOUT_MS = 15 * 60_000;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIndex = args.indexOf('--out');
const outDir = outIndex !== -1 ? args[outIndex + 1] : quick ? join(repoRoot, 'test-output', 'bench') : BENCH_DIR;
const onlyIndex = args.indexOf('--only');
const only = onlyIndex !== -1 ? new Set(args[onlyIndex + 1].split(',')) : undefined;

/** Timed benchmarks, each a script printing one JSON line. */
const SCRIPTS = { sign: 'sign.js', send: 'send.js', receive: 'receive.js', coldStart: 'cold-start.js', lambdaColdStart: 'lambda-cold-start.js', tokenHandler: 'token-handler.js', firstMessage: 'first-message.js', fanOut: 'fan-out.js', history: 'history.js' };

/**
 * @param {string} script
 * @returns {Promise<any>}
 */
function runScript(script) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(BENCH_DIR, script), ...(quick ? ['--quick'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${script} exited with ${code}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim() || 'null'));
      } catch {
        reject(new Error(`${script}: output is not JSON: ${stdout.slice(0, 300)}`));
      }
    });
  });
}

const render = args.includes('--render');
const started = performance.now();
/** @type {Record<string, any>} */
const results = render ? JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')) : { quick, machine: machineInfo() };
if (render) {
  // Nothing to run.
} else if (!only || only.has('size')) {
  process.stderr.write('bench: size\n');
  results.size = await measureSizes();
}
for (const [name, script] of Object.entries(SCRIPTS)) {
  if (render || (only && !only.has(name))) continue;
  const benchStarted = performance.now();
  process.stderr.write(`bench: ${name}\n`);
  try {
    results[name] = await runScript(script);
  } catch (error) {
    results[name] = { error: error instanceof Error ? error.message : String(error) };
    process.stderr.write(`bench: ${name} failed: ${results[name].error}\n`);
  }
  process.stderr.write(`bench: ${name} took ${((performance.now() - benchStarted) / 1000).toFixed(1)} s\n`);
}
if (!render) results.durationSeconds = (performance.now() - started) / 1000;

const rows = buildRows(results);
const notes = await readFile(join(BENCH_DIR, 'notes.md'), 'utf8');
const command = results.quick ? 'node bench/run.js --quick' : 'npm run bench';
await mkdir(outDir, { recursive: true });
if (!render) await writeFile(join(outDir, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
await writeFile(join(outDir, 'results.md'), renderMarkdown(rows, results, { command, notes: `\n${notes}` }));
await writeFile(join(outDir, 'results.svg'), renderSvg(rows, results));
process.stderr.write(`bench: wrote ${relative(process.cwd(), join(outDir, 'results.md'))} and results.svg in ${results.durationSeconds.toFixed(0)} s\n`);
for (const row of rows) {
  process.stderr.write(`  ${row.measure}: ${row.ours} vs ${row.competitor}${row.ratioText ? ` = ${row.ratioText}` : ''}${row.target ? ` (target ${row.target}: ${row.verdict})` : ''}\n`);
}
const failed = Object.entries(results).filter(([, value]) => value && typeof value === 'object' && 'error' in value);
if (failed.length > 0) process.exitCode = 1;
