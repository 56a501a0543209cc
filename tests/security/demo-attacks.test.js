// @ts-check
// The web demo's server under the attacks of the security review (issue 14), each family
// replayed over loopback: privilege escalation to moderator, identity spoofing and collision,
// token-minting floods, DNS rebinding, path traversal, and the transport headers (compression,
// referrer, opener). Raw node:http requests, because fetch would normalise the very paths and
// Host headers under test.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import {
  chooseEncoding,
  decideRole,
  IDENTITY_HEADER,
  MODERATOR_CODE_HEADER,
  moderatorAccess,
  normalisePath,
  startDemo,
} from '../../web-demo/server.js';
import { SOON_MS, TestSocket } from '../local/helpers.js';

const CODE = 'correct horse battery staple';

/**
 * One HTTP exchange with exactly the given path and headers.
 * @param {string} baseUrl
 * @param {{ method?: string, path?: string, headers?: Record<string, string>, body?: string }} [options]
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: Buffer, json: () => any }>}
 */
function exchange(baseUrl, { method = 'GET', path = '/', headers = {}, body } = {}) {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers, timeout: SOON_MS }, (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes, json: () => JSON.parse(bytes.toString('utf8')) });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within ${SOON_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A visitor: the cookie the demo set, and the identity /api/config gave this page load.
 * @param {string} baseUrl
 */
async function visit(baseUrl) {
  const config = await exchange(baseUrl, { path: '/api/config' });
  assert.equal(config.status, 200);
  const setCookie = config.headers['set-cookie']?.[0] ?? '';
  const cookie = setCookie.split(';')[0];
  return { cookie, setCookie, config: config.json() };
}

/**
 * POST /api/chat-token as the page would (same origin), with what it asks for.
 * @param {string} baseUrl
 * @param {{ cookie?: string, ticket?: string, code?: string, capabilities?: string[], userId?: string, displayName?: string, roomArn?: string }} ask
 */
function askToken(baseUrl, { cookie, ticket, code, capabilities = ['SEND_MESSAGE'], userId = 'anything', displayName = 'Sam', roomArn = 'arn:aws:ivschat:us-east-1:123456789012:room/whatever' }) {
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json', origin: baseUrl.replace(/\/$/, '') };
  if (cookie) headers.cookie = cookie;
  if (ticket) headers[IDENTITY_HEADER] = ticket;
  if (code !== undefined) headers[MODERATOR_CODE_HEADER] = code;
  return exchange(baseUrl, {
    method: 'POST',
    path: '/api/chat-token',
    headers,
    body: JSON.stringify({ roomIdentifier: roomArn, userId, capabilities, attributes: { displayName, color: '#123456' } }),
  });
}

const MODERATOR = ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'];

describe('demo server', () => {
  /** @type {Awaited<ReturnType<typeof startDemo>>} */
  let demo;
  /** @type {Awaited<ReturnType<typeof startDemo>>} */
  let openDemo;
  /** @type {TestSocket[]} */
  const sockets = [];
  before(async () => {
    demo = await startDemo({ env: { IVSCHAT_DEMO_MODERATOR_CODE: CODE, IVSCHAT_DEMO_HOST: 'chat.example.test' }, rateLimits: { session: { perMinute: 60, burst: 50 }, address: { perMinute: 600, burst: 500 } } });
    openDemo = await startDemo({ env: {} });
  });
  after(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await demo?.close();
    await openDemo?.close();
  });

  /**
   * A visitor with a token, connected to the demo's local server.
   * @param {string} displayName
   * @param {{ code?: string, capabilities?: string[] }} [ask]
   */
  async function connectedVisitor(displayName, { code, capabilities = ['SEND_MESSAGE'] } = {}) {
    const visitor = await visit(demo.url);
    const answer = await askToken(demo.url, { cookie: visitor.cookie, ticket: visitor.config.identity.ticket, code, capabilities, displayName });
    assert.equal(answer.status, 200, answer.body.toString());
    const socket = await TestSocket.open(/** @type {NonNullable<typeof demo.local>} */ (demo.local).messagingUrl, answer.json().token);
    sockets.push(socket);
    return { ...visitor, socket, userId: visitor.config.identity.userId };
  }

  test('privilege escalation: moderator only with the operator code (role decision, every mode)', () => {
    // startDemo in AWS mode would call AWS: the decision it uses is tested directly.
    assert.deepEqual(decideRole({ asked: 'moderator', mode: 'aws' }), { refused: 'Moderators are not enabled on this demo: its operator has not set IVSCHAT_DEMO_MODERATOR_CODE.' });
    assert.ok('refused' in decideRole({ asked: 'moderator', mode: 'aws', givenCode: '' }), 'AWS, no code configured: nobody, even with an empty code');
    assert.ok('refused' in decideRole({ asked: 'moderator', mode: 'aws', givenCode: 'anything' }));
    assert.ok('refused' in decideRole({ asked: 'moderator', mode: 'aws', configuredCode: CODE }), 'no code given');
    assert.ok('refused' in decideRole({ asked: 'moderator', mode: 'aws', configuredCode: CODE, givenCode: `${CODE} ` }), 'a near miss');
    assert.ok('refused' in decideRole({ asked: 'moderator', mode: 'aws', configuredCode: CODE, givenCode: CODE.slice(0, -1) }), 'a prefix');
    assert.deepEqual(decideRole({ asked: 'moderator', mode: 'aws', configuredCode: CODE, givenCode: CODE }), { role: 'moderator' });
    assert.ok('refused' in decideRole({ asked: 'moderator', mode: 'local', configuredCode: CODE, givenCode: 'guess' }), 'a configured code holds locally too');
    assert.deepEqual(decideRole({ asked: 'moderator', mode: 'local' }), { role: 'moderator' }, 'local server, no code configured: open');
    for (const mode of /** @type {const} */ (['aws', 'local'])) {
      assert.deepEqual(decideRole({ asked: 'chatter', mode }), { role: 'chatter' });
      assert.deepEqual(decideRole({ asked: 'viewer', mode, configuredCode: CODE }), { role: 'viewer' });
    }
    assert.equal(moderatorAccess('aws', undefined), 'off');
    assert.equal(moderatorAccess('local', undefined), 'open');
    assert.equal(moderatorAccess('aws', CODE), 'code');
    assert.equal(openDemo.moderators, 'open');
    assert.equal(demo.moderators, 'code');
  });

  test('privilege escalation: an anonymous caller asking for DISCONNECT_USER gets no kicking token', async () => {
    const visitor = await visit(demo.url);
    const ticket = visitor.config.identity.ticket;
    for (const code of [undefined, '', 'guess', CODE.toUpperCase()]) {
      const answer = await askToken(demo.url, { cookie: visitor.cookie, ticket, code, capabilities: MODERATOR });
      assert.equal(answer.status, 403, `code ${JSON.stringify(code)}`);
      assert.equal(answer.headers['x-amzn-errortype'], 'AccessDeniedException');
      assert.equal(answer.json().message, 'That moderator code is not right.');
    }
    // Without the demo's session there is no token at all, whatever is asked.
    const anonymous = await askToken(demo.url, { capabilities: MODERATOR, code: CODE });
    assert.equal(anonymous.status, 401);

    // A chatter's token really cannot kick; the moderator's (with the code) can.
    const victim = await connectedVisitor('Victim');
    // Asking for part of the moderator's set (no DISCONNECT_USER) is a chatter's request.
    const chatter = await connectedVisitor('Mallory', { capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'] });
    chatter.socket.send({ Action: 'DISCONNECT_USER', RequestId: 'kick-1', UserId: victim.userId, Reason: 'x' });
    const refused = await chatter.socket.frame((f) => f?.Type === 'ERROR' && f.RequestId === 'kick-1', 'the refusal');
    assert.equal(refused.ErrorCode, 403);
    const moderator = await connectedVisitor('Mod', { code: CODE, capabilities: MODERATOR });
    moderator.socket.send({ Action: 'DISCONNECT_USER', RequestId: 'kick-2', UserId: victim.userId, Reason: 'x' });
    await victim.socket.closedWithin();
  });

  test('identity spoofing: the userId the browser sends is ignored; forged cookies and tickets are refused', async () => {
    const mallory = await visit(demo.url);
    const answer = await askToken(demo.url, { cookie: mallory.cookie, ticket: mallory.config.identity.ticket, userId: 'admin', displayName: 'admin' });
    assert.equal(answer.status, 200);
    const socket = await TestSocket.open(/** @type {NonNullable<typeof demo.local>} */ (demo.local).messagingUrl, answer.json().token);
    sockets.push(socket);
    socket.send({ Action: 'SEND_MESSAGE', RequestId: 'who', Content: 'hi' });
    const echo = await socket.frame((f) => f?.Type === 'MESSAGE' && f.RequestId === 'who', 'the echo');
    assert.equal(echo.Sender.UserId, mallory.config.identity.userId, 'the server chose the userId');
    assert.notEqual(echo.Sender.UserId, 'admin');
    assert.match(echo.Sender.UserId, /^u-[A-Za-z0-9_-]{12}$/);
    assert.deepEqual(echo.Sender.Attributes, { displayName: 'admin', color: '#123456' }, 'the typed name is only an attribute');

    const other = await visit(demo.url);
    const [userId, mac] = mallory.config.identity.ticket.split('.');
    const attempts = {
      'a ticket with another userId': { cookie: mallory.cookie, ticket: `${other.config.identity.userId}.${mac}` },
      "another session's ticket": { cookie: mallory.cookie, ticket: other.config.identity.ticket },
      'no ticket': { cookie: mallory.cookie },
      'a made-up cookie': { cookie: `ivschat_demo_session=${'A'.repeat(22)}.${mac}`, ticket: mallory.config.identity.ticket },
      'no cookie': { ticket: mallory.config.identity.ticket },
      'a ticket with a chosen userId': { cookie: mallory.cookie, ticket: `u-adminadminadm.${mac}` },
    };
    for (const [what, ask] of Object.entries(attempts)) {
      const refused = await askToken(demo.url, ask);
      assert.equal(refused.status, 401, what);
      assert.equal(refused.headers['x-amzn-errortype'], 'UnauthorizedException', what);
    }
    assert.equal(userId, mallory.config.identity.userId);
  });

  test('identity collision: two visitors with the same display name are two users; kicking one leaves the other', async () => {
    const first = await connectedVisitor('Sam');
    const second = await connectedVisitor('Sam');
    assert.notEqual(first.userId, second.userId);
    const moderator = await connectedVisitor('Mod', { code: CODE, capabilities: MODERATOR });
    moderator.socket.send({ Action: 'DISCONNECT_USER', RequestId: 'kick', UserId: first.userId, Reason: 'spam' });
    await first.socket.closedWithin();
    second.socket.send({ Action: 'SEND_MESSAGE', RequestId: 'still', Content: 'still here' });
    await second.socket.reply('still');
  });

  test('session cookie: HttpOnly, SameSite=Strict, issued by the page and the config, not re-issued when valid', async () => {
    const page = await exchange(demo.url, { path: '/' });
    const setCookie = page.headers['set-cookie']?.[0] ?? '';
    assert.match(setCookie, /^ivschat_demo_session=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const again = await exchange(demo.url, { path: '/api/config', headers: { cookie: setCookie.split(';')[0] } });
    assert.equal(again.headers['set-cookie'], undefined);
    assert.equal(again.headers['cache-control'], 'no-store');
  });

  test('token-minting flood: 429 ThrottlingException after the burst, per session and per address, before the handler', async () => {
    const limited = await startDemo({ env: {}, rateLimits: { session: { perMinute: 10, burst: 5 }, address: { perMinute: 10, burst: 8 } } });
    try {
      const local = /** @type {NonNullable<typeof limited.local>} */ (limited.local);
      const visitor = await visit(limited.url);
      const ask = () => askToken(limited.url, { cookie: visitor.cookie, ticket: visitor.config.identity.ticket, roomArn: limited.roomArn });
      for (let i = 0; i < 5; i += 1) assert.equal((await ask()).status, 200, `request ${i + 1} of the burst`);
      const callsBefore = local.stats().createChatTokenCalls;
      const throttled = await ask();
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers['x-amzn-errortype'], 'ThrottlingException');
      assert.equal(throttled.headers['content-type'], 'application/json');
      assert.match(throttled.json().message, /^Too many chat token requests: try again in \d+ s\.$/);
      assert.ok(Number(throttled.headers['retry-after']) >= 1);
      assert.equal(local.stats().createChatTokenCalls, callsBefore, 'a throttled request never reaches IVS');

      // New sessions do not get around it: the address has its own bucket (8; the 5 above used
      // it, the throttled one did not).
      const statuses = [];
      for (let i = 0; i < 4; i += 1) {
        const fresh = await visit(limited.url);
        statuses.push((await askToken(limited.url, { cookie: fresh.cookie, ticket: fresh.config.identity.ticket, roomArn: limited.roomArn })).status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      // Neither do requests without a session (they count against the address too).
      assert.equal((await askToken(limited.url, {})).status, 429);
    } finally {
      await limited.close();
    }
  });

  test('DNS rebinding: a foreign Host is refused on every route; loopback and IVSCHAT_DEMO_HOST are served', async () => {
    const port = new URL(demo.url).port;
    const routes = [
      { path: '/' },
      { path: '/app.js' },
      { path: '/api/config' },
      { path: '/ivschat-wasm/dist/ivschat-client.wasm' },
      { path: '/api/chat-token', method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } },
      { path: '/api/chat-token', method: 'OPTIONS' },
      { path: '/no-such-file' },
    ];
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`, `localhost.evil.example:${port}`, `chat.example.test.evil:${port}`]) {
      for (const route of routes) {
        const answer = await exchange(demo.url, { ...route, headers: { ...route.headers, host } });
        assert.equal(answer.status, 421, `${route.method ?? 'GET'} ${route.path} with Host ${JSON.stringify(host)}`);
        assert.match(answer.body.toString(), /^Misdirected request/);
        assert.equal(answer.headers['set-cookie'], undefined, 'no session for a rebinding page');
      }
    }
    // No Host at all (HTTP/1.0) is no better.
    const bare = await new Promise((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
      socket.on('close', () => resolve(answer));
      socket.on('error', () => resolve(answer));
      socket.end('GET / HTTP/1.0\r\n\r\n');
    });
    assert.match(String(bare), /^HTTP\/1\.1 421 /);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, `chat.example.test:${port}`, 'chat.example.test']) {
      assert.equal((await exchange(demo.url, { path: '/', headers: { host } })).status, 200, host);
    }
    await assert.rejects(startDemo({ env: { IVSCHAT_DEMO_HOST: 'https://chat.example.test/' } }), /IVSCHAT_DEMO_HOST/);
  });

  test('path traversal: double slashes, dot segments, escapes and backslashes never reach js/local, js/backend or other files', async () => {
    const refused = [
      '/ivschat-wasm/js//local/index.js',
      '/ivschat-wasm//js/local/index.js',
      '/ivschat-wasm/js///local//index.js',
      '/ivschat-wasm/js/./local/index.js',
      '/ivschat-wasm/js/entry/../local/index.js',
      '/ivschat-wasm/js/entry/%2e%2e/local/index.js',
      '/ivschat-wasm/js/%2e/local/index.js',
      '/ivschat-wasm/js/%6cocal/index.js',
      '/ivschat-wasm/js/loc%61l/faults.js',
      '/ivschat-wasm/js%2flocal/index.js',
      '/ivschat-wasm/js%2Flocal%2Findex.js',
      '/ivschat-wasm/js%5clocal%5cindex.js',
      '/ivschat-wasm\\js\\local\\index.js',
      '/ivschat-wasm/js/local%00/index.js',
      '/ivschat-wasm/js/entry/%252e%252e/local/index.js',
      '/ivschat-wasm/js/backend/handler.js',
      '/ivschat-wasm/js//backend/handler.js',
      '/ivschat-wasm/js/chat/../backend/sign.js',
      '/ivschat-wasm/package.json',
      '/ivschat-wasm/js/../package.json',
      '/ivschat-wasm/../package.json',
      '/../package.json',
      '/..%2fpackage.json',
      '/%2e%2e/package.json',
      '/server.js',
      '/./server.js',
      '/web-demo/server.js',
      '/ivschat-wasm/web-demo/server.js',
      '/ivschat-wasm/dist/../js/local/index.js',
      '/ivschat-wasm/js/%',
      '/ivschat-wasm/js/%zz',
      '//etc/passwd',
      '/ivschat-wasm/js/local/index.js?x=/ivschat-wasm/js/api.js',
    ];
    for (const path of refused) {
      const answer = await exchange(demo.url, { path });
      assert.equal(answer.status, 404, path);
      assert.doesNotMatch(answer.body.toString(), /import|export/, `${path}: no source in the answer`);
    }
    // The files the page needs are still there, also under harmless spellings.
    for (const path of ['/', '/index.html', '/app.js', '/ivschat-wasm/js/entry/browser.js', '/ivschat-wasm/js/./entry/browser.js', '/ivschat-wasm/js/entry//browser.js', '/ivschat-wasm/dist/ivschat-client.wasm']) {
      assert.equal((await exchange(demo.url, { path })).status, 200, path);
    }
    assert.equal(normalisePath('/a//b/./c/../d'), '/a/b/d');
    assert.equal(normalisePath('/a/%2e%2e/b'), '/b');
    assert.equal(normalisePath('/%2e%2e/b'), undefined);
    assert.equal(normalisePath('/a%2fb'), undefined);
    assert.equal(normalisePath('/a%00'), undefined);
    assert.equal(normalisePath('/a%252fb'), '/a%2fb', 'decoded once: a literal %2f, not a separator');
    assert.equal(normalisePath('http://evil/x'), undefined);
  });

  test('transport: page, assets and wasm compressed (br, gzip) with Vary, Referrer-Policy, COOP, CSP and nosniff', async () => {
    const files = {
      '/': new URL('../../web-demo/index.html', import.meta.url),
      '/app.js': new URL('../../web-demo/app.js', import.meta.url),
      '/style.css': new URL('../../web-demo/style.css', import.meta.url),
      '/ivschat-wasm/js/entry/browser.js': new URL('../../js/entry/browser.js', import.meta.url),
      '/ivschat-wasm/dist/ivschat-client.wasm': new URL('../../dist/ivschat-client.wasm', import.meta.url),
    };
    for (const [path, file] of Object.entries(files)) {
      const original = await readFile(file);
      for (const [accept, encoding, decode] of /** @type {const} */ ([
        ['gzip, deflate, br', 'br', brotliDecompressSync],
        ['br;q=1, gzip;q=0.5', 'br', brotliDecompressSync],
        ['gzip', 'gzip', gunzipSync],
        ['br;q=0, gzip', 'gzip', gunzipSync],
        ['', undefined, (/** @type {Buffer} */ b) => b],
        ['identity', undefined, (/** @type {Buffer} */ b) => b],
      ])) {
        const answer = await exchange(demo.url, { path, headers: { 'accept-encoding': accept } });
        const what = `${path} with Accept-Encoding ${JSON.stringify(accept)}`;
        assert.equal(answer.status, 200, what);
        assert.equal(answer.headers['content-encoding'], encoding, what);
        assert.equal(answer.headers.vary, 'Accept-Encoding', what);
        assert.equal(Number(answer.headers['content-length']), answer.body.length, what);
        assert.ok(decode(answer.body).equals(original), `${what}: decodes to the file`);
        if (encoding) assert.ok(answer.body.length < original.length, `${what}: smaller`);
        assert.equal(answer.headers['referrer-policy'], 'no-referrer', what);
        assert.equal(answer.headers['cross-origin-opener-policy'], 'same-origin', what);
        assert.equal(answer.headers['x-content-type-options'], 'nosniff', what);
      }
    }
    const page = await exchange(demo.url, { path: '/', headers: { 'accept-encoding': 'br' } });
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'; script-src 'self' 'wasm-unsafe-eval'.*frame-ancestors 'none'/);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    const wasm = await exchange(demo.url, { path: '/ivschat-wasm/dist/ivschat-client.wasm', headers: { 'accept-encoding': 'br' } });
    assert.equal(wasm.headers['content-type'], 'application/wasm');
    const head = await exchange(demo.url, { method: 'HEAD', path: '/app.js', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(head.headers['content-encoding'], 'gzip');
    assert.equal(head.body.length, 0);
    // The API answers carry the same policy headers.
    const token = await askToken(demo.url, {});
    assert.equal(token.headers['referrer-policy'], 'no-referrer');
    assert.equal(token.headers['x-content-type-options'], 'nosniff');
    assert.equal(chooseEncoding('*'), 'br');
    assert.equal(chooseEncoding('*, br;q=0'), 'gzip');
    assert.equal(chooseEncoding('gzip;q=0, br;q=0'), 'identity');
    assert.equal(chooseEncoding(undefined), 'identity');
  });
});
