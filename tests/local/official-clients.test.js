// Proof with clients nobody here wrote: @aws-sdk/client-ivschat for the control plane and the
// official amazon-ivs-chat-messaging ChatRoom for messaging, both unchanged, against the local server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import {
  CreateChatTokenCommand,
  CreateRoomCommand,
  DisconnectUserCommand,
  IvschatClient,
  SendEventCommand,
} from '@aws-sdk/client-ivschat';
import { ChatRoom, DeleteMessageRequest, DisconnectUserRequest, SendMessageRequest } from 'amazon-ivs-chat-messaging';
import { startLocalIvsChat } from '../../js/local/index.js';
import { SOON_MS, waitUntil } from './helpers.js';

// The official client uses the global WebSocket; Node 20 has none, so `ws` stands in.
globalThis.WebSocket = /** @type {any} */ (WebSocket);

const silentLogger = { debug() {}, info() {}, error() {} };

/**
 * A ChatRoom whose tokenProvider mints tokens through the AWS SDK, with every event recorded.
 *
 * `withTokenExpiration: false` leaves `tokenExpirationTime` out of what the ChatRoom gets (it is
 * optional there). Needed in tests where the ChatRoom reconnects: on every open it schedules a
 * "refresh before the token expires" timer and, when it reconnects, overwrites the handle of the
 * previous timer without clearing it, so that timer outlives disconnect() and keeps the test
 * process alive for minutes.
 * @param {{ server: any, sdk: IvschatClient, roomArn: string, userId: string, capabilities?: string[], attributes?: Record<string, string>, sessionMinutes?: (call: number) => number | undefined, withTokenExpiration?: boolean }} options
 */
function officialRoom({ server, sdk, roomArn, userId, capabilities = [], attributes, sessionMinutes = () => undefined, withTokenExpiration = true }) {
  const record = {
    tokensFetched: 0,
    connects: 0,
    /** @type {any[]} */ messages: [],
    /** @type {any[]} */ events: [],
    /** @type {any[]} */ deletes: [],
    /** @type {any[]} */ userDisconnects: [],
    /** @type {string[]} */ disconnects: [],
  };
  const room = new ChatRoom({
    regionOrUrl: server.messagingUrl,
    maxReconnectAttempts: 2,
    tokenProvider: async () => {
      record.tokensFetched += 1;
      const response = await sdk.send(
        new CreateChatTokenCommand({
          roomIdentifier: roomArn,
          userId,
          capabilities,
          attributes,
          sessionDurationInMinutes: sessionMinutes(record.tokensFetched),
        }),
      );
      return {
        token: /** @type {string} */ (response.token),
        tokenExpirationTime: withTokenExpiration ? response.tokenExpirationTime : undefined,
        sessionExpirationTime: response.sessionExpirationTime,
      };
    },
  });
  room.logger = silentLogger;
  room.logLevel = 'error';
  room.addListener('connect', () => (record.connects += 1));
  room.addListener('message', (m) => record.messages.push(m));
  room.addListener('event', (e) => record.events.push(e));
  room.addListener('messageDelete', (e) => record.deletes.push(e));
  room.addListener('userDisconnect', (e) => record.userDisconnects.push(e));
  room.addListener('disconnect', (reason) => record.disconnects.push(reason));
  return { room, record };
}

/** connect() and wait for the `connect` event. */
async function connected(chat) {
  const before = chat.record.connects;
  chat.room.connect();
  await waitUntil(() => chat.record.connects > before, 'the official ChatRoom to connect');
}

