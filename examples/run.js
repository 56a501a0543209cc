// `npm run examples`: every example as a user gets it, smoke-tested on loopback. The repository
// is packed once and the tarball installed into each example (examples/smoke/install.js); then
// each example is built with its own tool and run against the local IVS Chat server, with a room
// of its own on it:
//   pages (vite, webpack, esbuild, script-tag, nextjs): built, served, opened in headless
//     Chromium, where a user joins with a name, sends a message and sees it arrive (nextjs both
//     after next build + next start and under next dev);
//   token backends (cloudflare-worker, deno, bun): started, then POST /api/token must refuse a
//     bad name and give a token with which a ChatRoom chats on the local server;
//   lambda: bundled as CDK's NodejsFunction bundles, then each bundle invoked in a fresh Node
//     process with real event shapes: the review handler with IVS's review events, the token
//     endpoint with API Gateway v2 / Function URL events (its tokens chat on the local server).
//
//   node examples/run.js [--update-locks] [example ...]
//
// --update-locks rewrites the selected examples' package-lock.json for this version first.
// Prints PASS or FAIL per example with timings; exits 1 when any fails.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { startLocalIvsChat } from 'ivschat-wasm/local';

import { chatInBrowser, chatThroughBackend, chatWithTokens, closeBrowser } from './smoke/checks.js';
import { checkImports, install, pack, updateLock } from './smoke/install.js';
import { freePort, killAll, run, start } from './smoke/proc.js';
import { pageCsp, serveFiles, serveListener, tokenListener } from './smoke/servers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const examplesDir = join(root, 'examples');
const rootBin = join(root, 'node_modules', '.bin');

/**
 * What a smoke test gets.
 * @typedef {object} Context
 * @property {string} dir the example's folder
 * @property {Awaited<ReturnType<typeof startLocalIvsChat>>} ivs the local IVS Chat server
 * @property {string} roomArn a room of the example's own on it
 * @property {string} name the user name to chat as
 * @property {string} text the message to send
 * @property {(extra?: Record<string, string>) => NodeJS.ProcessEnv} env the environment for a child
 * @property {<T>(label: string, step: () => Promise<T>) => Promise<T>} time runs and times a step
 * @property {(stop: () => Promise<unknown>) => void} defer registers a clean-up, run even on failure
 */

/** The local server's settings as the examples' backends read them from their environment. */
const backendEnv = (ctx) => ({
  ROOM_ARN: ctx.roomArn,
  IVSCHAT_ENDPOINT: ctx.ivs.controlPlaneUrl,
  AWS_ACCESS_KEY_ID: ctx.ivs.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: ctx.ivs.credentials.secretAccessKey,
});

/** The installed package's token handler on its own port (for pages whose tool proxies /api). */
async function startTokenBackend(ctx) {
  const backend = await serveListener(await tokenListener(ctx.dir, tokenOptions(ctx)));
  ctx.defer(backend.close);
  return backend;
}

const tokenOptions = (ctx) => ({ roomArn: ctx.roomArn, credentials: ctx.ivs.credentials, region: ctx.ivs.region, endpoint: ctx.ivs.controlPlaneUrl });

/** Serves a build folder with /api/token beside it, as a site hosting the page would. */
async function serveBuild(ctx, folder, options = {}) {
  const site = await serveFiles(join(ctx.dir, folder), { ...options, routes: { '/api/token': await tokenListener(ctx.dir, tokenOptions(ctx)) } });
  ctx.defer(site.close);
  return site;
}

/** Starts a server and registers its stop. */
async function startServer(ctx, command, args, options) {
  const server = await start(command, args, { cwd: ctx.dir, ...options });
  ctx.defer(server.stop);
  return server;
}

