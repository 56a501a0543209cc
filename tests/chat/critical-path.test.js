// The first message's critical path (issue 19): a ChatRoom whose tokens come from the app's own
// tokenProvider calls it without waiting for the WebAssembly core, which loads meanwhile; the
// core is still there before the first frame is read. This file holds the process's only load of
// the client core, held back until the provider has run: a room that waited for the core first
// would never call the provider, and the connect would time out.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { setDefaultWasmSource } from '../../js/client-core.js';
import { startChat, waitFor } from './helpers.js';

test("an app's own tokenProvider is called while the core is still loading; the first message is read by the core", async () => {
  /** @type {string[]} */
  const order = [];
  /** @type {() => void} */
  let release = () => {};
  const held = new Promise((resolve) => {
    release = () => resolve(undefined);
  });
  setDefaultWasmSource(async () => {
    order.push('core requested');
    await held;
    order.push('core released');
    return readFile(new URL('../../dist/ivschat-client.wasm', import.meta.url));
  });

  const chat = await startChat();
  try {
    const { arn } = await chat.server.createRoom();
    const tokens = chat.tokens({ roomArn: arn, userId: 'viewer' });
    const room = chat.room({
      tokenProvider: async () => {
        order.push('tokenProvider');
        release();
        return tokens();
      },
      connectTimeoutMs: 20_000,
      maxReconnectAttempts: 0,
    });
    /** @type {string[]} */
    const seen = [];
    room.addListener('message', (message) => seen.push(message.content));
    await room.connect();
    assert.deepEqual(order, ['core requested', 'tokenProvider', 'core released']);

    const sender = chat.room({ tokenProvider: chat.tokens({ roomArn: arn, userId: 'sender', capabilities: ['SEND_MESSAGE'] }) });
    await sender.connect();
    await sender.sendMessage({ content: 'first' });
    await waitFor(() => seen.includes('first'), 'the viewer to read the first message');
  } finally {
    release();
    await chat.close();
  }
});
