import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ChatTokenRequestError, createChatToken, InvalidOptionError } from 'ivschat-wasm';

import { readFixture, ROOM_ARN, startHttpServer } from './helpers.js';

const { responses, errors } = readFixture('create-chat-token-responses.json');
const rfc3339 = readFixture('rfc3339.json');

/** @type {(req: any, res: any, body: string) => void} */
let answer = (_req, res) => res.end();
let backend;
before(async () => {
  backend = await startHttpServer((req, res, body) => answer(req, res, body));
});
after(() => backend.close());

const request = { roomIdentifier: ROOM_ARN, userId: 'alice', capabilities: ['SEND_MESSAGE'], attributes: { color: 'red' } };

/** Serves one scripted answer and returns the token call's settled outcome. */
function callWith(status, headers, body, options = {}) {
  answer = (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };
  return createChatToken({ endpoint: `${backend.url}/token`, ...request, ...options });
}

/** Asserts nothing in the error (message, stack, own properties, cause) mentions a secret. */
function assertNoSecret(error, secret) {
  const everything = [error.message, error.stack, JSON.stringify(error), String(error.cause?.message ?? '')].join('\n');
  assert.ok(!everything.includes(secret), `error mentions ${secret}`);
}

test('POSTs the C++-built JSON body with JSON headers and returns Dates', async () => {
  const token = await callWith(200, {}, JSON.stringify({
    token: 'tok-abc', tokenExpirationTime: '2030-01-01T00:01:00Z', sessionExpirationTime: '2030-01-01T01:00:00.250+00:00',
  }), { headers: { authorization: 'Bearer app-session' } });
  assert.equal(token.token, 'tok-abc');
  assert.ok(token.tokenExpirationTime instanceof Date);
  assert.equal(token.tokenExpirationTime.toISOString(), '2030-01-01T00:01:00.000Z');
  assert.equal(token.sessionExpirationTime.toISOString(), '2030-01-01T01:00:00.250Z');
  const sent = backend.requests.at(-1);
  assert.equal(sent.method, 'POST');
  assert.equal(sent.url, '/token');
  assert.equal(sent.headers['content-type'], 'application/json');
  assert.equal(sent.headers.authorization, 'Bearer app-session');
  assert.equal(sent.body, `{"attributes":{"color":"red"},"capabilities":["SEND_MESSAGE"],"roomIdentifier":"${ROOM_ARN}","userId":"alice"}`);
});

for (const fixture of responses) {
  test(`token answer: ${fixture.name}`, async () => {
    const outcome = callWith(200, {}, fixture.body);
    if (fixture.ok) {
      const token = await outcome;
      assert.equal(token.token, fixture.token);
      assert.equal(token.tokenExpirationTime.getTime(), fixture.tokenExpirationMillis);
      assert.equal(token.sessionExpirationTime.getTime(), fixture.sessionExpirationMillis);
    } else {
      await assert.rejects(outcome, (error) => {
        assert.ok(error instanceof ChatTokenRequestError);
        assert.equal(error.code, 'MALFORMED_RESPONSE');
        assert.equal(error.status, 200);
        assert.ok(error.message.includes(fixture.error), error.message);
        assertNoSecret(error, 'tok-secret');
        return true;
      });
    }
  });
}

test('every RFC 3339 fixture reads the same in JavaScript as in C++', async () => {
  for (const [text, millis] of rfc3339.valid) {
    const token = await callWith(200, {}, JSON.stringify({ token: 't', tokenExpirationTime: text, sessionExpirationTime: text }));
    assert.equal(token.sessionExpirationTime.getTime(), millis, text);
  }
  for (const text of rfc3339.invalid) {
    await assert.rejects(callWith(200, {}, JSON.stringify({ token: 't', tokenExpirationTime: text, sessionExpirationTime: text })), { code: 'MALFORMED_RESPONSE' }, text);
  }
});

for (const fixture of errors) {
  test(`HTTP error: ${fixture.name}`, async () => {
    const headers = fixture.header ? { 'x-amzn-errortype': fixture.header } : {};
    await assert.rejects(callWith(fixture.status, headers, fixture.body), (error) => {
      assert.ok(error instanceof ChatTokenRequestError);
      assert.equal(error.code, 'HTTP_ERROR');
      assert.equal(error.status, fixture.status);
      assert.equal(error.errorType, fixture.type);
      assert.equal(error.awsMessage, fixture.message || undefined);
      assert.equal(error.reason, fixture.reason || undefined);
      assert.deepEqual(error.fieldList, fixture.fieldList);
      assert.equal(error.resourceId, fixture.resourceId || undefined);
      assert.match(error.message, new RegExp(`HTTP ${fixture.status} ${fixture.type}`));
      return true;
    });
  });
}

