// Cloudflare workerd: the app is bundled as wrangler does (conditions workerd, worker, browser;
// the wasm import kept as a separate module), embedded in a capnp config with the wasm as a
// `wasm` module (workerd compiles it at load; the Worker never compiles anything), credentials
// as text bindings, and an `internet` network service that may reach loopback.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { bundleApp } from './bundle.js';
import { assertServesTokens, binDir, createAppFolder, startIvs, startRuntime } from './helpers.js';

/** A capnp text string (the values here are ASCII; JSON escapes are valid capnp escapes). */
const capnpString = (value) => JSON.stringify(value);

test('workerd: a token from the local server through the handler (workerd condition, wasm as a compiled module)', { timeout: 90_000 }, async () => {
  const app = await createAppFolder('workerd');
  const setup = await startIvs();
  const out = join(app.dir, 'worker-dist');
  await mkdir(out);
  const { inputs, wasmImports } = await bundleApp({
    entry: join(app.dir, 'worker.js'),
    outfile: join(out, 'worker.js'),
    format: 'esm',
    conditions: ['workerd', 'worker', 'browser'],
    wasm: 'module-file',
  });
  assert.ok(inputs.some((input) => input.endsWith('js/entry/backend-workerd.js')), `workerd entry not bundled: ${inputs.join(', ')}`);
  assert.ok(!inputs.some((input) => /js\/entry\/(node|browser|backend-node|backend-browser)\.js$/.test(input)), 'no other runtime entry');
  assert.deepEqual(wasmImports, ['../../dist/ivschat-backend.wasm']);

  const bindings = Object.entries(setup.env).map(([name, value]) => `(name = ${capnpString(name)}, text = ${capnpString(value)})`);
  await writeFile(join(out, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .tokenWorker),
    (name = "internet", network = (allow = ["private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const tokenWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "ivschat-backend.wasm", wasm = embed "ivschat-backend.wasm"),
  ],
  compatibilityDate = "2025-01-01",
  bindings = [${bindings.join(', ')}],
);
`);
  const runtime = startRuntime(join(binDir, 'workerd'), ['serve', join(out, 'config.capnp'), '--control-fd=3'], {
    cwd: app.dir,
    env: {},
    extraFds: true,
  });
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
