// cold start: a new process imports the package, initialises it and produces its first signed
// CreateChatToken request (bench/cold-start/*.mjs). Ours vs @aws-sdk/client-ivschat (through its
// middleware to a capturing request handler, no network) and aws4fetch, in Node, Deno and Bun;
// in workerd the same as Workers (bundled with esbuild as wrangler does, the wasm a compiled
// module), timed from outside: process start to listening, then the first request.
// Every script runs in a temporary app folder where the packages are installed as symlinks, as
// `npm install` would leave them. Processes alternate between contenders; medians of N each.
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

import { binDir, median, repoRoot } from './lib/measure.js';

const SCRIPTS = fileURLToPath(new URL('./cold-start/', import.meta.url));
const RUN_TIMEOUT_MS = 60_000;

async function createApp() {
  const dir = await mkdtemp(join(tmpdir(), 'ivschat-bench-cold-'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'cold-start-app', private: true, type: 'module' }));
  await mkdir(join(dir, 'node_modules', '@aws-sdk'), { recursive: true });
  await symlink(repoRoot, join(dir, 'node_modules', 'ivschat-wasm'), 'dir');
  await symlink(join(repoRoot, 'node_modules', 'aws4fetch'), join(dir, 'node_modules', 'aws4fetch'), 'dir');
  await symlink(join(repoRoot, 'node_modules', '@aws-sdk', 'client-ivschat'), join(dir, 'node_modules', '@aws-sdk', 'client-ivschat'), 'dir');
  await cp(SCRIPTS, dir, { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Runs a process to its end; resolves with its last stdout line (JSON) and the wall time.
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 * @param {Record<string, string>} [env]
 */
function runOnce(command, args, cwd, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim().slice(0, 500)}`));
        return;
      }
      try {
        resolve({ ...JSON.parse(stdout.trim().split('\n').pop() ?? ''), wallMs });
      } catch (error) {
        reject(new Error(`${command}: no JSON line (${stdout.slice(0, 200)} ${stderr.slice(0, 200)})`));
      }
    });
  });
}

/** How each runtime runs a script of the app folder. */
function runtimeCommand(runtime, script, dir) {
  switch (runtime) {
    case 'node':
      return [process.execPath, [script], {}];
    case 'deno':
      return [join(binDir, 'deno'), ['run', '--no-prompt', '--no-lock', '--allow-read', '--allow-env', '--allow-sys', script],
        { DENO_DIR: join(dir, '.deno'), DENO_NO_UPDATE_CHECK: '1' }];
    case 'bun':
      return [join(binDir, 'bun'), ['run', '--no-install', script], { DO_NOT_TRACK: '1', BUN_INSTALL_CACHE_DIR: join(dir, '.bun-cache') }];
    default:
      throw new Error(runtime);
  }
}

/** Bundles a worker as wrangler does: workerd conditions, browser field maps, the wasm a separate module. */
async function bundleWorker(dir, name) {
  const out = join(dir, `workerd-${name}`);
  await mkdir(out, { recursive: true });
  /** @type {string[]} */
  const wasmModules = [];
  await build({
    entryPoints: [join(dir, `worker-${name}.js`)],
    outfile: join(out, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    minify: true,
    external: ['node:*'],
    logLevel: 'silent',
    plugins: [{
      name: 'wasm-module',
      setup(pluginBuild) {
        // Each wasm file the bundle imports (ours: dist/ivschat-backend.wasm) is copied beside
        // worker.js under its own name and declared as a wasm module of the same name.
        pluginBuild.onResolve({ filter: /\.wasm(\?module)?$/ }, async (args) => {
          const source = join(args.resolveDir, args.path.replace(/\?module$/, ''));
          const file = basename(source);
          if (!wasmModules.includes(file)) {
            await cp(source, join(out, file));
            wasmModules.push(file);
          }
          return { path: `./${file}`, external: true };
        });
      },
    }],
  });
  const modules = ['(name = "worker.js", esModule = embed "worker.js")', ...wasmModules.map((file) => `(name = "${file}", wasm = embed "${file}")`)];
  await writeFile(join(out, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [${modules.join(', ')}],
  compatibilityDate = "2025-01-01",
  compatibilityFlags = ["nodejs_compat"],
);
`);
  return join(out, 'config.capnp');
}

