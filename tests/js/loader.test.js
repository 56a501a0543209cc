import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { test } from 'node:test';

// The node entry registers the file reader that file: URLs need.
import 'ivschat-wasm';
import { tableOf } from './helpers.js';

const wasmUrl = new URL('../../dist/ivschat-client.wasm', import.meta.url);

/** A fresh copy of the client loader: its cache lives in the module instance, and a query string makes a new one. */
async function freshLoader() {
  return import(`../../js/client-core.js?fresh=${Math.random()}`);
}

async function validates(core) {
  const result = core.validateCreateChatTokenRequest({ request: tableOf({ roomIdentifier: 'arn:aws:ivschat:us-east-1:1:room/a', userId: 'u' }) });
  assert.equal(result.ok, true);
  assert.equal(result.region, 'us-east-1');
}

test('init accepts a compiled WebAssembly.Module', async () => {
  const { init } = await freshLoader();
  const module = await WebAssembly.compile(await readFile(wasmUrl));
  await validates(await init({ wasm: module }));
});

test('init accepts bytes: Buffer, Uint8Array and ArrayBuffer', async () => {
  const bytes = await readFile(wasmUrl);
  for (const source of [bytes, new Uint8Array(bytes), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)]) {
    const { init } = await freshLoader();
    await validates(await init({ wasm: source }));
  }
});

test('init accepts a file: URL, as URL or string', async () => {
  for (const source of [wasmUrl, wasmUrl.href]) {
    const { init } = await freshLoader();
    await validates(await init({ wasm: source }));
  }
});

test('init accepts a Response and an http URL', async () => {
  const bytes = await readFile(wasmUrl);
  {
    const { init } = await freshLoader();
    await validates(await init({ wasm: new Response(bytes, { headers: { 'content-type': 'application/wasm' } }) }));
  }
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/wasm' });
    res.end(bytes);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { init } = await freshLoader();
    await validates(await init({ wasm: `http://127.0.0.1:${server.address().port}/ivschat-client.wasm` }));
  } finally {
    server.close();
  }
});

test('init is cached: the same promise every time', async () => {
  const { init } = await freshLoader();
  const bytes = await readFile(wasmUrl);
  const first = init({ wasm: bytes });
  assert.equal(init(), first);
  assert.equal(await init({ wasm: 'ignored once loaded' }), await first);
});

test('a failed load rejects with WasmLoadError, names what it tried, and is not cached', async () => {
  const { init } = await freshLoader();
  const { WasmLoadError } = await import('../../js/errors.js');
  await assert.rejects(init({ wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 255]) }), (error) => {
    assert.ok(error instanceof WasmLoadError);
    assert.equal(error.code, 'WASM_LOAD_FAILED');
    assert.equal(error.name, 'WasmLoadError');
    return true;
  });
  await assert.rejects(init({ wasm: new Response('missing', { status: 404 }) }), /HTTP 404/);
  const missing = new URL('../../dist/no-such-file.wasm', import.meta.url);
  await assert.rejects(init({ wasm: missing }), (error) => error.message.includes(missing.href));
  const server = createServer((req, res) => res.writeHead(404).end());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/assets/ivschat-client.wasm`;
  try {
    await assert.rejects(init({ wasm: url }), (error) => error.message.includes(url) && error.message.includes('HTTP 404') && error.message.includes('init({ wasm })'));
  } finally {
    server.close();
  }
  await assert.rejects(init({ wasm: /** @type {any} */ (42) }), { code: 'WASM_LOAD_FAILED' });
  // A runtime whose source file gives none (the node entry's is replaced for this, then put back).
  const { setDefaultWasmSourceOf } = await import('../../js/loader.js');
  setDefaultWasmSourceOf('ivschat-client.wasm', () => undefined);
  try {
    await assert.rejects(init(), { code: 'WASM_LOAD_FAILED', message: /No WebAssembly source for ivschat-client\.wasm/ });
  } finally {
    await import(`../../js/wasm-source/client-node.js?again=${Math.random()}`);
  }
  await validates(await init({ wasm: await readFile(wasmUrl) }));
});

test('the node entry loads its own wasm on first use', async () => {
  const { validateCreateChatTokenRequest } = await import('ivschat-wasm');
  assert.equal((await validateCreateChatTokenRequest({ roomIdentifier: 'arn:aws:ivschat:us-east-1:1:room/a', userId: 'u' })).ok, true);
});

test('the backend entry loads the backend module, which has no chat frames', async () => {
  const { init } = await import('ivschat-wasm/backend');
  const core = await init();
  assert.equal(typeof core.signRequest, 'function');
  assert.equal('parseServerFrame' in core, false);
  const client = await (await import('ivschat-wasm')).init();
  assert.equal('signRequest' in client, false);
});

test('the backend entry loads the admin module (the room calls) apart, from the package folder', async () => {
  const { init, initAdmin } = await import('ivschat-wasm/backend');
  const admin = await initAdmin();
  assert.equal(typeof admin.signRoomRequest, 'function');
  assert.equal('signRequest' in admin, false);
  assert.equal('signRoomRequest' in (await init()), false);
});
