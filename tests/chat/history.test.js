// ChatRoom's history (issue 22 item 3): chatHistory's provider's reads merged with the live messages,
// driven through the in-memory WebSocket and the fake clock: each message once by Id, in SendTime
// order, deletions applied before and after a read, the second read after delayMs closing
// the gap, a failing or hanging provider never breaking the chat, and the option checks. (The
// same end to end on the local server, through its CloudWatch Logs: history-e2e.test.js.)
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { ChatError, ChatRoom, chatHistory, init, InvalidOptionError } from 'ivschat-wasm';
import { MAX_HISTORY_ANSWER_BYTES, readHistorySource, removalOf } from '../../js/chat/history.js';
import { FakeClock, FakeService, fakeId, flush, historyPage, record } from './helpers.js';

before(async () => {
  await init();
});

const DELAY_MS = 5000;
const START = Date.UTC(2030, 0, 1);
/** An ISO SendTime `ms` after the fake clock's start, with nanoseconds as IVS writes them. */
const at = (ms) => `${new Date(START + ms).toISOString().slice(0, 23)}456789Z`;

/** A MESSAGE frame from `userId` sent `ms` after the start. */
function messageFrame(userId, ms, content = `${userId} at ${ms}`) {
  return { Type: 'MESSAGE', Id: fakeId(), RequestId: '', Content: content, Attributes: null, SendTime: at(ms), Sender: { UserId: userId, Attributes: null } };
}
/** The ChatRoom message a history source would give for `frame` (sendTime as JSON has it). */
function asHistory(frame) {
  return { id: frame.Id, content: frame.Content, sendTime: frame.SendTime, sender: { userId: frame.Sender.UserId } };
}
const deleteFrame = (messageId, ms) => ({ Type: 'EVENT', Id: fakeId(), RequestId: '', EventName: 'aws:DELETE_MESSAGE', Attributes: { MessageID: messageId, Reason: 'spam' }, SendTime: at(ms) });
const removalFrame = (userId, ms) => ({ Type: 'EVENT', Id: fakeId(), RequestId: '', EventName: 'app:DELETE_USER_MESSAGES', Attributes: { userId }, SendTime: at(ms) });

/**
 * A room on the fake service and clock whose history provider answers each read when the test
 * says: `reads[n]` is read n+1's { request, resolve, reject }. chatHistory's options (delayMs,
 * timeoutMs, removalEvents, provider) are given with ChatRoom's; `history: undefined` for none.
 */
function historyRoom({ tokenGate, delayMs = DELAY_MS, timeoutMs = 60_000, removalEvents, provider, ...options } = {}) {
  const clock = new FakeClock(START);
  const service = new FakeService();
  service.onSocket = (socket) => socket.accept();
  /** @type {{ request: any, resolve: (value: unknown) => void, reject: (error: unknown) => void }[]} */
  const reads = [];
  const tokenCalls = [];
  const room = new ChatRoom({
    regionOrUrl: 'ws://chat.invalid',
    tokenProvider: async () => {
      tokenCalls.push(reads.length);
      await tokenGate;
      return { token: `token-${tokenCalls.length}` };
    },
    history: chatHistory({
      provider: provider ?? ((request) => new Promise((resolve, reject) => reads.push({ request, resolve, reject }))),
      delayMs,
      timeoutMs,
      ...(removalEvents ? { removalEvents } : {}),
    }),
    WebSocket: service.WebSocket,
    clock,
    random: () => 1,
    ...options,
  });
  const log = record(room);
  const shown = historyPage(room, removalEvents);
  return { room, clock, service, reads, tokenCalls, log, batches: shown.batches, page: shown.shown, delivered: shown.delivered };
}

/** connect(), and the socket once open. */
async function connect(setup) {
  const connecting = setup.room.connect();
  await setup.clock.advance(0);
  await connecting;
  return setup.service.sockets.at(-1);
}

/** The contents of ChatRoom messages, or of MESSAGE frames. */
const contents = (list) => list.map((m) => m.content ?? m.Content);

