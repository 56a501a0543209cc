// Messaging API of the local server over raw WebSockets: handshake and token rules, frame shapes,
// capability / validation / length / rate errors, moderation events, HTTP twins, session expiry.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { startLocalIvsChat } from '../../js/local/index.js';
import { createToken, signedRequest, sleep, TestSocket, waitUntil } from './helpers.js';

const ID = /^[a-zA-Z0-9]{12}$/;
const SEND_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;
const ALL_CAPABILITIES = ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'];

describe('messaging', () => {
  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>>} */
  let server;
  /** @type {TestSocket[]} */
  const sockets = [];

  before(async () => {
    server = await startLocalIvsChat();
  });
  after(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server.close();
  });

  /** Opens a socket for a new token of `userId` in `room`. */
  async function join(room, userId, capabilities = ['SEND_MESSAGE'], attributes = undefined) {
    const { token } = await createToken(server, { roomIdentifier: room.arn, userId, capabilities, attributes });
    const socket = await TestSocket.open(server.messagingUrl, token);
    sockets.push(socket);
    return socket;
  }

  test('the token is the single subprotocol and the server selects it back', async () => {
    const room = await server.createRoom();
    const { token } = await createToken(server, { roomIdentifier: room.arn, userId: 'alice' });
    const socket = await TestSocket.open(server.messagingUrl, token);
    sockets.push(socket);
    assert.equal(socket.ws.protocol, token);
  });

  test('missing, unknown, doubled, used and deleted-room tokens are refused at the handshake', async () => {
    const room = await server.createRoom();
    const refusedBefore = server.stats().connectionsRefused;
    assert.equal(await TestSocket.refusedStatus(server.messagingUrl, undefined), 401);
    assert.equal(await TestSocket.refusedStatus(server.messagingUrl, 'local.not-a-real-token'), 401);
    const { token } = await createToken(server, { roomIdentifier: room.arn, userId: 'u' });
    assert.equal(await TestSocket.refusedStatus(server.messagingUrl, [token, 'second']), 400);
    // The refused double-protocol attempt did not spend the token:
    const socket = await TestSocket.open(server.messagingUrl, token);
    sockets.push(socket);
    assert.equal(await TestSocket.refusedStatus(server.messagingUrl, token), 401, 'a token opens one connection only');

    const doomed = await server.createRoom();
    const unused = await createToken(server, { roomIdentifier: doomed.arn, userId: 'u' });
    assert.equal((await signedRequest(server, '/DeleteRoom', { identifier: doomed.arn })).status, 204);
    assert.equal(await TestSocket.refusedStatus(server.messagingUrl, unused.token), 404);
    assert.equal(server.stats().connectionsRefused - refusedBefore, 5);
  });

  test('MESSAGE frames have exactly the service fields and reach everyone in the room only', async () => {
    const room = await server.createRoom();
    const otherRoom = await server.createRoom();
    const alice = await join(room, 'alice', ['SEND_MESSAGE'], { displayName: 'Alice', color: 'red' });
    const bob = await join(room, 'bob');
    const stranger = await join(otherRoom, 'carol');
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'req-1', Content: 'hello 👋', Attributes: { kind: 'greeting' } });
    const echoed = await alice.reply('req-1');
    const received = await bob.reply('req-1');
    assert.deepEqual(received, echoed);
    assert.deepEqual(Object.keys(echoed).sort(), ['Attributes', 'Content', 'Id', 'RequestId', 'SendTime', 'Sender', 'Type']);
    assert.equal(echoed.Type, 'MESSAGE');
    assert.match(echoed.Id, ID);
    assert.equal(echoed.Content, 'hello 👋');
    assert.deepEqual(echoed.Attributes, { kind: 'greeting' });
    assert.match(echoed.SendTime, SEND_TIME);
    assert.ok(Math.abs(Date.parse(echoed.SendTime) - Date.now()) < 60_000);
    assert.deepEqual(echoed.Sender, { UserId: 'alice', Attributes: { displayName: 'Alice', color: 'red' } });

    bob.send({ Action: 'SEND_MESSAGE', RequestId: 'req-2', Content: 'hi' });
    const reply = await alice.reply('req-2');
    assert.deepEqual(reply.Attributes, {});
    assert.deepEqual(reply.Sender, { UserId: 'bob', Attributes: {} });
    assert.notEqual(reply.Id, echoed.Id);
    await sleep(100);
    assert.equal(stranger.frames.length, 0, 'another room hears nothing');
  });

  test('a burst of broadcasts reaches every socket of the room whole, in order, with the same bytes; other rooms get nothing', async () => {
    const room = await server.createRoom({ maximumMessageRatePerSecond: 100 });
    const otherRoom = await server.createRoom();
    const alice = await join(room, 'alice');
    const receivers = [await join(room, 'bob', []), await join(room, 'dave', [])];
    const stranger = await join(otherRoom, 'carol');
    // Sent in one go, so they reach the server together and leave in the same turns; sizes cover
    // each frame-length form (7-bit, 16-bit and 64-bit payload lengths).
    const big = 'x'.repeat(70_000);
    const requests = Array.from({ length: 40 }, (_, i) => ({
      Action: 'SEND_MESSAGE',
      RequestId: `burst-${i}`,
      Content: i % 3 === 0 ? `ü${i}` : `message ${i} ${'🎉'.repeat(i * 5)}`,
      ...(i === 17 ? { Attributes: { big } } : {}),
    }));
    for (const request of requests) alice.send(request);
    const last = `burst-${requests.length - 1}`;
    for (const socket of [alice, ...receivers]) await socket.reply(last);
    const texts = (/** @type {TestSocket} */ socket) => socket.texts.filter((text) => text.includes('"RequestId":"burst-'));
    const expected = texts(alice);
    assert.deepEqual(expected.map((text) => JSON.parse(text).RequestId), requests.map((r) => r.RequestId));
    assert.equal(JSON.parse(expected[17]).Attributes.big, big);
    assert.equal(JSON.parse(expected[2]).Content, requests[2].Content);
    for (const socket of receivers) assert.deepEqual(texts(socket), expected);

    // A socket that left is no longer written to; the others still are.
    await receivers[1].close();
    await waitUntil(() => server.stats().openConnections === sockets.filter((s) => s.ws.readyState === WebSocket.OPEN).length, 'the close seen by the server');
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'after-close', Content: 'still here' });
    assert.equal((await receivers[0].reply('after-close')).Content, 'still here');
    await sleep(100);
    assert.equal(stranger.frames.length, 0, 'another room hears nothing');
  });

  test('actions without the capability -> ERROR 403', async () => {
    const room = await server.createRoom();
    const viewer = await join(room, 'viewer', []);
    viewer.send({ Action: 'SEND_MESSAGE', RequestId: 'a', Content: 'hi' });
    viewer.send({ Action: 'DELETE_MESSAGE', RequestId: 'b', Id: 'abcdefghijkl' });
    viewer.send({ Action: 'DISCONNECT_USER', RequestId: 'c', UserId: 'someone' });
    for (const requestId of ['a', 'b', 'c']) {
      const error = await viewer.reply(requestId);
      assert.deepEqual(Object.keys(error).sort(), ['ErrorCode', 'ErrorMessage', 'Id', 'RequestId', 'Type']);
      assert.equal(error.Type, 'ERROR');
      assert.equal(error.ErrorCode, 403);
      assert.match(error.Id, ID);
      assert.match(error.ErrorMessage, /capability/);
    }
    const writer = await join(room, 'writer', ['SEND_MESSAGE']);
    writer.send({ Action: 'DELETE_MESSAGE', RequestId: 'd', Id: 'abcdefghijkl' });
    assert.equal((await writer.reply('d')).ErrorCode, 403);
  });

  test('malformed and invalid requests -> ERROR 400', async () => {
    const room = await server.createRoom();
    const mod = await join(room, 'mod', ALL_CAPABILITIES);
    const cases = [
      { Action: 'SEND_MESSAGE', RequestId: 'no-content' },
      { Action: 'SEND_MESSAGE', RequestId: 'empty', Content: '' },
      { Action: 'SEND_MESSAGE', RequestId: 'number', Content: 5 },
      { Action: 'SEND_MESSAGE', RequestId: 'attrs', Content: 'x', Attributes: { a: 1 } },
      { Action: 'SEND_MESSAGE', RequestId: 'attrs-list', Content: 'x', Attributes: ['a'] },
      { Action: 'DELETE_MESSAGE', RequestId: 'no-id' },
      { Action: 'DELETE_MESSAGE', RequestId: 'short-id', Id: 'abc' },
      { Action: 'DELETE_MESSAGE', RequestId: 'reason-type', Id: 'abcdefghijkl', Reason: 3 },
      { Action: 'DISCONNECT_USER', RequestId: 'no-user' },
      { Action: 'DISCONNECT_USER', RequestId: 'empty-user', UserId: '' },
      { Action: 'BAN_USER', RequestId: 'unknown-action' },
      { RequestId: 'no-action' },
    ];
    for (const request of cases) mod.send(request);
    for (const request of cases) {
      const error = await mod.reply(String(request.RequestId));
      assert.equal(error.Type, 'ERROR', request.RequestId);
      assert.equal(error.ErrorCode, 400, request.RequestId);
    }
    mod.ws.send('{"Action": "SEND_MESSAGE", ');
    mod.ws.send('[1,2]');
    mod.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    mod.ws.send('{"Action":"SEND_MESSAGE","Content":"\\ud800","RequestId":"lone"}');
    const errors = await waitUntil(() => {
      const found = mod.frames.filter((f) => f?.Type === 'ERROR' && f.RequestId === '');
      return found.length >= 3 ? found : undefined;
    }, 'three ERROR frames without RequestId');
    for (const error of errors) assert.equal(error.ErrorCode, 400);
    assert.equal((await mod.reply('lone')).ErrorCode, 400);
    assert.equal(mod.frames.filter((f) => f?.Type === 'MESSAGE').length, 0, 'nothing was broadcast');
  });

  test('length is counted in code points against maximumMessageLength; too long -> ERROR 413', async () => {
    const room = await server.createRoom({ maximumMessageLength: 5 });
    const alice = await join(room, 'alice');
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'five-emoji', Content: '😀😀😀😀😀' });
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'six-emoji', Content: '😀😀😀😀😀😀' });
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'six-ascii', Content: 'abcdef' });
    assert.equal((await alice.reply('five-emoji')).Type, 'MESSAGE');
    const tooLong = await alice.reply('six-emoji');
    assert.equal(tooLong.ErrorCode, 413);
    assert.match(tooLong.ErrorMessage, /6 characters.*at most 5/);
    assert.equal((await alice.reply('six-ascii')).ErrorCode, 413);
  });

  test('the rate limit is room-wide over all clients -> ERROR 429', async () => {
    const room = await server.createRoom({ maximumMessageRatePerSecond: 2 });
    const alice = await join(room, 'alice');
    const bob = await join(room, 'bob');
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'a1', Content: '1' });
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'a2', Content: '2' });
    assert.equal((await alice.reply('a1')).Type, 'MESSAGE');
    assert.equal((await alice.reply('a2')).Type, 'MESSAGE');
    // Bob has sent nothing yet, but the room as a whole is at its limit for this second.
    bob.send({ Action: 'SEND_MESSAGE', RequestId: 'b1', Content: '3' });
    const limited = await bob.reply('b1');
    assert.equal(limited.Type, 'ERROR');
    assert.equal(limited.ErrorCode, 429);
    // The window slides: after a second the room accepts messages again.
    await sleep(1100);
    bob.send({ Action: 'SEND_MESSAGE', RequestId: 'b2', Content: '4' });
    assert.equal((await bob.reply('b2')).Type, 'MESSAGE');
  });

  test('DELETE_MESSAGE broadcasts aws:DELETE_MESSAGE with MessageId, MessageID and Reason', async () => {
    const room = await server.createRoom();
    const alice = await join(room, 'alice');
    const mod = await join(room, 'mod', ['DELETE_MESSAGE']);
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'm', Content: 'oops' });
    const message = await alice.reply('m');
    mod.send({ Action: 'DELETE_MESSAGE', RequestId: 'del', Id: message.Id, Reason: 'off-topic' });
    const event = await mod.reply('del');
    assert.deepEqual(Object.keys(event).sort(), ['Attributes', 'EventName', 'Id', 'RequestId', 'SendTime', 'Type']);
    assert.equal(event.Type, 'EVENT');
    assert.equal(event.EventName, 'aws:DELETE_MESSAGE');
    assert.match(event.Id, ID);
    assert.match(event.SendTime, SEND_TIME);
    assert.deepEqual(event.Attributes, { MessageId: message.Id, MessageID: message.Id, Reason: 'off-topic' });
    assert.deepEqual(await alice.reply('del'), event);
  });

  test('DISCONNECT_USER: the event reaches the room, then every connection of that user closes', async () => {
    const room = await server.createRoom();
    const bobPhone = await join(room, 'bob');
    const bobLaptop = await join(room, 'bob');
    const alice = await join(room, 'alice');
    const mod = await join(room, 'mod', ['DISCONNECT_USER']);
    mod.send({ Action: 'DISCONNECT_USER', RequestId: 'kick', UserId: 'bob', Reason: 'spam' });
    const event = await mod.reply('kick');
    assert.equal(event.EventName, 'aws:DISCONNECT_USER');
    assert.deepEqual(event.Attributes, { UserId: 'bob', Reason: 'spam' });
    for (const bob of [bobPhone, bobLaptop]) {
      assert.deepEqual(await bob.reply('kick'), event, 'the kicked user hears the event before the close');
      const { code } = await bob.closedWithin();
      assert.equal(code, 1000);
    }
    assert.deepEqual(await alice.reply('kick'), event);
    // Everyone else stays connected and chatting.
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'still-here', Content: 'hi' });
    assert.equal((await mod.reply('still-here')).Type, 'MESSAGE');
    assert.equal(alice.ws.readyState, WebSocket.OPEN);
  });

  test('HTTP SendEvent, DeleteMessage and DisconnectUser reach the sockets of the room', async () => {
    const room = await server.createRoom();
    const alice = await join(room, 'alice');
    const bob = await join(room, 'bob');
    const sent = await signedRequest(server, '/SendEvent', { roomIdentifier: room.arn, eventName: 'app:poll', attributes: { q: 'tea?' } });
    const appEvent = await alice.frame((f) => f.Id === sent.json.id, 'the SendEvent EVENT');
    assert.deepEqual(
      { Type: appEvent.Type, EventName: appEvent.EventName, Attributes: appEvent.Attributes, RequestId: appEvent.RequestId },
      { Type: 'EVENT', EventName: 'app:poll', Attributes: { q: 'tea?' }, RequestId: '' },
    );
    assert.match(appEvent.SendTime, SEND_TIME);

    const deleted = await signedRequest(server, '/DeleteMessage', { roomIdentifier: room.arn, id: 'abcdefghijkl', reason: 'rude' });
    const deleteEvent = await bob.frame((f) => f.Id === deleted.json.id, 'the DeleteMessage EVENT');
    assert.equal(deleteEvent.EventName, 'aws:DELETE_MESSAGE');
    assert.deepEqual(deleteEvent.Attributes, { MessageId: 'abcdefghijkl', MessageID: 'abcdefghijkl', Reason: 'rude' });

    await signedRequest(server, '/DisconnectUser', { roomIdentifier: room.arn, userId: 'bob', reason: 'bye' });
    const kick = await alice.frame((f) => f.EventName === 'aws:DISCONNECT_USER', 'the DisconnectUser EVENT');
    assert.deepEqual(kick.Attributes, { UserId: 'bob', Reason: 'bye' });
    assert.equal((await bob.closedWithin()).code, 1000);
    assert.equal(alice.ws.readyState, WebSocket.OPEN);
  });

  test('DeleteRoom closes the room connections', async () => {
    const room = await server.createRoom();
    const alice = await join(room, 'alice');
    await signedRequest(server, '/DeleteRoom', { identifier: room.arn });
    const closed = await alice.closedWithin();
    assert.equal(closed.code, 1000);
    assert.equal(closed.reason, 'Room deleted');
  });

  test('pings are answered', async () => {
    const room = await server.createRoom();
    const alice = await join(room, 'alice');
    alice.ws.ping();
    await waitUntil(() => alice.pongs > 0, 'a pong');
  });
});

