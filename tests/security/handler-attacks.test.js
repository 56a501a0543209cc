// The token handler under attack: each family of the security review replayed, the findings
// that were fixed (proxy origin, deadlines, mutable TokenHandlerError fields, thrown statuses)
// and the families that already held (CORS, body limits and smuggling, hostile JSON, prototype
// pollution keys, SigV4 tampering and skew, hostile token-backend answers), so none regresses.
// Each test reports its number of cases (t.diagnostic) for RELIABILITY.md's table.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';

import { ChatTokenRequestError, createChatToken } from 'ivschat-wasm';
import { createTokenHandler, InvalidOptionError, sendEvent, signCreateChatTokenRequest as signForTest, signDisconnectUserRequest, TokenHandlerError, toNodeListener } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { createRecorder, readAnswer, serveOnLoopback, startFakeIvs, tokenRequest } from '../backend/helpers.js';

const APP_ORIGIN = 'https://app.example.com';
let ivs;
let room;
before(async () => {
  ivs = await startLocalIvsChat();
  room = await ivs.createRoom({ name: 'security' });
});
after(() => ivs.close());

const grant = () => ({ roomIdentifier: room.arn, userId: 'from-session', capabilities: ['SEND_MESSAGE'] });
// tokenRequest addresses https://tokens.example.com, which a deployed handler names in allowedHosts.
const handlerWith = (overrides = {}) => createTokenHandler({ credentials: ivs.credentials, endpoint: ivs.controlPlaneUrl, authorize: grant, allowedOrigins: [APP_ORIGIN], allowedHosts: ['tokens.example.com'], ...overrides });

/**
 * Sends raw bytes to a loopback server and returns the raw answer (for what fetch cannot send).
 * @param {number} port
 * @param {string | Buffer} bytes
 * @param {{ endAfterMs?: number }} [options]
 */
function rawExchange(port, bytes, { endAfterMs = 2000 } = {}) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(answer));
    socket.write(bytes);
    setTimeout(() => socket.destroy(), endAfterMs);
  });
}

test('CORS: foreign, null, malformed and look-alike origins are refused (preflight too); the allowed one is echoed', async (t) => {
  const handler = handlerWith();
  const refused = ['https://evil.example', 'null', 'https://app.example.com.evil.example', 'https://app.example.com:444', 'http://app.example.com',
    'https://APP.example.com.', 'https://app.example.com/path', 'https://xn--pp-xla.example.com'];
  for (const origin of refused) {
    for (const method of ['POST', 'OPTIONS']) {
      const answer = await readAnswer(await handler(tokenRequest({}, { origin, method, headers: method === 'OPTIONS' ? { 'access-control-request-method': 'POST' } : {} })));
      assert.equal(answer.status, 403, `${method} from ${origin}`);
      assert.equal(answer.headers.get('access-control-allow-origin'), null);
    }
  }
  const allowed = await readAnswer(await handler(tokenRequest({}, { origin: APP_ORIGIN })));
  assert.equal(allowed.status, 200);
  assert.equal(allowed.headers.get('access-control-allow-origin'), APP_ORIGIN);
  t.diagnostic(`cases: ${refused.length * 2 + 1}`);
});

