// @ts-check
// The web demo's server under the attacks of the security review (issue 14), each family
// replayed over loopback: privilege escalation to moderator, identity spoofing and collision,
// token-minting floods, DNS rebinding, path traversal, and the transport headers (compression,
// referrer, opener); and the moderator's ban (issue 15): who may call /api/ban, what a ban does,
// its floods and failures. Raw node:http requests, because fetch would normalise the very paths
// and Host headers under test.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import {
  BAN_REASON,
  BANNED_ERROR_TYPE,
  chooseEncoding,
  decideBan,
  decideRole,
  DELETE_USER_MESSAGES,
  IDENTITY_HEADER,
  MODERATOR_CODE_HEADER,
  moderatorAccess,
  normalisePath,
  reviewMessage,
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

/**
 * POST /api/ban as the page would (same origin), with the page's ticket and moderator code.
 * @param {string} baseUrl
 * @param {{ cookie?: string, ticket?: string, code?: string, userId?: string, body?: string, headers?: Record<string, string> }} ask
 */
function askBan(baseUrl, { cookie, ticket, code, userId = 'u-AAAAAAAAAAAA', body, headers: extra = {} }) {
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json', origin: baseUrl.replace(/\/$/, '') };
  if (cookie) headers.cookie = cookie;
  if (ticket) headers[IDENTITY_HEADER] = ticket;
  if (code !== undefined) headers[MODERATOR_CODE_HEADER] = code;
  return exchange(baseUrl, { method: 'POST', path: '/api/ban', headers: { ...headers, ...extra }, body: body ?? JSON.stringify({ userId }) });
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
   * @param {{ code?: string, capabilities?: string[], on?: typeof demo }} [ask]
   */
  async function connectedVisitor(displayName, { code, capabilities = ['SEND_MESSAGE'], on = demo } = {}) {
    const visitor = await visit(on.url);
    const answer = await askToken(on.url, { cookie: visitor.cookie, ticket: visitor.config.identity.ticket, code, capabilities, displayName });
    assert.equal(answer.status, 200, answer.body.toString());
    const socket = await TestSocket.open(/** @type {NonNullable<typeof on.local>} */ (on.local).messagingUrl, answer.json().token);
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

  test('session cookie: HttpOnly, SameSite=Strict, with an expiry, issued by the page and the config, not re-issued when valid', async () => {
    const page = await exchange(demo.url, { path: '/' });
    const setCookie = page.headers['set-cookie']?.[0] ?? '';
    assert.match(setCookie, /^ivschat_demo_session=[A-Za-z0-9_-]{22}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
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
      { path: '/api/ban', method: 'POST', body: '{"userId":"u-AAAAAAAAAAAA"}', headers: { 'content-type': 'application/json' } },
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

  test('ban, privilege escalation: /api/ban checks the caller as for a moderator token (401 without session or ticket, 403 for a chatter or a wrong code), before anything reaches IVS', async () => {
    const local = /** @type {NonNullable<typeof demo.local>} */ (demo.local);
    const victim = await connectedVisitor('Victim');
    const caller = await visit(demo.url);
    const other = await visit(demo.url);
    const ticket = caller.config.identity.ticket;
    const callsBefore = local.stats().controlPlaneRequests;
    const unidentified = {
      'no cookie, no ticket': {},
      'no ticket': { cookie: caller.cookie },
      'no cookie': { ticket },
      "another session's ticket": { cookie: caller.cookie, ticket: other.config.identity.ticket },
      'a ticket with a chosen userId': { cookie: caller.cookie, ticket: `u-adminadminadm.${ticket.split('.')[1]}` },
      'a made-up cookie': { cookie: `ivschat_demo_session=${'A'.repeat(22)}.${ticket.split('.')[1]}`, ticket },
    };
    for (const [what, ask] of Object.entries(unidentified)) {
      const answer = await askBan(demo.url, { ...ask, code: CODE, userId: victim.userId });
      assert.equal(answer.status, 401, what);
      assert.equal(answer.headers['x-amzn-errortype'], 'UnauthorizedException', what);
      assert.equal(answer.headers['content-type'], 'application/json', what);
      assert.match(answer.json().message, /reload the page/, what);
    }
    // A chatter (no code) and every wrong code: 403, as for a moderator token.
    for (const code of [undefined, '', 'guess', CODE.toUpperCase(), `${CODE}!`]) {
      const answer = await askBan(demo.url, { cookie: caller.cookie, ticket, code, userId: victim.userId });
      assert.equal(answer.status, 403, `code ${JSON.stringify(code)}`);
      assert.equal(answer.headers['x-amzn-errortype'], 'AccessDeniedException');
      assert.equal(answer.json().message, 'That moderator code is not right.');
    }
    // A page of another site cannot ban with a visitor's cookie.
    const foreign = await askBan(demo.url, { cookie: caller.cookie, ticket, code: CODE, userId: victim.userId, headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    assert.equal(local.stats().controlPlaneRequests, callsBefore, 'no refused ban reached IVS');
    victim.socket.send({ Action: 'SEND_MESSAGE', RequestId: 'still', Content: 'still here' });
    assert.equal((await victim.socket.reply('still')).Type, 'MESSAGE', 'the victim was not disconnected');
    // Without the code the token gets no moderator role either: the same decision.
    assert.equal((await askToken(demo.url, { cookie: caller.cookie, ticket, capabilities: MODERATOR })).status, 403);
  });

  test('ban, privilege escalation: the decision in every mode (AWS without a code: nobody bans)', () => {
    const caller = { session: 'S'.repeat(22), userId: 'u-AAAAAAAAAAAA' };
    const notEnabled = 'Moderators are not enabled on this demo: its operator has not set IVSCHAT_DEMO_MODERATOR_CODE.';
    // startDemo in AWS mode would call AWS: the decision /api/ban uses is tested directly.
    assert.deepEqual(decideBan({ caller, sessionBanned: false, mode: 'aws' }), { status: 403, message: notEnabled });
    for (const givenCode of ['', 'anything', CODE]) {
      assert.deepEqual(decideBan({ caller, sessionBanned: false, mode: 'aws', givenCode }), { status: 403, message: notEnabled }, `AWS, no code configured, given ${JSON.stringify(givenCode)}`);
    }
    assert.equal(/** @type {{ status: number }} */ (decideBan({ caller, sessionBanned: false, mode: 'aws', configuredCode: CODE })).status, 403, 'AWS, no code given');
    assert.equal(/** @type {{ status: number }} */ (decideBan({ caller, sessionBanned: false, mode: 'aws', configuredCode: CODE, givenCode: CODE.slice(0, -1) })).status, 403, 'a prefix');
    assert.deepEqual(decideBan({ caller, sessionBanned: false, mode: 'aws', configuredCode: CODE, givenCode: CODE }), caller);
    assert.equal(/** @type {{ status: number }} */ (decideBan({ caller, sessionBanned: false, mode: 'local', configuredCode: CODE, givenCode: 'guess' })).status, 403, 'a configured code holds locally too');
    assert.deepEqual(decideBan({ caller, sessionBanned: false, mode: 'local' }), caller, 'local server, no code configured: open');
    // No identity: 401 before anything else; a banned session: 403, even with the right code.
    assert.deepEqual(decideBan({ caller: { refused: 'no session' }, sessionBanned: false, mode: 'local' }), { status: 401, message: 'no session' });
    assert.equal(/** @type {{ errorType?: string }} */ (decideBan({ caller, sessionBanned: true, mode: 'aws', configuredCode: CODE, givenCode: CODE })).errorType, BANNED_ERROR_TYPE);
    // The role decision is the token's own.
    assert.deepEqual(decideRole({ asked: 'moderator', mode: 'aws' }), { refused: notEnabled });
  });

  test('ban: a moderator bans a visitor: 204, disconnected, every page told to remove their messages, their browser gets no token again', async () => {
    const victim = await connectedVisitor('Spammer');
    const witness = await connectedVisitor('Witness');
    const moderator = await visit(demo.url);
    victim.socket.send({ Action: 'SEND_MESSAGE', RequestId: 'spam', Content: 'spam spam' });
    await witness.socket.frame((f) => f.Type === 'MESSAGE' && f.Content === 'spam spam', 'the spam');

    const banned = await askBan(demo.url, { cookie: moderator.cookie, ticket: moderator.config.identity.ticket, code: CODE, userId: victim.userId });
    assert.equal(banned.status, 204, banned.body.toString());
    assert.equal(banned.body.length, 0);
    assert.equal(banned.headers['cache-control'], 'no-store');
    await victim.socket.closedWithin();
    const kick = await witness.socket.frame((f) => f.Type === 'EVENT' && f.EventName === 'aws:DISCONNECT_USER', 'the disconnect');
    assert.deepEqual([kick.Attributes.UserId, kick.Attributes.Reason], [victim.userId, BAN_REASON]);
    const removal = await witness.socket.frame((f) => f.Type === 'EVENT' && f.EventName === DELETE_USER_MESSAGES, 'the removal event');
    assert.deepEqual(removal.Attributes, { userId: victim.userId });
    assert.ok(witness.socket.frames.indexOf(kick) < witness.socket.frames.indexOf(removal), 'disconnected first, so nothing sent after the ban is left');

    // The banned browser session: no token for this page, nor for a new page load, whatever role.
    const reload = await exchange(demo.url, { path: '/api/config', headers: { cookie: victim.cookie } });
    assert.notEqual(reload.json().identity.userId, victim.userId, 'a reload is a new page identity in the same session');
    for (const [what, ticket] of [['the same page', victim.config.identity.ticket], ['a reload', reload.json().identity.ticket]]) {
      for (const [capabilities, code] of /** @type {const} */ ([[['SEND_MESSAGE'], undefined], [[], undefined], [MODERATOR, CODE]])) {
        const refused = await askToken(demo.url, { cookie: victim.cookie, ticket, capabilities: [...capabilities], code });
        assert.equal(refused.status, 403, `${what}, ${capabilities.length} capabilities`);
        assert.equal(refused.headers['x-amzn-errortype'], BANNED_ERROR_TYPE);
        assert.equal(refused.json().message, 'A moderator banned this browser from the chat: it cannot join again.');
      }
    }
    // Nor may it ban anyone.
    const revenge = await askBan(demo.url, { cookie: victim.cookie, ticket: victim.config.identity.ticket, code: CODE, userId: moderator.config.identity.userId });
    assert.equal(revenge.status, 403);
    assert.equal(revenge.headers['x-amzn-errortype'], BANNED_ERROR_TYPE);
    // The witness and everyone else are untouched; a new browser session is someone new.
    witness.socket.send({ Action: 'SEND_MESSAGE', RequestId: 'after', Content: 'after the ban' });
    assert.equal((await witness.socket.reply('after')).Type, 'MESSAGE');
    await connectedVisitor('Newcomer');

    // On the local server without a code, moderating (so banning) is open: no code header needed.
    const openVictim = await connectedVisitor('Victim', { on: openDemo });
    const openModerator = await visit(openDemo.url);
    assert.equal((await askBan(openDemo.url, { cookie: openModerator.cookie, ticket: openModerator.config.identity.ticket, userId: openVictim.userId })).status, 204);
    await openVictim.socket.closedWithin();
  });

  test('ban: malformed requests are refused (405, 415, 413, 400), and nobody bans themselves', async () => {
    const moderator = await connectedVisitor('Mod', { code: CODE, capabilities: MODERATOR });
    const ask = { cookie: moderator.cookie, ticket: moderator.config.identity.ticket, code: CODE };
    const local = /** @type {NonNullable<typeof demo.local>} */ (demo.local);
    const callsBefore = local.stats().controlPlaneRequests;
    const get = await exchange(demo.url, { path: '/api/ban', headers: { cookie: moderator.cookie } });
    assert.deepEqual([get.status, get.headers.allow, get.headers['x-amzn-errortype']], [405, 'POST', 'MethodNotAllowedException']);
    const cases = [
      ['text/plain', { headers: { 'content-type': 'text/plain' } }, 415, 'UnsupportedMediaTypeException'],
      ['a large body', { body: JSON.stringify({ userId: 'u-AAAAAAAAAAAA', padding: 'x'.repeat(5000) }) }, 413, 'PayloadTooLargeException'],
      ['not JSON', { body: '{userId:' }, 400, 'SerializationException'],
      ['an array', { body: '[]' }, 400, 'SerializationException'],
      ['no userId', { body: '{}' }, 400, 'ValidationException'],
      ['a userId the demo never gives', { userId: 'admin' }, 400, 'ValidationException'],
      ['a userId with a newline', { userId: 'u-AAAAAAAAAAA\n' }, 400, 'ValidationException'],
      ['yourself', { userId: moderator.userId }, 400, 'ValidationException'],
    ];
    for (const [what, extra, status, errorType] of /** @type {Array<[string, Parameters<typeof askBan>[1], number, string]>} */ (cases)) {
      const answer = await askBan(demo.url, { ...ask, ...extra });
      assert.equal(answer.status, status, what);
      assert.equal(answer.headers['x-amzn-errortype'], errorType, what);
      assert.equal(typeof answer.json().message, 'string', what);
    }
    assert.equal(local.stats().controlPlaneRequests, callsBefore, 'nothing malformed reached IVS');
    // Another page of the moderator's own browser is the moderator too: not bannable by them.
    const secondTab = await exchange(demo.url, { path: '/api/config', headers: { cookie: moderator.cookie } });
    const tab = secondTab.json().identity;
    assert.equal((await askToken(demo.url, { cookie: moderator.cookie, ticket: tab.ticket })).status, 200);
    assert.equal((await askBan(demo.url, { ...ask, userId: tab.userId })).status, 400);
    moderator.socket.send({ Action: 'SEND_MESSAGE', RequestId: 'alive', Content: 'still moderating' });
    assert.equal((await moderator.socket.reply('alive')).Type, 'MESSAGE');
  });

  test('ban flood: 429 after the burst, sharing the token buckets, before the code is even checked', async () => {
    const limited = await startDemo({ env: { IVSCHAT_DEMO_MODERATOR_CODE: CODE }, rateLimits: { session: { perMinute: 10, burst: 5 }, address: { perMinute: 10, burst: 8 } } });
    try {
      const local = /** @type {NonNullable<typeof limited.local>} */ (limited.local);
      const guesser = await visit(limited.url);
      const ask = (/** @type {string} */ code) => askBan(limited.url, { cookie: guesser.cookie, ticket: guesser.config.identity.ticket, code });
      for (let i = 0; i < 5; i += 1) assert.equal((await ask(`guess ${i}`)).status, 403, `guess ${i + 1} of the burst`);
      const callsBefore = local.stats().controlPlaneRequests;
      const throttled = await ask(CODE);
      assert.equal(throttled.status, 429, 'past the burst even the right code waits: no faster guessing through /api/ban');
      assert.equal(throttled.headers['x-amzn-errortype'], 'ThrottlingException');
      assert.equal(throttled.headers['content-type'], 'application/json');
      assert.match(throttled.json().message, /^Too many ban requests: try again in \d+ s\.$/);
      assert.ok(Number(throttled.headers['retry-after']) >= 1);
      assert.equal(local.stats().controlPlaneRequests, callsBefore, 'a throttled ban never reaches IVS');
      // The same buckets as token minting: this session gets no token now either.
      assert.equal((await askToken(limited.url, { cookie: guesser.cookie, ticket: guesser.config.identity.ticket })).status, 429);
      // New sessions share the address's bucket (8: the 5 above used it).
      const statuses = [];
      for (let i = 0; i < 4; i += 1) {
        const fresh = await visit(limited.url);
        statuses.push((await askBan(limited.url, { cookie: fresh.cookie, ticket: fresh.config.identity.ticket, code: 'guess' })).status);
      }
      assert.deepEqual(statuses, [403, 403, 403, 429]);
      assert.equal((await askBan(limited.url, {})).status, 429, 'requests without a session count against the address too');
    } finally {
      await limited.close();
    }
  });

  test('ban: IVS failing answers 502 (and the session stays banned)', async () => {
    /** @type {typeof fetch} */
    const failingFetch = (input, init) => (String(input).endsWith('/DisconnectUser')
      ? Promise.resolve(new Response('{"message":"User: arn:aws:iam::123456789012:user/x is not authorized"}', { status: 403, headers: { 'x-amzn-errortype': 'AccessDeniedException' } }))
      : fetch(input, init));
    const failing = await startDemo({ env: {}, fetch: failingFetch });
    try {
      const victim = await visit(failing.url);
      assert.equal((await askToken(failing.url, { cookie: victim.cookie, ticket: victim.config.identity.ticket })).status, 200);
      const moderator = await visit(failing.url);
      const answer = await askBan(failing.url, { cookie: moderator.cookie, ticket: moderator.config.identity.ticket, userId: victim.config.identity.userId });
      assert.equal(answer.status, 502);
      assert.equal(answer.headers['x-amzn-errortype'], 'BadGatewayException');
      assert.equal(answer.json().message, 'The session is banned, but IVS Chat did not disconnect the user (AccessDeniedException). Try again.');
      assert.doesNotMatch(answer.body.toString(), /arn:aws:iam|123456789012/, "IVS's own message is not passed on");
      assert.equal((await askToken(failing.url, { cookie: victim.cookie, ticket: victim.config.identity.ticket })).status, 403);
    } finally {
      await failing.close();
    }
  });

  test('word filter: mild words starred as whole words in any case; spam refused with a reason, also in disguise', () => {
    assert.deepEqual(reviewMessage({ content: 'Darn, HECK! darned heckle', attributes: { a: 'b' } }), { allow: true, content: '****, ****! darned heckle', attributes: { a: 'b' } });
    assert.deepEqual(reviewMessage({ content: 'hello', attributes: {} }), { allow: true, content: 'hello', attributes: {} });
    for (const content of ['BUY NOW!!', 'free\n money', 'ｆｒｅｅ ｍｏｎｅｙ', 'a crypto   giveaway']) {
      const decision = reviewMessage({ content, attributes: {} });
      assert.equal(decision.allow, false, content);
      assert.match(decision.reason ?? '', /looks like spam, which this room does not allow\.$/, content);
    }
    assert.equal(reviewMessage({ content: 'freemoney buynow', attributes: {} }).allow, true, 'whole phrases only');
  });

  test('path traversal: double slashes, dot segments, escapes and backslashes never reach js/local, js/backend or other files', async () => {
    const refused = [
      '/ivschat-wasm/js//local/index.js',
      '/ivschat-wasm//js/local/index.js',
      '/ivschat-wasm/js///local//index.js',
      '/ivschat-wasm/js/./local/index.js',
      '/ivschat-wasm/js/wasm-source/../local/index.js',
      '/ivschat-wasm/js/wasm-source/%2e%2e/local/index.js',
      '/ivschat-wasm/js/%2e/local/index.js',
      '/ivschat-wasm/js/%6cocal/index.js',
      '/ivschat-wasm/js/loc%61l/faults.js',
      '/ivschat-wasm/js%2flocal/index.js',
      '/ivschat-wasm/js%2Flocal%2Findex.js',
      '/ivschat-wasm/js%5clocal%5cindex.js',
      '/ivschat-wasm\\js\\local\\index.js',
      '/ivschat-wasm/js/local%00/index.js',
      '/ivschat-wasm/js/wasm-source/%252e%252e/local/index.js',
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
    for (const path of ['/', '/index.html', '/app.js', '/ivschat-wasm/js/public.js', '/ivschat-wasm/js/./public.js', '/ivschat-wasm/js//wasm-source/client-browser.js', '/ivschat-wasm/dist/ivschat-client.wasm']) {
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
      '/ivschat-wasm/js/public.js': new URL('../../js/public.js', import.meta.url),
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
