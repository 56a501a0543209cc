// @ts-check
// The local IVS Chat server under the attacks of the security review (issue 14): DNS rebinding
// against its HTTP and WebSocket endpoints, and cross-site requests against its unsigned admin
// routes (/_local/*: faults that cut every connection, stats). Loopback only; raw node:http so
// that Host, Origin and media types are exactly what a hostile page would make a browser send.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { after, afterEach, before, describe, test } from 'node:test';

import * as localModule from '../../js/local/index.js';
import { startLocalIvsChat } from '../../js/local/index.js';
import { createToken, signedRequest, SOON_MS, TestSocket } from '../local/helpers.js';

/**
 * @param {string} baseUrl
 * @param {{ method?: string, path?: string, headers?: Record<string, string>, body?: string }} [options]
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, text: string }>}
 */
function exchange(baseUrl, { method = 'GET', path = '/', headers = {}, body } = {}) {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers, timeout: SOON_MS }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within ${SOON_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A WebSocket handshake with a chosen Host; resolves with the HTTP status (101 when accepted).
 * @param {string} baseUrl
 * @param {string} host
 * @param {string} token
 * @returns {Promise<number>}
 */
function upgradeStatus(baseUrl, host, token) {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      headers: {
        host,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': token,
      },
      timeout: SOON_MS,
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('no answer to the upgrade')));
    req.on('error', reject);
    req.end();
  });
}

