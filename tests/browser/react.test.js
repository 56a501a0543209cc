// ivschat-wasm/react in headless Chromium: a small React app (React's development build, under
// StrictMode) bundled here with esbuild from tests/browser/react-app.js, served with the
// repository, chatting with the local IVS Chat server through a token route. The server's
// counters say how many WebSockets are open, so a second connection, or one left open, shows.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, test } from 'node:test';

import { build } from 'esbuild';

import { createTokenHandler, sendEvent, toNodeListener } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { launchChromium, serveRepository } from './chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PAGE = '<!doctype html><meta charset="utf-8"><title>useChatRoom</title><p id="status">loading</p><script type="module" src="/react-app/app.js"></script>';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ws://127.0.0.1:*";

let browser;
let site;
let ivs;
let page;
let problems;

before(async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('react-app.js', import.meta.url))],
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"development"' },
  });
  assert.deepEqual(bundle.warnings.map((w) => w.text), []);
  const app = bundle.outputFiles[0].contents;

  ivs = await startLocalIvsChat();
  const tokenHandler = toNodeListener(createTokenHandler({
    credentials: ivs.credentials,
    region: ivs.region,
    endpoint: ivs.controlPlaneUrl,
    authorize: (request, body) => body,
  }));
  site = await serveRepository({
    routes: {
      '/react-app/': (req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP }).end(PAGE),
      // The bundle's import.meta.url is /react-app/app.js: the browser entry finds the wasm at /dist/.
      '/react-app/app.js': (req, res) => res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(app),
      '/token': tokenHandler,
      '/slow-token': (req, res) => void sleep(400).then(() => tokenHandler(req, res)),
    },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await ivs?.close();
});

async function openPage() {
  page = await browser.newPage();
  problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error}`));
  await page.goto(`${site.url}/react-app/`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
}

afterEach(async () => {
  await page?.close();
  page = undefined;
});

const mount = (name, config, strict = true) => page.evaluate(([n, c, s]) => window.__react.mount(n, c, s), [name, config, strict]);
const update = (name, changes) => page.evaluate(([n, c]) => window.__react.update(n, c), [name, changes]);
const unmount = (name) => page.evaluate((n) => window.__react.unmount(n), name);
const call = (name, method, ...args) => page.evaluate(([n, m, a]) => window.__react.call(n, m, ...a), [name, method, args]);
const summary = (name) => page.evaluate((n) => window.__react.summary(n), name);

/** Waits until `check(summary)` is true; fails with the last summary. */
async function until(name, check, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await summary(name);
    if (check(last)) return last;
    await sleep(25);
  }
  assert.fail(`${name}: timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

/** Waits until the server has `count` open WebSockets. */
async function untilOpen(count, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (ivs.stats().openConnections !== count && Date.now() < deadline) await sleep(25);
  assert.equal(ivs.stats().openConnections, count, 'open WebSockets on the server');
}

const connected = (s) => s.state === 'connected' && s.rendered?.state === 'connected';
const contents = (s) => s.messages.map((m) => m.content);