/** One workerd process: spawn -> listening (control fd) -> first request answered. */
function runWorkerdOnce(config, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(join(binDir, 'workerd'), ['serve', config, '--control-fd=3'], { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd }, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => finish(new Error(`workerd: no answer within ${RUN_TIMEOUT_MS} ms: ${stderr}`)), RUN_TIMEOUT_MS);
    let settled = false;
    const finish = (error, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(value);
    };
    child.once('exit', (code) => finish(new Error(`workerd exited (${code}): ${stderr.slice(0, 500)}`)));
    let control = '';
    const controlStream = /** @type {import('node:stream').Readable} */ (child.stdio[3]);
    controlStream.setEncoding('utf8');
    controlStream.on('data', (chunk) => {
      control += chunk;
      const newline = control.indexOf('\n');
      if (newline === -1) return;
      const { port } = JSON.parse(control.slice(0, newline));
      const listeningMs = performance.now() - started;
      const requestStarted = performance.now();
      const request = httpRequest({ host: '127.0.0.1', port, path: '/', method: 'GET' }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (part) => (body += part)).on('end', () => {
          const firstRequestMs = performance.now() - requestStarted;
          if (response.statusCode !== 200 || !body.startsWith('AWS4-HMAC-SHA256')) {
            finish(new Error(`workerd answered ${response.statusCode}: ${body.slice(0, 300)} ${stderr.slice(0, 300)}`));
            return;
          }
          finish(undefined, { listeningMs, firstRequestMs, wallMs: performance.now() - started });
        });
      });
      request.on('error', (error) => finish(error));
      request.end();
      controlStream.removeAllListeners('data');
    });
  });
}

/** @param {{ quick: boolean }} options */
export async function run({ quick }) {
  const processes = quick ? 2 : 10;
  const app = await createApp();
  /** @type {Record<string, any>} */
  const results = {};
  try {
    const scripts = { ours: 'ours.mjs', sdk: 'aws-sdk.mjs', aws4fetch: 'aws4fetch.mjs' };
    for (const runtime of ['node', 'deno', 'bun']) {
      /** @type {Record<string, any[]>} */
      const runs = { ours: [], sdk: [], aws4fetch: [] };
      /** @type {Record<string, string>} */
      const errors = {};
      for (let i = 0; i < processes + 1; i++) {
        for (const [name, script] of Object.entries(scripts)) {
          if (errors[name]) continue;
          const [command, args, env] = runtimeCommand(runtime, script, app.dir);
          try {
            const result = await runOnce(command, args, app.dir, env);
            if (i > 0) runs[name].push(result); // the first process of each warms the file cache
          } catch (error) {
            errors[name] = error instanceof Error ? error.message : String(error);
          }
        }
      }
      results[runtime] = Object.fromEntries(Object.keys(scripts).map((name) => [name, errors[name] ? { error: errors[name] } : {
        importToSignedMs: median(runs[name].map((r) => r.importToSignedMs)),
        sinceOriginMs: median(runs[name].map((r) => r.sinceOriginMs)),
        wallMs: median(runs[name].map((r) => r.wallMs)),
        runs: runs[name].map((r) => r.importToSignedMs),
      }]));
    }
    /** @type {Record<string, any>} */
    const workerd = {};
    for (const name of ['ours', 'aws4fetch', 'aws-sdk']) {
      try {
        const config = await bundleWorker(app.dir, name);
        const runs = [];
        for (let i = 0; i < processes + 1; i++) {
          const result = await runWorkerdOnce(config, app.dir);
          if (i > 0) runs.push(result);
        }
        workerd[name === 'aws-sdk' ? 'sdk' : name] = {
          listeningMs: median(runs.map((r) => r.listeningMs)),
          firstRequestMs: median(runs.map((r) => r.firstRequestMs)),
          wallMs: median(runs.map((r) => r.wallMs)),
          runs: runs.map((r) => r.wallMs),
        };
      } catch (error) {
        workerd[name === 'aws-sdk' ? 'sdk' : name] = { error: error instanceof Error ? error.message : String(error) };
      }
    }
    results.workerd = workerd;
  } finally {
    await app.remove();
  }
  return { unit: 'ms', processes, runtimes: results };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run({ quick: process.argv.includes('--quick') }), null, 1));
}
