// createTokenHandler: every answer it can give, against the local IVS Chat server (and a fake
// IVS for the answers the local server cannot give: garbage, an unreachable port).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  ChatTokenSigningError,
  createTokenHandler,
  InvalidOptionError,
  TokenHandlerError,
} from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { closedPortUrl, countingStream, createRecorder, readAnswer, startFakeIvs, tokenRequest } from './helpers.js';

const APP_ORIGIN = 'https://app.example.com';
let ivs;
let room;
before(async () => {
  ivs = await startLocalIvsChat();
  room = await ivs.createRoom({ name: 'handler-tests' });
});
after(() => ivs.close());

/** The app's decision in most tests: whatever the browser asks, this user may send messages. */
const grantSender = () => ({ roomIdentifier: room.arn, userId: 'user-from-session', capabilities: ['SEND_MESSAGE'] });

/** A handler against the local server; `overrides` replace any option. */
function handlerWith(overrides = {}) {
  return createTokenHandler({
    credentials: ivs.credentials,
    endpoint: ivs.controlPlaneUrl,
    authorize: grantSender,
    allowedOrigins: [APP_ORIGIN],
    // The requests are addressed to https://tokens.example.com/chat-token (tokenRequest), as a
    // deployed handler's are: it names its public host (issue 18: others get 421).
    allowedHosts: ['tokens.example.com'],
    ...overrides,
  });
}

/** Asserts an AWS-shaped error answer. */
function assertError(answer, status, errorType) {
  assert.equal(answer.status, status, answer.text);
  assert.equal(answer.headers.get('x-amzn-errortype'), errorType);
  assert.equal(answer.headers.get('content-type'), 'application/json');
  assert.equal(answer.headers.get('cache-control'), 'no-store');
  assert.equal(typeof answer.json?.message, 'string');
  assert.ok(answer.json.message.length > 0);
}

test('issues a token: only token and the two times, no-store, Vary: Origin, the token works for the local server', async () => {
  const issuedBefore = ivs.stats().tokensIssued;
  const answer = await readAnswer(await handlerWith()(tokenRequest({ roomIdentifier: room.arn, userId: 'anything' })));
  assert.equal(answer.status, 200);
  assert.deepEqual(Object.keys(answer.json).sort(), ['sessionExpirationTime', 'token', 'tokenExpirationTime']);
  assert.match(answer.json.token, /^local\./);
  assert.ok(Date.parse(answer.json.tokenExpirationTime) > Date.now());
  assert.ok(Date.parse(answer.json.sessionExpirationTime) > Date.parse(answer.json.tokenExpirationTime));
  assert.equal(answer.headers.get('cache-control'), 'no-store');
  assert.equal(answer.headers.get('vary'), 'Origin');
  assert.equal(answer.headers.get('content-type'), 'application/json');
  assert.equal(answer.headers.get('access-control-allow-origin'), null, 'no CORS header without an Origin');
  assert.equal(ivs.stats().tokensIssued, issuedBefore + 1);
});

test('authorize gets the Request and the parsed body; what it returns (not what the browser asked) is signed', async () => {
  let seen;
  const handler = handlerWith({
    authorize: (request, body) => {
      seen = { authorization: request.headers.get('authorization'), body };
      return { roomIdentifier: room.arn, userId: 'decided-by-server', capabilities: [] };
    },
  });
  const asked = { roomIdentifier: room.arn, userId: 'admin', capabilities: ['DISCONNECT_USER', 'DELETE_MESSAGE'] };
  const answer = await readAnswer(await handler(tokenRequest(asked, { headers: { authorization: 'Bearer session-1' } })));
  assert.equal(answer.status, 200);
  assert.deepEqual(seen, { authorization: 'Bearer session-1', body: asked });
});

test('same-origin POST is allowed without any allow-list; other origins are refused by default', async () => {
  const handler = handlerWith({ allowedOrigins: undefined });
  const same = await readAnswer(await handler(tokenRequest({}, { origin: 'https://tokens.example.com' })));
  assert.equal(same.status, 200);
  assert.equal(same.headers.get('access-control-allow-origin'), null);
  const other = await readAnswer(await handler(tokenRequest({}, { origin: APP_ORIGIN })));
  assertError(other, 403, 'AccessDeniedException');
});