describe('ChatRoom history: reads merged with live messages', () => {
  test('read 1 is made with the token fetch, not after it, and live messages are not held for it', async () => {
    /** @type {() => void} */
    let releaseToken = () => {};
    const setup = historyRoom({ tokenGate: new Promise((resolve) => (releaseToken = resolve)) });
    const connecting = setup.room.connect();
    await setup.clock.advance(0);
    assert.equal(setup.tokenCalls.length, 1, 'the token is being fetched');
    assert.equal(setup.reads.length, 1, 'and read 1 started while it is (in parallel)');
    releaseToken();
    await setup.clock.advance(0);
    await connecting;
    const socket = setup.service.sockets.at(-1);
    assert.equal(setup.reads[0].request.read, 1);
    assert.ok(setup.reads[0].request.signal instanceof AbortSignal);
    const live = messageFrame('bob', 100);
    socket.deliver(live);
    await flush();
    assert.deepEqual(contents(setup.log.messages), [live.Content], 'the live message came while the read is still pending');
    assert.equal(setup.batches.length, 0);
    setup.room.disconnect();
  });

  test('each message once by Id, in SendTime order: history before live, overlaps dropped, read 2 closes the gap', async () => {
    const setup = historyRoom();
    const socket = await connect(setup);
    const old = [messageFrame('ann', -3000), messageFrame('bob', -2000), messageFrame('ann', -1500)];
    // Sent just before the socket opened: not in the log at read 1, never on the socket.
    const gap = messageFrame('cid', -10);
    const live = [messageFrame('bob', 50), messageFrame('ann', 60)];
    socket.deliver(live[0]);
    await flush();
    // Read 1: given newest first and with a duplicate, as a careless source might.
    setup.reads[0].resolve({ messages: [asHistory(old[2]), asHistory(old[0]), asHistory(old[1]), asHistory(old[0])] });
    await flush();
    assert.deepEqual(setup.batches.map((b) => [b.read, b.final, contents(b.messages)]), [[1, false, contents(old)]]);
    assert.ok(setup.batches[0].messages.every((m) => m.sendTime instanceof Date), 'sendTime made a Date');
    socket.deliver(live[1]);
    await flush();
    // Read 2 comes delayMs after the room connected, not before.
    await setup.clock.advance(DELAY_MS - 1);
    assert.equal(setup.reads.length, 1);
    await setup.clock.advance(1);
    assert.equal(setup.reads.length, 2);
    assert.equal(setup.reads[1].request.read, 2);
    // Everything logged by now: the old ones, the gap, the live ones (delivered already).
    setup.reads[1].resolve([...old, gap, ...live].map(asHistory));
    await flush();
    assert.deepEqual(setup.batches.map((b) => [b.read, b.final, contents(b.messages)]), [[1, false, contents(old)], [2, true, [gap.Content]]]);
    const shown = setup.page();
    assert.deepEqual(contents(shown), contents([...old, gap, ...live]), 'the page shows every message once, in SendTime order');
    assert.equal(new Set(setup.delivered).size, setup.delivered.length, 'no id delivered twice across message and history');
    assert.equal(setup.delivered.length, old.length + 1 + live.length);
    await setup.clock.advance(60_000);
    assert.equal(setup.reads.length, 2, 'two reads per connection, no more');
    setup.room.disconnect();
  });

  test('a live message a read delivered first is not delivered again', async () => {
    const setup = historyRoom({ delayMs: 0 });
    const socket = await connect(setup);
    const frame = messageFrame('bob', 10);
    setup.reads[0].resolve([asHistory(frame)]);
    await flush();
    assert.deepEqual(setup.batches.map((b) => [b.final, contents(b.messages)]), [[true, [frame.Content]]]);
    socket.deliver(frame); // a frame delayed on its way, logged before it arrived
    await flush();
    assert.equal(setup.log.messages.length, 0);
    await setup.clock.advance(60_000);
    assert.equal(setup.reads.length, 1, 'delayMs 0: no second read');
    setup.room.disconnect();
  });

  test('deletions that arrive before the history keep their messages out of it (aws:DELETE_MESSAGE and removal events)', async () => {
    const setup = historyRoom();
    const socket = await connect(setup);
    const old = [messageFrame('ann', -300), messageFrame('bob', -200), messageFrame('spammer', -150), messageFrame('ann', -100)];
    socket.deliver(deleteFrame(old[1].Id, 10));
    socket.deliver(removalFrame('spammer', 20));
    await flush();
    setup.reads[0].resolve(old.map(asHistory));
    await flush();
    assert.deepEqual(contents(setup.batches[0].messages), contents([old[0], old[3]]));
    // Read 2 still holds them (the log keeps deleted messages): still left out.
    await setup.clock.advance(DELAY_MS);
    setup.reads[1].resolve(old.map(asHistory));
    await flush();
    assert.deepEqual(contents(setup.batches[1].messages), []);
    assert.deepEqual(contents(setup.page()), contents([old[0], old[3]]));
    setup.room.disconnect();
  });

  test('a removal event removes the user\'s messages up to it, not the ones after', async () => {
    const setup = historyRoom({ delayMs: 0 });
    const socket = await connect(setup);
    const before = messageFrame('carl', -50);
    const after = messageFrame('carl', 500); // after the removal: carl was allowed back
    socket.deliver(removalFrame('carl', 100));
    await flush();
    setup.reads[0].resolve([asHistory(before), asHistory(after)]);
    await flush();
    assert.deepEqual(contents(setup.batches[0].messages), [after.Content]);
    setup.room.disconnect();
  });

  test('deletions that come after the history, live or in read 2, remove messages read 1 delivered', async () => {
    const setup = historyRoom({ removalEvents: { 'app:PURGE': 'who' } });
    const socket = await connect(setup);
    const old = [messageFrame('ann', -300), messageFrame('bob', -200), messageFrame('eve', -100), messageFrame('dan', -90)];
    setup.reads[0].resolve(old.map(asHistory));
    await flush();
    assert.equal(setup.batches[0].messages.length, 4);
    // Live: the app's page removes it on messageDelete (the room emits it as always).
    socket.deliver(deleteFrame(old[0].Id, 10));
    await flush();
    assert.deepEqual(setup.log.deletes.map((d) => d.messageId), [old[0].Id]);
    // In read 2 only (deleted in the gap, before the socket opened): emitted as messageDelete and
    // as the app's removal event, once each; an event that hits nothing delivered is not emitted.
    const gapDeletion = { id: fakeId(), messageId: old[1].Id, sendTime: at(-5) };
    const gapRemoval = { id: fakeId(), eventName: 'app:PURGE', attributes: { who: 'eve' }, sendTime: at(-4) };
    const idle = { id: fakeId(), eventName: 'app:PURGE', attributes: { who: 'nobody' }, sendTime: at(-3) };
    const raw = { id: fakeId(), eventName: 'aws:DELETE_MESSAGE', attributes: { MessageID: old[3].Id }, sendTime: at(-2) };
    await setup.clock.advance(DELAY_MS);
    setup.reads[1].resolve({ messages: old.map(asHistory), events: [gapDeletion, gapRemoval, idle, raw, { id: fakeId(), eventName: 'app:other', sendTime: at(-1) }] });
    await flush();
    assert.deepEqual(setup.log.deletes.map((d) => d.messageId), [old[0].Id, old[1].Id, old[3].Id]);
    assert.ok(setup.log.deletes[1].sendTime instanceof Date);
    assert.deepEqual(setup.log.events.map((e) => [e.eventName, e.attributes]), [['app:PURGE', { who: 'eve' }]]);
    assert.deepEqual(setup.batches[1].messages, []);
    setup.room.disconnect();
  });

  test('a failing, hanging or malformed provider is an error event (HISTORY_FAILED) and the chat goes on; read 2 still comes', async () => {
    for (const failure of ['throws', 'hangs', 'malformed']) {
      const setup = historyRoom({ timeoutMs: 3000 });
      const socket = await connect(setup);
      if (failure === 'throws') setup.reads[0].reject(new Error('log group /ivs/chat not readable'));
      if (failure === 'malformed') setup.reads[0].resolve({ items: [] });
      if (failure === 'hangs') await setup.clock.advance(3000);
      await flush();
      assert.equal(setup.log.errors.length, 1, failure);
      const [error] = setup.log.errors;
      assert.ok(error instanceof ChatError);
      assert.equal(error.code, 'HISTORY_FAILED');
      if (failure === 'throws') assert.match(error.message, /not readable/);
      if (failure === 'hangs') {
        assert.match(error.message, /timeoutMs \(3000 ms\)/);
        assert.equal(setup.reads[0].request.signal.aborted, true, 'the provider\'s signal aborted');
      }
      assert.equal(setup.room.state, 'connected');
      const live = messageFrame('bob', 10);
      socket.deliver(live);
      await flush();
      assert.deepEqual(contents(setup.log.messages), [live.Content]);
      void setup.room.sendMessage({ content: 'still works' }).catch(() => {});
      await flush();
      assert.deepEqual(socket.sent.map((r) => r.Content), ['still works'], 'a send goes out');
      await setup.clock.advance(START + DELAY_MS - setup.clock.now()); // (delayMs after connecting)
      assert.equal(setup.reads.length, 2, `${failure}: read 2 is made anyway`);
      const older = messageFrame('ann', -100);
      setup.reads[1].resolve([asHistory(older), asHistory(live)]);
      await flush();
      assert.deepEqual(setup.batches.map((b) => contents(b.messages)), [[older.Content]], failure);
      assert.equal(setup.log.errors.length, 1, failure);
      setup.room.disconnect();
    }
  });

  test('a provider that throws at once, or a listener of history that throws, does not break the room', async () => {
    const setup = historyRoom({ provider: () => { throw new TypeError('no'); }, delayMs: 0 });
    await connect(setup);
    assert.deepEqual(setup.log.errors.map((e) => e.code), ['HISTORY_FAILED']);
    setup.room.disconnect();
    const second = historyRoom({ delayMs: 0 });
    second.room.addListener('history', () => { throw new Error('render failed'); });
    await connect(second);
    second.reads[0].resolve([]);
    await flush();
    assert.deepEqual(second.log.errors.map((e) => e.code), ['LISTENER_FAILED']);
    assert.equal(second.batches.length, 1);
    second.room.disconnect();
  });

  test('entries that are not messages are skipped, the others kept', async () => {
    const setup = historyRoom({ delayMs: 0 });
    await connect(setup);
    const good = messageFrame('ann', -10);
    setup.reads[0].resolve([null, { id: 'x' }, { ...asHistory(good), id: 'BadTime00001', sendTime: 'yesterday' }, asHistory(good), { ...asHistory(good), id: 'NoSender0001', sender: null }]);
    await flush();
    assert.deepEqual(setup.batches[0].messages.map((m) => m.id), [good.Id]);
    assert.equal(setup.batches[0].messages[0].sendTime.getTime(), START - 10, 'nanoseconds dropped, the millisecond kept');
    assert.equal(setup.log.errors.length, 0);
    setup.room.disconnect();
  });

  test('disconnect() aborts the read under way and nothing of it is delivered; connect() reads again, without repeating', async () => {
    const setup = historyRoom({ delayMs: 0 });
    await connect(setup);
    const first = setup.reads[0];
    setup.room.disconnect();
    assert.equal(first.request.signal.aborted, true);
    const old = messageFrame('ann', -10);
    first.resolve([asHistory(old)]);
    await flush();
    assert.equal(setup.batches.length, 0);
    assert.equal(setup.log.errors.length, 0, 'an aborted read is not an error');
    await connect(setup);
    assert.equal(setup.reads.length, 2);
    setup.reads[1].resolve([asHistory(old)]);
    await flush();
    assert.deepEqual(setup.batches.map((b) => contents(b.messages)), [[old.Content]]);
    // After an outage, the reconnection reads again (once connected: not while the network is
    // down): only what was missed is delivered.
    /** @type {number[]} */
    const readsAtAttempts = [];
    setup.room.addListener('attempt', () => readsAtAttempts.push(setup.reads.length));
    setup.service.onSocket = (socket) => (setup.service.sockets.length % 2 ? socket.refuse() : socket.accept()); // one refused attempt first
    setup.service.sockets.at(-1).drop();
    await setup.clock.runUntil(() => setup.room.state === 'connected' && setup.reads.length === 3, 'the reconnection');
    assert.deepEqual(readsAtAttempts, [2, 2], 'no read while reconnecting');
    const missed = messageFrame('bob', 2000);
    setup.reads[2].resolve([asHistory(old), asHistory(missed)]);
    await flush();
    assert.deepEqual(setup.batches.map((b) => contents(b.messages)), [[old.Content], [missed.Content]]);
    setup.room.disconnect();
  });

  test('connect() undone at once never calls the provider; without a provider nothing changes', async () => {
    const setup = historyRoom();
    setup.room.connect();
    setup.room.disconnect();
    await setup.clock.advance(DELAY_MS * 2);
    assert.equal(setup.reads.length, 0);
    const plain = historyRoom({ history: undefined });
    const socket = await connect(plain);
    const frame = messageFrame('ann', 1);
    socket.deliver(frame);
    socket.deliver(deleteFrame(frame.Id, 2));
    await plain.clock.advance(DELAY_MS * 2);
    assert.deepEqual(contents(plain.log.messages), [frame.Content]);
    assert.equal(plain.batches.length, 0);
    plain.room.disconnect();
  });
});

