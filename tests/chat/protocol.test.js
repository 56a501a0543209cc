// ChatRoom driven through an in-memory WebSocket and a fake clock: option checks, every ERROR
// code, frame tolerance, de-duplication, kick detection, timeouts, the rate limit and the backoff
// schedule, exactly and without waiting. (The same behaviours against the local IVS Chat server
// are in the other files; this one covers what a real server cannot be made to do on cue.)
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { SendMessageRequest } from 'amazon-ivs-chat-messaging';

import { ChatError, ChatRoom, init, InvalidOptionError, IvsChatError } from 'ivschat-wasm';
import { backoffCeiling, backoffDelay, resolveBackoffOptions } from '../../js/chat/backoff.js';
import { codeForStatus } from '../../js/chat/chat-error.js';
import { Redactor } from '../../js/redact.js';
import { SendRateLimiter, WINDOW_MS } from '../../js/chat/rate-limiter.js';
import { RecentIds } from '../../js/chat/recent-ids.js';
import { echoOf, FakeClock, FakeService, fakeId, flush, record, settled } from './helpers.js';

before(async () => {
  await init(); // loaded once, so that the fake clock alone drives what follows
});

const TOKEN_TIMEOUT_MS = 7001;
const CONNECT_TIMEOUT_MS = 7002;
const REQUEST_TIMEOUT_MS = 7003;
/** Timers that are not backoff delays, told apart by their distinctive lengths. */
const isBackoffDelay = (ms) => ![TOKEN_TIMEOUT_MS, CONNECT_TIMEOUT_MS, REQUEST_TIMEOUT_MS].includes(ms);

/**
 * A room on a fake service and a fake clock. Tokens are `token-1`, `token-2`, ... unless the
 * provider is replaced; by default sockets are accepted at once.
 */
function fakeRoom({ provider, accept = true, sessionMs, ...options } = {}) {
  const clock = new FakeClock();
  const service = new FakeService();
  if (accept) service.onSocket = (socket) => socket.accept();
  const tokenProvider = provider ?? (async () => {
    tokenProvider.calls += 1;
    return { token: `token-${tokenProvider.calls}`, ...(sessionMs ? { sessionExpirationTime: new Date(clock.now() + sessionMs) } : {}) };
  });
  tokenProvider.calls ??= 0;
  const room = new ChatRoom({
    regionOrUrl: 'ws://chat.invalid',
    tokenProvider,
    WebSocket: service.WebSocket,
    clock,
    random: () => 1,
    tokenTimeoutMs: TOKEN_TIMEOUT_MS,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    backoff: { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 },
    ...options,
  });
  return { room, clock, service, tokenProvider, log: record(room) };
}

/** connect() and let it finish. */
async function connected(setup) {
  const connecting = setup.room.connect();
  await setup.clock.advance(0);
  await connecting;
  return setup.service.sockets.at(-1);
}

describe('options', () => {
  const base = { regionOrUrl: 'us-west-2', tokenProvider: async () => ({ token: 't' }), WebSocket: new FakeService().WebSocket };
  const refused = [
    ['options', undefined],
    ['regionOrUrl', { ...base, regionOrUrl: 'US West' }],
    ['regionOrUrl', { ...base, regionOrUrl: '' }],
    ['regionOrUrl', { ...base, regionOrUrl: 'wss://' }],
    ['tokenProvider', { ...base, tokenProvider: 'token' }],
    ['maxReconnectAttempts', { ...base, maxReconnectAttempts: -1 }],
    ['maxReconnectAttempts', { ...base, maxReconnectAttempts: 1.5 }],
    ['maxMessageLength', { ...base, maxMessageLength: 501 }],
    ['maxMessageLength', { ...base, maxMessageLength: 0 }],
    ['maxMessagesPerSecond', { ...base, maxMessagesPerSecond: 0 }],
    ['maxRateLimitWaitMs', { ...base, maxRateLimitWaitMs: -5 }],
    ['requestTimeoutMs', { ...base, requestTimeoutMs: Number.NaN }],
    ['tokenTimeoutMs', { ...base, tokenTimeoutMs: 0 }],
    ['connectTimeoutMs', { ...base, connectTimeoutMs: Infinity }],
    ['backoff', { ...base, backoff: 5 }],
    ['backoff.initialDelayMs', { ...base, backoff: { initialDelayMs: -1 } }],
    ['backoff.multiplier', { ...base, backoff: { multiplier: 0.5 } }],
    ['backoff.maxDelayMs', { ...base, backoff: { initialDelayMs: 500, maxDelayMs: 100 } }],
    ['backoff.jitter', { ...base, backoff: { jitter: 'none' } }],
    ['WebSocket', { ...base, WebSocket: {} }],
    ['logger', { ...base, logger: 'console' }],
    ['clock', { ...base, clock: { now: () => 0 } }],
    ['random', { ...base, random: 0.5 }],
    ['maxReconectAttempts', { ...base, maxReconectAttempts: 3 }],
  ];
  for (const [option, options] of refused) {
    test(`refuses a bad ${option} with an InvalidOptionError naming it`, () => {
      assert.throws(() => new ChatRoom(/** @type {any} */ (options)), (error) => {
        assert.ok(error instanceof InvalidOptionError);
        assert.equal(error.code, 'INVALID_OPTION');
        assert.equal(error.option, option);
        return true;
      });
    });
  }

  test('a region becomes the regional messaging endpoint; a ws(s) URL is used as given', async () => {
    for (const [regionOrUrl, url] of [['eu-central-1', 'wss://edge.ivschat.eu-central-1.amazonaws.com'], ['ws://127.0.0.1:9/chat', 'ws://127.0.0.1:9/chat']]) {
      const service = new FakeService();
      const room = new ChatRoom({ regionOrUrl, tokenProvider: async () => ({ token: 'tok' }), WebSocket: service.WebSocket, connectTimeoutMs: 1 });
      const outcome = settled(room.connect());
      await new Promise((resolve) => setTimeout(resolve, 0));
      room.disconnect();
      await outcome;
      assert.equal(new URL(service.sockets[0].url).href, new URL(url).href);
      assert.equal(service.sockets[0].protocol, 'tok', 'the token is the single subprotocol');
    }
  });

  test('in Node 20 without WebSocket: a clear error telling to pass the ws class', () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
    Object.defineProperty(globalThis, 'WebSocket', { value: undefined, configurable: true, writable: true });
    try {
      assert.throws(() => new ChatRoom({ regionOrUrl: 'us-east-1', tokenProvider: async () => ({ token: 't' }) }), (error) => {
        assert.ok(error instanceof InvalidOptionError);
        assert.equal(error.option, 'WebSocket');
        assert.match(error.message, /'ws'/);
        assert.match(error.message, /WebSocket/);
        return true;
      });
    } finally {
      if (descriptor) Object.defineProperty(globalThis, 'WebSocket', descriptor);
      else delete globalThis.WebSocket;
    }
  });
});