test('a 400 from the backend carries its fieldList', async () => {
  const body = JSON.stringify({ message: 'userId is taken', reason: 'FIELD_VALIDATION_FAILED', fieldList: [{ name: 'userId', message: 'userId is taken' }] });
  await assert.rejects(callWith(400, { 'x-amzn-errortype': 'ValidationException' }, body), {
    code: 'HTTP_ERROR', status: 400, errorType: 'ValidationException', fieldList: [{ name: 'userId', message: 'userId is taken' }],
  });
});

test('a backend that never answers times out with TIMEOUT', async () => {
  answer = () => {}; // hold the request open
  const started = Date.now();
  await assert.rejects(createChatToken({ endpoint: `${backend.url}/token`, ...request, timeoutMs: 150 }), (error) => {
    assert.ok(error instanceof ChatTokenRequestError);
    assert.equal(error.code, 'TIMEOUT');
    assert.match(error.message, /150 ms/);
    return true;
  });
  assert.ok(Date.now() - started >= 140);
});

test('a body that stalls half-way also times out', async () => {
  answer = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"token":"tok-stall');
  };
  await assert.rejects(createChatToken({ endpoint: `${backend.url}/token`, ...request, timeoutMs: 150 }), { code: 'TIMEOUT' });
});

test('the caller can abort, before or during the request', async () => {
  await assert.rejects(createChatToken({ endpoint: `${backend.url}/token`, ...request, signal: AbortSignal.abort() }), { code: 'ABORTED' });
  answer = () => {};
  const controller = new AbortController();
  const pending = createChatToken({ endpoint: `${backend.url}/token`, ...request, signal: controller.signal, timeoutMs: 5000 });
  setTimeout(() => controller.abort(), 30);
  await assert.rejects(pending, { code: 'ABORTED' });
});

test('an unreachable backend is NETWORK_ERROR', async () => {
  const closed = await startHttpServer(() => {});
  const url = closed.url;
  await closed.close();
  await assert.rejects(createChatToken({ endpoint: `${url}/token`, ...request }), (error) => {
    assert.ok(error instanceof ChatTokenRequestError);
    assert.equal(error.code, 'NETWORK_ERROR');
    assert.equal(error.status, undefined);
    assert.match(error.message, /ECONNREFUSED 127\.0\.0\.1:\d+/, 'the cause under `fetch failed` is named');
    return true;
  });
});

test('bad options are InvalidOptionError naming the option', async () => {
  await assert.rejects(createChatToken(/** @type {any} */ (undefined)), { code: 'INVALID_OPTION', option: 'options' });
  await assert.rejects(createChatToken(/** @type {any} */ ({ ...request })), (e) => e instanceof InvalidOptionError && e.option === 'endpoint');
  await assert.rejects(createChatToken({ endpoint: backend.url, ...request, timeoutMs: -1 }), { option: 'timeoutMs' });
  await assert.rejects(createChatToken({ endpoint: backend.url, ...request, fetch: /** @type {any} */ ('nope') }), { option: 'fetch' });
  await assert.rejects(createChatToken({ endpoint: backend.url, ...request, timeoutMs: Infinity }), { option: 'timeoutMs' });
  await assert.rejects(createChatToken({ endpoint: backend.url, ...request, signal: /** @type {any} */ ({ aborted: false }) }), { code: 'INVALID_OPTION', option: 'signal' });
});

test('a relative endpoint with no page to resolve it against is an option error, not a network error', async () => {
  for (const endpoint of ['/api/chat-token', 'chat-token', new URL('ftp://tokens.example/x')]) {
    await assert.rejects(createChatToken({ endpoint, ...request }), (error) => {
      assert.ok(error instanceof InvalidOptionError);
      assert.equal(error.option, 'endpoint');
      assert.match(error.message, typeof endpoint === 'string' ? /not an absolute URL.*full URL of your token backend/ : /http:\/\/ or https:\/\/ URL, not ftp/);
      return true;
    });
  }
  // A fetch the caller brings decides for itself (frameworks' server-side fetch takes relative URLs).
  const token = await createChatToken({
    endpoint: '/api/chat-token',
    ...request,
    fetch: async () => new Response(JSON.stringify({ token: 't', tokenExpirationTime: '2030-01-01T00:00:00Z', sessionExpirationTime: '2030-01-01T00:00:00Z' })),
  });
  assert.equal(token.token, 't');
});

test('a custom fetch is used', async () => {
  const seen = [];
  const token = await createChatToken({
    endpoint: 'https://tokens.example/chat',
    ...request,
    fetch: async (url, init) => {
      seen.push([String(url), init.method, init.body]);
      return new Response(JSON.stringify({ token: 'from-custom', tokenExpirationTime: '2030-01-01T00:00:00Z', sessionExpirationTime: '2030-01-01T00:00:00Z' }), { status: 200 });
    },
  });
  assert.equal(token.token, 'from-custom');
  assert.equal(seen[0][0], 'https://tokens.example/chat');
  assert.equal(seen[0][1], 'POST');
});
