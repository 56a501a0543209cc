// Timing helpers shared by the benchmarks: bounded loops, medians, and the machine's description.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const binDir = join(repoRoot, 'node_modules', '.bin');

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * @param {number[]} values
 * @param {number} p 0..100
 */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/**
 * Operations per second of a synchronous function, measured for about `ms` after a warm-up:
 * calls it in batches and divides. `fn(i)` gets the call number (to cycle through inputs).
 * @param {(i: number) => unknown} fn
 * @param {{ ms: number, warmupMs?: number }} budget
 */
export function opsPerSecond(fn, { ms, warmupMs = ms / 4 }) {
  let i = 0;
  let sink;
  const runFor = (duration) => {
    const start = performance.now();
    let calls = 0;
    let elapsed = 0;
    let batch = 16;
    while (elapsed < duration) {
      for (let k = 0; k < batch; k++) sink = fn(i++);
      calls += batch;
      elapsed = performance.now() - start;
      if (elapsed < duration / 20) batch *= 2;
    }
    return (calls * 1000) / elapsed;
  };
  runFor(warmupMs);
  const result = runFor(ms);
  globalThis.__benchSink = sink;
  return result;
}

/**
 * The same for an async function, awaited one call at a time (as a request handler would).
 * @param {(i: number) => Promise<unknown>} fn
 * @param {{ ms: number, warmupMs?: number }} budget
 */
export async function asyncOpsPerSecond(fn, { ms, warmupMs = ms / 4 }) {
  let i = 0;
  let sink;
  const runFor = async (duration) => {
    const start = performance.now();
    let calls = 0;
    let elapsed = 0;
    while (elapsed < duration) {
      for (let k = 0; k < 64; k++) sink = await fn(i++);
      calls += 64;
      elapsed = performance.now() - start;
    }
    return (calls * 1000) / elapsed;
  };
  await runFor(warmupMs);
  const result = await runFor(ms);
  globalThis.__benchSink = sink;
  return result;
}

/** Runs `measure` `repeats` times (alternating contenders is the caller's job) and returns the median. */
export async function medianOf(repeats, measure) {
  const values = [];
  for (let r = 0; r < repeats; r++) values.push(await measure(r));
  return { median: median(values), runs: values };
}

/** The machine and runtimes, for the report. */
export function machineInfo() {
  const cpu = cpus();
  const version = (command, args) => {
    try {
      return execFileSync(join(binDir, command), args, { encoding: 'utf8', timeout: 20_000 }).split('\n')[0].trim();
    } catch {
      return 'unavailable';
    }
  };
  return {
    cpu: cpu[0]?.model?.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    deno: version('deno', ['--version']),
    bun: version('bun', ['--version']),
    workerd: version('workerd', ['--version']),
    date: new Date().toISOString(),
  };
}
