// Lambda cold start of the message review handler, bundled as CDK's NodejsFunction bundles it
// (esbuild, one CommonJS file, platform node, target node20, @aws-sdk/* external) with
// ivschat-review.wasm copied beside it, as examples/lambda does: a new Node process loads the
// bundle from a folder with no node_modules (a Lambda's /var/task) as the Lambda runtime does
// (require() of the CommonJS index.js) and answers one IVS review event
// (examples/lambda/invoke.mjs). IVS waits 200 ms for a review answer.
// Reported, medians of N processes (the first, which warms the file cache, dropped):
//   coldStartMs     process start → first answer (the process's own clock)
//   loadToAnswerMs  loading the bundle → first answer (the handler's part: bundle, wasm, review)
//   cpuMs           CPU time of the process until the answer (user + system; less sensitive to a
//                   loaded machine than the wall times)
//   nodeStartMs     a bare `node` process's start to its first line, for comparison
import { spawn } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

import { median, repoRoot } from './lib/measure.js';

const EXAMPLE = join(repoRoot, 'examples', 'lambda');
const RUN_TIMEOUT_MS = 60_000;
export const REVIEW_BUDGET_MS = 200;

/** @returns {Promise<any>} the last JSON line of the process */
function runOnce(args, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr.trim().slice(0, 500)}`));
      try {
        resolve({ ...JSON.parse(stdout.trim().split('\n').pop() ?? ''), wallMs });
      } catch {
        reject(new Error(`no JSON line: ${stdout.slice(0, 200)} ${stderr.slice(0, 200)}`));
      }
    });
  });
}

/** @param {{ quick: boolean }} options */
export async function run({ quick }) {
  const processes = quick ? 2 : 10;
  const work = await mkdtemp(join(tmpdir(), 'ivschat-bench-lambda-'));
  try {
    // The app as a user has it (the package installed), bundled into task/ as CDK does.
    const app = join(work, 'app');
    await mkdir(join(app, 'node_modules'), { recursive: true });
    await symlink(repoRoot, join(app, 'node_modules', 'ivschat-wasm'), 'dir');
    await cp(join(EXAMPLE, 'src'), join(app, 'src'), { recursive: true });
    const task = join(work, 'task');
    await mkdir(task);
    const result = await build({
      entryPoints: [join(app, 'src', 'review.mjs')], outfile: join(task, 'index.js'), bundle: true, platform: 'node', target: 'node20',
      format: 'cjs', external: ['@aws-sdk/*'], minify: true, logLevel: 'silent', metafile: true,
    });
    await copyFile(join(repoRoot, 'dist', 'ivschat-review.wasm'), join(task, 'ivschat-review.wasm'));
    const bundleBytes = Object.values(result.metafile.outputs)[0].bytes;
    const invoke = join(work, 'invoke.mjs');
    await copyFile(join(EXAMPLE, 'invoke.mjs'), invoke);
    await writeFile(join(work, 'node-start.mjs'), 'console.log(JSON.stringify({ sinceOriginMs: performance.now() }));\n');

    const runs = [];
    const bare = [];
    for (let i = 0; i < processes + 1; i++) {
      const answer = await runOnce([invoke, task, join(EXAMPLE, 'events', 'review.json')], task);
      if (answer.answer?.ReviewResult !== 'ALLOW') throw new Error(`the review answered ${JSON.stringify(answer.answer)}`);
      const start = await runOnce([join(work, 'node-start.mjs')], work);
      if (i > 0) {
        runs.push(answer);
        bare.push(start);
      }
    }
    return {
      unit: 'ms',
      processes,
      budgetMs: REVIEW_BUDGET_MS,
      bundleBytes,
      coldStartMs: median(runs.map((r) => r.coldStartMs)),
      loadToAnswerMs: median(runs.map((r) => r.loadToAnswerMs)),
      cpuMs: median(runs.map((r) => r.cpuMs)),
      wallMs: median(runs.map((r) => r.wallMs)),
      nodeStartMs: median(bare.map((r) => r.sinceOriginMs)),
      runs: runs.map((r) => r.coldStartMs),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run({ quick: process.argv.includes('--quick') }), null, 1));
}