test('an allowed cross-origin POST gets Access-Control-Allow-Origin and can read X-Amzn-ErrorType', async () => {
  const answer = await readAnswer(await handlerWith()(tokenRequest({}, { origin: APP_ORIGIN })));
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get('access-control-allow-origin'), APP_ORIGIN);
  assert.equal(answer.headers.get('access-control-expose-headers'), 'x-amzn-errortype');
  assert.equal(answer.headers.get('vary'), 'Origin');
});

test('CORS preflight from an allowed origin: 204 with methods, the requested headers and max-age, no body', async () => {
  const calls = ivs.stats().createChatTokenCalls;
  const response = await handlerWith()(tokenRequest(undefined, {
    method: 'OPTIONS',
    origin: APP_ORIGIN,
    headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  }));
  const answer = await readAnswer(response);
  assert.equal(answer.status, 204);
  assert.equal(answer.text, '');
  assert.equal(answer.headers.get('access-control-allow-origin'), APP_ORIGIN);
  assert.equal(answer.headers.get('access-control-allow-methods'), 'POST, OPTIONS');
  assert.equal(answer.headers.get('access-control-allow-headers'), 'authorization,content-type');
  assert.equal(answer.headers.get('access-control-max-age'), '600');
  assert.match(answer.headers.get('vary'), /^Origin\b/);
  assert.equal(ivs.stats().createChatTokenCalls, calls, 'a preflight never reaches IVS');
});

test('CORS preflight and POST from a disallowed origin: 403 without CORS headers; authorize and IVS untouched', async () => {
  let authorizeCalls = 0;
  const handler = handlerWith({ authorize: () => (authorizeCalls++, grantSender()) });
  const calls = ivs.stats().createChatTokenCalls;
  const preflight = await readAnswer(await handler(tokenRequest(undefined, {
    method: 'OPTIONS', origin: 'https://evil.example', headers: { 'access-control-request-method': 'POST' },
  })));
  assertError(preflight, 403, 'AccessDeniedException');
  assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  assert.equal(preflight.headers.get('vary'), 'Origin');
  const post = await readAnswer(await handler(tokenRequest({}, { origin: 'https://evil.example' })));
  assertError(post, 403, 'AccessDeniedException');
  assert.equal(post.headers.get('access-control-allow-origin'), null);
  const nullOrigin = await readAnswer(await handler(tokenRequest({}, { origin: 'null' })));
  assertError(nullOrigin, 403, 'AccessDeniedException');
  assert.equal(authorizeCalls, 0);
  assert.equal(ivs.stats().createChatTokenCalls, calls);
});

test("allowedOrigins: '*' allows any origin, a predicate decides per origin", async () => {
  const any = await handlerWith({ allowedOrigins: '*' })(tokenRequest({}, { origin: 'https://whoever.example' }));
  assert.equal(any.status, 200);
  assert.equal(any.headers.get('access-control-allow-origin'), 'https://whoever.example');
  const predicate = handlerWith({ allowedOrigins: (origin) => origin.endsWith('.trusted.example') });
  assert.equal((await predicate(tokenRequest({}, { origin: 'https://a.trusted.example' }))).status, 200);
  assert.equal((await predicate(tokenRequest({}, { origin: 'https://a.untrusted.example' }))).status, 403);
});

test('plain OPTIONS (no preflight headers): 204 with Allow', async () => {
  const answer = await readAnswer(await handlerWith()(tokenRequest(undefined, { method: 'OPTIONS' })));
  assert.equal(answer.status, 204);
  assert.equal(answer.headers.get('allow'), 'POST, OPTIONS');
});

test('other methods: 405 MethodNotAllowedException with Allow: POST, OPTIONS', async () => {
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD']) {
    const answer = await readAnswer(await handlerWith()(tokenRequest({}, { method })));
    assert.equal(answer.status, 405, method);
    assert.equal(answer.headers.get('allow'), 'POST, OPTIONS', method);
    assert.equal(answer.headers.get('x-amzn-errortype'), 'MethodNotAllowedException', method);
  }
});

