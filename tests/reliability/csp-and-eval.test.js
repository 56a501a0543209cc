// The web demo is served with a strict Content-Security-Policy (no inline script or style, no
// eval; WebAssembly allowed by 'wasm-unsafe-eval' only), and its page has nothing that policy
// would block (tests/browser/demo.test.js drives the page in Chromium under it and fails on any
// console error, which is where CSP violations show). No shipped JavaScript generates code from
// strings: a static scan, and the whole chain run in a Node started with
// --disallow-code-generation-from-strings (as on Cloudflare Workers).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { startDemo } from '../../web-demo/server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** @type {Awaited<ReturnType<typeof startDemo>>} */
let demo;
before(async () => {
  demo = await startDemo({ env: {} });
});
after(() => demo?.close());

/** @param {string} header */
function directives(header) {
  return new Map(header.split(';').map((part) => part.trim()).filter(Boolean).map((part) => {
    const [name, ...values] = part.split(/\s+/);
    return [name.toLowerCase(), values];
  }));
}

test('the demo page is served with a strict CSP: script-src \'self\' \'wasm-unsafe-eval\', nothing unsafe-inline or unsafe-eval', async () => {
  const response = await fetch(demo.url);
  assert.equal(response.status, 200);
  const header = response.headers.get('content-security-policy');
  assert.ok(header, 'no Content-Security-Policy header');
  const policy = directives(header);
  assert.deepEqual(policy.get('script-src'), ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(policy.get('default-src'), ["'self'"]);
  assert.deepEqual(policy.get('style-src'), ["'self'"]);
  assert.deepEqual(policy.get('base-uri'), ["'none'"]);
  assert.deepEqual(policy.get('frame-ancestors'), ["'none'"]);
  // Only the page itself and the chat WebSocket may be reached.
  const messagingOrigin = new URL(demo.local.messagingUrl).origin.replace(/^http/, 'ws');
  assert.deepEqual(policy.get('connect-src'), ["'self'", messagingOrigin]);
  const sources = [...policy].filter(([name]) => name !== 'img-src').flatMap(([, values]) => values);
  for (const forbidden of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", '*', 'data:', 'blob:', 'http:', 'https:']) {
    assert.ok(!sources.includes(forbidden), `${forbidden} in ${header}`);
  }
  assert.deepEqual(policy.get('img-src'), ["'self'", 'data:']);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');

  // Nothing in the page that this policy would block: scripts and styles come from files only.
  const html = await response.text();
  for (const script of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? []) {
    assert.match(script, /^<script\b[^>]*\bsrc="[^"]+"[^>]*>\s*<\/script>$/i, `inline script: ${script}`);
  }
  assert.doesNotMatch(html, /<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:/i);

  // The wasm is served as application/wasm (compiled while streaming, allowed by 'wasm-unsafe-eval').
  const wasm = await fetch(new URL('/ivschat-wasm/dist/ivschat-client.wasm', demo.url));
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  await wasm.arrayBuffer();
});

/** @param {string} dir @returns {Promise<string[]>} */
async function jsFiles(dir) {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && /\.(m?js)$/.test(e.name)).map((e) => join(e.parentPath ?? e.path, e.name));
}

test('no shipped JavaScript generates code from strings (eval, new Function, string timers)', async () => {
  const files = [...await jsFiles('js'), ...await jsFiles('bin'), ...await jsFiles('web-demo'), join(root, 'dist/ivschat-client.mjs'), join(root, 'dist/ivschat-backend.mjs'), join(root, 'dist/ivschat-review.mjs')];
  assert.ok(files.length > 30, `${files.length} files`);
  const pattern = /\beval\s*\(|\bnew\s+Function\s*\(|(?<![\w.])Function\s*\(\s*['"`]|\bset(?:Timeout|Interval)\s*\(\s*['"`]|\bimport\s*\(\s*['"`]data:/;
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    assert.doesNotMatch(text, pattern, file);
  }
});

test('the whole chain runs in a Node that refuses code generation from strings', { timeout: 60_000 }, async () => {
  // A token through createChatToken -> the handler -> the local server, then a ChatRoom round trip.
  const script = `
    import assert from 'node:assert/strict';
    import { createServer } from 'node:http';
    import { WebSocket } from 'ws';
    import { ChatRoom, fetchTokenProvider, validateCreateChatTokenRequest } from 'ivschat-wasm';
    import { createTokenHandler, toNodeListener } from 'ivschat-wasm/backend';
    import { startLocalIvsChat } from 'ivschat-wasm/local';
    assert.throws(() => new Function('return 1'), EvalError);
    assert.throws(() => eval('1'), EvalError);
    const ivs = await startLocalIvsChat();
    const { arn } = await ivs.createRoom();
    assert.equal((await validateCreateChatTokenRequest({ roomIdentifier: arn, userId: '' })).ok, false);
    const handler = createTokenHandler({ credentials: ivs.credentials, endpoint: ivs.controlPlaneUrl, authorize: (_r, body) => body });
    const server = createServer(toNodeListener(handler)).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const tokenProvider = fetchTokenProvider('http://127.0.0.1:' + server.address().port + '/', { roomIdentifier: arn, userId: 'alice', capabilities: ['SEND_MESSAGE'] });
    const room = new ChatRoom({ regionOrUrl: ivs.messagingUrl, WebSocket, tokenProvider });
    await room.connect();
    const message = await room.sendMessage({ content: 'no eval here' });
    assert.equal(message.content, 'no eval here');
    room.disconnect();
    server.close();
    await ivs.close();
    console.log('ok');
  `;
  const child = spawn(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(script);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  assert.equal(code, 0, output);
  assert.equal(output.trim(), 'ok');
});