describe('time scaling and expiry', () => {
  test('tokens expire at tokenExpirationTime (scaled) and are refused after it', async () => {
    // 60 service seconds at timeScale 120 = half a real second.
    const server = await startLocalIvsChat({ tokenLifetimeSeconds: 60, timeScale: 120 });
    try {
      const room = await server.createRoom();
      const askedAt = Date.now();
      const { token, tokenExpirationTime } = await createToken(server, { roomIdentifier: room.arn, userId: 'late' });
      const answeredAt = Date.now();
      const expiresAt = Date.parse(tokenExpirationTime);
      assert.ok(expiresAt >= askedAt + 500 && expiresAt <= answeredAt + 500, 'the returned time is the real instant (issue + 0.5 s)');
      await waitUntil(() => Date.now() > expiresAt + 20, 'the token expiry');
      assert.equal(await TestSocket.refusedStatus(server.messagingUrl, token), 401);
    } finally {
      await server.close();
    }
  });

  test('a connection gets ERROR 401 and a clean close at sessionExpirationTime, not before', async () => {
    // sessionDurationInMinutes 1 at timeScale 60 = one real second.
    const server = await startLocalIvsChat({ timeScale: 60, tokenLifetimeSeconds: 3600 });
    try {
      const room = await server.createRoom();
      const askedAt = Date.now();
      const { token, sessionExpirationTime } = await createToken(server, {
        roomIdentifier: room.arn,
        userId: 'short',
        sessionDurationInMinutes: 1,
      });
      const answeredAt = Date.now();
      const sessionEnds = Date.parse(sessionExpirationTime);
      assert.ok(sessionEnds >= askedAt + 1000 && sessionEnds <= answeredAt + 1000, 'the session ends 1 real second after issue');
      const socket = await TestSocket.open(server.messagingUrl, token);
      const { code, reason } = await socket.closedWithin();
      assert.ok(/** @type {number} */ (socket.closedAtMs) >= sessionEnds - 25, 'closed at (not before) the returned instant');
      assert.equal(code, 1000);
      assert.match(reason, /Session expired/);
      const last = socket.frames.at(-1);
      assert.equal(last.Type, 'ERROR');
      assert.equal(last.ErrorCode, 401);
      assert.equal(server.stats().openConnections, 0);
    } finally {
      await server.close();
    }
  });

  test('close() ends open connections with 1001 and lets the process exit', async () => {
    const server = await startLocalIvsChat();
    const room = await server.createRoom();
    const { token } = await createToken(server, { roomIdentifier: room.arn, userId: 'u' });
    const socket = await TestSocket.open(server.messagingUrl, token);
    await server.close();
    assert.equal((await socket.closedWithin()).code, 1001);
    await server.close(); // idempotent
    await assert.rejects(fetch(server.controlPlaneUrl, { signal: AbortSignal.timeout(5000) }));
  });
});

describe('review handlers', () => {
  test("a review that does not answer within REVIEW_TIMEOUT_MS gets the room's fallbackResult, with the reason", async () => {
    const { REVIEW_TIMEOUT_MS, reviewMessage } = await import('../../js/local/review.js');
    const event = { Content: 'hi', MessageId: 'm', RoomArn: 'arn', Attributes: {}, Sender: { UserId: 'u', Ip: '127.0.0.1', Attributes: {} } };
    const started = Date.now();
    const outcome = await reviewMessage(() => new Promise(() => {}), /** @type {any} */ (event), 'DENY');
    assert.equal(outcome.outcome, 'fallback');
    assert.equal(outcome.allow, false);
    assert.equal(outcome.why, `no answer within ${REVIEW_TIMEOUT_MS} ms`);
    assert.ok(Date.now() - started >= REVIEW_TIMEOUT_MS - 5);
  });
});