test('not JSON: 415 UnsupportedMediaTypeException; JSON with parameters is accepted', async () => {
  for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', '']) {
    const answer = await readAnswer(await handlerWith()(tokenRequest('{}', { headers: { 'content-type': contentType } })));
    assertError(answer, 415, 'UnsupportedMediaTypeException');
  }
  const withCharset = await handlerWith()(tokenRequest('{}', { headers: { 'content-type': 'Application/JSON; charset=utf-8' } }));
  assert.equal(withCharset.status, 200);
});

test('413 when Content-Length announces too much, without reading the body', async () => {
  const { stream, state } = countingStream(100_000);
  const request = tokenRequest(stream, { headers: { 'content-length': '100000' } });
  const answer = await readAnswer(await handlerWith()(request));
  assertError(answer, 413, 'PayloadTooLargeException');
  assert.ok(state.pulledBytes <= 1024, `read ${state.pulledBytes} bytes of a body it refused`);
});

test('413 when Content-Length lies: bytes are counted while reading, and reading stops at the limit', async () => {
  const { stream, state } = countingStream(1_000_000);
  const request = tokenRequest(stream, { headers: { 'content-length': '10' } });
  const answer = await readAnswer(await handlerWith({ maxBodyBytes: 4096 })(request));
  assertError(answer, 413, 'PayloadTooLargeException');
  assert.ok(state.pulledBytes <= 4096 + 2 * 1024, `pulled ${state.pulledBytes} bytes of a 1 MB body`);
});

test('413 for a streamed body without Content-Length; a body of exactly maxBodyBytes is read', async () => {
  const big = countingStream(9000);
  assertError(await readAnswer(await handlerWith()(tokenRequest(big.stream))), 413, 'PayloadTooLargeException');
  const padded = JSON.stringify({ pad: 'x'.repeat(100) });
  const exact = await handlerWith({ maxBodyBytes: Buffer.byteLength(padded) })(tokenRequest(padded));
  assert.equal(exact.status, 200);
  const oneOver = await readAnswer(await handlerWith({ maxBodyBytes: Buffer.byteLength(padded) - 1 })(tokenRequest(padded)));
  assertError(oneOver, 413, 'PayloadTooLargeException');
});

test('bad JSON, invalid UTF-8, an empty body and non-objects: 400 SerializationException, authorize not called', async () => {
  let authorizeCalls = 0;
  const handler = handlerWith({ authorize: () => (authorizeCalls++, grantSender()) });
  for (const body of ['{"roomIdentifier":', 'undefined', '', '[]', '"a string"', 'null', '42', new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])]) {
    const answer = await readAnswer(await handler(tokenRequest(body)));
    assertError(answer, 400, 'SerializationException');
  }
  assert.equal(authorizeCalls, 0);
});

test('authorize refuses: TokenHandlerError keeps its status, type and message; null is 403', async () => {
  const unauthorized = await readAnswer(await handlerWith({
    authorize: () => { throw new TokenHandlerError(401, 'Sign in to chat.'); },
  })(tokenRequest({})));
  assertError(unauthorized, 401, 'UnauthorizedException');
  assert.equal(unauthorized.json.message, 'Sign in to chat.');

  const custom = await readAnswer(await handlerWith({
    authorize: async () => { throw new TokenHandlerError(403, 'Banned from this room.', { errorType: 'UserBannedException' }); },
  })(tokenRequest({})));
  assertError(custom, 403, 'UserBannedException');
  assert.equal(custom.json.message, 'Banned from this room.');

  for (const refusal of [null, undefined, false]) {
    const answer = await readAnswer(await handlerWith({ authorize: async () => refusal })(tokenRequest({})));
    assertError(answer, 403, 'AccessDeniedException');
  }
});

