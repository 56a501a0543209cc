// Fault controls of the local server, programmatic (server.faults) and over the admin routes.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { startLocalIvsChat } from '../../js/local/index.js';
import { createToken, signedRequest, sleep, TestSocket, waitUntil } from './helpers.js';

describe('faults', () => {
  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>>} */
  let server;
  /** @type {TestSocket[]} */
  const sockets = [];

  before(async () => {
    server = await startLocalIvsChat();
  });
  afterEach(() => server.faults.reset());
  after(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server.close();
  });

  async function join(room, userId, capabilities = ['SEND_MESSAGE']) {
    const { token } = await createToken(server, { roomIdentifier: room.arn, userId, capabilities });
    const socket = await TestSocket.open(server.messagingUrl, token);
    sockets.push(socket);
    return socket;
  }

  /** POST /_local/faults/<name> */
  async function admin(name, body) {
    const response = await fetch(`${server.controlPlaneUrl}/_local/faults/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, json: await response.json() };
  }

  test('dropConnections cuts matching sockets abruptly (1006) and reports how many', async () => {
    const room = await server.createRoom();
    const otherRoom = await server.createRoom();
    const bob = await join(room, 'bob');
    const alice = await join(room, 'alice');
    const elsewhere = await join(otherRoom, 'bob');
    assert.equal(server.faults.dropConnections({ userId: 'bob', roomIdentifier: room.arn }), 1);
    assert.equal((await bob.closedWithin()).code, 1006);
    assert.equal(alice.ws.readyState, WebSocket.OPEN);
    assert.equal(elsewhere.ws.readyState, WebSocket.OPEN);
    assert.equal(server.faults.dropConnections({ userId: 'nobody' }), 0);

    const { status, json } = await admin('dropConnections', { roomIdentifier: otherRoom.arn });
    assert.equal(status, 200);
    assert.deepEqual(json, { count: 1 });
    assert.equal((await elsewhere.closedWithin()).code, 1006);
    assert.equal(server.faults.dropConnections(), 1, 'no filter: every connection (only alice is left)');
    assert.equal((await alice.closedWithin()).code, 1006);
    await waitUntil(() => server.stats().openConnections === 0, 'no open connections');
  });

  test('delayFrames holds every outbound frame at least that long, in order', async () => {
    const room = await server.createRoom();
    const alice = await join(room, 'alice');
    server.faults.delayFrames(300);
    const sentAt = Date.now();
    for (let i = 0; i < 3; i += 1) alice.send({ Action: 'SEND_MESSAGE', RequestId: `d${i}`, Content: `${i}` });
    await alice.reply('d2');
    assert.ok(Date.now() - sentAt >= 290, 'frames were held back');
    assert.deepEqual(alice.frames.map((f) => f.RequestId), ['d0', 'd1', 'd2']);
    assert.equal((await admin('delayFrames', { ms: 0 })).status, 200);
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'undelayed', Content: 'x' });
    await alice.reply('undelayed');
  });

  test('stall holds frames and pongs until released, then sends them in order', async () => {
    const room = await server.createRoom();
    const alice = await join(room, 'alice');
    server.faults.stall(true);
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 's1', Content: 'one' });
    alice.ws.ping();
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 's2', Content: 'two' });
    // Processed (a few ms on a quiet machine; waited for, not assumed after a fixed sleep), then
    // 300 ms more in which a frame or pong let through by the stall would have arrived.
    await waitUntil(() => server.stats().messagesSent >= 2, 'the requests to be processed while stalled');
    await sleep(300);
    assert.equal(alice.frames.length, 0, 'nothing arrives while stalled');
    assert.equal(alice.pongs, 0, 'no pong while stalled');
    assert.equal(server.stats().messagesSent >= 2, true, 'requests were still processed');
    assert.equal((await admin('stall', { stalled: false })).status, 200);
    await alice.reply('s2');
    assert.deepEqual(alice.frames.map((f) => f.RequestId), ['s1', 's2']);
    await waitUntil(() => alice.pongs === 1, 'the held pong');
  });

  test('injectFrame sends raw text to matching connections', async () => {
    const room = await server.createRoom();
    const alice = await join(room, 'alice');
    const bob = await join(room, 'bob');
    assert.equal(server.faults.injectFrame('{"Type":"MESS', { userId: 'alice', roomIdentifier: room.arn }), 1);
    await waitUntil(() => alice.texts.includes('{"Type":"MESS'), 'the injected frame');
    const { json } = await admin('injectFrame', { text: 'not json at all', roomIdentifier: room.arn });
    assert.deepEqual(json, { count: 2 });
    await waitUntil(() => bob.texts.includes('not json at all') && alice.texts.includes('not json at all'), 'both injected');
    assert.ok(!bob.texts.includes('{"Type":"MESS'));
    // The connection still works after garbage.
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'after', Content: 'ok' });
    assert.equal((await bob.reply('after')).Type, 'MESSAGE');
  });

  test('failCreateChatToken fails the next N calls with the chosen status and type, then recovers', async () => {
    const room = await server.createRoom();
    const callsBefore = server.stats().createChatTokenCalls;
    server.faults.failCreateChatToken({ count: 2, status: 429, errorType: 'ThrottlingException', message: 'slow down' });
    for (let i = 0; i < 2; i += 1) {
      const failed = await signedRequest(server, '/CreateChatToken', { roomIdentifier: room.arn, userId: 'u' });
      assert.equal(failed.status, 429);
      assert.equal(failed.headers.get('x-amzn-errortype'), 'ThrottlingException');
      assert.deepEqual(failed.json, { message: 'slow down' });
    }
    const recovered = await signedRequest(server, '/CreateChatToken', { roomIdentifier: room.arn, userId: 'u' });
    assert.equal(recovered.status, 200);
    assert.equal(server.stats().createChatTokenCalls - callsBefore, 3);
    // A badly signed call does not consume an injected failure.
    server.faults.failCreateChatToken({ status: 500 });
    const unsigned = await signedRequest(server, '/CreateChatToken', {}, {
      credentials: { accessKeyId: server.credentials.accessKeyId, secretAccessKey: 'wrong' },
    });
    assert.equal(unsigned.status, 403);
    const injected = await signedRequest(server, '/CreateChatToken', { roomIdentifier: room.arn, userId: 'u' });
    assert.equal(injected.status, 500);
    assert.equal(injected.headers.get('x-amzn-errortype'), 'InternalServerException');
  });

  test('failCreateChatToken with hang: no answer (the caller times out) until reset() cuts the calls off', async () => {
    const room = await server.createRoom();
    const { status } = await admin('failCreateChatToken', { count: 2, hang: true });
    assert.equal(status, 200);
    const request = { roomIdentifier: room.arn, userId: 'u' };
    const first = signedRequest(server, '/CreateChatToken', request);
    const second = signedRequest(server, '/CreateChatToken', request);
    first.catch(() => {});
    second.catch(() => {});
    const raced = await Promise.race([first.then(() => 'answered', () => 'failed'), sleep(400).then(() => 'still waiting')]);
    assert.equal(raced, 'still waiting');
    await waitUntil(() => server.stats().createChatTokenCalls >= 2, 'both calls to arrive');
    server.faults.reset();
    await assert.rejects(first, 'reset cuts hung calls off');
    await assert.rejects(second);
    assert.equal((await signedRequest(server, '/CreateChatToken', request)).status, 200);
  });

  test('reset turns every fault off', async () => {
    const room = await server.createRoom();
    const alice = await join(room, 'alice');
    server.faults.delayFrames(60_000);
    server.faults.stall(true);
    server.faults.failCreateChatToken({ count: 5 });
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'held', Content: 'x' });
    await sleep(100);
    assert.equal(alice.frames.length, 0);
    assert.deepEqual(await admin('reset', {}), { status: 200, json: {} });
    // Frames held by the stall and the 60 s delay go out now, followed by new ones.
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'fresh', Content: 'y' });
    await alice.reply('fresh');
    assert.deepEqual(alice.frames.map((f) => f.RequestId), ['held', 'fresh']);
    assert.equal((await signedRequest(server, '/CreateChatToken', { roomIdentifier: room.arn, userId: 'u' })).status, 200);
  });

  test('admin routes: stats, argument errors, unknown faults', async () => {
    const stats = await fetch(`${server.controlPlaneUrl}/_local/stats`).then((r) => r.json());
    for (const key of ['createChatTokenCalls', 'connectionsOpened', 'openConnections', 'tokensIssued', 'messagesSent']) {
      assert.equal(typeof stats[key], 'number', key);
    }
    assert.deepEqual(Object.keys(stats).sort(), Object.keys(server.stats()).sort());
    const badDelay = await admin('delayFrames', { ms: -1 });
    assert.equal(badDelay.status, 400);
    assert.match(badDelay.json.message, /ms/);
    assert.equal((await admin('stall', { stalled: 'yes' })).status, 400);
    assert.equal((await admin('injectFrame', {})).status, 400);
    assert.equal((await admin('failCreateChatToken', { status: 200 })).status, 400);
    assert.equal((await admin('dropConnections', { userId: 5 })).status, 400);
    const unknown = await admin('explode', {});
    assert.equal(unknown.status, 404);
    assert.match(unknown.json.message, /dropConnections/);
    const notJson = await fetch(`${server.controlPlaneUrl}/_local/faults/stall`, { method: 'POST', body: '{' });
    assert.equal(notJson.status, 400);
    assert.equal((await fetch(`${server.controlPlaneUrl}/_local/faults/reset`)).status, 405);
  });

  test('programmatic fault arguments are checked', () => {
    assert.throws(() => server.faults.delayFrames(1.5), /delayFrames/);
    assert.throws(() => server.faults.stall(/** @type {any} */ (1)), /stall/);
    assert.throws(() => server.faults.injectFrame(/** @type {any} */ (null)), /injectFrame/);
    assert.throws(() => server.faults.failCreateChatToken({ errorType: 'not a name' }), /errorType/);
    assert.throws(() => server.faults.dropConnections(/** @type {any} */ ('bob')), /filter/);
  });
});

test('adminRoutes: false leaves /_local/* to the (signed) control plane', async () => {
  const server = await startLocalIvsChat({ adminRoutes: false });
  try {
    const response = await fetch(`${server.controlPlaneUrl}/_local/stats`);
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  } finally {
    await server.close();
  }
});