/** @type {Record<string, (ctx: Context) => Promise<void>>} */
const SMOKE_TESTS = {
  async vite(ctx) {
    await ctx.time('build', () => run('npm', ['run', 'build'], { cwd: ctx.dir, env: ctx.env({ VITE_ROOM_ARN: ctx.roomArn, VITE_IVSCHAT_MESSAGING_URL: ctx.ivs.messagingUrl }) }));
    const backend = await startTokenBackend(ctx);
    const port = await freePort();
    // `vite preview` proxies /api to TOKEN_BACKEND_URL, as vite.config.js documents.
    await ctx.time('start', () => startServer(ctx, 'npm', ['run', 'preview', '--', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
      env: ctx.env({ TOKEN_BACKEND_URL: backend.url }),
      ready: /Local:\s+http:\/\/127\.0\.0\.1:\d+/,
    }));
    await ctx.time('chat', () => chatInBrowser(`http://127.0.0.1:${port}/`, ctx));
  },

  async webpack(ctx) {
    await ctx.time('build', () => run('npm', ['run', 'build'], { cwd: ctx.dir, env: ctx.env({ ROOM_ARN: ctx.roomArn, IVSCHAT_MESSAGING_URL: ctx.ivs.messagingUrl }) }));
    const site = await serveBuild(ctx, 'dist');
    await ctx.time('chat', () => chatInBrowser(`${site.url}/`, ctx));
  },

  async esbuild(ctx) {
    // esbuild leaves old files in dist/: start empty, so that only this build is served.
    await rm(join(ctx.dir, 'dist'), { recursive: true, force: true });
    await ctx.time('build', () => run('npm', ['run', 'build'], { cwd: ctx.dir, env: ctx.env({ ROOM_ARN: ctx.roomArn, IVSCHAT_MESSAGING_URL: ctx.ivs.messagingUrl }) }));
    const site = await serveBuild(ctx, 'dist');
    await ctx.time('chat', () => chatInBrowser(`${site.url}/`, ctx));
  },

  async 'script-tag'(ctx) {
    const { version } = JSON.parse(await readFile(join(ctx.dir, 'node_modules', 'ivschat-wasm', 'package.json'), 'utf8'));
    // The page's settings, typed into index.html as its README says.
    const settings = { 'data-room-arn': ctx.roomArn, 'data-messaging-url': ctx.ivs.messagingUrl };
    const site = await serveBuild(ctx, '.', {
      csp: pageCsp('https://cdn.jsdelivr.net'),
      rewrite: (path, html) => Object.entries(settings).reduce((text, [attribute, value]) => {
        if (!text.includes(`${attribute}=""`)) throw new Error(`${path} has no empty ${attribute} to fill in`);
        return text.replace(`${attribute}=""`, `${attribute}="${value}"`);
      }, html),
    });
    // The CDN, answered with the packed build: the page's script tag must name this version.
    const cdn = `https://cdn.jsdelivr.net/npm/ivschat-wasm@${version}/dist/`;
    const files = { 'ivschat-wasm.iife.js': 'text/javascript', 'ivschat-client.wasm': 'application/wasm' };
    const routes = {
      [`${cdn}*`]: async (route) => {
        const file = route.request().url().slice(cdn.length);
        if (!Object.hasOwn(files, file)) return route.fulfill({ status: 404 });
        const body = await readFile(join(ctx.dir, 'node_modules', 'ivschat-wasm', 'dist', file));
        return route.fulfill({ status: 200, body, headers: { 'content-type': files[file], 'access-control-allow-origin': '*' } });
      },
    };
    await ctx.time('chat', () => chatInBrowser(`${site.url}/`, { ...ctx, routes }));
  },

  async nextjs(ctx) {
    await ctx.time('build', () => run('npm', ['run', 'build'], { cwd: ctx.dir, env: ctx.env() }));
    const port = await freePort();
    // ALLOWED_ORIGINS as app/api/token/route.js asks: under `next start` the route's request.url
    // is on localhost, not on the host the page was opened at.
    await ctx.time('start', () => startServer(ctx, 'npm', ['start', '--', '--hostname', '127.0.0.1', '--port', String(port)], {
      env: ctx.env({ ...backendEnv(ctx), IVSCHAT_MESSAGING_URL: ctx.ivs.messagingUrl, ALLOWED_ORIGINS: `http://127.0.0.1:${port}` }),
      ready: /Ready in/,
    }));
    await ctx.time('chat', () => chatInBrowser(`http://127.0.0.1:${port}/`, ctx));
    // `next dev` compiles the Edge route differently from `next build` (it once broke the wasm
    // loader there), so the README's `npm run dev` gets its own chat.
    const devPort = await freePort();
    await ctx.time('dev', () => startServer(ctx, 'npm', ['run', 'dev', '--', '--hostname', '127.0.0.1', '--port', String(devPort)], {
      env: ctx.env({ ...backendEnv(ctx), IVSCHAT_MESSAGING_URL: ctx.ivs.messagingUrl, ALLOWED_ORIGINS: `http://127.0.0.1:${devPort}` }),
      ready: /Ready in/,
    }));
    await ctx.time('dev chat', () => chatInBrowser(`http://127.0.0.1:${devPort}/`, ctx));
  },

  async 'cloudflare-worker'(ctx) {
    const [port, inspectorPort] = [await freePort(), await freePort()];
    // The secrets go in an env file outside the example (its .dev.vars is the user's).
    const secrets = join(await mkdtemp(join(tmpdir(), 'ivschat-worker-')), 'secrets.env');
    ctx.defer(() => rm(join(secrets, '..'), { recursive: true, force: true }));
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ...vars } = backendEnv(ctx);
    await writeFile(secrets, `AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID}\nAWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}\n`);
    const server = await ctx.time('start', () => startServer(ctx, 'npm', ['run', 'dev', '--',
      '--local', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort),
      '--env-file', secrets, ...Object.entries(vars).flatMap(([key, value]) => ['--var', `${key}:${value}`])], {
      env: ctx.env(),
      ready: /Ready on (http:\/\/127\.0\.0\.1:\d+)/,
      timeoutMs: 90_000,
    }));
    await ctx.time('chat', () => chatThroughBackend(`${server.match[1]}/api/token`, { ...ctx, messagingUrl: ctx.ivs.messagingUrl }));
  },

  async deno(ctx) {
    const port = await freePort();
    // The start task of deno.json, with its permissions and no more. Run as a command rather than
    // through `deno task`, which would find this repository's node_modules/.bin/deno (the npm
    // package) above the example and run that binary as a script.
    const task = JSON.parse(await readFile(join(ctx.dir, 'deno.json'), 'utf8')).tasks.start;
    if (!/^deno run [^'"]+$/.test(task)) throw new Error(`deno.json's start task is not a plain \`deno run\` command: ${task}`);
    const server = await ctx.time('start', () => startServer(ctx, join(rootBin, 'deno'), task.split(/\s+/).slice(1), {
      env: ctx.env({ ...backendEnv(ctx), PORT: String(port) }),
      ready: /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/token)/,
    }));
    await ctx.time('chat', () => chatThroughBackend(server.match[1], { ...ctx, messagingUrl: ctx.ivs.messagingUrl }));
  },

  async lambda(ctx) {
    await ctx.time('build', () => run('npm', ['run', 'build'], { cwd: ctx.dir, env: ctx.env() }));
    const tokenEvent = JSON.parse(await readFile(join(ctx.dir, 'events', 'token.json'), 'utf8'));
    const reviewEvent = JSON.parse(await readFile(join(ctx.dir, 'events', 'review.json'), 'utf8'));
    // The Function URL's host, as ALLOWED_HOSTS names it once deployed.
    const env = ctx.env({ ...backendEnv(ctx), ALLOWED_HOSTS: tokenEvent.headers.host });
    /** One invocation in a fresh process, as a cold Lambda: the bundle, the event, the answer. */
    const invoke = async (fn, event) => {
      const output = await run(process.execPath, ['invoke.mjs', `dist/${fn}`, JSON.stringify(event)], { cwd: ctx.dir, env, timeoutMs: 30_000 });
      const line = output.trim().split('\n').at(-1);
      return JSON.parse(line).answer;
    };
    const expect = (what, actual, expected) => {
      if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: ${JSON.stringify(actual)}, not ${JSON.stringify(expected)}`);
    };
    await ctx.time('review', async () => {
      expect('the review of a message with darn', await invoke('review', reviewEvent), { Attributes: {}, Content: 'hello, **** it', ReviewResult: 'ALLOW' });
      expect('the review of spam', (await invoke('review', { ...reviewEvent, Content: 'free money here' })).ReviewResult, 'DENY');
    });
    const post = (body, base64 = false) => ({
      ...tokenEvent,
      body: base64 ? Buffer.from(JSON.stringify(body)).toString('base64') : JSON.stringify(body),
      isBase64Encoded: base64,
    });
    await ctx.time('token', async () => {
      const refused = await invoke('token', post({ userId: 'not a name!' }));
      expect('a bad name', [refused.statusCode, refused.headers['x-amzn-errortype']], [400, 'ValidationException']);
      const get = await invoke('token', { ...tokenEvent, body: undefined, requestContext: { ...tokenEvent.requestContext, http: { ...tokenEvent.requestContext.http, method: 'GET' } } });
      expect('a GET', get.statusCode, 405);
      const foreign = await invoke('token', { ...post({ userId: ctx.name }), headers: { ...tokenEvent.headers, host: 'rebind.evil.example' } });
      expect('another host', foreign.statusCode, 421);
      // Each connection its own token, each from a cold invocation (the first body base64, as API Gateway may send it).
      let calls = 0;
      const tokenProvider = async () => {
        const answer = await invoke('token', post({ userId: ctx.name }, (calls += 1) === 1));
        if (answer.statusCode !== 200) throw new Error(`the token function answered ${answer.statusCode}: ${answer.body}`);
        return { ...JSON.parse(answer.body), userId: ctx.name };
      };
      await chatWithTokens(tokenProvider, { messagingUrl: ctx.ivs.messagingUrl, name: ctx.name, text: ctx.text, from: 'the token function' });
    });
  },

  async bun(ctx) {
    const port = await freePort();
    const server = await ctx.time('start', () => startServer(ctx, join(rootBin, 'bun'), ['server.js'], {
      env: ctx.env({ ...backendEnv(ctx), PORT: String(port) }),
      ready: /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/token)/,
    }));
    await ctx.time('chat', () => chatThroughBackend(server.match[1], { ...ctx, messagingUrl: ctx.ivs.messagingUrl }));
  },
};

/**
 * Variables a child must not inherit: the caller's AWS identity (the examples talk to the local
 * server only) and the examples' own settings, which each test sets.
 */
const INHERITED_NOT = /^(AWS_|IVSCHAT_|VITE_)|^(ROOM_ARN|TOKEN_BACKEND_URL|TOKEN_ENDPOINT|ALLOWED_ORIGINS|HOST|PORT)$/;

/** @param {Record<string, string>} extra */
function childEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !INHERITED_NOT.test(key)));
  // No telemetry or update checks from the tools: nothing leaves loopback but npm's installs.
  Object.assign(env, { NEXT_TELEMETRY_DISABLED: '1', WRANGLER_SEND_METRICS: 'false', DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1' });
  return { ...env, ...extra };
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const { values, positionals } = parseArgs({ options: { 'update-locks': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  const names = Object.keys(SMOKE_TESTS);
  if (values.help) {
    console.log(`Usage: node examples/run.js [--update-locks] [${names.join(' | ')}]...`);
    return 0;
  }
  const unknown = positionals.filter((name) => !names.includes(name));
  if (unknown.length) {
    console.error(`examples: no example named ${unknown.join(', ')}; the examples are ${names.join(', ')}`);
    return 2;
  }
  const selected = positionals.length ? names.filter((name) => positionals.includes(name)) : names;

  const started = Date.now();
  const work = await mkdtemp(join(tmpdir(), 'ivschat-examples-'));
  const ivs = await startLocalIvsChat();
  const results = [];
  try {
    const packed = await pack(root, work);
    console.log(`examples: packed ivschat-wasm ${packed.version} in ${seconds(Date.now() - started)}`);
    for (const name of selected) {
      const dir = join(examplesDir, name);
      const timings = [];
      const cleanups = [];
      const exampleStarted = Date.now();
      /** @type {Context} */
      const ctx = {
        dir,
        ivs,
        roomArn: '',
        name: `smoke_${name.replace(/[^A-Za-z0-9]/g, '_')}`,
        text: `hello from the ${name} example, ${Math.random().toString(36).slice(2, 8)}`,
        env: childEnv,
        async time(label, step) {
          const stepStarted = Date.now();
          try {
            return await step();
          } finally {
            timings.push(`${label} ${seconds(Date.now() - stepStarted)}`);
          }
        },
        defer: (stop) => cleanups.push(stop),
      };
      let failure;
      try {
        if (values['update-locks']) await ctx.time('lock', () => updateLock(dir, packed, childEnv()));
        const installed = await ctx.time('install', () => install(dir, packed, childEnv()));
        if (installed === 'up to date') timings[timings.length - 1] += ' (up to date)';
        await checkImports(dir);
        ctx.roomArn = (await ivs.createRoom({ name: `example-${name}` })).arn;
        await SMOKE_TESTS[name](ctx);
      } catch (error) {
        failure = error;
      } finally {
        for (const stop of cleanups.reverse()) await stop().catch((error) => { failure ??= error; });
      }
      const line = `${failure ? 'FAIL' : 'PASS'} ${name.padEnd(18)} ${seconds(Date.now() - exampleStarted).padStart(7)}  (${timings.join(', ')})`;
      console.log(line);
      if (failure) console.log(String(failure.stack ?? failure).replace(/^/gm, '     '));
      results.push({ name, failure });
    }
  } finally {
    await closeBrowser();
    await ivs.close();
    await rm(work, { recursive: true, force: true });
  }
  const failed = results.filter((result) => result.failure).map((result) => result.name);
  console.log(`examples: ${results.length - failed.length} passed, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''} in ${seconds(Date.now() - started)}`);
  return failed.length ? 1 : 0;
}

// Interrupted: no server of ours may outlive the runner.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

process.exitCode = await main().catch((error) => {
  console.error(error);
  killAll();
  return 1;
});