describe('official clients against the local server', () => {
  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>>} */
  let server;
  /** @type {IvschatClient} */
  let sdk;
  /** @type {ReturnType<typeof officialRoom>[]} */
  const rooms = [];

  before(async () => {
    server = await startLocalIvsChat();
    sdk = new IvschatClient({ region: server.region, endpoint: server.controlPlaneUrl, credentials: server.credentials });
  });
  after(async () => {
    for (const chat of rooms) if (chat.room.state !== 'disconnected') chat.room.disconnect();
    sdk.destroy();
    await server.close();
  });

  /** @param {Parameters<typeof officialRoom>[0]} options */
  function track(options) {
    const chat = officialRoom(options);
    rooms.push(chat);
    return chat;
  }

  test('two users chat both ways; a moderator deletes a message and kicks a user; a viewer and an over-long message are refused', async () => {
    const created = await sdk.send(new CreateRoomCommand({ name: 'official-clients', maximumMessageLength: 20 }));
    const roomArn = /** @type {string} */ (created.arn);
    const common = { server, sdk, roomArn };
    const alice = track({ ...common, userId: 'alice', capabilities: ['SEND_MESSAGE'], attributes: { displayName: 'Alice' } });
    const bob = track({ ...common, userId: 'bob', capabilities: ['SEND_MESSAGE'] });
    const mod = track({ ...common, userId: 'mod', capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'] });
    const viewer = track({ ...common, userId: 'viewer' });
    for (const chat of [alice, bob, mod, viewer]) await connected(chat);

    // Alice -> Bob
    const sent = await alice.room.sendMessage(new SendMessageRequest('hi bob', { mood: 'happy' }));
    assert.equal(sent.content, 'hi bob');
    assert.equal(sent.sender.userId, 'alice');
    assert.deepEqual(sent.sender.attributes, { displayName: 'Alice' });
    assert.deepEqual(sent.attributes, { mood: 'happy' });
    assert.ok(sent.sendTime instanceof Date && !Number.isNaN(sent.sendTime.getTime()));
    const atBob = await waitUntil(() => bob.record.messages.find((m) => m.id === sent.id), 'Bob to receive Alice’s message');
    assert.equal(atBob.content, 'hi bob');

    // Bob -> Alice
    const answer = await bob.room.sendMessage(new SendMessageRequest('hi alice'));
    const atAlice = await waitUntil(() => alice.record.messages.find((m) => m.id === answer.id), 'Alice to receive Bob’s reply');
    assert.equal(atAlice.sender.userId, 'bob');

    // The moderator deletes Alice's message: everyone gets messageDelete.
    const deletion = await mod.room.deleteMessage(new DeleteMessageRequest(sent.id, 'off-topic'));
    assert.equal(deletion.messageId, sent.id);
    assert.equal(deletion.reason, 'off-topic');
    for (const chat of [alice, bob]) {
      const seen = await waitUntil(() => chat.record.deletes.find((d) => d.messageId === sent.id), 'the messageDelete event');
      assert.equal(seen.reason, 'off-topic');
    }

    // A viewer (no capabilities) cannot send: 403.
    const refused = await viewer.room.sendMessage(new SendMessageRequest('let me in')).catch((e) => e);
    assert.equal(refused.errorCode, 403, JSON.stringify(refused));
    // Over the room's maximumMessageLength (20): 413.
    const tooLong = await alice.room.sendMessage(new SendMessageRequest('x'.repeat(21))).catch((e) => e);
    assert.equal(tooLong.errorCode, 413, JSON.stringify(tooLong));

    // An application event through the SDK reaches every client.
    await sdk.send(new SendEventCommand({ roomIdentifier: roomArn, eventName: 'app:announcement', attributes: { text: 'welcome' } }));
    for (const chat of [alice, bob, mod, viewer]) {
      const event = await waitUntil(() => chat.record.events.find((e) => e.eventName === 'app:announcement'), 'the app event');
      assert.deepEqual(event.attributes, { text: 'welcome' });
    }

    // The moderator kicks Bob over the socket: everybody sees userDisconnect, Bob's room is closed by the server.
    const kick = await mod.room.disconnectUser(new DisconnectUserRequest('bob', 'spamming'));
    assert.equal(kick.userId, 'bob');
    await waitUntil(() => bob.record.userDisconnects.some((e) => e.userId === 'bob'), 'Bob to hear he is kicked');
    await waitUntil(() => bob.record.disconnects.length > 0, 'Bob to be disconnected');
    assert.deepEqual(bob.record.disconnects, ['serverDisconnect']);
    assert.equal(bob.room.state, 'disconnected');
    await waitUntil(() => alice.record.userDisconnects.some((e) => e.userId === 'bob' && e.reason === 'spamming'), 'Alice sees it');

    // The backend kicks Alice with the SDK's DisconnectUser.
    await sdk.send(new DisconnectUserCommand({ roomIdentifier: roomArn, userId: 'alice', reason: 'done' }));
    await waitUntil(() => alice.record.disconnects.length > 0, 'Alice to be disconnected');
    assert.deepEqual(alice.record.disconnects, ['serverDisconnect']);

    // The rest are still in the room and can talk.
    const last = await mod.room.sendMessage(new SendMessageRequest('still here'));
    await waitUntil(() => viewer.record.messages.some((m) => m.id === last.id), 'the viewer to get the last message');
    assert.equal(bob.record.tokensFetched, 1, 'a kicked client does not reconnect');
  });

  test('after an abrupt drop the official client reconnects with a fresh token', async () => {
    const created = await sdk.send(new CreateRoomCommand({ name: 'drop' }));
    const roomArn = /** @type {string} */ (created.arn);
    const carol = track({ server, sdk, roomArn, userId: 'carol', capabilities: ['SEND_MESSAGE'], withTokenExpiration: false });
    await connected(carol);
    assert.equal(server.faults.dropConnections({ userId: 'carol' }), 1);
    await waitUntil(() => carol.record.tokensFetched === 2 && carol.room.state === 'connected', 'carol to reconnect');
    const message = await carol.room.sendMessage(new SendMessageRequest('back again'));
    assert.equal(message.content, 'back again');
    carol.room.disconnect();
  });

  test('at sessionExpirationTime the official client gets ERROR 401 and reconnects with a new token', async () => {
    // timeScale 60: a 1-minute session lasts one real second. Later tokens ask for 3 hours, so
    // only the first session expires during the test.
    const scaled = await startLocalIvsChat({ timeScale: 60, tokenLifetimeSeconds: 3600 });
    const scaledSdk = new IvschatClient({ region: scaled.region, endpoint: scaled.controlPlaneUrl, credentials: scaled.credentials });
    try {
      const room = await scaled.createRoom({ name: 'expiry' });
      const dave = officialRoom({
        server: scaled,
        sdk: scaledSdk,
        roomArn: room.arn,
        userId: 'dave',
        capabilities: ['SEND_MESSAGE'],
        sessionMinutes: (call) => (call === 1 ? 1 : 180),
        withTokenExpiration: false,
      });
      await connected(dave);
      await waitUntil(
        () => dave.record.tokensFetched >= 2 && dave.record.connects >= 2 && dave.room.state === 'connected',
        'dave to reconnect after the session expired',
        SOON_MS,
      );
      assert.deepEqual(dave.record.disconnects, [], 'the room never reported a disconnect');
      const message = await dave.room.sendMessage(new SendMessageRequest('new session'));
      assert.equal(message.sender.userId, 'dave');
      dave.room.disconnect();
    } finally {
      scaledSdk.destroy();
      await scaled.close();
    }
  });
});
