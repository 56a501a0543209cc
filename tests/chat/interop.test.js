// Our ChatRoom and the official amazon-ivs-chat-messaging ChatRoom in the same room of the local
// server: they see each other's messages, deletions and kicks, with the same payloads.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { CreateChatTokenCommand } from '@aws-sdk/client-ivschat';
import { ChatRoom as OfficialChatRoom, DeleteMessageRequest, SendMessageRequest } from 'amazon-ivs-chat-messaging';

import { record, startChat, waitFor } from './helpers.js';

// The official client needs a global WebSocket, which Node 20 lacks; ours is given `ws` explicitly.
globalThis.WebSocket = /** @type {any} */ (WebSocket);

/** @type {Awaited<ReturnType<typeof startChat>>} */
let chat;
before(async () => {
  chat = await startChat();
});
after(() => chat.close());

test('our ChatRoom and the official client share a room: messages, deletions and a kick, both ways', async () => {
  const { arn } = await chat.server.createRoom();
  const alice = chat.room({
    tokenProvider: chat.tokens({ roomArn: arn, userId: 'alice', capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'], attributes: { displayName: 'Alice' } }),
  });
  const ours = record(alice);

  const official = new OfficialChatRoom({
    regionOrUrl: chat.server.messagingUrl,
    maxReconnectAttempts: 0,
    tokenProvider: async () => {
      const response = await chat.sdk.send(new CreateChatTokenCommand({ roomIdentifier: arn, userId: 'bob', capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'] }));
      // No tokenExpirationTime: the official client would schedule a socket refresh from it.
      return { token: /** @type {string} */ (response.token), sessionExpirationTime: response.sessionExpirationTime };
    },
  });
  official.logger = { debug() {}, info() {}, error() {} };
  const theirs = { messages: [], deletes: [], userDisconnects: [], disconnects: [] };
  official.addListener('message', (m) => theirs.messages.push(m));
  official.addListener('messageDelete', (e) => theirs.deletes.push(e));
  official.addListener('userDisconnect', (e) => theirs.userDisconnects.push(e));
  official.addListener('disconnect', (reason) => theirs.disconnects.push(reason));
  try {
    await alice.connect();
    official.connect();
    await waitFor(() => official.state === 'connected', 'the official client to connect');

    // Ours → official.
    const fromAlice = await alice.sendMessage({ content: 'hello, official client', attributes: { lang: 'en' } });
    const atBob = await waitFor(() => theirs.messages.find((m) => m.id === fromAlice.id), 'the official client to receive it');
    assert.deepEqual(
      { id: atBob.id, requestId: atBob.requestId, content: atBob.content, attributes: atBob.attributes, sendTime: atBob.sendTime, sender: atBob.sender },
      fromAlice,
      'the same payload in both clients',
    );

    // Official → ours, with the official request class.
    const fromBob = await official.sendMessage(new SendMessageRequest('hello, ivschat-wasm'));
    const atAlice = await waitFor(() => ours.messages.find((m) => m.id === fromBob.id), 'our room to receive it');
    assert.equal(atAlice.content, 'hello, ivschat-wasm');
    assert.equal(atAlice.sender.userId, 'bob');
    assert.equal(atAlice.sendTime.getTime(), fromBob.sendTime.getTime());
    assert.equal(atAlice.requestId, fromBob.requestId);

    // Ours also takes the official request classes.
    const viaClass = await alice.sendMessage(new SendMessageRequest('sent with the official class'));
    await waitFor(() => theirs.messages.some((m) => m.id === viaClass.id), 'the official client to receive it');

    // Official deletes ours; ours deletes the official's.
    await official.deleteMessage(new DeleteMessageRequest(fromAlice.id, 'official moderation'));
    const deletedAtAlice = await waitFor(() => ours.deletes.find((d) => d.messageId === fromAlice.id), 'our messageDelete');
    assert.equal(deletedAtAlice.reason, 'official moderation');
    const deletion = await alice.deleteMessage({ id: fromBob.id, reason: 'our moderation' });
    const deletedAtBob = await waitFor(() => theirs.deletes.find((d) => d.messageId === fromBob.id), 'the official messageDelete');
    assert.equal(deletedAtBob.id, deletion.id);
    assert.equal(deletedAtBob.reason, 'our moderation');

    // Ours kicks the official client's user: it hears it and is disconnected by the server.
    const kick = await alice.disconnectUser({ userId: 'bob', reason: 'interop done' });
    await waitFor(() => theirs.disconnects.length > 0, 'the official client to be disconnected');
    assert.deepEqual(theirs.disconnects, ['serverDisconnect']);
    assert.equal(theirs.userDisconnects[0].id, kick.id);
    assert.equal(theirs.userDisconnects[0].userId, 'bob');
    assert.deepEqual(ours.userDisconnects.map((e) => e.userId), ['bob']);
    assert.equal(alice.state, 'connected');
    assert.deepEqual(ours.errors, []);
  } finally {
    if (official.state !== 'disconnected') official.disconnect();
    alice.disconnect();
  }
});
