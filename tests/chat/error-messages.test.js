// The ChatRoom's errors name the cause and what to do (issue 20): a token refused at the
// WebSocket upgrade, a socket that cannot connect (with the URL tried, never the token), and a
// connect() that gives up (the last attempt's error in the message, not only in `cause`).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { ChatRoom, init } from 'ivschat-wasm';
import { FakeClock, FakeService, record, settled } from './helpers.js';

before(async () => {
  await init();
});

function fakeRoom({ provider, regionOrUrl = 'ws://chat.invalid', ...options } = {}) {
  const clock = new FakeClock();
  const service = new FakeService();
  let calls = 0;
  const tokenProvider = provider ?? (async () => ({ token: `secret-token-${++calls}` }));
  const room = new ChatRoom({ regionOrUrl, tokenProvider, WebSocket: service.WebSocket, clock, random: () => 1, maxReconnectAttempts: 0, ...options });
  return { room, clock, service, log: record(room) };
}

/** Everything an error shows, to check that no token is in it. */
const shown = (error) => `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${error.cause?.message ?? ''}`;

describe('error messages that name the cause', () => {
  test('a token refused at the upgrade (401: used, expired, another room) says so and asks for a fresh token per connection', async () => {
    const setup = fakeRoom();
    setup.service.onSocket = (socket) => socket.refuse(`Unexpected server response: 401 for ${socket.protocol}`);
    const outcome = settled(setup.room.connect());
    await setup.clock.runUntil(() => setup.log.disconnects.length > 0, 'the room to give up');
    const [error] = setup.log.errors;
    assert.equal(error.code, 'CONNECTION_FAILED');
    assert.match(error.message, /^Could not connect to IVS Chat at ws:\/\/chat\.invalid: IVS Chat refused the token \(HTTP 401/);
    assert.match(error.message, /already used, has expired, or is for another room/);
    assert.match(error.message, /tokenProvider must return a fresh token/);
    assert.ok(!shown(error).includes('secret-token'), error.message);
    const { error: rejected } = await outcome;
    assert.equal(rejected.code, 'DISCONNECTED');
    assert.match(rejected.message, /^The room did not connect: could not connect to IVS Chat at ws:\/\/chat\.invalid: IVS Chat refused the token/);
    assert.ok(!shown(rejected).includes('secret-token'));
  });

  test('a WebSocket that fails without detail (as in browsers) names the URL tried, without query or user info, and what to check', async () => {
    const setup = fakeRoom({ regionOrUrl: 'wss://user:pw@chat.example.com/socket?key=abc#frag' });
    // A browser's error event carries no message.
    setup.service.onSocket = (socket) => socket.refuse('');
    const outcome = settled(setup.room.connect());
    await setup.clock.runUntil(() => setup.log.disconnects.length > 0, 'the room to give up');
    const [error] = setup.log.errors;
    assert.equal(error.code, 'CONNECTION_FAILED');
    assert.match(error.message, /^Could not connect to IVS Chat at wss:\/\/chat\.example\.com\/socket: the WebSocket did not open \(no detail given; closed with code 1006\)\. Check that/);
    assert.match(error.message, /messaging endpoint of the room's region/);
    for (const hidden of ['secret-token', 'key=abc', 'pw@', 'frag', 'WebSocket error']) assert.ok(!shown(error).includes(hidden), `${hidden} in ${error.message}`);
    const { error: rejected } = await outcome;
    assert.match(rejected.message, /^The room did not connect: could not connect to IVS Chat at wss:\/\/chat\.example\.com\/socket/);
  });

  test('a tokenProvider that fails: connect() rejects with its message (redacted) in the message, not only in `cause`', async () => {
    const setup = fakeRoom({ provider: async () => { throw new Error('the token backend answered 503'); } });
    const { error } = await settled(setup.room.connect()).then(async (outcome) => outcome);
    assert.equal(error.code, 'DISCONNECTED');
    assert.equal(error.disconnectReason, 'fetchTokenError');
    assert.equal(error.message, 'The room did not connect: could not get a chat token: the token backend answered 503');
    assert.equal(error.cause.code, 'TOKEN_FETCH_FAILED');
  });

  test('disconnect() during connect keeps the short message', async () => {
    const setup = fakeRoom({ provider: () => new Promise(() => {}) });
    const outcome = settled(setup.room.connect());
    setup.room.disconnect();
    const { error } = await outcome;
    assert.equal(error.message, 'The room did not connect (clientDisconnect).');
  });
});
