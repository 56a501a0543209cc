// ChatRoom under the local server's fault controls: connections dropped during a send loop,
// token backends that fail or hang. Every send settles, nothing is delivered twice, token fetches
// stay within maxReconnectAttempts + 1 per outage.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { assertUniqueIds, record, settled, sleep, startChat, waitFor } from './helpers.js';

describe('ChatRoom under faults', () => {
  /** @type {Awaited<ReturnType<typeof startChat>>} */
  let chat;
  before(async () => {
    chat = await startChat();
  });
  afterEach(() => chat.server.faults.reset());
  after(() => chat.close());

  test('connections dropped during a send loop: every send settles, none is delivered twice, fetches per outage are bounded', async () => {
    const { arn } = await chat.server.createRoom({ maximumMessageRatePerSecond: 100 });
    const maxReconnectAttempts = 3;
    const aliceTokens = chat.tokens({ roomArn: arn, userId: 'alice', capabilities: ['SEND_MESSAGE'] });
    const alice = chat.room({ tokenProvider: aliceTokens, maxReconnectAttempts, maxMessagesPerSecond: 100, requestTimeoutMs: 5000 });
    const bob = chat.room({ tokenProvider: chat.tokens({ roomArn: arn, userId: 'bob' }) });
    const aliceLog = record(alice);
    const bobLog = record(bob);
    await Promise.all([alice.connect(), bob.connect()]);

    /** @type {Promise<{ ok: boolean, value?: any, error?: any }>[]} */
    const outcomes = [];
    let sending = true;
    const loop = (async () => {
      for (let n = 0; sending || n < 20; n += 1) {
        outcomes.push(settled(alice.sendMessage({ content: `message ${n}` })));
        await sleep(10);
      }
    })();

    const fetchesPerOutage = [];
    for (let drop = 0; drop < 4; drop += 1) {
      await waitFor(() => alice.state === 'connected', 'Alice to be connected');
      const sentBefore = outcomes.length;
      await waitFor(() => outcomes.length >= sentBefore + 5, 'a few more sends');
      const fetchesBefore = aliceTokens.calls;
      assert.equal(chat.server.faults.dropConnections({ userId: 'alice', roomIdentifier: arn }), 1);
      await waitFor(() => aliceLog.connect === drop + 2, `Alice to reconnect after drop ${drop + 1}`);
      fetchesPerOutage.push(aliceTokens.calls - fetchesBefore);
    }
    sending = false;
    await loop;
    const results = await Promise.all(outcomes); // bounded: every request settles within requestTimeoutMs

    for (const count of fetchesPerOutage) assert.ok(count >= 1 && count <= maxReconnectAttempts + 1, `fetches per outage: ${fetchesPerOutage}`);
    for (const { ok, error } of results) if (!ok) assert.equal(error.code, 'DISCONNECTED', error.message);
    const delivered = results.filter((r) => r.ok).map((r) => r.value);
    assert.ok(delivered.length > 0);
    delivered.push(await alice.sendMessage({ content: 'after the storm' }));

    // Bob was never dropped: he got every delivered message exactly once, and nothing twice.
    await waitFor(() => delivered.every((m) => bobLog.messages.some((b) => b.id === m.id)), 'Bob to get every delivered message');
    assertUniqueIds(bobLog.messages, 'Bob');
    assertUniqueIds(aliceLog.messages, 'Alice');
    const contents = bobLog.messages.map((m) => m.content);
    assert.equal(new Set(contents).size, contents.length, 'no message was sent twice (no silent retry)');
    assert.deepEqual(aliceLog.disconnects, []);
    assert.equal(alice.pendingRequestCount, 0);
    alice.disconnect();
    bob.disconnect();
  });

  test('the token backend fails: 1 + maxReconnectAttempts fetches, then disconnect with fetchTokenError', async () => {
    const { arn } = await chat.server.createRoom();
    const tokens = chat.tokens({ roomArn: arn, userId: 'carol' });
    const room = chat.room({ tokenProvider: tokens, maxReconnectAttempts: 2 });
    const log = record(room);
    const callsBefore = chat.server.stats().createChatTokenCalls;
    chat.server.faults.failCreateChatToken({ count: 100, status: 500, errorType: 'InternalServerException' });
    const { error } = await settled(room.connect());
    assert.equal(error.code, 'DISCONNECTED');
    assert.equal(error.disconnectReason, 'fetchTokenError');
    assert.equal(tokens.calls, 3);
    assert.equal(chat.server.stats().createChatTokenCalls - callsBefore, 3);
    assert.deepEqual(log.disconnects, ['fetchTokenError']);
    assert.deepEqual(log.errors.map((e) => e.code), ['TOKEN_FETCH_FAILED', 'TOKEN_FETCH_FAILED', 'TOKEN_FETCH_FAILED']);
    assert.equal(log.errors[0].cause.name, 'InternalServerException', 'the provider’s own error is the cause');
    assert.equal(room.state, 'disconnected');
  });

  test('the token backend fails during an outage: bounded fetches, then fetchTokenError; pending sends settled', async () => {
    const { arn } = await chat.server.createRoom();
    const tokens = chat.tokens({ roomArn: arn, userId: 'dave', capabilities: ['SEND_MESSAGE'] });
    const room = chat.room({ tokenProvider: tokens, maxReconnectAttempts: 3 });
    const log = record(room);
    await room.connect();
    chat.server.faults.stall(true); // the send gets no echo before the drop
    const pending = settled(room.sendMessage({ content: 'caught in the outage' }));
    await waitFor(() => room.pendingRequestCount === 1, 'the send to be in flight');
    chat.server.faults.failCreateChatToken({ count: 100, status: 503, errorType: 'ServiceUnavailableException' });
    chat.server.faults.dropConnections({ userId: 'dave', roomIdentifier: arn });
    const { error } = await pending;
    assert.equal(error.code, 'DISCONNECTED');
    await waitFor(() => log.disconnects.length > 0, 'the room to give up');
    assert.deepEqual(log.disconnects, ['fetchTokenError']);
    assert.equal(tokens.calls, 1 + 4, 'one to connect, then 1 + maxReconnectAttempts for the outage');
    assert.deepEqual([log.connecting, log.connect], [2, 1]);
  });

  test('a token backend that hangs: each fetch gives up after tokenTimeoutMs, then fetchTokenError', async () => {
    const { arn } = await chat.server.createRoom();
    const tokens = chat.tokens({ roomArn: arn, userId: 'erin' });
    const room = chat.room({ tokenProvider: tokens, maxReconnectAttempts: 1, tokenTimeoutMs: 200 });
    const log = record(room);
    chat.server.faults.failCreateChatToken({ count: 2, hang: true });
    const { error } = await settled(room.connect());
    assert.equal(error.disconnectReason, 'fetchTokenError');
    assert.equal(tokens.calls, 2);
    assert.ok(log.errors.every((e) => e.code === 'TOKEN_FETCH_FAILED' && /within 200 ms/.test(e.message)));
  });

  test('a refused handshake (a token already used) is retried with a fresh token', async () => {
    const { arn } = await chat.server.createRoom();
    const real = chat.tokens({ roomArn: arn, userId: 'frank' });
    let first;
    const tokenProvider = async () => {
      const token = await real();
      first ??= token;
      return real.calls === 2 ? first : token; // the 2nd attempt reuses the 1st token: refused (401)
    };
    const room = chat.room({ tokenProvider });
    const log = record(room);
    await room.connect();
    chat.server.faults.dropConnections({ userId: 'frank', roomIdentifier: arn });
    await waitFor(() => log.connect === 2, 'the room to reconnect');
    assert.equal(real.calls, 3);
    assert.equal(log.errors.length, 1);
    assert.equal(log.errors[0].code, 'CONNECTION_FAILED');
    assert.match(log.errors[0].message, /401/);
    assert.ok(!log.errors[0].message.includes(first.token));
    room.disconnect();
  });
});
