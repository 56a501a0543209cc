// The room calls' own WebAssembly module (ivschat-admin.wasm), apart from the token backend's so
// that a token handler neither bundles nor loads the room rules: the backend module holds none of
// them, and where no source file names the admin module (workerd's and Vercel Edge's do not
// import it; here Node's naming is taken back, as those runtimes have none) a room call rejects
// with a WasmLoadError that says what to pass, sends nothing, and works once initAdmin({ wasm })
// has the module.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { getRoom, initAdmin, listRooms, WasmLoadError } from '../../js/backend/index.js';
import { setDefaultWasmSourceOf } from '../../js/loader.js';

setDefaultWasmSourceOf('ivschat-admin.wasm', () => undefined);

const dist = (/** @type {string} */ file) => new URL(`../../dist/${file}`, import.meta.url);
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const ROOM = { arn: 'arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456', id: 'AbCdEf123456' };

test('the backend module holds no room rule; the admin module holds them', async () => {
  const text = async (/** @type {string} */ file) => new TextDecoder('latin1').decode(await readFile(dist(file)));
  const [backend, admin] = await Promise.all([text('ivschat-backend.wasm'), text('ivschat-admin.wasm')]);
  for (const word of ['loggingConfigurationIdentifiers', 'maximumMessageRatePerSecond', 'ListRooms', 'signRoomRequest']) {
    assert.equal(backend.includes(word), false, `ivschat-backend.wasm has no ${word}`);
    assert.equal(admin.includes(word), true, `ivschat-admin.wasm has ${word}`);
  }
  assert.equal(admin.includes('CreateChatToken'), false, 'the admin module signs no token');
});

test('without a source, a room call rejects with WasmLoadError naming initAdmin({ wasm }); after it, the call runs', async () => {
  let sent = 0;
  const fetch = async () => {
    sent += 1;
    return Response.json({ rooms: [ROOM] });
  };
  await assert.rejects(listRooms({}, { credentials, region: 'us-west-2', fetch }), (error) => {
    assert.ok(error instanceof WasmLoadError);
    assert.equal(error.code, 'WASM_LOAD_FAILED');
    assert.match(error.message, /ivschat-admin\.wasm/);
    assert.match(error.message, /initAdmin\(\{ wasm \}\)/);
    assert.match(error.message, /'ivschat-wasm\/ivschat-admin\.wasm'/);
    return true;
  });
  assert.equal(sent, 0, 'nothing was sent');

  await initAdmin({ wasm: await WebAssembly.compile(await readFile(dist('ivschat-admin.wasm'))) });
  assert.deepEqual(await listRooms({}, { credentials, region: 'us-west-2', fetch }), { rooms: [ROOM] });
  const room = await getRoom({ identifier: ROOM.arn }, { credentials, fetch: async () => Response.json(ROOM) });
  assert.equal(room.arn, ROOM.arn);
});
