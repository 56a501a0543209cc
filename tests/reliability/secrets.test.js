// No chat token, secret key, session token or signature in any log line, error or answer, across
// the failure paths of the whole chain: ChatRoom -> fetchTokenProvider / createChatToken -> the
// token handler (Node http) -> the local IVS Chat server (or IVS stand-ins that misbehave).
// Captured: the ChatRoom logger at every level, the handler's logger, the local server's logger,
// console.* (must stay silent), every error (message, stack, JSON, util.inspect, the whole cause
// chain) from `error` events and rejections, and every answer the handler gave. Tokens may appear
// only in the 200 answer that issued them. tests/backend/no-secrets.test.js covers every status
// of the handler itself; this extends it to the client side and the chain.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { inspect } from 'node:util';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';

import { ChatRoom, createChatToken, fetchTokenProvider } from 'ivschat-wasm';
import { TokenHandlerError } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { record, settled, sleep, startTokenBackend, waitFor } from './helpers.js';

const CREDENTIALS = {
  accessKeyId: 'ASIARELIABILITYKEY42',
  secretAccessKey: 'reliabilitySecretAccessKey/0123456789+abcdXYZ',
  sessionToken: 'IQoJb3JpZ2luReliabilitySessionToken0123456789abcdefEXAMPLE==',
};
const WRONG_SECRET = 'reliabilityWrongSecretAccessKey/9876543210+zz';

/** Everything said or thrown, in one place. */
function capture() {
  const lines = [];
  const errors = [];
  const answers = [];
  const signatures = new Set();
  const tokens = new Set();
  const consoleCalls = [];
  const roomLogger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((level) => [level, (...args) => lines.push(`room ${level}: ${args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 8 }))).join(' ')}`)]));
  const originals = {};
  return {
    lines,
    errors,
    answers,
    signatures,
    tokens,
    consoleCalls,
    roomLogger,
    handlerLogger: (entry) => lines.push(`handler: ${JSON.stringify(entry)}`),
    ivsLogger: (line) => lines.push(`ivs: ${line}`),
    /** The handler's fetch to IVS: remembers every signature sent and token received. */
    ivsFetch: async (url, init) => {
      const authorization = new Headers(init.headers).get('authorization') ?? '';
      const signature = authorization.split('Signature=')[1];
      if (signature) signatures.add(signature);
      const response = await fetch(url, init);
      const match = /"token":"([^"]+)"/.exec(await response.clone().text());
      if (match) tokens.add(match[1]);
      return response;
    },
    /** The browser side's fetch to the handler: remembers every answer. */
    browserFetch: async (url, init) => {
      const response = await fetch(url, init);
      answers.push({ status: response.status, text: await response.clone().text(), headers: JSON.stringify([...response.headers]) });
      return response;
    },
    /** @param {unknown} error */
    error: (error) => {
      errors.push(error);
      return error;
    },
    silenceConsole() {
      for (const level of ['log', 'debug', 'info', 'warn', 'error', 'trace']) {
        originals[level] = console[level];
        console[level] = (...args) => consoleCalls.push([level, ...args]);
      }
    },
    restoreConsole() {
      Object.assign(console, originals);
    },
  };
}

/** Every text an error carries: message, stack, JSON, inspect, and the same for each cause. */
function errorTexts(error, seen = new Set()) {
  if (error === null || error === undefined || seen.has(error)) return [];
  seen.add(error);
  if (typeof error !== 'object') return [String(error)];
  let json = '';
  try {
    json = JSON.stringify(error);
  } catch {
    json = '';
  }
  return [String(error.message), String(error.stack), json, inspect(error, { depth: 10 }), ...errorTexts(error.cause, seen)];
}