test('behind a TLS-terminating proxy: its own page is same-origin with trustProxy, and forwarded headers are ignored without it', async (t) => {
  const handler = handlerWith({ allowedOrigins: [], allowedHosts: ['chat.example.com'] });
  const direct = await serveOnLoopback(toNodeListener(handler));
  const proxied = await serveOnLoopback(toNodeListener(handler, { trustProxy: true }));
  try {
    const post = (url, headers) => fetch(`${url}/chat-token`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    const proxyHeaders = { origin: 'https://chat.example.com', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example.com' };
    assert.equal((await post(proxied.url, proxyHeaders)).status, 200, 'same-origin behind the proxy');
    assert.equal((await post(direct.url, proxyHeaders)).status, 403, 'without trustProxy the forwarded headers mean nothing');
    // Forged or malformed forwarding headers never make a foreign origin pass.
    assert.equal((await post(proxied.url, { ...proxyHeaders, origin: 'https://evil.example' })).status, 403);
    assert.equal((await post(proxied.url, { ...proxyHeaders, 'x-forwarded-host': 'chat.example.com/evil' })).status, 403);
    assert.equal((await post(proxied.url, { ...proxyHeaders, 'x-forwarded-proto': 'javascript' })).status, 403);
    assert.throws(() => toNodeListener(handler, { trustproxy: true }), (error) => error.option === 'trustproxy');
    t.diagnostic('cases: 6');
  } finally {
    await direct.close();
    await proxied.close();
  }
});

test('deadlines: a slow body answers 408, an authorize that never settles 503, a whole request over its deadline 503; one log entry each', async (t) => {
  const recorder = createRecorder();
  const slowBody = new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode('{"a":')); } }); // never ends
  const body = await readAnswer(await handlerWith({ logger: recorder.logger, bodyTimeoutMs: 100 })(tokenRequest(slowBody)));
  assert.equal(body.status, 408);
  assert.equal(body.headers.get('x-amzn-errortype'), 'RequestTimeoutException');
  const hanging = await readAnswer(await handlerWith({ logger: recorder.logger, authorizeTimeoutMs: 100, authorize: () => new Promise(() => {}) })(tokenRequest({})));
  assert.equal(hanging.status, 503);
  assert.match(recorder.logs.at(-1).message, /authorize did not answer within 100 ms/);
  const slowIvs = await startFakeIvs(() => {}); // never answers
  try {
    const whole = await readAnswer(await handlerWith({ logger: recorder.logger, endpoint: slowIvs.url, timeoutMs: 5000, requestTimeoutMs: 150 })(tokenRequest({})));
    assert.equal(whole.status, 503);
  } finally {
    await slowIvs.close();
  }
  assert.equal(recorder.logs.length, 3, 'one log entry per request');
  // Over real sockets: a client that sends half a body and waits gets its 408.
  const server = await serveOnLoopback(toNodeListener(handlerWith({ bodyTimeoutMs: 150 })));
  try {
    // The 408 comes 150 ms after the half body (and closes the connection); the client waits up to
    // 15 s for it, 100x that, so a loaded machine answering late is not taken for no answer.
    const raw = await rawExchange(server.port, 'POST /chat-token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a"', { endAfterMs: 15_000 });
    assert.match(raw, /^HTTP\/1\.1 408/);
  } finally {
    await server.close();
  }
  t.diagnostic('cases: 4');
});

test('TokenHandlerError: fields changed after it was made cannot answer 200 or break a header; every request still logs once', async (t) => {
  const recorder = createRecorder();
  const cases = [
    [(error) => (error.status = 200), 500],
    [(error) => (error.status = 302), 500],
    [(error) => (error.errorType = 'Bad\r\nSet-Cookie: stolen=1'), 403],
    [(error) => (error.errorType = { toString: () => 'X' }), 403],
    [() => {}, 403],
  ];
  for (const [mutate, status] of cases) {
    const handler = handlerWith({
      logger: recorder.logger,
      authorize: () => {
        const error = new TokenHandlerError(403, 'Not in this room.');
        mutate(error);
        throw error;
      },
    });
    const answer = await readAnswer(await handler(tokenRequest({})));
    assert.equal(answer.status, status);
    assert.match(answer.headers.get('x-amzn-errortype'), /^[A-Za-z][A-Za-z0-9]*$/);
    assert.equal(answer.headers.get('set-cookie'), null);
  }
  assert.equal(recorder.logs.length, cases.length);
  t.diagnostic(`cases: ${cases.length}`);
});

test('errors thrown by authorize with a status (http-errors, Hono): that status, a generic message unless exposed', async (t) => {
  const make = (fields) => Object.assign(new Error('internal detail: user 42 is banned'), fields);
  const cases = [
    [make({ status: 401 }), 401, 'UnauthorizedException', false],
    [make({ statusCode: 403 }), 403, 'AccessDeniedException', false],
    [make({ status: 429, expose: true }), 429, 'ThrottlingException', true],
    [make({ status: 503 }), 503, 'ServiceUnavailableException', false],
    [make({ status: 200 }), 500, 'InternalServerException', false],
    [make({ status: '401' }), 500, 'InternalServerException', false],
    [make({ status: 401, errorType: 'Forged\r\nX: y' }), 401, 'UnauthorizedException', false],
  ];
  for (const [error, status, errorType, exposed] of cases) {
    const answer = await readAnswer(await handlerWith({ authorize: () => { throw error; } })(tokenRequest({})));
    assert.equal(answer.status, status, JSON.stringify(error));
    assert.equal(answer.headers.get('x-amzn-errortype'), errorType);
    assert.equal(answer.json.message.includes('user 42'), exposed);
  }
  t.diagnostic(`cases: ${cases.length}`);
});

