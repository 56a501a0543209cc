// The room tells each connection attempt (`attempt`) and each session renewal that replaced its
// socket (`renewed`), on the local server, while `connecting` and `connect` keep coming exactly
// as before: once per outage, once per connection (not for a renewal).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { record, startChat, waitFor } from './helpers.js';

/**
 * Records `attempt` and `renewed` besides what record() counts.
 * @param {import('ivschat-wasm').ChatRoom} room
 */
function recordAttempts(room) {
  const log = Object.assign(record(room), { /** @type {{ attempt: number, renewal: boolean }[]} */ attempts: [], renewed: 0 });
  room.addListener('attempt', (detail) => log.attempts.push(detail));
  room.addListener('renewed', () => (log.renewed += 1));
  return log;
}

describe('ChatRoom attempt and renewed events', () => {
  test('an outage: `attempt` counts each attempt from 1, after the one `connecting`; the first connect is attempt 1', async () => {
    const chat = await startChat();
    try {
      const { arn } = await chat.server.createRoom();
      const tokens = chat.tokens({
        roomArn: arn,
        userId: 'ivy',
        before: (call) => {
          if (call === 2 || call === 3) throw new Error('the token backend is down');
        },
      });
      const room = chat.room({ tokenProvider: tokens, maxReconnectAttempts: 5 });
      const log = recordAttempts(room);
      await room.connect();
      assert.deepEqual(log.attempts, [{ attempt: 1, renewal: false }]);
      assert.equal(chat.server.faults.dropConnections({ userId: 'ivy', roomIdentifier: arn }), 1);
      await waitFor(() => log.connect === 2, 'the room to reconnect');
      assert.deepEqual(log.attempts.slice(1), [1, 2, 3].map((attempt) => ({ attempt, renewal: false })));
      assert.deepEqual([log.connecting, log.connect, log.renewed], [2, 2, 0], 'connecting and connect as before: once per outage');
      assert.deepEqual(log.errors.map((e) => e.code), ['TOKEN_FETCH_FAILED', 'TOKEN_FETCH_FAILED']);
      room.disconnect();
    } finally {
      await chat.close();
    }
  });

  test('a session renewal: `attempt` with renewal true, then `renewed`; no connecting or connect', { timeout: 60_000 }, async () => {
    const chat = await startChat({ timeScale: 10, tokenLifetimeSeconds: 3600 }); // a 1-minute session lasts 6 s
    try {
      const { arn } = await chat.server.createRoom();
      const tokens = chat.tokens({ roomArn: arn, userId: 'jo', sessionMinutes: () => 1 });
      const room = chat.room({ tokenProvider: tokens });
      const log = recordAttempts(room);
      await room.connect();
      await waitFor(() => log.renewed === 1, 'the session to be renewed');
      assert.deepEqual(log.attempts, [{ attempt: 1, renewal: false }, { attempt: 1, renewal: true }]);
      assert.deepEqual([log.connecting, log.connect, log.disconnects.length, log.errors.length], [1, 1, 0, 0]);
      assert.equal(room.state, 'connected');
      room.disconnect();
    } finally {
      await chat.close();
    }
  });
});
