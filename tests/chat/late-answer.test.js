// A request that times out and is answered after all (issue 18: a send during a stall showed
// "did not answer in time", was delivered anyway, and was sent twice). TIMEOUT means "not
// confirmed": the late echo still arrives as its `message` (or other) event, and `delivered`
// then names the request it answers, for as long as the room remembers it (UNCONFIRMED_CAPACITY
// requestIds, UNCONFIRMED_MAX_AGE_MS each). The local server holds its frames back (a stall);
// the room's clock is a fake one, so the timeout happens when the test says, not on a race.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { init } from 'ivschat-wasm';
import { UNCONFIRMED_CAPACITY, UNCONFIRMED_MAX_AGE_MS } from '../../js/chat/requests.js';
import { echoOf, FakeClock, FakeService, record, settled, startChat, waitFor } from './helpers.js';

const REQUEST_TIMEOUT_MS = 5000;

describe('a request answered after its timeout', () => {
  /** @type {Awaited<ReturnType<typeof startChat>>} */
  let chat;
  before(async () => {
    await init();
    chat = await startChat();
  });
  after(() => chat.close());

  /** A connected room on the local server whose timers run on a fake clock; `delivered` recorded in order with `message`. */
  async function join(roomArn, userId, options = {}) {
    const clock = new FakeClock(Date.now());
    const tokenProvider = chat.tokens({ roomArn, userId, capabilities: ['SEND_MESSAGE'] });
    const room = chat.room({ tokenProvider, clock, requestTimeoutMs: REQUEST_TIMEOUT_MS, ...options });
    const log = record(room);
    /** @type {any[]} */
    const delivered = [];
    /** @type {string[]} */
    const order = [];
    room.addListener('message', (m) => order.push(`message ${m.content}`));
    room.addListener('delivered', (d) => {
      delivered.push(d);
      order.push(`delivered ${d.requestId}`);
    });
    await room.connect();
    return { room, log, clock, delivered, order };
  }

  /** Sends during a stall and lets the request time out on the fake clock: its settled outcome. */
  async function sendUnanswered(alice, request) {
    const before = chat.server.stats().messagesSent;
    const outcome = settled(alice.room.sendMessage(request));
    // The service has it (and answers it, held back by the stall) before the clock moves on.
    await waitFor(() => chat.server.stats().messagesSent > before, 'the service to take the message');
    await alice.clock.advance(REQUEST_TIMEOUT_MS - 1);
    assert.equal(alice.room.pendingRequestCount, 1, 'still waiting just before the timeout');
    await alice.clock.advance(1);
    return outcome;
  }

  test('a send whose echo is held past requestTimeoutMs rejects TIMEOUT (not confirmed); the late echo is its message, then `delivered` names the request', async () => {
    const { arn } = await chat.server.createRoom();
    const alice = await join(arn, 'alice');
    const bob = await join(arn, 'bob');
    chat.server.faults.stall(true);
    let outcome;
    try {
      outcome = await sendUnanswered(alice, { content: 'sent during the stall' });
    } finally {
      chat.server.faults.stall(false);
    }
    assert.equal(outcome.ok, false);
    assert.equal(outcome.error.code, 'TIMEOUT');
    const { requestId } = outcome.error;
    assert.ok(requestId);
    assert.equal(alice.room.pendingRequestCount, 0);
    assert.deepEqual(alice.delivered, [], 'nothing delivered before the echo');

    const delivery = await waitFor(() => alice.delivered[0], 'the late echo to be matched to its request');
    assert.equal(delivery.kind, 'sendMessage');
    assert.equal(delivery.requestId, requestId);
    assert.equal(delivery.result.content, 'sent during the stall');
    assert.equal(delivery.result.requestId, requestId);
    assert.equal(delivery.result.sender.userId, 'alice');
    assert.deepEqual(alice.log.messages, [delivery.result], 'the same message event as any echo, once');
    assert.deepEqual(alice.order, ['message sent during the stall', `delivered ${requestId}`]);
    // Only the sender's room learns it: Bob had no such request.
    await waitFor(() => bob.log.messages.length === 1, 'Bob to receive it');
    assert.deepEqual(bob.delivered, []);

    // Matched once: the same frame again (as on the second socket of a renewal) is no news.
    const sent = await alice.room.sendMessage({ content: 'answered in time' });
    assert.equal(sent.content, 'answered in time');
    assert.equal(alice.delivered.length, 1, 'an answer in time settles its promise, no `delivered`');
    assert.deepEqual(alice.log.errors, []);
    alice.room.disconnect();
    bob.room.disconnect();
  });

  test('past UNCONFIRMED_MAX_AGE_MS the request is forgotten: the late echo is a message only', async () => {
    const { arn } = await chat.server.createRoom();
    const alice = await join(arn, 'alice');
    chat.server.faults.stall(true);
    let outcome;
    try {
      outcome = await sendUnanswered(alice, { content: 'too late to matter' });
      await alice.clock.advance(UNCONFIRMED_MAX_AGE_MS);
    } finally {
      chat.server.faults.stall(false);
    }
    assert.equal(outcome.error.code, 'TIMEOUT');
    await waitFor(() => alice.log.messages.length === 1, 'the late echo');
    assert.equal(alice.log.messages[0].requestId, outcome.error.requestId);
    assert.deepEqual(alice.delivered, []);
    alice.room.disconnect();
  });

  test('a late ERROR for a timed-out send is a definite failure: `error` with its requestId, no `delivered`', async () => {
    const { arn } = await chat.server.createRoom({ maximumMessageLength: 10 });
    // maxMessageLength above the room's: the service, not the client, refuses the long message.
    const alice = await join(arn, 'alice', { maxMessageLength: 500 });
    chat.server.faults.stall(true);
    const errorsBefore = chat.server.stats().errorsSent;
    const outcome = settled(alice.room.sendMessage({ content: 'longer than ten code points' }));
    try {
      // The service refuses it (its ERROR held back by the stall) before the clock moves on.
      await waitFor(() => chat.server.stats().errorsSent > errorsBefore, 'the service to refuse it');
      await alice.clock.advance(REQUEST_TIMEOUT_MS);
    } finally {
      chat.server.faults.stall(false);
    }
    const { error } = await outcome;
    assert.equal(error.code, 'TIMEOUT');
    const late = await waitFor(() => alice.log.errors[0], 'the late ERROR');
    assert.equal(late.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(late.requestId, error.requestId);
    assert.deepEqual(alice.delivered, []);
    alice.room.disconnect();
  });
});

describe('what the room remembers of unconfirmed requests (fake service)', () => {
  before(() => init());

  async function fakeRoom() {
    const clock = new FakeClock();
    const service = new FakeService();
    service.onSocket = (socket) => socket.accept();
    const { ChatRoom } = await import('ivschat-wasm');
    const room = new ChatRoom({
      regionOrUrl: 'wss://fake.invalid',
      tokenProvider: async () => ({ token: 'token-1' }),
      WebSocket: service.WebSocket,
      clock,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      maxMessagesPerSecond: Infinity,
    });
    /** @type {any[]} */
    const delivered = [];
    room.addListener('delivered', (d) => delivered.push(d));
    const log = record(room);
    const connecting = room.connect();
    await clock.advance(0);
    await connecting;
    return { room, clock, service, socket: service.sockets[0], delivered, log };
  }

  test(`at most UNCONFIRMED_CAPACITY (${UNCONFIRMED_CAPACITY}) requestIds: the oldest is forgotten first`, async () => {
    const { room, clock, socket, delivered, log } = await fakeRoom();
    const outcomes = [];
    for (let n = 0; n <= UNCONFIRMED_CAPACITY; n += 1) outcomes.push(settled(room.sendMessage({ content: `m${n}`, requestId: `r${n}` })));
    await clock.advance(REQUEST_TIMEOUT_MS);
    for (const { error } of await Promise.all(outcomes)) assert.equal(error.code, 'TIMEOUT');
    for (const request of [socket.sent[0], socket.sent[1], socket.sent[UNCONFIRMED_CAPACITY]]) socket.deliver(echoOf(request));
    assert.deepEqual(delivered.map((d) => d.requestId), ['r1', `r${UNCONFIRMED_CAPACITY}`], 'r0, the oldest, was forgotten');
    assert.equal(log.messages.length, 3, 'every late echo is still a message');
    room.disconnect();
  });

  test('a request aborted after sending, a deleteMessage, and one cut off by a drop are matched too; an answer of another kind or to a request never sent is not', async () => {
    const { room, clock, service, socket, delivered } = await fakeRoom();
    const controller = new AbortController();
    const aborted = settled(room.sendMessage({ content: 'aborted after sending', requestId: 'ab' }, { signal: controller.signal }));
    const deletion = settled(room.deleteMessage({ id: 'AbCdEf123456', requestId: 'del' }));
    await clock.advance(0);
    controller.abort();
    assert.equal((await aborted).error.code, 'ABORTED');
    await clock.advance(REQUEST_TIMEOUT_MS);
    assert.equal((await deletion).error.code, 'TIMEOUT');
    socket.deliver(echoOf(socket.sent[0]));
    socket.deliver({ Type: 'EVENT', Id: 'Evnt00000001', RequestId: 'del', EventName: 'aws:DELETE_MESSAGE', Attributes: { MessageID: 'AbCdEf123456' }, SendTime: '2030-01-01T00:00:00Z' });
    assert.deepEqual(delivered.map((d) => [d.kind, d.requestId]), [['sendMessage', 'ab'], ['deleteMessage', 'del']]);
    assert.equal(delivered[1].result.messageId, 'AbCdEf123456');
    // An echo of another kind than the request does not match it.
    const third = settled(room.sendMessage({ content: 'x', requestId: 'kind' }));
    await clock.advance(REQUEST_TIMEOUT_MS);
    assert.equal((await third).error.code, 'TIMEOUT');
    socket.deliver({ Type: 'EVENT', Id: 'Evnt00000002', RequestId: 'kind', EventName: 'app:other', Attributes: {}, SendTime: '2030-01-01T00:00:00Z' });
    assert.equal(delivered.length, 2);

    // Cut off by a drop after it was sent (DISCONNECTED): its echo on the next socket still matches.
    const cut = settled(room.sendMessage({ content: 'cut off', requestId: 'cut' }));
    await clock.advance(0);
    const sentBeforeDrop = socket.sent.at(-1);
    assert.equal(sentBeforeDrop.RequestId, 'cut');
    socket.drop();
    assert.equal((await cut).error.code, 'DISCONNECTED');
    await clock.runUntil(() => room.state === 'connected', 'the reconnection');
    const next = service.sockets.at(-1);
    assert.notEqual(next, socket);
    next.deliver(echoOf(sentBeforeDrop));
    assert.deepEqual(delivered.map((d) => d.requestId), ['ab', 'del', 'cut']);

    room.disconnect();
    // Never sent: nothing to wait for, so nothing remembered.
    await assert.rejects(room.sendMessage({ content: 'never sent', requestId: 'none' }), { code: 'DISCONNECTED' });
    next.deliver(echoOf({ RequestId: 'none', Content: 'never sent' }));
    assert.equal(delivered.length, 3);
    assert.equal(clock.pending, 0, 'remembering needs no timer');
  });
});