test('body limits and smuggling: lying Content-Length, chunked floods, CL+TE, no length at all', async (t) => {
  const server = await serveOnLoopback(toNodeListener(handlerWith({ maxBodyBytes: 1024 })));
  const head = 'POST /chat-token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n';
  const cases = [
    [`${head}Content-Length: 10\r\n\r\n${'{'.repeat(5000)}`, /^HTTP\/1\.1 400/],
    [`${head}Content-Length: 99999999\r\n\r\n{}`, /^HTTP\/1\.1 413/],
    [`${head}Transfer-Encoding: chunked\r\n\r\n${'400\r\n' + 'x'.repeat(1024) + '\r\n'}${'400\r\n' + 'x'.repeat(1024) + '\r\n'}0\r\n\r\n`, /^HTTP\/1\.1 413/],
    [`${head}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`, /^HTTP\/1\.1 400/],
    [`${head}\r\n`, /^HTTP\/1\.1 400/],
  ];
  try {
    for (const [bytes, expected] of cases) assert.match(await rawExchange(server.port, bytes, { endAfterMs: 1000 }), expected, bytes.slice(0, 120));
  } finally {
    await server.close();
  }
  t.diagnostic(`cases: ${cases.length}`);
});

test('hostile JSON: malformed, deep, duplicate keys, BOM, bad UTF-8, huge numbers, wrong top level; prototype-pollution keys reach authorize as plain data', async (t) => {
  let seen;
  const handler = handlerWith({ authorize: (_request, body) => { seen = body; return grant(); } });
  const bodies = ['{', '[]', 'null', '"x"', '1e999999', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, `{"a":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
    new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), '{"userId":"a","userId":"b"}'];
  let refused = 0;
  for (const body of bodies) {
    const answer = await readAnswer(await handler(tokenRequest(body)));
    assert.ok(answer.status === 400 || answer.status === 413 || answer.status === 200, `${answer.status} for ${String(body).slice(0, 40)}`);
    if (answer.status !== 200) refused += 1;
  }
  assert.ok(refused >= 8);
  for (const body of ['{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}']) {
    const answer = await readAnswer(await handler(tokenRequest(body)));
    assert.equal(answer.status, 200);
    assert.equal(/** @type {any} */ ({}).polluted, undefined, 'Object.prototype untouched');
    assert.equal(Object.getPrototypeOf(seen), Object.prototype);
  }
  t.diagnostic(`cases: ${bodies.length + 2}`);
});

test('SigV4 at the local server: tampered bodies, headers and signatures, and clock skew, are refused', async (t) => {
  const { signCreateChatTokenRequest } = await import('ivschat-wasm/backend');
  const request = { roomIdentifier: room.arn, userId: 'u' };
  const signed = await signCreateChatTokenRequest(request, { credentials: ivs.credentials, endpoint: ivs.controlPlaneUrl });
  const send = (changes) => fetch(signed.url, { method: signed.method, headers: { ...signed.headers, ...changes.headers }, body: changes.body ?? signed.body });
  assert.equal((await send({})).status, 200);
  const tampered = [
    { body: signed.body.replace('"u"', '"admin"') },
    { headers: { authorization: signed.headers.authorization.replace(/Signature=([0-9a-f])/, (_, c) => `Signature=${c === '0' ? '1' : '0'}`) } },
    { headers: { 'x-amz-date': '20200101T000000Z' } },
    { headers: { authorization: signed.headers.authorization.replace('ivschat/aws4_request', 's3/aws4_request') } },
  ];
  for (const change of tampered) assert.equal((await send(change)).status, 403, JSON.stringify(change).slice(0, 80));
  const skewed = await signCreateChatTokenRequest(request, { credentials: ivs.credentials, endpoint: ivs.controlPlaneUrl, now: new Date(Date.now() - 20 * 60_000) });
  assert.equal((await fetch(skewed.url, { method: 'POST', headers: skewed.headers, body: skewed.body })).status, 403);
  t.diagnostic(`cases: ${tampered.length + 2}`);
});

test('hostile token-backend answers reach the browser as typed errors: HTML 404, huge, non-JSON, wrong shape, hanging', async (t) => {
  const answers = [
    [(res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not Found</html>'), 'HTTP_ERROR', /answered 404 with text\/html, not JSON/],
    [(res) => res.writeHead(200, { 'content-type': 'application/json' }).end('x'.repeat(200_000)), 'MALFORMED_RESPONSE', /./],
    [(res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":5}'), 'MALFORMED_RESPONSE', /./],
    [(res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"t","tokenExpirationTime":"soon","sessionExpirationTime":"later"}'), 'MALFORMED_RESPONSE', /./],
    [() => {}, 'TIMEOUT', /./],
  ];
  for (const [answer, code, message] of answers) {
    const backend = await startFakeIvs((_req, res) => answer(res));
    try {
      // 300 ms only where the backend never answers (the deadline is the point there); the others
      // answer at once, and 10 s is far over 10x what that takes even on a loaded machine.
      const timeoutMs = code === 'TIMEOUT' ? 300 : 10_000;
      await assert.rejects(createChatToken({ endpoint: backend.url, roomIdentifier: room.arn, userId: 'u', timeoutMs }), (error) => {
        assert.ok(error instanceof ChatTokenRequestError, String(error));
        assert.equal(error.code, code);
        if (code === 'HTTP_ERROR') assert.match(error.message, message);
        return true;
      });
    } finally {
      await backend.close();
    }
  }
  t.diagnostic(`cases: ${answers.length}`);
});


// Issue 18, finding 3: the handler judged "same origin" by the Host header alone, so a
// DNS-rebinding page (Host and Origin both rebind.evil.example:PORT, the name resolving to the
// handler's address) got a token and ran `authorize`. Now only loopback names and `allowedHosts`
// are answered; any other host gets 421 before anything else is looked at.
test('DNS rebinding: a foreign Host (with its matching Origin) gets 421, authorize never runs; loopback and allowedHosts are served', async (t) => {
  let authorizeCalls = 0;
  const recorder = createRecorder();
  const counting = () => (authorizeCalls++, grant());
  const loopbackOnly = createTokenHandler({ credentials: ivs.credentials, endpoint: ivs.controlPlaneUrl, authorize: counting, logger: recorder.logger });
  const server = await serveOnLoopback(toNodeListener(loopbackOnly));
  let cases = 0;
  try {
    const foreign = [`rebind.evil.example:${server.port}`, 'rebind.evil.example', `localhost.evil.example:${server.port}`, `127.0.0.1.nip.evil:${server.port}`, `tokens.example.com:${server.port}`];
    for (const host of foreign) {
      for (const [method, extra] of /** @type {const} */ ([['POST', {}], ['OPTIONS', { 'access-control-request-method': 'POST' }], ['GET', {}]])) {
        const raw = await rawExchange(server.port, `${method} /chat-token HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\n${Object.entries(extra).map(([k, v]) => `${k}: ${v}\r\n`).join('')}Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
        assert.match(raw, /^HTTP\/1\.1 421 /, `${method} with Host ${host}`);
        assert.match(raw, /allowedHosts/, 'the answer says which option admits a host');
        assert.doesNotMatch(raw, /access-control-allow-origin/i);
        assert.doesNotMatch(raw, /"token"/);
        cases += 1;
      }
    }
    // The same through a fetch Request (Workers, Deno, Bun): the URL's host is the Host.
    const rebound = await readAnswer(await loopbackOnly(tokenRequest({}, { url: 'http://rebind.evil.example:8787/chat-token', origin: 'http://rebind.evil.example:8787' })));
    assert.equal(rebound.status, 421);
    assert.equal(rebound.headers.get('x-amzn-errortype'), 'MisdirectedRequestException');
    assert.match(rebound.json.message, /rebind\.evil\.example.*allowedHosts/);
    assert.equal(recorder.logs.at(-1).status, 421);
    assert.match(recorder.logs.at(-1).message, /allowedHosts/);
    cases += 1;
    assert.equal(authorizeCalls, 0, 'authorize never ran for a foreign host');

    // Loopback names are served by default (same-origin pages of a local dev server).
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`]) {
      const raw = await rawExchange(server.port, `POST /chat-token HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host.toLowerCase()}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
      assert.match(raw, /^HTTP\/1\.1 200 /, host);
      cases += 1;
    }
    const v6 = await readAnswer(await loopbackOnly(tokenRequest({}, { url: 'http://[::1]:8787/chat-token', origin: 'http://[::1]:8787' })));
    assert.equal(v6.status, 200);
  } finally {
    await server.close();
  }

  // A deployed handler names its public host; look-alikes are still refused.
  const deployed = createTokenHandler({ credentials: ivs.credentials, endpoint: ivs.controlPlaneUrl, authorize: counting, allowedHosts: ['chat.example.com'] });
  assert.equal((await deployed(tokenRequest({}, { url: 'https://chat.example.com/api/token', origin: 'https://chat.example.com' }))).status, 200);
  assert.equal((await deployed(tokenRequest({}, { url: 'https://CHAT.example.com/api/token' }))).status, 200);
  for (const url of ['https://chat.example.com.evil.example/api/token', 'https://evil.example/api/token', 'https://xchat.example.com/api/token']) {
    assert.equal((await deployed(tokenRequest({}, { url, origin: new URL(url).origin }))).status, 421, url);
    cases += 1;
  }
  // '*' answers for any host (a platform that routes by host name already, such as Workers).
  const anyHost = createTokenHandler({ credentials: ivs.credentials, endpoint: ivs.controlPlaneUrl, authorize: counting, allowedHosts: '*' });
  assert.equal((await anyHost(tokenRequest({}, { url: 'https://whatever.example/api/token', origin: 'https://whatever.example' }))).status, 200);
  // The option is checked when the handler is made.
  for (const [value, option] of /** @type {Array<[unknown, string]>} */ ([['chat.example.com', 'allowedHosts'], [['https://chat.example.com'], 'allowedHosts[0]'], [['chat.example.com:443'], 'allowedHosts[0]'], [[5], 'allowedHosts[0]']])) {
    assert.throws(() => createTokenHandler({ credentials: ivs.credentials, authorize: grant, allowedHosts: /** @type {any} */ (value) }), (error) => error.option === option, JSON.stringify(value));
  }
  t.diagnostic(`cases: ${cases}`);
});

