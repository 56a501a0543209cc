// Cloudflare workerd: the app is bundled as wrangler does (conditions workerd, worker, browser;
// the wasm import kept as a separate module), embedded in a capnp config with the wasm as a
// `wasm` module (workerd compiles it at load; the Worker never compiles anything), credentials
// as text bindings, and an `internet` network service that may reach loopback.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { roomWithHistory, HISTORY_GROUP } from '../backend/history-helpers.js';
import { bundleApp } from './bundle.js';
import { assertServesTokens, binDir, createAppFolder, startIvs, startRuntime } from './helpers.js';

/** A capnp text string (the values here are ASCII; JSON escapes are valid capnp escapes). */
const capnpString = (value) => JSON.stringify(value);

/**
 * Bundles an app's worker as wrangler does (conditions workerd, worker, browser; a wasm import
 * kept as a module of its own) into the app's worker-dist folder.
 * @param {{ dir: string }} app
 * @param {string} entry the worker's file in the app folder
 */
async function bundleWorker(app, entry) {
  const out = join(app.dir, 'worker-dist');
  await mkdir(out);
  const bundle = await bundleApp({ entry: join(app.dir, entry), outfile: join(out, 'worker.js'), format: 'esm', conditions: ['workerd', 'worker', 'browser'], wasm: 'module-file' });
  return { out, ...bundle };
}

/**
 * Starts workerd on a capnp config that embeds the bundled worker and the wasm modules it imports
 * (workerd compiles them at load), `env` as text bindings, and when `internet`, a network service
 * that may reach loopback (the local IVS server).
 * @param {{ dir: string }} app
 * @param {string} out the bundle's folder
 * @param {{ wasm: string[], env?: Record<string, string>, internet?: boolean }} worker
 */
async function startWorkerd(app, out, { wasm, env = {}, internet = false }) {
  const modules = ['(name = "worker.js", esModule = embed "worker.js")', ...wasm.map((file) => `(name = ${capnpString(file)}, wasm = embed ${capnpString(file)})`)];
  const bindings = Object.entries(env).map(([name, value]) => `(name = ${capnpString(name)}, text = ${capnpString(value)})`);
  const services = ['(name = "main", worker = .worker)', ...(internet ? ['(name = "internet", network = (allow = ["private", "local"]))'] : [])];
  await writeFile(join(out, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [${services.join(', ')}],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [${modules.join(', ')}],
  compatibilityDate = "2025-01-01",
  bindings = [${bindings.join(', ')}],
);
`);
  return startRuntime(join(binDir, 'workerd'), ['serve', join(out, 'config.capnp'), '--control-fd=3'], { cwd: app.dir, env: {}, extraFds: true });
}

test('workerd: a token from the local server through the handler (workerd condition, wasm as a compiled module)', { timeout: 90_000 }, async () => {
  const app = await createAppFolder('workerd');
  const setup = await startIvs();
  const { out, inputs, wasmImports } = await bundleWorker(app, 'worker.js');
  assert.ok(inputs.some((input) => input.endsWith('js/wasm-source/backend-workerd.js')), `workerd wasm source not bundled: ${inputs.join(', ')}`);
  assert.deepEqual(inputs.filter((input) => input.includes('js/wasm-source/')).map((input) => input.replace(/.*js\/wasm-source\//, '')), ['backend-workerd.js'], 'no other runtime\'s source');
  assert.deepEqual(wasmImports, ['../../dist/ivschat-backend.wasm']);

  const runtime = await startWorkerd(app, out, { wasm: ['ivschat-backend.wasm'], env: setup.env, internet: true });
  try {
    const listening = await runtime.controlLine();
    assert.equal(listening.event, 'listen');
    assert.equal(listening.socket, 'http');
    await assertServesTokens(`http://127.0.0.1:${listening.port}`, setup, 'workerd');
  } finally {
    await runtime.stop();
    await setup.ivs.close();
    await app.remove();
  }
});

test('workerd: a message review handler needs initMessageReview({ wasm }), says so, and then reviews (the entry imports no review wasm)', { timeout: 90_000 }, async () => {
  const app = await createAppFolder('workerd-review');
  const { out, wasmImports } = await bundleWorker(app, 'review-worker.js');
  // The backend entry's own import, and the app's.
  assert.deepEqual(wasmImports.sort(), ['../../dist/ivschat-backend.wasm', 'ivschat-wasm/ivschat-review.wasm']);
  const runtime = await startWorkerd(app, out, { wasm: ['ivschat-backend.wasm', 'ivschat-review.wasm'] });
  try {
    const { port } = await runtime.controlLine();
    const event = { Content: 'hello', MessageId: 'AbCdEf123456', RoomArn: 'arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456', Attributes: {}, Sender: { Attributes: {}, UserId: 'alice', Ip: '192.0.2.1' } };
    const post = async (path) => (await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body: JSON.stringify(event), signal: AbortSignal.timeout(15_000) })).json();

    const before = await post('/review');
    assert.deepEqual(before.answer, { Attributes: {}, Content: '', ReviewResult: 'DENY' });
    assert.equal(before.log.level, 'error');
    assert.match(before.log.message, /No WebAssembly source for ivschat-review\.wasm: on Cloudflare Workers and Vercel Edge/);
    assert.match(before.log.message, /import reviewWasm from 'ivschat-wasm\/ivschat-review\.wasm'\) and call initMessageReview\(\{ wasm: reviewWasm \}\)/);

    assert.deepEqual(await post('/init'), {});
    const after = await post('/review');
    assert.deepEqual(after.answer, { Attributes: {}, Content: 'hello!', ReviewResult: 'ALLOW' });
    assert.equal(after.log.outcome, 'reviewed');
  } finally {
    await runtime.stop();
    await app.remove();
  }
});

test('workerd: room history needs initHistory({ wasm }), says so, and then reads the right 28 (the entry imports no history wasm)', { timeout: 120_000 }, async () => {
  const app = await createAppFolder('workerd-history');
  const setup = await startIvs();
  const { out, wasmImports } = await bundleWorker(app, 'history-worker.js');
  assert.deepEqual(wasmImports.sort(), ['../../dist/ivschat-backend.wasm', 'ivschat-wasm/ivschat-history.wasm']);
  const { room, expected } = await roomWithHistory(setup.ivs);
  const env = { ...setup.env, LOG_GROUP: HISTORY_GROUP, ROOM_ARN: room.arn };
  const runtime = await startWorkerd(app, out, { wasm: ['ivschat-backend.wasm', 'ivschat-history.wasm'], env, internet: true });
  try {
    const { port } = await runtime.controlLine();
    const get = (path) => fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(15_000) });
    const history = `/history?roomIdentifier=${encodeURIComponent(room.arn)}`;

    const before = await get(history);
    assert.equal(before.status, 500);
    const log = JSON.parse(before.headers.get('x-log') ?? 'null');
    assert.match(log.message, /No WebAssembly source for ivschat-history\.wasm/);
    assert.match(log.message, /initHistory\(\{ wasm \}\)/);

    assert.deepEqual(await (await get('/init')).json(), {});
    const after = await get(history);
    assert.equal(after.status, 200, await after.clone().text());
    assert.equal(after.headers.get('x-ivschat-history'), 'read');
    const body = await after.json();
    assert.deepEqual(body.messages.map(({ id, content }) => ({ id, content })), expected);
  } finally {
    await runtime.stop();
    await setup.ivs.close();
    await app.remove();
  }
});