function assertNoSecrets(captured, { expectRedacted = false } = {}) {
  const secrets = [
    ['secret access key', CREDENTIALS.secretAccessKey],
    ['wrong secret access key', WRONG_SECRET],
    ['session token', CREDENTIALS.sessionToken],
    ['access key id', CREDENTIALS.accessKeyId],
    ...[...captured.signatures].map((signature) => ['signature', signature]),
  ];
  const logText = captured.lines.join('\n');
  const errorText = captured.errors.flatMap((error) => errorTexts(error)).join('\n');
  const answerText = captured.answers.map((answer) => `${answer.text}\n${answer.headers}`).join('\n');
  for (const [what, secret] of secrets) {
    assert.ok(!logText.includes(secret), `a log line contains the ${what}: ${captured.lines.filter((line) => line.includes(secret)).join(' | ')}`);
    assert.ok(!errorText.includes(secret), `an error contains the ${what}`);
    assert.ok(!answerText.includes(secret), `an answer contains the ${what}: ${captured.answers.filter((a) => a.text.includes(secret) || a.headers.includes(secret)).map((a) => `${a.status} ${a.text} ${a.headers}`).join(' | ')}`);
  }
  for (const token of captured.tokens) {
    assert.ok(!logText.includes(token), 'a log line contains a chat token');
    assert.ok(!errorText.includes(token), 'an error contains a chat token');
    const carriers = captured.answers.filter((answer) => answer.text.includes(token) || answer.headers.includes(token));
    assert.ok(carriers.length <= 1 && carriers.every((answer) => answer.status === 200 && JSON.parse(answer.text).token === token), 'a token appears outside the 200 answer that issued it');
  }
  assert.deepEqual(captured.consoleCalls, [], 'nothing went to the console');
  if (expectRedacted) assert.ok(logText.includes('[redacted]'), 'secrets put into messages on purpose were scrubbed');
}

