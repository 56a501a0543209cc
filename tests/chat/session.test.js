// Session renewal against the local server with scaled time (timeScale: a 1-minute session lasts
// a few real seconds): the next connection opens before sessionExpirationTime, so a long chat
// has no gap, and messages seen on both sockets are delivered once.
//
// The session's end is a real deadline (the server closes the socket on the real clock), and the
// room starts its renewal a quarter of the session before it (js/chat/connection.js). A renewal
// (a token from the SDK, then a WebSocket handshake) takes 15-40 ms here, even with the machine
// busy, so the scaled sessions below leave it a lead of 1.5 s or more: far over 10x that, so a
// slow, loaded machine does not end a session before its successor is open.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WebSocket } from 'ws';

import { assertUniqueIds, record, settled, sleep, startChat, waitFor } from './helpers.js';

/** `ws`, counting every frame received, to see the overlap the room de-duplicates. */
function countingWebSocket() {
  const counter = { frames: 0 };
  class CountingWebSocket extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', () => (counter.frames += 1));
    }
  }
  return { WebSocket: CountingWebSocket, counter };
}

describe('session renewal on the local server', () => {
  test('messages sent across several session renewals all arrive, once, with no gap and no reconnect', { timeout: 180_000 }, async () => {
    const timeScale = 6; // sessionDurationInMinutes 1 = 10 real seconds; renewal 2.5 s before the end
    const sessionMs = 60_000 / timeScale;
    const chat = await startChat({ timeScale });
    try {
      const { arn } = await chat.server.createRoom({ maximumMessageRatePerSecond: 100 });
      const aliceTokens = chat.tokens({ roomArn: arn, userId: 'alice', capabilities: ['SEND_MESSAGE'], sessionMinutes: () => 1 });
      const bobTokens = chat.tokens({ roomArn: arn, userId: 'bob', sessionMinutes: () => 1 });
      const bobSocket = countingWebSocket();
      const alice = chat.room({ tokenProvider: aliceTokens, maxMessagesPerSecond: 50 });
      const bob = chat.room({ tokenProvider: bobTokens, WebSocket: bobSocket.WebSocket });
      const aliceLog = record(alice);
      const bobLog = record(bob);
      await Promise.all([alice.connect(), bob.connect()]);
      const opened = chat.server.stats().connectionsOpened;

      const outcomes = [];
      const until = Date.now() + 2.3 * sessionMs; // more than two sessions
      for (let n = 0; Date.now() < until; n += 1) {
        outcomes.push(settled(alice.sendMessage({ content: `tick ${n}` })));
        await sleep(100);
      }
      const results = await Promise.all(outcomes);
      const failures = results.filter((r) => !r.ok).map((r) => `${r.error.code}: ${r.error.message}`);
      assert.deepEqual(failures, [], 'no send failed: there was no gap');
      const sent = results.map((r) => r.value);
      await waitFor(() => sent.every((m) => bobLog.messages.some((b) => b.id === m.id)), 'Bob to receive every message');
      assertUniqueIds(bobLog.messages, 'Bob');
      assertUniqueIds(aliceLog.messages, 'Alice');
      // Each once (two sockets do not promise an order between them, so the order is not compared).
      assert.deepEqual(bobLog.messages.map((m) => m.content).sort(), sent.map((m) => m.content).sort());

      // Both renewed at least twice, without ever leaving `connected`.
      assert.ok(aliceTokens.calls >= 3 && bobTokens.calls >= 3, `tokens: alice ${aliceTokens.calls}, bob ${bobTokens.calls}`);
      assert.ok(chat.server.stats().connectionsOpened - opened >= 4);
      for (const log of [aliceLog, bobLog]) {
        assert.deepEqual([log.connecting, log.connect, log.disconnects.length, log.errors.length], [1, 1, 0, 0]);
      }
      // Bob's sockets overlapped: the room received more frames than it delivered, and dropped the copies.
      assert.ok(bobSocket.counter.frames > bobLog.messages.length, `${bobSocket.counter.frames} frames for ${bobLog.messages.length} messages`);
      alice.disconnect();
      bob.disconnect();
    } finally {
      await chat.close();
    }
  });

  test('without sessionExpirationTime: the ERROR 401 at the end of the session makes the room reconnect with a new token', async () => {
    const chat = await startChat({ timeScale: 60, tokenLifetimeSeconds: 3600 }); // 1 minute = 1 real second
    try {
      const { arn } = await chat.server.createRoom();
      const tokens = chat.tokens({ roomArn: arn, userId: 'gina', capabilities: ['SEND_MESSAGE'], sessionMinutes: (call) => (call === 1 ? 1 : 180), withSessionExpiration: false });
      const room = chat.room({ tokenProvider: tokens });
      const log = record(room);
      await room.connect();
      await waitFor(() => log.connect === 2, 'the room to reconnect after the session ended');
      assert.equal(tokens.calls, 2);
      assert.deepEqual(log.errors, [], 'the expected 401 is not an error');
      assert.deepEqual(log.disconnects, []);
      const message = await room.sendMessage({ content: 'new session' });
      assert.equal(message.content, 'new session');
      room.disconnect();
    } finally {
      await chat.close();
    }
  });

  test('a session that cannot be renewed ends with disconnect `sessionExpired`', async () => {
    // 1 minute = 15 real seconds: the renewal's three failing attempts (backoff delays under 20 and
    // 40 ms) must all be made in the 3.75 s before the session ends (the renewal's lead, a
    // quarter of the session), or the room would be reconnecting, not renewing, when it does.
    // At 6 s (a 1.5 s lead) it failed once on a machine loaded ten times over its cores.
    const chat = await startChat({ timeScale: 4, tokenLifetimeSeconds: 3600 });
    try {
      const { arn } = await chat.server.createRoom();
      const tokens = chat.tokens({
        roomArn: arn,
        userId: 'hank',
        sessionMinutes: () => 1,
        before: (call) => {
          if (call > 1) throw new Error('the token backend is down');
        },
      });
      const room = chat.room({ tokenProvider: tokens, maxReconnectAttempts: 2 });
      const log = record(room);
      await room.connect();
      await waitFor(() => log.disconnects.length > 0, 'the session to end', 60_000);
      assert.deepEqual(log.disconnects, ['sessionExpired']);
      assert.equal(tokens.calls, 1 + 3, 'the renewal tried 1 + maxReconnectAttempts times, no more');
      assert.deepEqual(log.errors.map((e) => e.code), ['TOKEN_FETCH_FAILED', 'TOKEN_FETCH_FAILED', 'TOKEN_FETCH_FAILED']);
    } finally {
      await chat.close();
    }
  });
});