describe('local IVS Chat server', () => {
  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>>} */
  let server;
  /** @type {TestSocket[]} */
  const sockets = [];
  /** @type {{ arn: string }} */
  let room;
  let own = '';
  before(async () => {
    server = await startLocalIvsChat({ allowedHosts: ['dev.example.test'] });
    room = await server.createRoom();
    own = `127.0.0.1:${server.port}`;
  });
  afterEach(() => server.faults.reset());
  after(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server.close();
  });

  const stalled = () => server.faults.outbound.stalled;

  test('DNS rebinding: a foreign Host is refused on the control plane, the admin routes and the WebSocket upgrade', async () => {
    const port = server.port;
    const foreign = [`evil.example:${port}`, 'evil.example', `127.0.0.1.nip.evil:${port}`, `localhost.evil.example:${port}`, `dev.example.test.evil:${port}`];
    /** @type {Array<{ method: string, path: string, body?: string, headers?: Record<string, string> }>} */
    const routes = [
      { method: 'POST', path: '/CreateChatToken', body: '{}', headers: { 'content-type': 'application/json' } },
      { method: 'OPTIONS', path: '/CreateChatToken' },
      { method: 'GET', path: '/_local/stats' },
      { method: 'POST', path: '/_local/faults/stall', body: '{"stalled":true}', headers: { 'x-ivschat-local': '1' } },
      { method: 'GET', path: '/' },
    ];
    for (const host of foreign) {
      for (const route of routes) {
        const answer = await exchange(server.controlPlaneUrl, { ...route, headers: { ...route.headers, host } });
        assert.equal(answer.status, 421, `${route.method} ${route.path} with Host ${host}`);
        assert.match(answer.text, /^Misdirected request/);
        assert.equal(answer.headers['access-control-allow-origin'], undefined);
      }
    }
    assert.equal(stalled(), false, 'no fault was applied through a foreign Host');

    // The upgrade is refused before the token is looked at: the same token still works after.
    const { token } = await createToken(server, { roomIdentifier: room.arn, userId: 'u' });
    const refusedBefore = server.stats().connectionsRefused;
    for (const host of foreign) assert.equal(await upgradeStatus(server.messagingUrl, host, token), 421, `upgrade with Host ${host}`);
    assert.equal(server.stats().connectionsRefused, refusedBefore + foreign.length);
    assert.equal(await upgradeStatus(server.messagingUrl, own, token), 101, 'the unspent token connects under the right Host');

    // Loopback names, the bound host and allowedHosts are served.
    for (const host of [own, `localhost:${port}`, `LocalHost:${port}`, `[::1]:${port}`, `dev.example.test:${port}`, 'dev.example.test']) {
      assert.equal((await exchange(server.controlPlaneUrl, { path: '/_local/stats', headers: { host } })).status, 200, host);
    }
    const { token: second } = await createToken(server, { roomIdentifier: room.arn, userId: 'v' });
    assert.equal(await upgradeStatus(server.messagingUrl, `dev.example.test:${port}`, second), 101);
  });

  test('DNS rebinding: allowedHosts is checked; a bound host is allowed without it', async () => {
    await assert.rejects(startLocalIvsChat({ allowedHosts: /** @type {any} */ ('dev.example.test') }), /allowedHosts must be an array/);
    await assert.rejects(startLocalIvsChat({ allowedHosts: ['http://dev.example.test'] }), /allowedHosts\[0\]/);
    await assert.rejects(startLocalIvsChat({ allowedHosts: ['dev.example.test:8080'] }), /allowedHosts\[0\]/);
    const bound = await startLocalIvsChat({ host: 'localhost' });
    try {
      assert.equal((await exchange(bound.controlPlaneUrl, { path: '/_local/stats', headers: { host: `localhost:${bound.port}` } })).status, 200);
      assert.equal((await exchange(bound.controlPlaneUrl, { path: '/_local/stats', headers: { host: `evil.example:${bound.port}` } })).status, 421);
    } finally {
      await bound.close();
    }
  });

  test('CSRF on the admin routes: a text/plain or form POST without the header changes nothing', async () => {
    for (const contentType of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain; application/json', undefined]) {
      /** @type {Record<string, string>} */
      const headers = { host: own };
      if (contentType) headers['content-type'] = contentType;
      const answer = await exchange(server.controlPlaneUrl, { method: 'POST', path: '/_local/faults/stall', headers, body: '{"stalled":true}' });
      assert.equal(answer.status, 403, `Content-Type ${contentType}`);
      assert.equal(answer.headers['x-amzn-errortype'], 'AccessDeniedException');
      assert.match(JSON.parse(answer.text).message, /x-ivschat-local: 1/);
      assert.equal(stalled(), false, `Content-Type ${contentType}: not stalled`);
    }
    for (const name of ['dropConnections', 'delayFrames', 'injectFrame', 'failCreateChatToken', 'reset']) {
      const answer = await exchange(server.controlPlaneUrl, { method: 'POST', path: `/_local/faults/${name}`, headers: { host: own, 'content-type': 'text/plain' }, body: '{"ms":1000,"text":"x","count":5}' });
      assert.equal(answer.status, 403, name);
    }
    assert.equal(server.faults.outbound.delayMs, 0);
    assert.equal(server.faults.createChatTokenFailure.remaining, 0);
    // With the header (a script or a test, never a page on another site) it works.
    const marked = await exchange(server.controlPlaneUrl, { method: 'POST', path: '/_local/faults/stall', headers: { host: own, 'x-ivschat-local': '1', 'content-type': 'text/plain' }, body: '{"stalled":true}' });
    assert.equal(marked.status, 200);
    assert.equal(stalled(), true);
  });

  test('cross-origin admin calls: foreign Origins and cross-site fetches refused, no preflight granted, no CORS *', async () => {
    const foreignOrigins = ['http://evil.example', `http://evil.example:${server.port}`, 'null', `http://localhost:${server.port}`, `https://${own}`];
    for (const origin of foreignOrigins) {
      for (const route of /** @type {Array<{ method: string, path: string, body?: string, headers?: Record<string, string> }>} */ ([
        { method: 'POST', path: '/_local/faults/stall', body: '{"stalled":true}', headers: { 'x-ivschat-local': '1', 'content-type': 'application/json' } },
        { method: 'GET', path: '/_local/stats' },
        { method: 'OPTIONS', path: '/_local/faults/stall', headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-ivschat-local' } },
      ])) {
        const answer = await exchange(server.controlPlaneUrl, { ...route, headers: { ...route.headers, host: own, origin } });
        assert.equal(answer.status, 403, `${route.method} ${route.path} from ${origin}`);
        for (const name of Object.keys(answer.headers)) assert.doesNotMatch(name, /^access-control-/, `${route.method} ${route.path} from ${origin}: ${name}`);
      }
    }
    assert.equal(stalled(), false);
    for (const site of ['cross-site', 'same-site']) {
      const answer = await exchange(server.controlPlaneUrl, { method: 'POST', path: '/_local/faults/stall', headers: { host: own, 'sec-fetch-site': site, 'x-ivschat-local': '1' }, body: '{"stalled":true}' });
      assert.equal(answer.status, 403, site);
    }
    // Even a preflight from the server's own origin gets no grant (no page of it needs one).
    const preflight = await exchange(server.controlPlaneUrl, { method: 'OPTIONS', path: '/_local/stats', headers: { host: own, origin: `http://${own}`, 'access-control-request-method': 'GET' } });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    // Accepted calls carry no CORS grant either; the signed control plane keeps its own.
    const ok = await exchange(server.controlPlaneUrl, { method: 'POST', path: '/_local/faults/reset', headers: { host: own, origin: `http://${own}`, 'x-ivschat-local': '1' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['access-control-allow-origin'], undefined);
    assert.equal((await exchange(server.controlPlaneUrl, { path: '/_local/stats', headers: { host: own } })).headers['access-control-allow-origin'], undefined);
    // Issue 18: the signed control plane grants no preflight to an origin that was not configured either.
    const controlPlane = await exchange(server.controlPlaneUrl, { method: 'OPTIONS', path: '/CreateChatToken', headers: { host: own, origin: 'http://localhost:8080', 'access-control-request-method': 'POST' } });
    assert.equal(controlPlane.status, 403);
    assert.equal(controlPlane.headers['access-control-allow-origin'], undefined, 'no CORS grant to an unconfigured origin');
  });

  test('the fault controls still work from code and from scripts', async () => {
    const { token } = await createToken(server, { roomIdentifier: room.arn, userId: 'w' });
    const socket = await TestSocket.open(server.messagingUrl, token);
    sockets.push(socket);
    assert.equal(server.faults.dropConnections({ userId: 'w' }), 1);
    await socket.closedWithin();
    const viaHttp = await fetch(`${server.controlPlaneUrl}/_local/faults/failCreateChatToken`, {
      method: 'POST',
      headers: { 'x-ivschat-local': '1', 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1, status: 503, errorType: 'ServiceUnavailableException' }),
    });
    assert.equal(viaHttp.status, 200);
    assert.equal(server.faults.createChatTokenFailure.remaining, 1);
  });
});