/** An IVS stand-in that puts the signed request's secrets everywhere it can: message, fieldList, error type. */
async function startEchoingIvs() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const token = String(req.headers['x-amz-security-token']);
      const signature = String(req.headers.authorization).split('Signature=')[1];
      res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': `ValidationException${signature}` });
      res.end(JSON.stringify({ message: `Echo ${token} ${req.headers.authorization}`, reason: token, fieldList: [{ name: token, message: signature }] }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  return {
    url: `http://127.0.0.1:${/** @type {any} */ (server.address()).port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve(undefined));
    }),
  };
}

/** @type {Awaited<ReturnType<typeof startLocalIvsChat>>} */
let ivs;
let captured;
let roomArn;
const closers = [];
before(async () => {
  captured = capture();
  ivs = await startLocalIvsChat({ credentials: CREDENTIALS, logger: captured.ivsLogger });
  roomArn = (await ivs.createRoom({ maximumMessageRatePerSecond: 100 })).arn;
});
after(async () => {
  for (const close of closers.reverse()) await close();
  await ivs.close();
});

/** A token backend on the local server; `authorize` obeys the X-Mode header to take the failure paths. */
async function backend(options = {}) {
  const started = await startTokenBackend(ivs, {
    credentials: CREDENTIALS,
    fetch: captured.ivsFetch,
    logger: captured.handlerLogger,
    // Good calls to IVS take a few ms; 10 s is far over 10x that on a loaded machine. The one
    // hang meant to be answered 504 goes through a backend of its own with 500 ms (`quick`).
    timeoutMs: 10_000,
    allowedOrigins: ['https://app.example.com'],
    authorize: (request, body) => {
      const mode = request.headers.get('x-mode');
      if (mode === 'unauthorized') throw new TokenHandlerError(401, 'Sign in to chat.');
      if (mode === 'refuse') return null;
      // An app bug that puts the secrets into an exception: logged scrubbed, answered generic.
      if (mode === 'leaky') throw new Error(`db failed for ${CREDENTIALS.secretAccessKey} / ${CREDENTIALS.sessionToken}`);
      return { roomIdentifier: body.roomIdentifier, userId: body.userId, capabilities: body.capabilities };
    },
    ...options,
  });
  closers.push(started.close);
  return started;
}

test('ChatRoom and its token chain, through every failure path: no secret, signature or token anywhere', { timeout: 60_000 }, async () => {
  const good = await backend();
  const quick = await backend({ timeoutMs: 500 }); // only for a fetch whose IVS call hangs
  const wrongSecret = await backend({ credentials: { ...CREDENTIALS, secretAccessKey: WRONG_SECRET } });
  const echoing = await startEchoingIvs();
  closers.push(echoing.close);
  const echoingBackend = await backend({ endpoint: echoing.url });
  captured.silenceConsole();
  /** @type {ChatRoom[]} */
  const rooms = [];
  const makeRoom = (tokenProvider, options = {}) => {
    const room = new ChatRoom({ regionOrUrl: ivs.messagingUrl, WebSocket, tokenProvider, logger: captured.roomLogger, backoff: { initialDelayMs: 5, maxDelayMs: 20 }, ...options });
    room.addListener('error', captured.error);
    rooms.push(room);
    return room;
  };
  const provider = (url, userId, extra = {}, init = {}) =>
    fetchTokenProvider(url, { roomIdentifier: roomArn, userId, capabilities: ['SEND_MESSAGE', 'DISCONNECT_USER'], ...extra }, { fetch: captured.browserFetch, ...init });
  try {
    // Happy path, then trouble on the wire: ERROR frames, garbage, a drop, a stall (TIMEOUT), a bad request, a kick.
    // Alice's requests time out after 300 ms, a deadline that should only pass in the stall: her
    // room's clock keeps it at 300 ms for requests sent while the server stalls and stretches it
    // to 30 s for the others (answered within a few ms on a quiet machine), so a slow machine
    // cannot time out a request that gets its answer.
    const ALICE_REQUEST_TIMEOUT_MS = 300;
    let stalled = false;
    const aliceClock = {
      now: () => Date.now(),
      setTimeout: (/** @type {() => void} */ callback, /** @type {number} */ ms) => setTimeout(callback, ms === ALICE_REQUEST_TIMEOUT_MS && !stalled ? 30_000 : ms),
      clearTimeout: (/** @type {any} */ handle) => clearTimeout(handle),
    };
    // Her n-th token fetch goes to `quick` only when the test says its IVS call will hang.
    let aliceNextFetchHangs = false;
    const aliceProviders = { good: provider(good.url, 'alice'), hang: provider(quick.url, 'alice') };
    const aliceTokens = () => {
      const chosen = aliceNextFetchHangs ? aliceProviders.hang : aliceProviders.good;
      aliceNextFetchHangs = false;
      return chosen();
    };
    const alice = makeRoom(aliceTokens, { requestTimeoutMs: ALICE_REQUEST_TIMEOUT_MS, clock: aliceClock });
    const aliceLog = record(alice);
    const viewer = makeRoom(provider(good.url, 'victor', { capabilities: [] }));
    await Promise.all([alice.connect(), viewer.connect()]);
    await alice.sendMessage({ content: 'hello' });
    captured.error((await settled(viewer.sendMessage({ content: 'viewers cannot talk' }))).error);
    captured.error((await settled(alice.sendMessage({ content: '' }))).error);
    ivs.faults.injectFrame('{"Type":"ERROR","ErrorCode":500,"ErrorMessage":"boom"}', { userId: 'alice' });
    ivs.faults.injectFrame('garbage', { userId: 'alice' });
    ivs.faults.stall(true);
    stalled = true;
    captured.error((await settled(alice.sendMessage({ content: 'into the stall' }))).error);
    stalled = false;
    ivs.faults.stall(false);
    ivs.faults.dropConnections({ userId: 'alice' });
    await waitFor(() => aliceLog.connect === 2, 'Alice to reconnect');
    // Token fetch failures in an outage: 429, a hang answered 504, then recovery.
    ivs.faults.failCreateChatToken({ count: 1, status: 429, errorType: 'ThrottlingException' });
    ivs.faults.dropConnections({ userId: 'alice' });
    await waitFor(() => aliceLog.connect === 3, 'Alice to reconnect after a 429');
    ivs.faults.failCreateChatToken({ count: 1, hang: true });
    aliceNextFetchHangs = true;
    ivs.faults.dropConnections({ userId: 'alice' });
    await waitFor(() => aliceLog.connect === 4, 'Alice to reconnect after a 504');
    captured.error((await settled(alice.disconnectUser({ userId: 'victor', reason: 'kick' }))).error);

    // A reused token (refused handshake), then a WebSocket class that quotes the token, as browsers do.
    const real = provider(good.url, 'rita');
    let first;
    const reuse = makeRoom(async () => {
      const token = await real();
      first ??= token;
      return first;
    }, { maxReconnectAttempts: 1 });
    await reuse.connect();
    reuse.disconnect();
    captured.error((await settled(reuse.connect())).error);
    class QuotingWebSocket extends WebSocket {
      constructor(url, protocol) {
        throw new SyntaxError(`Failed to construct 'WebSocket': The subprotocol '${protocol}' is invalid.`);
      }
    }
    captured.error((await settled(makeRoom(provider(good.url, 'quinn'), { WebSocket: QuotingWebSocket, maxReconnectAttempts: 0 }).connect())).error);

    // Connect failures through the chain: refusals, a backend bug, wrong secret, an IVS that echoes secrets, a timeout, no backend.
    const failing = [
      makeRoom(provider(good.url, 'uma', {}, { headers: { 'x-mode': 'unauthorized' } }), { maxReconnectAttempts: 0 }),
      makeRoom(provider(good.url, 'rex', {}, { headers: { 'x-mode': 'refuse' } }), { maxReconnectAttempts: 0 }),
      makeRoom(provider(good.url, 'lea', {}, { headers: { 'x-mode': 'leaky' } }), { maxReconnectAttempts: 0 }),
      makeRoom(provider(wrongSecret.url, 'will'), { maxReconnectAttempts: 1 }),
      makeRoom(provider(echoingBackend.url, 'eve'), { maxReconnectAttempts: 1 }),
      makeRoom(provider(good.url, 'bea', {}, { headers: { origin: 'https://evil.example' } }), { maxReconnectAttempts: 0 }),
    ];
    for (const room of failing) captured.error((await settled(room.connect())).error);
    ivs.faults.failCreateChatToken({ count: 2, hang: true });
    captured.error((await settled(makeRoom(provider(good.url, 'tim', {}, { timeoutMs: 200 }), { maxReconnectAttempts: 0 }).connect())).error);
    captured.error((await settled(makeRoom(provider(good.url, 'ted'), { maxReconnectAttempts: 0, tokenTimeoutMs: 200 }).connect())).error);
    ivs.faults.reset();
    const closedPort = await new Promise((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = /** @type {any} */ (server.address());
        server.close(() => resolve(port));
      });
    });
    captured.error((await settled(makeRoom(provider(`http://127.0.0.1:${closedPort}/chat-token`, 'nia'), { maxReconnectAttempts: 0 }).connect())).error);

    // A backend that answers 200 with a real token but unusable times; a provider returning a real token with a bad date.
    const issued = await createChatToken({ endpoint: good.url, roomIdentifier: roomArn, userId: 'mallory', fetch: captured.browserFetch });
    const sloppy = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: issued.token, tokenExpirationTime: `soon ${issued.token}`, sessionExpirationTime: 'later' }));
    });
    await new Promise((resolve) => sloppy.listen(0, '127.0.0.1', () => resolve(undefined)));
    closers.push(() => new Promise((resolve) => sloppy.close(() => resolve(undefined))));
    captured.error(await createChatToken({ endpoint: `http://127.0.0.1:${/** @type {any} */ (sloppy.address()).port}/`, roomIdentifier: roomArn, userId: 'mallory' }).catch((error) => error));
    captured.error((await settled(makeRoom(() => ({ token: issued.token, sessionExpirationTime: `not a date ${issued.token}` }), { maxReconnectAttempts: 0 }).connect())).error);

    for (const room of rooms) room.disconnect();
    await sleep(50);

    // The failures really happened, with the secrets on their way in.
    const codes = captured.errors.map((error) => error?.code);
    for (const code of ['FORBIDDEN', 'VALIDATION', 'SERVER_ERROR', 'MALFORMED_FRAME', 'TIMEOUT', 'TOKEN_FETCH_FAILED', 'CONNECTION_FAILED', 'DISCONNECTED', 'MALFORMED_RESPONSE']) {
      assert.ok(codes.includes(code), `no ${code} among ${[...new Set(codes)]}`);
    }
    const statuses = new Set(captured.answers.map((answer) => answer.status));
    for (const status of [200, 400, 401, 403, 429, 500, 504]) assert.ok(statuses.has(status), `no HTTP ${status} answer among ${[...statuses]}`);
    assert.ok(captured.tokens.size >= 8 && captured.signatures.size >= 8, `${captured.tokens.size} tokens, ${captured.signatures.size} signatures`);
    assert.ok(captured.lines.some((line) => line.startsWith('room debug')) && captured.lines.some((line) => line.startsWith('ivs: ws refused')));
  } finally {
    captured.restoreConsole();
  }
  assertNoSecrets(captured, { expectRedacted: true });
});
