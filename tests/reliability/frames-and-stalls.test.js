// ChatRoom against a server that misbehaves on the wire (local server fault controls):
// malformed and oversized frames, a stall (nothing comes back), a stall ending in a drop, and
// slow frames. Each problem is reported or settled with a typed ChatError, and the room carries on.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { ChatError } from 'ivschat-wasm';

import { record, settled, SOON_MS, startChat, waitFor } from './helpers.js';

/** A MESSAGE frame as the service sends it, with `extra` members. */
const messageFrame = (id, content, extra = {}) =>
  JSON.stringify({ Type: 'MESSAGE', Id: id, RequestId: '', Content: content, Attributes: null, SendTime: '2030-01-01T00:00:00.000Z', Sender: { UserId: 'mallory', Attributes: null }, ...extra });

const MALFORMED = [
  '',
  'not json at all',
  '{',
  'null',
  '[]',
  '"MESSAGE"',
  '{"Type":"MESSAGE"}',
  '{"Type":"MESSAGE","Id":"AbCdEf123456","Content":1,"SendTime":"2030-01-01T00:00:00Z","Sender":{"UserId":"u"}}',
  '{"Type":"MESSAGE","Id":"AbCdEf123456","Content":"x","SendTime":"yesterday","Sender":{"UserId":"u"}}',
  '{"Type":"EVENT","Id":"AbCdEf123456","EventName":"aws:DELETE_MESSAGE","SendTime":"2030-01-01T00:00:00Z","Attributes":{}}',
  '{"Type":"ERROR","ErrorCode":"four hundred"}',
  `{"Type":"MESSAGE","Nested":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
  `{"Type":"MESSAGE","Unclosed":${'{"a":'.repeat(20_000)}`,
];
/** Over MAX_SERVER_FRAME_LENGTH (64 Ki characters): skipped unread, however well-formed. */
const OVERSIZED = [
  { name: '10 MiB of garbage', text: 'x'.repeat(10 * 1024 * 1024) },
  // Well-formed, but no frame of the service is this big (content is at most 500 code points):
  // it used to be delivered as a message of 3 million characters.
  { name: 'a MESSAGE with 3 million characters of content', text: messageFrame('Oversized001', 'é'.repeat(3_000_000)) },
  // Numbers like 1e308 cost the parser about 2 µs per byte: 4 MB used to block for ~8 s.
  { name: '4 MB of 1e308 in an unknown member', text: messageFrame('Oversized002', 'x', { Junk: Array(700_000).fill('1e308') }) },
  { name: 'one character over the limit', text: messageFrame('Oversized003', 'x', { Pad: 'p'.repeat(65_536) }) },
];

describe('frames and stalls', () => {
  /** @type {Awaited<ReturnType<typeof startChat>>} */
  let chat;
  before(async () => {
    chat = await startChat();
  });
  afterEach(() => chat.server.faults.reset());
  after(() => chat.close());

  /** Alice (moderator) and Bob in a fresh room. */
  async function twoInARoom(options = {}) {
    const { arn } = await chat.server.createRoom({ maximumMessageRatePerSecond: 100 });
    const make = (userId) => {
      const room = chat.room({
        tokenProvider: chat.tokens({ roomArn: arn, userId, capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'], withUserId: true }),
        maxMessagesPerSecond: 50,
        ...options,
      });
      return { room, log: record(room) };
    };
    const alice = make('alice');
    const bob = make('bob');
    await Promise.all([alice.room.connect(), bob.room.connect()]);
    return { arn, alice, bob };
  }

  test('malformed and oversized frames: each reported on `error` as MALFORMED_FRAME and skipped; the connection carries on', { timeout: 60_000 }, async () => {
    const { arn, alice, bob } = await twoInARoom();
    // Just under the limit and well-formed: delivered (the limit does not cut real frames).
    const big = messageFrame('BigButValid1', 'fits', { Pad: 'p'.repeat(60_000) });
    assert.ok(big.length < 64 * 1024);
    const frames = [...MALFORMED, ...OVERSIZED.map((o) => o.text)];
    const sent = [];
    for (const [index, text] of frames.entries()) {
      assert.equal(chat.server.faults.injectFrame(text, { userId: 'alice', roomIdentifier: arn }), 1);
      if (index % 4 === 0) sent.push(await bob.room.sendMessage({ content: `between the garbage ${index}` }));
    }
    chat.server.faults.injectFrame(big, { userId: 'alice', roomIdentifier: arn });
    sent.push(await bob.room.sendMessage({ content: 'after the garbage' }));

    // Bounded: the oversized frames neither crash nor hang the room.
    await waitFor(() => alice.log.errors.length >= frames.length && alice.log.messages.length >= sent.length + 1, 'every frame to be handled', SOON_MS);
    assert.equal(alice.log.errors.length, frames.length, alice.log.errors.map((e) => e.message).join('\n'));
    for (const error of alice.log.errors) {
      assert.ok(error instanceof ChatError);
      assert.equal(error.code, 'MALFORMED_FRAME');
    }
    for (const error of alice.log.errors.slice(MALFORMED.length)) assert.match(error.message, /skipped unread/);
    // Nothing was made up from a bad frame; everything real arrived, once, in order.
    assert.deepEqual(
      alice.log.messages.map((m) => m.id),
      [...sent.slice(0, -1).map((m) => m.id), 'BigButValid1', sent.at(-1).id],
    );
    assert.deepEqual([alice.log.connect, alice.log.disconnects, alice.room.state], [1, [], 'connected']);
    assert.deepEqual(bob.log.errors, []);
    const reply = await alice.room.sendMessage({ content: 'still here' });
    assert.equal(reply.content, 'still here');
  });

  test('a server that stalls: every request times out with TIMEOUT, then the room recovers; late echoes arrive once', async () => {
    // requestTimeoutMs 500 should pass only for the requests sent into the stall: the rooms' clock
    // keeps it at 500 ms for those and stretches it to 30 s for the ones before and after (answered
    // in a few ms on a quiet machine), so a slow machine cannot time out a request that is answered.
    const REQUEST_TIMEOUT_MS = 500;
    let stalled = false;
    const clock = {
      now: () => Date.now(),
      setTimeout: (/** @type {() => void} */ callback, /** @type {number} */ ms) => setTimeout(callback, ms === REQUEST_TIMEOUT_MS && !stalled ? 30_000 : ms),
      clearTimeout: (/** @type {any} */ handle) => clearTimeout(handle),
    };
    const { alice, bob } = await twoInARoom({ requestTimeoutMs: REQUEST_TIMEOUT_MS, clock });
    const first = await alice.room.sendMessage({ content: 'before the stall' });
    chat.server.faults.stall(true);
    stalled = true;
    const requests = [
      ...Array.from({ length: 5 }, (_, n) => settled(alice.room.sendMessage({ content: `stalled ${n}` }))),
      settled(alice.room.deleteMessage({ id: first.id, reason: 'stalled delete' })),
      settled(bob.room.sendMessage({ content: 'stalled from bob' })),
    ];
    const outcomes = await Promise.all(requests);
    for (const { ok, error } of outcomes) {
      assert.equal(ok, false);
      assert.ok(error instanceof ChatError);
      assert.equal(error.code, 'TIMEOUT');
      assert.ok(error.requestId);
    }
    assert.equal(alice.room.pendingRequestCount + bob.room.pendingRequestCount, 0);
    assert.deepEqual([alice.room.state, bob.room.state], ['connected', 'connected'], 'a stall is not a disconnect');

    stalled = false;
    chat.server.faults.stall(false);
    const fresh = await alice.room.sendMessage({ content: 'after the stall' });
    for (const { log } of [alice, bob]) {
      await waitFor(() => log.messages.some((m) => m.id === fresh.id) && log.deletes.length === 1, 'the held frames');
      const contents = log.messages.map((m) => m.content);
      assert.deepEqual(contents, ['before the stall', 'stalled 0', 'stalled 1', 'stalled 2', 'stalled 3', 'stalled 4', 'stalled from bob', 'after the stall']);
      assert.equal(log.deletes[0].messageId, first.id);
      assert.deepEqual([log.connect, log.disconnects, log.errors], [1, [], []]);
    }
  });

  test('stalled, then dropped: pending requests settle DISCONNECTED at the drop; the room reconnects and recovers once the stall ends', async () => {
    const { arn, alice, bob } = await twoInARoom({ requestTimeoutMs: 5000 });
    chat.server.faults.stall(true);
    const broadcastBefore = chat.server.stats().messagesSent;
    const pending = [settled(alice.room.sendMessage({ content: 'one' })), settled(alice.room.sendMessage({ content: 'two' }))];
    await waitFor(() => alice.room.pendingRequestCount === 2, 'the sends to be in flight');
    // Sent is not yet read: on a busy machine the server may not have read them when the drop
    // comes, and then they are lost with the connection (no broadcast, nothing for Bob).
    await waitFor(() => chat.server.stats().messagesSent === broadcastBefore + 2, 'the server to broadcast both (held by the stall)');
    chat.server.faults.dropConnections({ userId: 'alice', roomIdentifier: arn });
    for (const { error } of await Promise.all(pending)) assert.deepEqual([error.code, error.disconnectReason], ['DISCONNECTED', 'socketError']);
    await waitFor(() => alice.log.connect === 2, 'Alice to reconnect (the handshake is not held by a stall)');
    chat.server.faults.stall(false);
    const again = await alice.room.sendMessage({ content: 'three' });
    await waitFor(() => bob.log.messages.some((m) => m.id === again.id), 'Bob to get it');
    // The held echoes went to a socket that no longer exists; Bob's copies arrive once each.
    assert.deepEqual(bob.log.messages.map((m) => m.content), ['one', 'two', 'three']);
    assert.deepEqual(alice.log.disconnects, []);
  });

  test('slow frames (delayFrames below requestTimeoutMs): every request resolves, in order, none times out', async () => {
    const { alice, bob } = await twoInARoom({ requestTimeoutMs: 5000 });
    chat.server.faults.delayFrames(300);
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => alice.room.sendMessage({ content: `slow ${n}` })));
    assert.deepEqual(results.map((m) => m.content), Array.from({ length: 10 }, (_, n) => `slow ${n}`));
    await waitFor(() => bob.log.messages.length === 10, 'Bob to get them');
    assert.deepEqual(bob.log.messages.map((m) => m.id), results.map((m) => m.id));
  });
});