// Issue 18 (finding 1): the signed control plane was open to any web page: a page on another
// origin got its preflight granted (Access-Control-Allow-Origin: *, Authorization allowed) and,
// signing with the fixed development credentials published in the source, could list rooms,
// mint a DISCONNECT_USER token, kick a visitor and delete rooms.
describe('local IVS Chat server: the control plane against web pages on other sites (issue 18)', () => {
  /** The credentials every start used to accept, published in the source. */
  const PUBLISHED = { accessKeyId: 'AKIDLOCALIVSCHATDEMO', secretAccessKey: 'localIvsChatDemoSecretKeyNotARealSecret0' };
  const CONFIGURED = 'http://localhost:5173';
  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>>} */
  let server;
  /** @type {TestSocket[]} */
  const sockets = [];
  let own = '';
  before(async () => {
    server = await startLocalIvsChat({ allowedOrigins: [CONFIGURED] });
    own = `127.0.0.1:${server.port}`;
  });
  after(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server.close();
  });

  test('each start has its own random credentials; the published ones are refused and no longer exported', async () => {
    assert.equal('DEFAULT_CREDENTIALS' in localModule, false, 'no fixed credentials exported');
    const other = await startLocalIvsChat();
    try {
      for (const s of [server, other]) {
        assert.notEqual(s.credentials.accessKeyId, PUBLISHED.accessKeyId);
        assert.notEqual(s.credentials.secretAccessKey, PUBLISHED.secretAccessKey);
        assert.match(s.credentials.accessKeyId, /^[A-Z0-9]{20}$/);
        assert.ok(s.credentials.secretAccessKey.length >= 40);
      }
      assert.notEqual(server.credentials.accessKeyId, other.credentials.accessKeyId);
      assert.notEqual(server.credentials.secretAccessKey, other.credentials.secretAccessKey);
      const listed = await signedRequest(server, '/ListRooms', {}, { credentials: PUBLISHED });
      assert.equal(listed.status, 403, 'the published credentials open nothing');
      // Given credentials are kept as given.
      const given = { accessKeyId: 'AKIDGIVENBYTHECALLER', secretAccessKey: 'given-secret-0123456789' };
      const chosen = await startLocalIvsChat({ credentials: given });
      try {
        assert.deepEqual(chosen.credentials, given);
        assert.equal((await signedRequest(chosen, '/ListRooms', {})).status, 200);
      } finally {
        await chosen.close();
      }
    } finally {
      await other.close();
    }
  });

  test('a page on another origin gets no preflight and no answer on any route, even with the right signature', async () => {
    const room = await server.createRoom({ name: 'victim-room' });
    const { token } = await createToken(server, { roomIdentifier: room.arn, userId: 'visitor' });
    const visitor = await TestSocket.open(server.messagingUrl, token);
    sockets.push(visitor);
    const issuedBefore = server.stats().tokensIssued;
    const foreignOrigins = ['http://evil.example', `http://evil.example:${server.port}`, 'null', 'http://localhost:8080', `https://${own}`, `${CONFIGURED}.evil.example`];
    const operations = ['ListRooms', 'CreateChatToken', 'DisconnectUser', 'DeleteRoom', 'GetRoom', 'CreateRoom', 'SendEvent', 'DeleteMessage', 'UpdateRoom', 'NoSuchOperation'];
    for (const origin of foreignOrigins) {
      for (const operation of operations) {
        const preflight = await exchange(server.controlPlaneUrl, {
          method: 'OPTIONS',
          path: `/${operation}`,
          headers: { host: own, origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-amz-date' },
        });
        assert.equal(preflight.status, 403, `preflight ${operation} from ${origin}`);
        for (const name of Object.keys(preflight.headers)) assert.doesNotMatch(name, /^access-control-/, `preflight ${operation} from ${origin}: ${name}`);
      }
      // What the page would send after a granted preflight (or blind, as a simple request):
      // correctly signed, yet refused before the signature or the operation is looked at.
      const bodies = /** @type {Record<string, unknown>} */ ({
        ListRooms: {},
        CreateChatToken: { roomIdentifier: room.arn, userId: 'attacker', capabilities: ['DISCONNECT_USER'] },
        DisconnectUser: { roomIdentifier: room.arn, userId: 'visitor' },
        DeleteRoom: { identifier: room.arn },
      });
      for (const [operation, body] of Object.entries(bodies)) {
        const answer = await signedRequest(server, `/${operation}`, body, { afterSigning: (request) => void (request.headers.origin = origin) });
        assert.equal(answer.status, 403, `${operation} from ${origin}`);
        assert.equal(answer.headers.get('x-amzn-errortype'), 'AccessDeniedException');
        assert.match(answer.json.message, /other origins|allowedOrigins/);
        assert.equal(answer.headers.get('access-control-allow-origin'), null);
      }
    }
    // Sec-Fetch-Site marks a cross-site fetch even when no Origin is sent.
    for (const site of ['cross-site', 'same-site']) {
      const answer = await signedRequest(server, '/DeleteRoom', { identifier: room.arn }, { afterSigning: (request) => void (request.headers['sec-fetch-site'] = site) });
      assert.equal(answer.status, 403, site);
      const preflight = await exchange(server.controlPlaneUrl, { method: 'OPTIONS', path: '/ListRooms', headers: { host: own, 'sec-fetch-site': site, 'access-control-request-method': 'POST' } });
      assert.equal(preflight.status, 403, `preflight, ${site}`);
    }
    assert.equal(server.stats().tokensIssued, issuedBefore, 'no token minted for another site');
    assert.equal(visitor.closeInfo, undefined, 'the visitor was not kicked');
    assert.equal((await signedRequest(server, '/GetRoom', { identifier: room.arn })).status, 200, 'the room still exists');
  });

  test('scripts, SDKs and the configured origin keep working; a configured origin gets its own grant, never *', async () => {
    // No Origin (Node, Deno, Bun, workerd fetch, the AWS SDK): served.
    assert.equal((await signedRequest(server, '/ListRooms', {})).status, 200);
    assert.equal((await signedRequest(server, '/ListRooms', {}, { afterSigning: (r) => void (r.headers['sec-fetch-site'] = 'none') })).status, 200);
    const preflight = await exchange(server.controlPlaneUrl, {
      method: 'OPTIONS',
      path: '/ListRooms',
      headers: { host: own, origin: CONFIGURED, 'sec-fetch-site': 'same-site', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-amz-date' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], CONFIGURED);
    assert.match(String(preflight.headers.vary), /Origin/);
    const listed = await signedRequest(server, '/ListRooms', {}, { afterSigning: (r) => Object.assign(r.headers, { origin: CONFIGURED, 'sec-fetch-site': 'cross-site' }) });
    assert.equal(listed.status, 200);
    assert.equal(listed.headers.get('access-control-allow-origin'), CONFIGURED);
    // The configured origin still needs the signature.
    assert.equal((await signedRequest(server, '/ListRooms', {}, { credentials: PUBLISHED, afterSigning: (r) => void (r.headers.origin = CONFIGURED) })).status, 403);
    // The option is checked.
    await assert.rejects(startLocalIvsChat({ allowedOrigins: /** @type {any} */ ('*') }), /allowedOrigins must be an array/);
    await assert.rejects(startLocalIvsChat({ allowedOrigins: ['http://localhost:5173/'] }), /allowedOrigins\[0\]/);
    await assert.rejects(startLocalIvsChat({ allowedOrigins: ['*'] }), /allowedOrigins\[0\]/);
  });
});