test('authorize failing or returning nonsense: 500 with a generic message; the log says why', async () => {
  const recorder = createRecorder();
  const thrown = await readAnswer(await handlerWith({
    logger: recorder.logger,
    authorize: () => { throw new Error('session store down'); },
  })(tokenRequest({})));
  assertError(thrown, 500, 'InternalServerException');
  assert.ok(!thrown.text.includes('session store'), 'internal details stay in the log');
  assert.match(recorder.logs.at(-1).message, /authorize threw Error: session store down/);
  assert.equal(recorder.logs.at(-1).level, 'error');

  // authorize's own timeout (a fetch under AbortSignal.timeout) is its failure, not the handler's deadline.
  const ownTimeout = await readAnswer(await handlerWith({
    logger: recorder.logger,
    authorize: () => { throw new DOMException('The operation was aborted due to timeout', 'TimeoutError'); },
  })(tokenRequest({})));
  assertError(ownTimeout, 500, 'InternalServerException');
  assert.match(recorder.logs.at(-1).message, /authorize threw TimeoutError/);

  const nonsense = await readAnswer(await handlerWith({ logger: recorder.logger, authorize: () => 'alice' })(tokenRequest({})));
  assertError(nonsense, 500, 'InternalServerException');
  assert.match(recorder.logs.at(-1).message, /authorize returned string/);
  for (const status of [200, 399, 600, 401.5]) assert.throws(() => new TokenHandlerError(status, 'no'), RangeError);
  assert.throws(() => new TokenHandlerError(403, 'no', { errorType: 'Bad\r\nSet-Cookie: x' }), TypeError);
});

test('invalid parameters from authorize: 400 ValidationException in the IVS shape, nothing sent to IVS', async () => {
  const calls = ivs.stats().createChatTokenCalls;
  const answer = await readAnswer(await handlerWith({
    authorize: () => ({ roomIdentifier: room.arn, userId: '', capabilities: ['SEND_MESSAGE', 'FLY'], sessionDurationInMinutes: 181 }),
  })(tokenRequest({})));
  assertError(answer, 400, 'ValidationException');
  assert.equal(answer.json.reason, 'FIELD_VALIDATION_FAILED');
  assert.deepEqual(answer.json.fieldList.map((f) => f.name).sort(), ['capabilities[1]', 'sessionDurationInMinutes', 'userId']);
  for (const field of answer.json.fieldList) assert.ok(field.message.length > 0);
  // IVS's own shape, members in its order: the first problem's message and how many more.
  const { fieldList } = answer.json;
  assert.equal(answer.json.message, `${fieldList[0].message} (and 2 more problems)`);
  assert.equal(answer.text, JSON.stringify({ fieldList: fieldList.map((f) => ({ message: f.message, name: f.name })), message: answer.json.message, reason: 'FIELD_VALIDATION_FAILED' }));
  assert.equal(ivs.stats().createChatTokenCalls, calls);
});

test('a request the shim cannot write for the core (a cycle) is refused in the same ValidationException shape', async () => {
  const answer = await readAnswer(await handlerWith({
    authorize: () => {
      const request = { roomIdentifier: room.arn, userId: 'u', attributes: {} };
      request.attributes = request;
      return request;
    },
  })(tokenRequest({})));
  assertError(answer, 400, 'ValidationException');
  assert.deepEqual(Object.keys(answer.json), ['fieldList', 'message', 'reason']);
  assert.deepEqual(answer.json.fieldList.map((f) => f.name), ['request']);
  assert.match(answer.json.message, /^The request cannot be read: it contains itself/);
  assert.equal(answer.json.reason, 'FIELD_VALIDATION_FAILED');
});