describe('ChatRoom history: options and source shapes', () => {
  const base = { regionOrUrl: 'us-west-2', tokenProvider: async () => ({ token: 't' }), WebSocket: new FakeService().WebSocket };
  test('bad history options are refused with InvalidOptionError naming the option', () => {
    const provider = () => [];
    const cases = [
      [{ provider: 'https://edge.example/history' }, 'provider'],
      [{ provider: null }, 'provider'],
      [{}, 'provider'],
      [{ provider, delayMs: -1 }, 'delayMs'],
      [{ provider, delayMs: Number.NaN }, 'delayMs'],
      [{ provider, delayMs: '10s' }, 'delayMs'],
      [{ provider, timeoutMs: 0 }, 'timeoutMs'],
      [{ provider, timeoutMs: Infinity }, 'timeoutMs'],
      [{ provider, removalEvents: ['app:DELETE_USER_MESSAGES'] }, 'removalEvents'],
      [{ provider, removalEvents: { 'app:X': 1 } }, 'removalEvents'],
      [{ provider, removalEvents: { 'app:X': '' } }, 'removalEvents'],
      [{ provider, removalEvents: 'app:DELETE_USER_MESSAGES' }, 'removalEvents'],
      [{ provider, delay: 5 }, 'delay'],
      [{ provider, url: '/chat-history' }, 'url'],
      [{ url: 42 }, 'url'],
      [{ url: '' }, 'url'],
      [{ url: '/chat-history', fetch: 'fetch' }, 'fetch'],
      [provider, 'options'],
    ];
    for (const [options, option] of cases) {
      assert.throws(() => chatHistory(options), (error) => {
        assert.ok(error instanceof InvalidOptionError, `${option}: ${error}`);
        assert.equal(error.option, option);
        assert.match(error.message, new RegExp(option === 'options' ? 'chatHistory needs an options object' : option));
        return true;
      }, `${option}: ${JSON.stringify(options)}`);
    }
    for (const options of [{ provider }, { provider, delayMs: 0 }, { provider, timeoutMs: 1 }, { provider, removalEvents: {} }, { provider, removalEvents: { 'app:BAN': 'user' } }]) {
      assert.doesNotThrow(() => new ChatRoom({ ...base, history: chatHistory(options) }), JSON.stringify(options));
    }
    assert.deepEqual(chatHistory({ provider }).removalEvents, { 'app:DELETE_USER_MESSAGES': 'userId' });
    // ChatRoom's own option: what chatHistory makes, and nothing else (a bare provider included).
    for (const history of [provider, { provider }, 'https://edge.example/history', null]) {
      assert.throws(() => new ChatRoom({ ...base, history }), (error) => error instanceof InvalidOptionError && error.option === 'history' && /chatHistory/.test(error.message), String(history));
    }
  });

  test('url: a GET of the endpoint with the read\'s signal, its JSON the source; an answer that is not 2xx is HISTORY_FAILED', async () => {
    const old = messageFrame('ann', -10);
    /** @type {any[]} */
    const calls = [];
    let status = 200;
    const fetch = async (url, init) => {
      calls.push({ url: String(url), init });
      return new Response(JSON.stringify({ messages: [asHistory(old)], complete: true }), { status, headers: { 'content-type': 'application/json' } });
    };
    const setup = historyRoom({ history: chatHistory({ url: new URL('https://edge.example/chat-history?room=r1'), fetch, delayMs: DELAY_MS }) });
    await connect(setup);
    await flush();
    assert.deepEqual(setup.batches.map((b) => contents(b.messages)), [[old.Content]]);
    assert.equal(calls[0].url, 'https://edge.example/chat-history?room=r1');
    assert.ok(calls[0].init.signal instanceof AbortSignal);
    status = 503;
    await setup.clock.advance(DELAY_MS);
    await flush();
    assert.equal(calls.length, 2);
    assert.deepEqual(setup.log.errors.map((e) => e.code), ['HISTORY_FAILED']);
    assert.match(setup.log.errors[0].message, /chat-history\?room=r1 answered HTTP 503/);
    assert.equal(setup.room.state, 'connected');
    setup.room.disconnect();
  });

  test('url: an answer over MAX_HISTORY_ANSWER_BYTES is HISTORY_FAILED, refused by its Content-Length or cut off as it streams', async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    let pulled = 0;
    /** @type {Array<() => Response>} */
    const answers = [
      // Announced too large: refused before a byte of it is read.
      () => new Response(new ReadableStream({ pull() { throw new Error('read despite its Content-Length'); } }), { headers: { 'content-length': String(MAX_HISTORY_ANSWER_BYTES + 1) } }),
      // No length, 16 MiB: cancelled once past the cap.
      () => new Response(new ReadableStream({ pull(controller) { if (++pulled > 16) controller.close(); else controller.enqueue(chunk); } })),
    ];
    let call = 0;
    const fetch = async () => answers[call++]();
    const setup = historyRoom({ history: chatHistory({ url: 'https://edge.example/chat-history', fetch, delayMs: DELAY_MS }) });
    await connect(setup);
    await flush();
    await setup.clock.advance(DELAY_MS);
    for (let i = 0; i < 50 && setup.log.errors.length < 2; i++) await flush();
    assert.equal(call, 2);
    assert.deepEqual(setup.log.errors.map((e) => e.code), ['HISTORY_FAILED', 'HISTORY_FAILED']);
    for (const error of setup.log.errors) assert.match(error.message, new RegExp(`more than ${MAX_HISTORY_ANSWER_BYTES} bytes`));
    assert.ok(pulled * chunk.length <= MAX_HISTORY_ANSWER_BYTES + 2 * chunk.length, `read ${pulled} MiB of a 16 MiB answer`);
    assert.deepEqual(setup.batches, []);
    assert.equal(setup.room.state, 'connected');
    setup.room.disconnect();
  });

  test('readHistorySource: a list, or { messages, events }; anything else throws', () => {
    assert.deepEqual(readHistorySource([]).messages, []);
    assert.equal(readHistorySource({ messages: [], events: [] }).skipped, 0);
    for (const bad of [undefined, null, 'x', {}, { messages: 'x' }, { messages: [], events: {} }]) assert.throws(() => readHistorySource(bad), TypeError);
    const read = readHistorySource({ messages: [{ id: 'm', content: 'c', sendTime: 5, sender: { userId: 'u', attributes: { n: 1 } }, attributes: { a: 'b' }, requestId: '' }], events: [{ id: 'e' }] });
    assert.deepEqual(read.messages, [{ id: 'm', content: 'c', sendTime: new Date(5), sender: { userId: 'u' }, attributes: { a: 'b' } }], 'attributes that are not strings, and an empty requestId, left out');
    assert.equal(read.skipped, 1);
  });

  test('removalOf: only the named events, with the named attribute', () => {
    const events = { 'app:DELETE_USER_MESSAGES': 'userId' };
    const sendTime = new Date(1000);
    assert.deepEqual(removalOf({ eventName: 'app:DELETE_USER_MESSAGES', attributes: { userId: 'bob' }, sendTime }, events), { userId: 'bob', until: 1000 });
    assert.equal(removalOf({ eventName: 'app:DELETE_USER_MESSAGES', attributes: { user: 'bob' }, sendTime }, events), undefined);
    assert.equal(removalOf({ eventName: 'app:OTHER', attributes: { userId: 'bob' }, sendTime }, events), undefined);
    assert.equal(removalOf({ eventName: 'toString', attributes: { userId: 'bob' }, sendTime }, events), undefined, 'no inherited names');
  });
});
