// The first message's critical path (issue 19): a ChatRoom whose tokens come from the app's own
// tokenProvider calls it, and opens its socket, without waiting for the WebAssembly core, which
// loads meanwhile; frames that arrive before it are held and read once it is there. This file
// holds the process's only load of the client core, held back until the viewer's socket is open
// and an event has been sent to it: a room that waited for the core first would never call the
// provider (or never open the socket), and the connect would time out.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { SendEventCommand } from '@aws-sdk/client-ivschat';

import { setDefaultWasmSourceOf } from '../../js/loader.js';
import { startChat, waitFor } from './helpers.js';

test("an app's own tokenProvider is called while the core is still loading; the first message is read by the core", async () => {
  /** @type {string[]} */
  const order = [];
  /** @type {() => void} */
  let release = () => {};
  const held = new Promise((resolve) => {
    release = () => resolve(undefined);
  });
  setDefaultWasmSourceOf('ivschat-client.wasm', async () => {
    order.push('core requested');
    await held;
    order.push('core released');
    return readFile(new URL('../../dist/ivschat-client.wasm', import.meta.url));
  });

  const chat = await startChat();
  try {
    const { arn } = await chat.server.createRoom();
    const tokens = chat.tokens({ roomArn: arn, userId: 'viewer' });
    const sender = chat.room({ tokenProvider: chat.tokens({ roomArn: arn, userId: 'sender', capabilities: ['SEND_MESSAGE'] }) });
    const room = chat.room({
      tokenProvider: async () => {
        order.push('tokenProvider');
        // Once the viewer's socket is open at the server, an event is sent into it while the
        // core is still held (by the SDK: a ChatRoom would need the core); then it is released.
        const opened = chat.server.stats().connectionsOpened;
        void waitFor(() => chat.server.stats().connectionsOpened > opened, "the viewer's socket to open")
          .then(async () => {
            order.push('socket open');
            await chat.sdk.send(new SendEventCommand({ roomIdentifier: arn, eventName: 'app:early' }));
            release();
          })
          .catch(release);
        return tokens();
      },
      connectTimeoutMs: 20_000,
      maxReconnectAttempts: 0,
    });
    /** @type {string[]} */
    const seen = [];
    room.addListener('message', (message) => seen.push(message.content));
    room.addListener('event', (event) => seen.push(event.eventName));
    await room.connect();
    assert.deepEqual(order, ['core requested', 'tokenProvider', 'socket open', 'core released']);
    await waitFor(() => seen.includes('app:early'), 'the viewer to read the event that arrived before its core');

    await sender.connect();
    await sender.sendMessage({ content: 'next' });
    await waitFor(() => seen.includes('next'), 'the viewer to read the next message');
    assert.deepEqual(seen, ['app:early', 'next']);
  } finally {
    release();
    await chat.close();
  }
});

test('a connect undone at once (React StrictMode mounts, unmounts, mounts) never calls the tokenProvider', async () => {
  const chat = await startChat();
  try {
    let calls = 0;
    const room = chat.room({
      tokenProvider: async () => {
        calls += 1;
        throw new Error('not to be called');
      },
      maxReconnectAttempts: 0,
    });
    const connecting = room.connect();
    room.disconnect();
    await connecting.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(calls, 0);
    assert.equal(room.state, 'disconnected');
  } finally {
    await chat.close();
  }
});