describe('building blocks', () => {
  test('backoff ceilings grow by the multiplier up to the cap; delays are full jitter below them', () => {
    const options = resolveBackoffOptions({ initialDelayMs: 100, maxDelayMs: 1000, multiplier: 3 });
    assert.deepEqual([0, 1, 2, 3, 4].map((step) => backoffCeiling(options, step)), [100, 300, 900, 1000, 1000]);
    assert.equal(backoffDelay(options, 2, () => 0), 0);
    assert.equal(backoffDelay(options, 2, () => 0.5), 450);
    assert.equal(backoffDelay(options, 2, () => 0.999), 899);
    assert.deepEqual(resolveBackoffOptions(undefined), { initialDelayMs: 1000, maxDelayMs: 30_000, multiplier: 2, resetAfterMs: 10_000 });
  });

  test('the rate limiter gives at most N slots per window, queues up to the wait limit, then refuses', () => {
    let now = 0;
    const limiter = new SendRateLimiter({ maxPerSecond: 3, maxWaitMs: 1500, now: () => now });
    assert.deepEqual([limiter.reserve(), limiter.reserve(), limiter.reserve()], [0, 0, 0]);
    assert.equal(limiter.reserve(), WINDOW_MS, 'the 4th waits for the 1st to leave the window');
    assert.equal(limiter.reserve(), WINDOW_MS);
    assert.equal(limiter.reserve(), WINDOW_MS);
    assert.equal(limiter.reserve(), undefined, 'a 7th would wait 2 windows: refused');
    now = WINDOW_MS; // the first 3 left the window; the next free slot is at 2 * WINDOW_MS
    assert.equal(limiter.reserve(), WINDOW_MS);
    now = 3 * WINDOW_MS;
    assert.equal(limiter.reserve(), 0);
    // Never more than 3 slots in any window.
    const slots = [...limiter.slots].sort((a, b) => a - b);
    for (let i = 3; i < slots.length; i += 1) assert.ok(slots[i] - slots[i - 3] >= WINDOW_MS);
  });

  test('recent ids: duplicates are recognised, memory stays bounded (oldest forgotten)', () => {
    const ids = new RecentIds(3);
    assert.deepEqual(['a', 'b', 'a', 'c', 'd'].map((id) => ids.add(id)), [true, true, false, true, true]);
    assert.equal(ids.size, 3);
    assert.equal(ids.add('a'), true, 'a was forgotten');
    assert.equal(ids.add('d'), false);
  });

  test('every IVS ErrorCode maps to a stable code; secrets are redacted', () => {
    assert.deepEqual([400, 401, 403, 404, 406, 413, 429, 500, 503, 418].map(codeForStatus), [
      'BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'REJECTED', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED', 'SERVER_ERROR', 'SERVER_ERROR', 'UNKNOWN_ERROR',
    ]);
    const redactor = new Redactor();
    redactor.add('sekrit');
    assert.equal(redactor.redact("subprotocol 'sekrit' is invalid; sekrit"), "subprotocol '[redacted]' is invalid; [redacted]");
    const key = 'AKIA' + 'IOSFODNN7EXAMPLE';
    const opaque = 'AQICAHh' + 'x'.repeat(60);
    assert.equal(redactor.redact(`key ${key}, token ${opaque}, request d3b07384-d9a7-4f0e-9d55-5f5b1a2c3e4f`), 'key [redacted], token [redacted], request d3b07384-d9a7-4f0e-9d55-5f5b1a2c3e4f');
    const error = new ChatError('TIMEOUT', 'x', { requestId: 'r' });
    assert.ok(error instanceof IvsChatError && error instanceof Error);
    assert.equal(error.name, 'ChatError');
    assert.deepEqual([error.code, error.status, error.requestId, error.errors], ['TIMEOUT', undefined, 'r', []]);
  });
});

