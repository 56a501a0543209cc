// Room history's own WebAssembly module (ivschat-history.wasm), apart from the token backend's so
// that a token handler neither bundles nor loads it: the backend module holds none of its words,
// and where no source file names the history module (workerd's and Vercel Edge's do not import
// it; here Node's naming is taken back, as those runtimes have none) a read rejects with a
// WasmLoadError that says what to pass, sends nothing, and works once initHistory({ wasm }) has
// the module.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { initHistory, readRoomHistory, WasmLoadError } from '../../js/backend/index.js';
import { setDefaultWasmSourceOf } from '../../js/loader.js';

setDefaultWasmSourceOf('ivschat-history.wasm', () => undefined);

const dist = (/** @type {string} */ file) => new URL(`../../dist/${file}`, import.meta.url);
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const ROOM_ARN = 'arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456';

test('the backend module holds nothing of room history; the history module holds it', async () => {
  const text = async (/** @type {string} */ file) => new TextDecoder('latin1').decode(await readFile(dist(file)));
  const [backend, history] = await Promise.all([text('ivschat-backend.wasm'), text('ivschat-history.wasm')]);
  for (const word of ['Logs_20140328', 'aws/IVSChatLogs/1.0/room_', 'event_timestamp', 'signLogsRequest', 'readChatLogPage']) {
    assert.equal(backend.includes(word), false, `ivschat-backend.wasm has no ${word}`);
    assert.equal(history.includes(word), true, `ivschat-history.wasm has ${word}`);
  }
  assert.equal(history.includes('CreateChatToken'), false, 'the history module signs no token');
});

test('without a source, a read rejects with WasmLoadError naming initHistory({ wasm }); after it, the read runs', async () => {
  let sent = 0;
  const fetch = async () => {
    sent += 1;
    return new Response('{"events":[],"nextBackwardToken":"b/1","nextForwardToken":"f/1"}', { headers: { 'content-type': 'application/x-amz-json-1.1' } });
  };
  const options = { roomIdentifier: ROOM_ARN, logGroupName: '/ivs/chat', credentials, fetch };
  await assert.rejects(readRoomHistory(options), (error) => {
    assert.ok(error instanceof WasmLoadError);
    assert.match(error.message, /ivschat-history\.wasm/);
    assert.match(error.message, /initHistory\(\{ wasm \}\)/);
    assert.match(error.message, /'ivschat-wasm\/ivschat-history\.wasm'/);
    return true;
  });
  assert.equal(sent, 0, 'nothing was sent');

  await initHistory({ wasm: await WebAssembly.compile(await readFile(dist('ivschat-history.wasm'))) });
  const history = await readRoomHistory(options);
  assert.deepEqual(history.messages, []);
  assert.equal(sent, 1);
});