// Issue 18, finding 4: the signer accepted plain http:// endpoints anywhere, so a typo or a
// misconfiguration sent the signed request (and a session token) in clear text over the network.
// Now http:// is for loopback only, unless the caller opts in with allowInsecureEndpoint.
test('plain http:// endpoints that are not loopback are refused (InvalidOptionError naming endpoint) unless allowInsecureEndpoint', async (t) => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-example' };
  const request = { roomIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456', userId: 'u' };
  const insecure = ['http://ivschat.us-east-1.amazonaws.com', 'http://ivschat.example.internal:4566', 'http://10.0.0.5:4566', 'http://127.0.0.1.evil.example', 'http://localhost.evil.example:4566', 'http://[2001:db8::1]:4566', 'HTTP://IVSCHAT.EXAMPLE'];
  const isEndpointError = (/** @type {any} */ error) => {
    assert.ok(error instanceof InvalidOptionError, String(error));
    assert.equal(error.option, 'endpoint');
    assert.match(error.message, /https/);
    assert.match(error.message, /allowInsecureEndpoint/);
    return true;
  };
  let cases = 0;
  for (const endpoint of insecure) {
    await assert.rejects(signForTest(request, { credentials, endpoint }), isEndpointError, endpoint);
    await assert.rejects(signDisconnectUserRequest({ roomIdentifier: request.roomIdentifier, userId: 'u' }, { credentials, endpoint }), isEndpointError, endpoint);
    await assert.rejects(sendEvent({ roomIdentifier: request.roomIdentifier, eventName: 'x' }, { credentials, endpoint, fetch: () => assert.fail('nothing may be sent') }), isEndpointError, endpoint);
    assert.throws(() => createTokenHandler({ credentials, endpoint, authorize: grant }), isEndpointError, endpoint);
    cases += 4;
    // Opting in is explicit, and then it signs as before.
    const signed = await signForTest(request, { credentials, endpoint, allowInsecureEndpoint: true });
    assert.match(signed.url, /^http:\/\//);
    assert.doesNotThrow(() => createTokenHandler({ credentials, endpoint, authorize: grant, allowInsecureEndpoint: true }));
  }
  // Loopback needs no opt-in: the local server, a test double.
  for (const endpoint of ['http://127.0.0.1:4566', 'http://localhost:4566', 'http://[::1]:4566', 'http://127.8.9.10', 'http://LOCALHOST', 'https://ivschat.example.internal']) {
    const signed = await signForTest(request, { credentials, endpoint });
    assert.equal(new URL(signed.url).origin, new URL(endpoint).origin, endpoint);
    cases += 1;
  }
  assert.throws(() => createTokenHandler({ credentials, authorize: grant, allowInsecureEndpoint: /** @type {any} */ ('yes') }), (error) => error.option === 'allowInsecureEndpoint');
  t.diagnostic(`cases: ${cases}`);
});