describe('requests', () => {
  test('sendMessage resolves with the echo carrying its RequestId, tolerant of real frames', async () => {
    const setup = fakeRoom();
    const socket = await connected(setup);
    setup.service.onRequest = (s, request) => s.deliver(echoOf(request, 'alice', { Sender: { UserId: 'alice', Attributes: { name: 'Al' } } }));
    const message = await setup.room.sendMessage({ content: 'héllo 👋', attributes: { b: '2', a: '1' } });
    assert.deepEqual(socket.sent[0], { Action: 'SEND_MESSAGE', RequestId: message.requestId, Content: 'héllo 👋', Attributes: { a: '1', b: '2' } });
    assert.match(message.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(message.content, 'héllo 👋');
    assert.deepEqual(message.attributes, { a: '1', b: '2' });
    assert.deepEqual(message.sender, { userId: 'alice', attributes: { name: 'Al' } });
    assert.equal(message.sendTime.toISOString(), '2030-01-01T00:00:00.123Z');
    assert.deepEqual(setup.log.messages, [message]);
    setup.room.disconnect();
  });

  test('the official client request classes work unchanged (their requestId is used)', async () => {
    const setup = fakeRoom();
    const socket = await connected(setup);
    setup.service.onRequest = (s, request) => s.deliver(echoOf(request));
    const request = new SendMessageRequest('from the official class', { k: 'v' });
    const message = await setup.room.sendMessage(request);
    assert.equal(message.requestId, request.requestId);
    assert.equal(socket.sent[0].Content, 'from the official class');
    setup.room.disconnect();
  });

  test('delete and disconnect resolve on their events; delete events with only MessageID, null attributes, empty RequestId', async () => {
    const setup = fakeRoom();
    const socket = await connected(setup);
    setup.service.onRequest = (s, request) => {
      if (request.Action === 'DELETE_MESSAGE') {
        s.deliver({ Type: 'EVENT', Id: fakeId(), RequestId: request.RequestId, EventName: 'aws:DELETE_MESSAGE', Attributes: { MessageID: request.Id, Reason: request.Reason }, SendTime: '2030-01-01T00:00:01Z' });
      } else {
        s.deliver({ Type: 'EVENT', Id: fakeId(), RequestId: request.RequestId, EventName: 'aws:DISCONNECT_USER', Attributes: { UserId: request.UserId }, SendTime: '2030-01-01T00:00:02.5Z' });
      }
    };
    const deleted = await setup.room.deleteMessage({ id: 'AbCdEf123456', reason: 'spam' });
    assert.equal(deleted.messageId, 'AbCdEf123456');
    assert.equal(deleted.reason, 'spam');
    assert.deepEqual(socket.sent[0], { Action: 'DELETE_MESSAGE', RequestId: deleted.requestId, Id: 'AbCdEf123456', Reason: 'spam' });
    const kicked = await setup.room.disconnectUser({ userId: 'mallory' });
    assert.equal(kicked.userId, 'mallory');
    assert.equal(kicked.reason, undefined);
    assert.equal(kicked.sendTime.getTime(), Date.UTC(2030, 0, 1, 0, 0, 2, 500));
    assert.deepEqual(socket.sent[1], { Action: 'DISCONNECT_USER', RequestId: kicked.requestId, UserId: 'mallory' });
    socket.deliver({ Type: 'EVENT', Id: fakeId(), RequestId: '', EventName: 'app:poll', Attributes: null, SendTime: '2030-01-01T00:00:03Z' });
    assert.deepEqual(setup.log.deletes, [deleted]);
    assert.deepEqual(setup.log.userDisconnects, [kicked]);
    assert.equal(setup.log.events.length, 1);
    assert.deepEqual(Object.keys(setup.log.events[0]).sort(), ['eventName', 'id', 'sendTime'], 'null attributes and an empty RequestId are absent');
    setup.room.disconnect();
  });

  test('an ERROR frame rejects its request with a stable code, the status and the requestId', async () => {
    const setup = fakeRoom();
    await connected(setup);
    const statuses = [400, 401, 403, 404, 406, 413, 429, 500, 503, 418];
    let next = 0;
    setup.service.onRequest = (s, request) => s.deliver({ Type: 'ERROR', Id: fakeId(), RequestId: request.RequestId, ErrorCode: statuses[next++], ErrorMessage: 'nope' });
    for (const status of statuses) {
      const requestId = `req-${status}`;
      await assert.rejects(setup.room.deleteMessage({ id: 'AbCdEf123456', requestId }), (error) => {
        assert.ok(error instanceof ChatError);
        assert.equal(error.code, codeForStatus(status));
        assert.equal(error.status, status);
        assert.equal(error.requestId, requestId);
        assert.match(error.message, /nope/);
        return true;
      });
      if (status === 401) await setup.clock.advance(0); // a 401 also renews the connection
    }
    assert.equal(setup.log.errors.length, 0, 'answers to requests are not also `error` events');
    setup.room.disconnect();
  });

  test('invalid requests fail with VALIDATION from the core and nothing is sent', async () => {
    const setup = fakeRoom({ maxMessageLength: 5 });
    const socket = await connected(setup);
    const cases = [
      [() => setup.room.sendMessage({ content: '123456' }), 'content:TOO_LONG'],
      [() => setup.room.sendMessage({ content: '' }), 'content:TOO_SHORT'],
      [() => setup.room.sendMessage({ content: 'ok', attributes: { a: 1 } }), 'attributes.a:TYPE'],
      [() => setup.room.sendMessage({ content: 'ok', colour: 'red' }), 'colour:UNKNOWN_FIELD'],
      [() => setup.room.sendMessage({ content: '\ud800' }), 'content:INVALID_UTF8'],
      [() => setup.room.sendMessage(/** @type {any} */ ('just text')), 'request:TYPE'],
      [() => setup.room.sendMessage({ content: 'ok', requestId: 'bad\nid' }), 'requestId:PATTERN'],
      [() => setup.room.deleteMessage({ id: 'short' }), 'id:TOO_SHORT'],
      [() => setup.room.disconnectUser({ userId: 'u', reason: 'x'.repeat(257) }), 'reason:TOO_LONG'],
    ];
    for (const [call, expected] of cases) {
      await assert.rejects(call(), (error) => {
        assert.ok(error instanceof ChatError, String(error));
        assert.equal(error.code, 'VALIDATION');
        assert.ok(error.errors.some((e) => `${e.field}:${e.code}` === expected), `${expected} in ${JSON.stringify(error.errors)}`);
        return true;
      });
    }
    assert.deepEqual(socket.sent, []);
    assert.equal(setup.room.pendingRequestCount, 0);
    setup.room.disconnect();
  });

  test('a requestId already in use is refused; sending while disconnected is refused at once', async () => {
    const setup = fakeRoom();
    await connected(setup);
    const first = settled(setup.room.sendMessage({ content: 'a', requestId: 'same' }));
    await assert.rejects(setup.room.sendMessage({ content: 'b', requestId: 'same' }), (error) => error.code === 'VALIDATION' && error.errors[0].code === 'DUPLICATE');
    setup.room.disconnect();
    assert.equal((await first).error.code, 'DISCONNECTED');
    await assert.rejects(setup.room.sendMessage({ content: 'c' }), { code: 'DISCONNECTED' });
  });

  test('no answer within requestTimeoutMs: TIMEOUT; a late echo is still delivered as a message', async () => {
    const setup = fakeRoom();
    const socket = await connected(setup);
    const outcome = settled(setup.room.sendMessage({ content: 'anyone?' }));
    await setup.clock.advance(REQUEST_TIMEOUT_MS - 1);
    assert.equal(setup.room.pendingRequestCount, 1);
    await setup.clock.advance(1);
    const { error } = await outcome;
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(error.requestId, socket.sent[0].RequestId);
    socket.deliver(echoOf(socket.sent[0]));
    assert.equal(setup.log.messages.length, 1);
    setup.room.disconnect();
  });

  test('client-side rate limit: a burst is queued briefly, the excess refused with RATE_LIMITED before sending', async () => {
    const setup = fakeRoom({ maxMessagesPerSecond: 2, maxRateLimitWaitMs: 1500 });
    const socket = await connected(setup);
    setup.service.onRequest = (s, request) => s.deliver(echoOf(request));
    const outcomes = [1, 2, 3, 4, 5].map((n) => settled(setup.room.sendMessage({ content: `m${n}` })));
    await setup.clock.advance(0);
    assert.deepEqual(socket.sent.map((r) => r.Content), ['m1', 'm2']);
    const fifth = await outcomes[4];
    assert.equal(fifth.error.code, 'RATE_LIMITED');
    assert.equal(fifth.error.status, undefined, 'client-side: no IVS status');
    await setup.clock.advance(WINDOW_MS - 1);
    assert.equal(socket.sent.length, 2, 'the queued ones wait for the window');
    await setup.clock.advance(1);
    assert.deepEqual(socket.sent.map((r) => r.Content), ['m1', 'm2', 'm3', 'm4']);
    const results = await Promise.all(outcomes.slice(0, 4));
    assert.ok(results.every((r) => r.ok));
    setup.room.disconnect();
  });

  test('disconnect() settles every request, sent or queued, and leaves no timer behind', async () => {
    const setup = fakeRoom({ maxMessagesPerSecond: 1, maxRateLimitWaitMs: 2000 });
    await connected(setup);
    const outcomes = [settled(setup.room.sendMessage({ content: 'sent' })), settled(setup.room.sendMessage({ content: 'queued' })), settled(setup.room.deleteMessage({ id: 'AbCdEf123456' }))];
    await setup.clock.advance(0);
    setup.room.disconnect();
    for (const { ok, error } of await Promise.all(outcomes)) {
      assert.equal(ok, false);
      assert.equal(error.code, 'DISCONNECTED');
      assert.equal(error.disconnectReason, 'clientDisconnect');
    }
    assert.equal(setup.clock.pending, 0);
    assert.deepEqual(setup.log.disconnects, ['clientDisconnect']);
    assert.equal(setup.service.sockets[0].closedByClient.code, 1000);
  });
});

describe('frames', () => {
  test('malformed frames are reported on `error` and skipped; the connection carries on', async () => {
    const setup = fakeRoom();
    const socket = await connected(setup);
    socket.deliver('{"Type":"MESSAGE"');
    socket.deliver('{"Type":"MESSAGE","Id":"AbCdEf123456","Content":"x","SendTime":"yesterday","Sender":{"UserId":"u"}}');
    socket.deliver('[1,2]');
    socket.dispatchEvent(new MessageEvent('message', { data: new ArrayBuffer(4) }));
    socket.deliver({ Type: 'FUTURE_THING', Id: fakeId() }); // unknown types are skipped quietly
    socket.deliver(echoOf({ RequestId: '', Content: 'still here' }));
    assert.deepEqual(setup.log.errors.map((e) => e.code), ['MALFORMED_FRAME', 'MALFORMED_FRAME', 'MALFORMED_FRAME', 'MALFORMED_FRAME']);
    assert.ok(setup.log.errors.every((e) => e instanceof ChatError));
    assert.equal(setup.log.messages.length, 1);
    assert.equal(setup.room.state, 'connected');
    setup.room.disconnect();
  });

  test('an ERROR frame for no pending request goes to `error` with its code and status', async () => {
    const setup = fakeRoom();
    const socket = await connected(setup);
    socket.deliver({ Type: 'ERROR', Id: fakeId(), RequestId: 'long-gone', ErrorCode: 429, ErrorMessage: 'slow down' });
    socket.deliver({ Type: 'ERROR', ErrorCode: 500 });
    assert.deepEqual(setup.log.errors.map((e) => [e.code, e.status, e.requestId]), [['RATE_LIMITED', 429, 'long-gone'], ['SERVER_ERROR', 500, undefined]]);
    assert.equal(setup.room.state, 'connected');
    setup.room.disconnect();
  });

  test('a listener that throws or rejects is reported on `error`; the other listeners still run', async () => {
    const setup = fakeRoom();
    const socket = await connected(setup);
    const seen = [];
    setup.room.addListener('message', () => {
      throw new Error('listener bug');
    });
    setup.room.addListener('message', async () => {
      throw new Error('async listener bug');
    });
    setup.room.addListener('message', (m) => seen.push(m.content));
    const removeThrowingErrorListener = setup.room.addListener('error', () => {
      throw new Error('error listener bug'); // must not loop
    });
    socket.deliver(echoOf({ RequestId: '', Content: 'one' }));
    await flush();
    assert.deepEqual(seen, ['one']);
    assert.deepEqual(setup.log.errors.map((e) => [e.code, e.cause.message]), [['LISTENER_FAILED', 'listener bug'], ['LISTENER_FAILED', 'async listener bug']]);
    removeThrowingErrorListener();
    setup.room.disconnect();
  });

  test('addListener returns an unsubscribe function; removeListener works; a listener is added once', async () => {
    const setup = fakeRoom();
    const socket = await connected(setup);
    const seen = [];
    const listener = (m) => seen.push(m.content);
    const unsubscribe = setup.room.addListener('message', listener);
    setup.room.addListener('message', listener);
    socket.deliver(echoOf({ RequestId: '', Content: 'a' }));
    unsubscribe();
    socket.deliver(echoOf({ RequestId: '', Content: 'b' }));
    setup.room.addListener('message', listener);
    setup.room.removeListener('message', listener);
    socket.deliver(echoOf({ RequestId: '', Content: 'c' }));
    assert.deepEqual(seen, ['a']);
    assert.throws(() => setup.room.addListener(/** @type {any} */ ('mesage'), () => {}), InvalidOptionError);
    setup.room.disconnect();
  });
});

describe('connection life', () => {
  test('connect(): the token is the subprotocol; connect() is idempotent; the promise resolves on `connect`', async () => {
    const setup = fakeRoom();
    const first = setup.room.connect();
    const second = setup.room.connect();
    assert.equal(first, second);
    assert.equal(setup.room.state, 'connecting');
    await setup.clock.advance(0);
    await first;
    assert.equal(setup.room.state, 'connected');
    await setup.room.connect();
    assert.equal(setup.service.sockets.length, 1);
    assert.equal(setup.service.sockets[0].protocol, 'token-1');
    assert.deepEqual([setup.log.connecting, setup.log.connect], [1, 1]);
    setup.room.disconnect();
    setup.room.disconnect();
    assert.deepEqual(setup.log.disconnects, ['clientDisconnect']);
  });

  test('token fetch failure: 1 + maxReconnectAttempts fetches with backoff delays exactly as specified, then fetchTokenError', async () => {
    let calls = 0;
    const provider = async () => {
      calls += 1;
      throw new Error(`backend down (${calls})`);
    };
    const setup = fakeRoom({ provider, maxReconnectAttempts: 5, backoff: { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 3 } });
    const outcome = settled(setup.room.connect());
    await setup.clock.runUntil(() => setup.log.disconnects.length > 0, 'the room to give up');
    assert.equal(calls, 6);
    assert.deepEqual(setup.clock.requested.filter(isBackoffDelay), [100, 300, 900, 1000, 1000]);
    assert.deepEqual(setup.log.disconnects, ['fetchTokenError']);
    assert.deepEqual(setup.log.errors.map((e) => e.code), Array(6).fill('TOKEN_FETCH_FAILED'));
    assert.equal(setup.log.errors[5].cause.message, 'backend down (6)');
    const { error } = await outcome;
    assert.equal(error.code, 'DISCONNECTED');
    assert.equal(error.disconnectReason, 'fetchTokenError');
    assert.equal(error.cause.code, 'TOKEN_FETCH_FAILED');
    assert.equal(setup.clock.pending, 0);
    assert.equal(setup.service.sockets.length, 0);
  });

  test('full jitter: each delay is random() times the ceiling of its step', async () => {
    const randoms = [0.5, 0.1, 0.9, 0];
    const setup = fakeRoom({ provider: async () => { throw new Error('down'); }, maxReconnectAttempts: 4, random: () => randoms.shift() });
    setup.room.connect();
    await setup.clock.runUntil(() => setup.log.disconnects.length > 0, 'the room to give up');
    assert.deepEqual(setup.clock.requested.filter(isBackoffDelay), [50, 20, 360, 0]);
  });

  test('a token provider that hangs times out after tokenTimeoutMs; a socket that never opens after connectTimeoutMs', async () => {
    const hanging = fakeRoom({ provider: () => new Promise(() => {}), maxReconnectAttempts: 0 });
    hanging.room.connect();
    await hanging.clock.advance(TOKEN_TIMEOUT_MS);
    assert.deepEqual(hanging.log.disconnects, ['fetchTokenError']);
    assert.match(hanging.log.errors[0].message, /did not answer within 7001 ms/);

    const silent = fakeRoom({ accept: false, maxReconnectAttempts: 0 });
    silent.room.connect();
    await silent.clock.advance(CONNECT_TIMEOUT_MS);
    assert.deepEqual(silent.log.disconnects, ['socketError']);
    assert.equal(silent.log.errors[0].code, 'CONNECTION_FAILED');
    assert.equal(silent.service.sockets[0].readyState, 3, 'the socket was closed');
    assert.equal(silent.clock.pending, 0);
  });

  test('a refused handshake is retried with a fresh token; the token never appears in errors', async () => {
    const setup = fakeRoom({ accept: false, maxReconnectAttempts: 2 });
    setup.service.onSocket = (socket) => (socket.protocol === 'token-3' ? socket.accept() : socket.refuse(`Unexpected server response: 401 for ${socket.protocol}`));
    const connecting = setup.room.connect();
    await setup.clock.runUntil(() => setup.room.state === 'connected', 'the third attempt');
    await connecting;
    assert.deepEqual(setup.service.sockets.map((s) => s.protocol), ['token-1', 'token-2', 'token-3']);
    assert.deepEqual(setup.log.errors.map((e) => e.code), ['CONNECTION_FAILED', 'CONNECTION_FAILED']);
    for (const error of setup.log.errors) {
      assert.ok(!/token-\d/.test(`${error.message}\n${error.stack}\n${JSON.stringify(error)}`), error.message);
      assert.match(error.message, /401/);
    }
    setup.room.disconnect();
  });

  test('a WebSocket constructor that quotes the token (as browsers do) never leaks it', async () => {
    const clockless = new FakeService();
    class Quoting extends clockless.WebSocket {
      constructor(url, protocol) {
        throw new SyntaxError(`Failed to construct 'WebSocket': The subprotocol '${protocol}' is invalid.`);
      }
    }
    const room = new ChatRoom({ regionOrUrl: 'ws://x.invalid', tokenProvider: async () => ({ token: 'SECRET-TOKEN' }), WebSocket: Quoting, maxReconnectAttempts: 0 });
    const log = record(room);
    const { error } = await settled(room.connect());
    assert.equal(error.code, 'DISCONNECTED');
    assert.equal(log.errors[0].code, 'CONNECTION_FAILED');
    assert.match(log.errors[0].message, /subprotocol '\[redacted\]' is invalid/);
    assert.ok(!JSON.stringify([log.errors[0].message, log.errors[0].stack, error.message]).includes('SECRET-TOKEN'));
  });

  test('after a drop: pending requests settle DISCONNECTED, then reconnection after a backoff delay', async () => {
    const setup = fakeRoom();
    const socket = await connected(setup);
    const pending = settled(setup.room.sendMessage({ content: 'in flight' }));
    await flush();
    socket.drop(1006);
    const { error } = await pending;
    assert.equal(error.code, 'DISCONNECTED');
    assert.equal(error.disconnectReason, 'socketError');
    assert.equal(setup.room.state, 'connecting');
    assert.equal(setup.log.connecting, 2);
    await setup.clock.advance(99);
    assert.equal(setup.tokenProvider.calls, 1, 'no attempt before the backoff delay');
    await setup.clock.advance(1);
    assert.equal(setup.tokenProvider.calls, 2);
    assert.equal(setup.room.state, 'connected');
    assert.deepEqual(setup.log.disconnects, []);
    setup.room.disconnect();
  });

  test('a server that accepts and drops at once: ever-longer delays, one token per attempt (no 3,386 fetches in 2 s)', async () => {
    const setup = fakeRoom({ backoff: { initialDelayMs: 100, maxDelayMs: 1600, multiplier: 2, resetAfterMs: 10_000 } });
    setup.service.onSocket = (socket) => {
      socket.accept();
      setImmediate(() => socket.drop(1006)); // right after the room started using it
    };
    setup.room.connect();
    await setup.clock.advance(2000);
    // 0 (connect) +100 +200 +400 +800 = 1500 ms: 5 fetches in the first 2 s; the next at 1500+1600.
    assert.equal(setup.tokenProvider.calls, 5);
    await setup.clock.advance(20_000);
    assert.deepEqual(setup.clock.requested.filter(isBackoffDelay), [100, 200, 400, 800, 1600, 1600, 1600, 1600, 1600, 1600, 1600, 1600, 1600, 1600, 1600, 1600, 1600]);
    assert.equal(setup.tokenProvider.calls, setup.service.sockets.length);
    setup.room.disconnect();
    assert.equal(setup.clock.pending, 0);
  });

  test('a server that sends ERROR 401 right after every upgrade: backoff delays, at most 1 + maxReconnectAttempts fetches, never a third socket', async () => {
    const setup = fakeRoom({ accept: false, maxReconnectAttempts: 3, backoff: { initialDelayMs: 100, maxDelayMs: 1600 } });
    let mostOpen = 0;
    setup.service.onSocket = (socket) => {
      socket.accept();
      mostOpen = Math.max(mostOpen, setup.service.sockets.filter((s) => s.readyState < 2).length);
      setup.clock.setTimeout(() => socket.deliver({ Type: 'ERROR', Id: fakeId(), RequestId: '', ErrorCode: 401, ErrorMessage: 'Session expired' }), 20);
    };
    await settled(setup.room.connect());
    await setup.clock.advance(60_000);
    assert.equal(setup.tokenProvider.calls, 4, 'one outage: the 401 before the connection was stable failed its attempt');
    assert.deepEqual(setup.clock.requested.filter((ms) => isBackoffDelay(ms) && ms !== 20 && ms !== 2000), [100, 200, 400], 'each retry waited its backoff delay');
    assert.ok(mostOpen <= 2, `${mostOpen} sockets at once`);
    assert.deepEqual(setup.log.disconnects, ['sessionExpired']);
    assert.equal(setup.service.open.length, 0, 'every socket closed');
    assert.equal(setup.clock.pending, 0);
  });

  test('connect() after disconnect() connects again; an aborted connect() stops connecting', async () => {
    const setup = fakeRoom();
    await connected(setup);
    setup.room.disconnect();
    await connected(setup);
    assert.equal(setup.room.state, 'connected');
    assert.equal(setup.tokenProvider.calls, 2);
    setup.room.disconnect();

    const controller = new AbortController();
    const connecting = setup.room.connect({ signal: controller.signal });
    controller.abort();
    await assert.rejects(connecting, (error) => error instanceof ChatError && error.code === 'ABORTED');
    assert.equal(setup.room.state, 'disconnected');
    await setup.clock.advance(60_000);
    assert.equal(setup.service.sockets.filter((s) => s.readyState === 1).length, 0);
    await assert.rejects(setup.room.connect({ signal: AbortSignal.abort() }), (error) => error.code === 'ABORTED');
    await assert.rejects(setup.room.connect({ signal: 'no' }), (error) => error instanceof InvalidOptionError && error.option === 'signal');
    // A call's options are { signal? } only: a misspelt or foreign option is refused, not ignored.
    await assert.rejects(setup.room.connect(/** @type {any} */ ({ timeout: 5 })), (error) => error instanceof InvalidOptionError && error.option === 'timeout');
    await assert.rejects(setup.room.sendMessage({ content: 'x' }, /** @type {any} */ ({ signl: AbortSignal.abort() })), (error) => error instanceof InvalidOptionError && error.option === 'signl');
  });

  test('while a reconnection waits, `online` or the page becoming visible tries at once (unless opted out)', async () => {
    const page = new EventTarget();
    const saved = { add: globalThis.addEventListener, remove: globalThis.removeEventListener, document: globalThis.document };
    globalThis.addEventListener = page.addEventListener.bind(page);
    globalThis.removeEventListener = page.removeEventListener.bind(page);
    const documentTarget = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
    globalThis.document = documentTarget;
    try {
      for (const reconnectOnNetworkChange of [true, false]) {
        const setup = fakeRoom({ reconnectOnNetworkChange, backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
        const socket = await connected(setup);
        socket.drop();
        await setup.clock.advance(10);
        assert.equal(setup.room.state, 'connecting');
        documentTarget.dispatchEvent(new Event('visibilitychange')); // still hidden: nothing
        await setup.clock.advance(0);
        assert.equal(setup.service.sockets.length, 1);
        page.dispatchEvent(new Event('online'));
        await setup.clock.advance(0);
        assert.equal(setup.room.state, reconnectOnNetworkChange ? 'connected' : 'connecting', `reconnectOnNetworkChange: ${reconnectOnNetworkChange}`);
        if (reconnectOnNetworkChange) {
          setup.service.sockets.at(-1).drop();
          await setup.clock.advance(10);
          documentTarget.visibilityState = 'visible';
          documentTarget.dispatchEvent(new Event('visibilitychange'));
          await setup.clock.advance(0);
          assert.equal(setup.room.state, 'connected', 'the page became visible');
          documentTarget.visibilityState = 'hidden';
        }
        setup.room.disconnect();
        assert.equal(setup.clock.pending, 0);
      }
    } finally {
      globalThis.addEventListener = saved.add;
      globalThis.removeEventListener = saved.remove;
      globalThis.document = saved.document;
    }
  });

  test('an aborted request is never sent when it has not gone out yet, and rejects with ABORTED', async () => {
    const setup = fakeRoom({ maxMessagesPerSecond: 1 });
    await connected(setup);
    const first = setup.room.sendMessage({ content: 'one', requestId: 'one' });
    const controller = new AbortController();
    const queued = setup.room.sendMessage({ content: 'two', requestId: 'two' }, { signal: controller.signal }); // waits for its slot
    await setup.clock.advance(10);
    controller.abort(new Error('user left'));
    await assert.rejects(queued, (error) => error instanceof ChatError && error.code === 'ABORTED' && /nothing was sent/.test(error.message) && error.requestId === 'two');
    await setup.clock.advance(3000);
    assert.deepEqual(setup.service.sockets[0].sent.map((frame) => frame.RequestId), ['one']);
    await assert.rejects(setup.room.sendMessage({ content: 'x' }, { signal: AbortSignal.abort() }), (error) => error.code === 'ABORTED');
    assert.equal(setup.room.pendingRequestCount, 1, 'only the first, unanswered');
    setup.room.disconnect();
    await assert.rejects(first, (error) => error.code === 'DISCONNECTED');
  });

  test('a connection that stayed up for resetAfterMs resets the backoff', async () => {
    const setup = fakeRoom({ backoff: { initialDelayMs: 100, maxDelayMs: 1600, resetAfterMs: 5000 } });
    let socket = await connected(setup);
    socket.drop();
    await setup.clock.advance(100);
    socket = setup.service.sockets.at(-1);
    socket.drop(); // lived 0 ms: the next delay doubles
    await setup.clock.advance(200);
    socket = setup.service.sockets.at(-1);
    await setup.clock.advance(5000);
    socket.drop(); // lived 5 s: back to the first step
    await setup.clock.advance(100);
    assert.deepEqual(setup.clock.requested.filter(isBackoffDelay), [100, 200, 100]);
    assert.equal(setup.room.state, 'connected');
    setup.room.disconnect();
  });

  test('kicked (our userId known from the token): no reconnect, even after an abrupt close', async () => {
    let calls = 0;
    const setup = fakeRoom({ provider: async () => ({ token: `t${++calls}`, userId: 'bob' }) });
    const socket = await connected(setup);
    socket.deliver({ Type: 'EVENT', Id: fakeId(), EventName: 'aws:DISCONNECT_USER', Attributes: { UserId: 'bob', Reason: 'spam' }, SendTime: '2030-01-01T00:00:00Z' });
    socket.drop(1006);
    await setup.clock.advance(60_000);
    assert.deepEqual(setup.log.disconnects, ['serverDisconnect']);
    assert.equal(calls, 1);
    assert.equal(setup.log.userDisconnects[0].userId, 'bob');
  });

  test('kicked (userId unknown): a clean close right after aws:DISCONNECT_USER is a kick', async () => {
    const setup = fakeRoom();
    const socket = await connected(setup);
    socket.deliver({ Type: 'EVENT', Id: fakeId(), EventName: 'aws:DISCONNECT_USER', Attributes: { UserId: 'whoever' }, SendTime: '2030-01-01T00:00:00Z' });
    socket.drop(1000, true, 'Disconnected by a moderator');
    await setup.clock.advance(60_000);
    assert.deepEqual(setup.log.disconnects, ['serverDisconnect']);
    assert.equal(setup.tokenProvider.calls, 1);
  });

  test('someone else kicked, or a clean close with no kick: the room reconnects', async () => {
    let calls = 0;
    const setup = fakeRoom({ provider: async () => ({ token: `t${++calls}`, userId: 'carol' }) });
    let socket = await connected(setup);
    socket.deliver({ Type: 'EVENT', Id: fakeId(), EventName: 'aws:DISCONNECT_USER', Attributes: { UserId: 'dave' }, SendTime: '2030-01-01T00:00:00Z' });
    socket.drop(1000, true);
    await setup.clock.advance(100);
    assert.equal(setup.room.state, 'connected');
    socket = setup.service.sockets.at(-1);
    socket.drop(1001, true, 'going away');
    await setup.clock.advance(200);
    assert.equal(setup.room.state, 'connected');
    assert.equal(calls, 3);
    assert.deepEqual(setup.log.disconnects, []);
    setup.room.disconnect();
  });

  test('the userId is learned from the echo of our own message', async () => {
    const setup = fakeRoom();
    const socket = await connected(setup);
    setup.service.onRequest = (s, request) => s.deliver(echoOf(request, 'erin'));
    await setup.room.sendMessage({ content: 'hi' });
    socket.deliver({ Type: 'EVENT', Id: fakeId(), EventName: 'aws:DISCONNECT_USER', Attributes: { UserId: 'erin' }, SendTime: '2030-01-01T00:00:00Z' });
    socket.drop(1006);
    await setup.clock.advance(60_000);
    assert.deepEqual(setup.log.disconnects, ['serverDisconnect']);
  });

  test('a kicked socket the service does not close is closed by the room', async () => {
    let calls = 0;
    const setup = fakeRoom({ provider: async () => ({ token: `t${++calls}`, userId: 'bob' }) });
    const socket = await connected(setup);
    socket.deliver({ Type: 'EVENT', Id: fakeId(), EventName: 'aws:DISCONNECT_USER', Attributes: { UserId: 'bob' }, SendTime: '2030-01-01T00:00:00Z' });
    await setup.clock.advance(5000);
    assert.deepEqual(setup.log.disconnects, ['serverDisconnect']);
    assert.equal(socket.closedByClient.code, 1000);
    assert.equal(setup.clock.pending, 0);
  });
});

describe('session renewal', () => {
  test('before sessionExpirationTime the next socket opens first; frames on both are delivered once; no event, no gap', async () => {
    const sessionMs = 100_000; // renewal at 75 s: a quarter of the session ahead (under the 60 s cap)
    const setup = fakeRoom({ sessionMs });
    const first = await connected(setup);
    setup.service.onRequest = (s, request) => {
      const echo = echoOf(request);
      for (const open of setup.service.open) open.deliver(echo); // a broadcast reaches both sockets
    };
    await setup.clock.advance(74_999);
    assert.equal(setup.service.sockets.length, 1);
    await setup.clock.advance(1);
    assert.equal(setup.service.sockets.length, 2, 'the next connection opens 25 s before the end');
    const second = setup.service.sockets[1];
    assert.equal(second.protocol, 'token-2');
    assert.equal(first.closedByClient, undefined, 'the old socket stays open for frames still on their way');
    const message = await setup.room.sendMessage({ content: 'across the renewal' });
    assert.equal(second.sent.length, 1, 'requests go to the new socket');
    const broadcast = { Type: 'EVENT', Id: fakeId(), EventName: 'app:x', SendTime: '2030-01-01T00:00:00Z' };
    first.deliver(broadcast);
    second.deliver(broadcast);
    assert.deepEqual(setup.log.messages.map((m) => m.id), [message.id]);
    assert.equal(setup.log.events.length, 1);
    await setup.clock.advance(2000);
    assert.equal(first.closedByClient.code, 1000, 'closed once drained');
    assert.deepEqual([setup.log.connecting, setup.log.connect, setup.log.disconnects.length], [1, 1, 0]);
    setup.room.disconnect();
  });

  test('ids are remembered while two sockets are in the room and DRAIN_MS after, then forgotten (one socket never repeats a frame)', async () => {
    const setup = fakeRoom({ sessionMs: 100_000 });
    const first = await connected(setup);
    const event = () => ({ Type: 'EVENT', Id: fakeId(), EventName: 'app:x', SendTime: '2030-01-01T00:00:00Z' });
    const alone = event();
    first.deliver(alone);
    await setup.clock.advance(75_000);
    const second = setup.service.sockets[1];
    assert.ok(second, 'the renewal opened its socket');
    const during = event();
    first.deliver(during);
    await setup.clock.advance(2000);
    assert.equal(first.closedByClient?.code, 1000, 'the old socket drained and closed');
    second.deliver(during); // a copy still on its way: no news
    assert.equal(setup.log.events.length, 2, 'the copy of a frame seen during the renewal is dropped');
    await setup.clock.advance(2001);
    second.deliver(during);
    second.deliver(alone);
    assert.equal(setup.log.events.length, 4, 'past the drain the room remembers no id (only a renewal brings a frame twice)');
    setup.room.disconnect();
  });

  test('tokenExpirationTime does not trigger anything (no socket churn)', async () => {
    const setup = fakeRoom({
      provider: async () => ({ token: 't', tokenExpirationTime: new Date(Date.UTC(2030, 0, 1, 0, 0, 30)), sessionExpirationTime: new Date(Date.UTC(2030, 0, 1, 3)) }),
    });
    await connected(setup);
    await setup.clock.advance(60 * 60_000);
    assert.equal(setup.service.sockets.length, 1);
    setup.room.disconnect();
  });

  test('a session ending years from now does not overflow the timer (no renewal loop)', async () => {
    const setup = fakeRoom({ sessionMs: 10 * 365 * 24 * 3600_000 });
    await connected(setup);
    await setup.clock.advance(100 * 24 * 3600_000);
    assert.equal(setup.service.sockets.length, 1);
    assert.ok(Math.max(...setup.clock.requested) <= 2 ** 31 - 1);
    setup.room.disconnect();
  });

  test('an ERROR 401 (session over) on a stable connection renews at once, without an `error` event', async () => {
    const setup = fakeRoom(); // no sessionExpirationTime: nothing scheduled
    const first = await connected(setup);
    await setup.clock.advance(10_000); // backoff.resetAfterMs: the connection is stable
    first.deliver({ Type: 'ERROR', Id: fakeId(), RequestId: '', ErrorCode: 401, ErrorMessage: 'Session expired' });
    await setup.clock.advance(0);
    assert.equal(setup.service.sockets.length, 2);
    first.drop(1000, true, 'Session expired');
    assert.equal(setup.room.state, 'connected');
    assert.deepEqual([setup.log.errors.length, setup.log.connecting, setup.log.disconnects.length], [0, 1, 0]);
    setup.room.disconnect();
  });

  test('a session that cannot be renewed ends with sessionExpired once it is over', async () => {
    let calls = 0;
    const clockStart = Date.UTC(2030, 0, 1);
    const provider = async () => {
      calls += 1;
      if (calls > 1) throw new Error('token backend down');
      return { token: 't1', sessionExpirationTime: new Date(clockStart + 40_000) };
    };
    const setup = fakeRoom({ provider, maxReconnectAttempts: 2 });
    const socket = await connected(setup);
    await setup.clock.advance(35_000); // renewal at 30 s: 3 attempts within 300 ms
    assert.equal(calls, 4);
    assert.equal(setup.room.state, 'connected', 'the old session is still good');
    socket.deliver({ Type: 'ERROR', Id: fakeId(), RequestId: '', ErrorCode: 401, ErrorMessage: 'Session expired' });
    socket.drop(1000, true);
    assert.deepEqual(setup.log.disconnects, ['sessionExpired']);
    assert.equal(calls, 4, 'no more token fetches for this outage');
    assert.equal(setup.clock.pending, 0);
  });
});