test('IVS 4xx keep their status and error type; caller-facing messages pass, credential/IAM ones do not', async () => {
  const recorder = createRecorder();
  const handler = handlerWith({ logger: recorder.logger });
  ivs.faults.failCreateChatToken({ status: 404, errorType: 'ResourceNotFoundException', message: 'Room not found.' });
  const missing = await readAnswer(await handler(tokenRequest({})));
  assertError(missing, 404, 'ResourceNotFoundException');
  assert.equal(missing.json.message, 'Room not found.');

  ivs.faults.failCreateChatToken({ status: 429, errorType: 'ThrottlingException', message: 'Slow down.' });
  const throttled = await readAnswer(await handler(tokenRequest({})));
  assertError(throttled, 429, 'ThrottlingException');
  assert.equal(throttled.json.message, 'Slow down.');

  ivs.faults.failCreateChatToken({ status: 403, errorType: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:user/backend is not authorized' });
  const denied = await readAnswer(await handler(tokenRequest({})));
  assertError(denied, 403, 'AccessDeniedException');
  assert.ok(!denied.text.includes('arn:aws:iam'), 'the backend identity is not shown to callers');
  assert.match(recorder.logs.at(-1).message, /IVS answered HTTP 403 AccessDeniedException: User: arn:aws:iam/);
  assert.equal(recorder.logs.at(-1).level, 'error');
});

test('a real signature failure at IVS (wrong secret): 403 with its type, the log has the AWS message', async () => {
  const recorder = createRecorder();
  const handler = handlerWith({
    credentials: { accessKeyId: ivs.credentials.accessKeyId, secretAccessKey: 'wrongSecretKeyForThisLocalServer0000000' },
    logger: recorder.logger,
  });
  const answer = await readAnswer(await handler(tokenRequest({})));
  assertError(answer, 403, 'InvalidSignatureException');
  assert.match(recorder.logs.at(-1).message, /signature we calculated does not match/);
});

test('IVS 5xx: 502 BadGatewayException', async () => {
  for (const [status, errorType] of [[500, 'InternalServerException'], [503, 'ServiceUnavailableException']]) {
    ivs.faults.failCreateChatToken({ status, errorType });
    const answer = await readAnswer(await handlerWith()(tokenRequest({})));
    assertError(answer, 502, 'BadGatewayException');
    assert.match(answer.json.message, new RegExp(`HTTP ${status} ${errorType}`));
  }
});

test('garbage from IVS (200 with a body that is not a token answer): 502, the garbage is not echoed', async () => {
  const bodies = ['<html>proxy error</html>', '{"token":42}', '{"token":"t","tokenExpirationTime":"yesterday","sessionExpirationTime":"2030-01-01T00:00:00Z"}', ''];
  let next = 0;
  const fake = await startFakeIvs((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(bodies[next++]);
  });
  try {
    for (const body of bodies) {
      const answer = await readAnswer(await handlerWith({ endpoint: fake.url })(tokenRequest({})));
      assertError(answer, 502, 'BadGatewayException');
      if (body) assert.ok(!answer.text.includes(body), 'does not echo the upstream body');
    }
  } finally {
    await fake.close();
  }
});

test('IVS unreachable (connection refused): 502 BadGatewayException', async () => {
  const recorder = createRecorder();
  const answer = await readAnswer(await handlerWith({ endpoint: await closedPortUrl(), logger: recorder.logger })(tokenRequest({})));
  assertError(answer, 502, 'BadGatewayException');
  assert.match(recorder.logs.at(-1).message, /could not reach IVS/);
});

test('IVS hangs: 504 GatewayTimeoutException after timeoutMs', async () => {
  ivs.faults.failCreateChatToken({ hang: true });
  try {
    const started = Date.now();
    const answer = await readAnswer(await handlerWith({ timeoutMs: 300 })(tokenRequest({})));
    assertError(answer, 504, 'GatewayTimeoutException');
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 5000, `answered after ${elapsed} ms`);
  } finally {
    ivs.faults.reset();
  }
});

test('misconfigured credentials: 500, the log names the field, the caller learns nothing', async () => {
  const recorder = createRecorder();
  const cases = [
    [{ credentials: { accessKeyId: ivs.credentials.accessKeyId, secretAccessKey: 'has a space in it' } }, 'credentials.secretAccessKey'],
    [{ credentials: { accessKeyId: ivs.credentials.accessKeyId, secretAccessKey: 'x', sessionToken: 'bad\ntoken' } }, 'credentials.sessionToken'],
    [{ credentials: undefined, getCredentials: async () => ({ accessKeyId: '', secretAccessKey: 's' }) }, 'credentials.accessKeyId'],
    [{ credentials: undefined, getCredentials: () => { throw new ChatTokenSigningError('AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY is not set'); } }, 'AWS_SECRET_ACCESS_KEY'],
  ];
  for (const [overrides, field] of cases) {
    const answer = await readAnswer(await handlerWith({ ...overrides, logger: recorder.logger })(tokenRequest({})));
    assertError(answer, 500, 'InternalServerException');
    assert.equal(answer.json.message, 'The token backend is misconfigured.');
    assert.equal(recorder.logs.at(-1).field, field);
    assert.equal(recorder.logs.at(-1).level, 'error');
  }
});

test('getCredentials is called per request and its result is used', async () => {
  let calls = 0;
  const handler = handlerWith({ credentials: undefined, getCredentials: async () => (calls++, ivs.credentials) });
  assert.equal((await handler(tokenRequest({}))).status, 200);
  assert.equal((await handler(tokenRequest({}))).status, 200);
  assert.equal(calls, 2);
});

test('one log entry per request with level, method, status, duration; a throwing logger changes nothing', async () => {
  const recorder = createRecorder();
  const handler = handlerWith({ logger: recorder.logger });
  await handler(tokenRequest({}));
  await handler(tokenRequest({}, { method: 'GET' }));
  assert.equal(recorder.logs.length, 2);
  assert.deepEqual({ ...recorder.logs[0], durationMs: 0 }, { level: 'info', message: 'issued a chat token', method: 'POST', status: 200, durationMs: 0 });
  assert.equal(recorder.logs[1].status, 405);
  assert.equal(recorder.logs[1].errorType, 'MethodNotAllowedException');
  assert.ok(recorder.logs.every((entry) => typeof entry.durationMs === 'number' && entry.durationMs >= 0));
  const withBrokenLogger = handlerWith({ logger: () => { throw new Error('log sink down'); } });
  assert.equal((await withBrokenLogger(tokenRequest({}))).status, 200);
});

test('bad options fail at creation with the option named', () => {
  const base = { credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, authorize: grantSender };
  const expectOption = (options, option) =>
    assert.throws(() => createTokenHandler(options), (error) => error instanceof InvalidOptionError && error.option === option, option);
  expectOption({ ...base, authorize: undefined }, 'authorize');
  expectOption({ ...base, getCredentials: () => base.credentials }, 'credentials');
  expectOption({ authorize: grantSender }, 'credentials');
  expectOption({ ...base, allowedOrigins: ['https://app.example.com/'] }, 'allowedOrigins[0]');
  expectOption({ ...base, allowedOrigins: [APP_ORIGIN, 'app.example.com'] }, 'allowedOrigins[1]');
  expectOption({ ...base, allowedOrigins: 'https://app.example.com' }, 'allowedOrigins');
  expectOption({ ...base, maxBodyBytes: 0 }, 'maxBodyBytes');
  expectOption({ ...base, maxBodyBytes: 10.5 }, 'maxBodyBytes');
  expectOption({ ...base, timeoutMs: -1 }, 'timeoutMs');
  expectOption({ ...base, fetch: 'fetch' }, 'fetch');
  expectOption({ ...base, logger: console }, 'logger');
  expectOption({ ...base, credentials: { accessKeyId: 1, secretAccessKey: 's' } }, 'credentials.accessKeyId');
  expectOption({ ...base, region: 5 }, 'region');
  expectOption({ ...base, region: 'US East' }, 'region');
  expectOption({ ...base, endpoint: 'us-west-2' }, 'endpoint');
  expectOption({ ...base, endpoint: 'ftp://example.com' }, 'endpoint');
  expectOption({ ...base, allowOrigins: [APP_ORIGIN] }, 'allowOrigins');
  expectOption({ ...base, bodyTimeoutMs: 0 }, 'bodyTimeoutMs');
  expectOption({ ...base, authorizeTimeoutMs: Number.NaN }, 'authorizeTimeoutMs');
  expectOption({ ...base, requestTimeoutMs: -5 }, 'requestTimeoutMs');
  assert.throws(() => createTokenHandler({ ...base, endpoint: 'us-west-2' }), /pass region: 'us-west-2'/);
});