test('StrictMode: one connection per component; messages arrive once, sent ones show, deleted ones go; unmount closes all', { timeout: 60_000 }, async () => {
  const room = await ivs.createRoom();
  await openPage();
  const base = ivs.stats();
  const common = { url: ivs.messagingUrl, room: room.arn };
  await mount('viewer', { ...common, userId: 'viewer' });
  await mount('moderator', { ...common, userId: 'moderator', capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'] });
  const viewer = await until('viewer', connected, 'connected');
  await until('moderator', connected, 'connected');
  assert.deepEqual([viewer.effectMounts, viewer.effectUnmounts], [2, 1], 'StrictMode mounted, unmounted and mounted again');
  assert.deepEqual(viewer.disconnects, [], 'nothing heard from the room StrictMode\'s unmount let go of');
  await sleep(300); // a socket of the first (abandoned) room would have opened by now
  assert.equal(ivs.stats().openConnections, 2, 'one WebSocket per component');
  assert.equal(ivs.stats().connectionsOpened - base.connectionsOpened, 2, 'never a second one');

  const sent = [];
  for (const content of ['one', 'two', 'three']) {
    const outcome = await call('moderator', 'sendMessage', { content });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    sent.push(outcome.result);
  }
  const seen = await until('viewer', (s) => s.messages.length >= 3 && s.rendered.items.length >= 3, 'three messages');
  await sleep(200);
  const settled = await summary('viewer');
  assert.deepEqual(contents(settled), ['one', 'two', 'three'], 'each message once, in order');
  assert.deepEqual(settled.rendered.items, ['one', 'two', 'three'], 'and rendered');
  assert.deepEqual(settled.heard, ['one', 'two', 'three'], 'listeners.message called once each');
  assert.deepEqual(seen.messages.map((m) => m.id), sent.map((m) => m.id));
  assert.deepEqual(contents(await summary('moderator')), ['one', 'two', 'three'], 'the sender sees its own messages once');

  const own = await call('viewer', 'sendMessage', { content: 'from the viewer' });
  assert.equal(own.ok, true, JSON.stringify(own));
  assert.equal(own.result.content, 'from the viewer');
  await until('viewer', (s) => s.rendered.items.at(-1) === 'from the viewer', 'its own message rendered');
  await until('moderator', (s) => contents(s).at(-1) === 'from the viewer', 'the viewer\'s message');

  const deleted = await call('moderator', 'deleteMessage', { id: sent[1].id, reason: 'testing' });
  assert.equal(deleted.ok, true, JSON.stringify(deleted));
  assert.equal(deleted.result.messageId, sent[1].id);
  for (const name of ['viewer', 'moderator']) {
    const after = await until(name, (s) => s.rendered.items.length === 3, 'the deleted message gone');
    assert.deepEqual(contents(after), ['one', 'three', 'from the viewer'], `${name}: the deleted message is gone`);
    assert.deepEqual(after.rendered.items, ['one', 'three', 'from the viewer']);
    assert.deepEqual(after.deleted, [sent[1].id], `${name}: listeners.messageDelete`);
  }

  for (const name of ['viewer', 'moderator']) {
    const s = await summary(name);
    assert.ok(s.commits >= 5, `${name}: rendered and committed several times (${s.commits})`);
    assert.deepEqual(s.identities, { sendMessage: 1, deleteMessage: 1, disconnectUser: 1, connect: 1, disconnect: 1 }, `${name}: stable function identities`);
  }

  const before = ivs.stats();
  await unmount('viewer');
  await untilOpen(1);
  await unmount('moderator');
  await untilOpen(0);
  await sleep(500);
  const later = ivs.stats();
  assert.equal(later.connectionsOpened, before.connectionsOpened, 'nothing reconnects after unmount');
  assert.equal(later.createChatTokenCalls, before.createChatTokenCalls, 'no token fetched after unmount');
  const late = await call('viewer', 'sendMessage', { content: 'too late' });
  assert.deepEqual([late.ok, late.code], [false, 'DISCONNECTED'], 'a call after unmount rejects');
  assert.deepEqual(problems, [], 'no React warning, no console error');
});

test('disconnectUser with a moderator token kicks the other component, which stays disconnected', { timeout: 60_000 }, async () => {
  const room = await ivs.createRoom();
  await openPage();
  const common = { url: ivs.messagingUrl, room: room.arn };
  await mount('viewer', { ...common, userId: 'kicked-viewer', maxReconnectAttempts: 3 });
  await mount('moderator', { ...common, userId: 'moderator', capabilities: ['DISCONNECT_USER'] });
  await until('viewer', connected, 'connected');
  await until('moderator', connected, 'connected');
  await untilOpen(2);

  const kick = await call('moderator', 'disconnectUser', { userId: 'kicked-viewer', reason: 'testing' });
  assert.equal(kick.ok, true, JSON.stringify(kick));
  assert.equal(kick.result.userId, 'kicked-viewer');
  const kicked = await until('viewer', (s) => s.state === 'disconnected' && s.rendered.state === 'disconnected', 'disconnected');
  assert.equal(kicked.disconnectReason, 'serverDisconnect');
  assert.deepEqual(kicked.kicks, ['kicked-viewer']);
  assert.deepEqual((await until('moderator', (s) => s.kicks.length === 1, 'the kick event')).kicks, ['kicked-viewer']);
  await untilOpen(1);
  await sleep(400);
  assert.equal((await summary('viewer')).state, 'disconnected', 'a kicked user is not reconnected');
  assert.equal(ivs.stats().openConnections, 1);

  await unmount('viewer');
  await unmount('moderator');
  await untilOpen(0);
  assert.deepEqual(problems, []);
});

test('a failing tokenProvider shows as `error`; unmounting while connecting leaves nothing behind', { timeout: 60_000 }, async () => {
  const room = await ivs.createRoom();
  await openPage();
  const base = ivs.stats();
  await mount('failing', { url: ivs.messagingUrl, room: room.arn, userId: 'failing', failToken: true, maxReconnectAttempts: 1 });
  const failed = await until('failing', (s) => s.state === 'disconnected' && s.disconnectReason !== null, 'given up');
  assert.equal(failed.error?.name, 'ChatError');
  assert.equal(failed.error?.code, 'TOKEN_FETCH_FAILED');
  assert.match(failed.error?.message, /no token for you/);
  assert.equal(failed.disconnectReason, 'fetchTokenError');
  assert.equal(failed.rendered.state, 'disconnected');
  assert.equal(failed.tokenCalls.length, 2, '1 + maxReconnectAttempts attempts');
  const refused = await call('failing', 'sendMessage', { content: 'x' });
  assert.deepEqual([refused.ok, refused.code], [false, 'DISCONNECTED']);
  await unmount('failing');

  // A token that takes 400 ms: unmounted while connecting, the attempt is cancelled.
  await mount('slow', { url: ivs.messagingUrl, room: room.arn, userId: 'slow', tokenEndpoint: '/slow-token' });
  await until('slow', (s) => s.state === 'connecting', 'connecting');
  await unmount('slow');
  await sleep(1000);
  const later = ivs.stats();
  assert.equal(later.connectionsOpened, base.connectionsOpened, 'no socket opened after unmount');
  assert.equal(later.openConnections, 0);
  assert.deepEqual(problems, []);
});

test('a new regionOrUrl or key reconnects; a new inline tokenProvider does not, and is the one used next', { timeout: 60_000 }, async () => {
  const room = await ivs.createRoom();
  await openPage();
  const base = ivs.stats();
  await mount('chat', { url: ivs.messagingUrl, room: room.arn, userId: 'changing' });
  const first = await until('chat', connected, 'connected');
  await call('chat', 'sendMessage', { content: 'before' });
  await until('chat', (s) => s.messages.length === 1, 'its message');

  for (let i = 0; i < 5; i += 1) await update('chat', {}); // new inline tokenProvider and listeners each time
  const rerendered = await until('chat', (s) => s.version === 6 && s.commits > first.commits, 'the new renders');
  await sleep(300);
  assert.equal(ivs.stats().connectionsOpened - base.connectionsOpened, 1, 'no reconnection for a new tokenProvider');
  assert.equal(rerendered.tokenCalls.length, first.tokenCalls.length, 'no token fetched');
  assert.equal((await summary('chat')).state, 'connected');
  assert.deepEqual(contents(await summary('chat')), ['before'], 'the messages are kept');

  // The latest provider is the one the room calls.
  await call('chat', 'disconnect');
  await until('chat', (s) => s.state === 'disconnected', 'disconnected');
  assert.equal((await summary('chat')).disconnectReason, 'clientDisconnect');
  const reconnected = await call('chat', 'connect');
  assert.equal(reconnected.ok, true, JSON.stringify(reconnected));
  assert.equal((await summary('chat')).tokenCalls.at(-1), 6, 'the tokenProvider of the latest render');
  await untilOpen(1);

  // regionOrUrl: the same server written another way is another URL for the hook.
  await update('chat', { url: `${ivs.messagingUrl}/` });
  const moved = await until('chat', (s) => connected(s) && s.tokenCalls.at(-1) === 7, 'connected with the new URL');
  assert.deepEqual(moved.messages, [], 'a new room starts with no messages');
  assert.equal(ivs.stats().connectionsOpened - base.connectionsOpened, 3);
  await untilOpen(1);

  await update('chat', { key: 'another' });
  await until('chat', (s) => connected(s) && s.tokenCalls.at(-1) === 8, 'connected after the new key');
  assert.equal(ivs.stats().connectionsOpened - base.connectionsOpened, 4);
  await untilOpen(1);
  assert.deepEqual((await summary('chat')).disconnects, ['clientDisconnect'], 'only the disconnect() called: nothing from the rooms let go of');
  await update('chat', { key: 'another' }); // the same key: nothing
  await sleep(300);
  assert.equal(ivs.stats().connectionsOpened - base.connectionsOpened, 4);

  await unmount('chat');
  await untilOpen(0);
  assert.deepEqual(problems, []);
});

test('autoConnect: false waits for connect(); disconnect(); maxMessages keeps the newest', { timeout: 60_000 }, async () => {
  const room = await ivs.createRoom();
  await openPage();
  const base = ivs.stats();
  await mount('manual', { url: ivs.messagingUrl, room: room.arn, userId: 'manual', autoConnect: false, maxMessages: 2 });
  await until('manual', (s) => s.commits >= 1 && s.hasRoom, 'mounted');
  await sleep(300);
  assert.equal((await summary('manual')).state, 'disconnected');
  assert.equal((await summary('manual')).tokenCalls.length, 0);
  assert.equal(ivs.stats().connectionsOpened, base.connectionsOpened, 'nothing opened');

  const connectedNow = await call('manual', 'connect');
  assert.equal(connectedNow.ok, true, JSON.stringify(connectedNow));
  await until('manual', connected, 'connected');
  for (const content of ['m1', 'm2', 'm3', 'm4']) assert.equal((await call('manual', 'sendMessage', { content })).ok, true);
  const capped = await until('manual', (s) => contents(s).at(-1) === 'm4', 'the last message');
  assert.deepEqual(contents(capped), ['m3', 'm4'], 'only the newest maxMessages');
  assert.deepEqual(capped.rendered.items, ['m3', 'm4']);
  assert.deepEqual(capped.heard, ['m1', 'm2', 'm3', 'm4'], 'the listener still saw every one');

  await call('manual', 'disconnect');
  const stopped = await until('manual', (s) => s.state === 'disconnected', 'disconnected');
  assert.equal(stopped.disconnectReason, 'clientDisconnect');
  await untilOpen(0);
  await update('manual', {}); // a new render does not connect it again
  await sleep(300);
  assert.equal((await summary('manual')).state, 'disconnected');

  await update('manual', { autoConnect: true }); // ...turning autoConnect on does
  await until('manual', connected, 'connected by autoConnect');
  await unmount('manual');
  await untilOpen(0);
  assert.deepEqual(problems, []);
});

test('history: the historyProvider\'s messages go before the live ones in `messages`, read once under StrictMode; a removal event removes a user\'s', { timeout: 60_000 }, async () => {
  const room = await ivs.createRoom();
  await openPage();
  const common = { url: ivs.messagingUrl, room: room.arn };
  await mount('sender', { ...common, userId: 'sender' });
  await until('sender', connected, 'connected');
  const ago = (ms) => new Date(Date.now() - ms).toISOString();
  // As the edge's JSON has them: sendTime as strings; given out of order, with a duplicate.
  const older = [
    { id: 'Older0000002', content: 'older 2', sendTime: ago(20_000), sender: { userId: 'spammer' } },
    { id: 'Older0000001', content: 'older 1', sendTime: ago(30_000), sender: { userId: 'ann' } },
    { id: 'Older0000003', content: 'older 3', sendTime: ago(10_000), sender: { userId: 'ann' } },
    { id: 'Older0000001', content: 'older 1', sendTime: ago(30_000), sender: { userId: 'ann' } },
  ];
  // The history comes 1.5 s late: the live message is there first.
  await mount('viewer', { ...common, userId: 'viewer', history: older, historyWaitMs: 1500 });
  await until('viewer', connected, 'connected');
  const live = await call('sender', 'sendMessage', { content: 'live 1' });
  assert.equal(live.ok, true, JSON.stringify(live));
  const first = await until('viewer', (s) => contents(s).length >= 1, 'the live message');
  assert.deepEqual(contents(first), ['live 1'], 'the live message is not held for the history');
  const merged = await until('viewer', (s) => s.rendered.items.length === 4, 'the history');
  assert.deepEqual(contents(merged), ['older 1', 'older 2', 'older 3', 'live 1'], 'history before live, in sendTime order, each once');
  assert.deepEqual(merged.rendered.items, ['older 1', 'older 2', 'older 3', 'live 1']);
  assert.equal(merged.historyCalls, 1, 'StrictMode\'s abandoned room never read the history');
  assert.deepEqual(merged.heard, ['live 1'], 'listeners.message: the live messages');

  await sendEvent({ roomIdentifier: room.arn, eventName: 'app:DELETE_USER_MESSAGES', attributes: { userId: 'spammer' } }, { credentials: ivs.credentials, endpoint: ivs.controlPlaneUrl });
  const removed = await until('viewer', (s) => s.rendered.items.length === 3, 'the removal');
  assert.deepEqual(contents(removed), ['older 1', 'older 3', 'live 1'], 'the removal event removed the user\'s messages');
  await unmount('viewer');
  await unmount('sender');
  assert.deepEqual(problems, [], 'no React warning, no console error');
});
