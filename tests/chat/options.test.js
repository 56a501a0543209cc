// ChatRoom's options live in one list (js/chat/options.js): the constructor's check follows it,
// and so must the documented ChatRoomOptions of types/chat-room.d.ts.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import ts from 'typescript';

import { ChatRoom, InvalidOptionError } from 'ivschat-wasm';
import { CHAT_ROOM_OPTION_NAMES } from '../../js/chat/options.js';

test('the option names of types/chat-room.d.ts are the ones the constructor accepts', async () => {
  const path = new URL('../../types/chat-room.d.ts', import.meta.url);
  const source = ts.createSourceFile('chat-room.d.ts', await readFile(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  /** @type {string[]} */
  let documented = [];
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'ChatRoomOptions') {
      documented = node.members.map((member) => /** @type {any} */ (member.name).text);
    }
  });
  assert.deepEqual([...documented].sort(), [...CHAT_ROOM_OPTION_NAMES].sort());
});

test('every unknown option is refused by name, with the list of the known ones', () => {
  const base = { regionOrUrl: 'us-west-2', tokenProvider: async () => ({ token: 't' }), WebSocket: class {} };
  assert.throws(() => new ChatRoom({ ...base, reconectOnNetworkChange: false }), (error) => {
    assert.ok(error instanceof InvalidOptionError);
    assert.equal(error.option, 'reconectOnNetworkChange');
    for (const name of CHAT_ROOM_OPTION_NAMES) assert.match(error.message, new RegExp(`\\b${name}\\b`));
    return true;
  });
  assert.throws(() => new ChatRoom({ ...base, reconnectOnNetworkChange: 'no' }), (error) => error.option === 'reconnectOnNetworkChange');
  assert.doesNotThrow(() => new ChatRoom({ ...base, reconnectOnNetworkChange: false }));
});
