// Deno: the app imports the package by name from node_modules (Deno's default when a
// package.json is present; its wasm source from the `deno` condition of the package's imports
// map, tests/runtimes/conditions.test.js); served with Deno.serve.
// Permissions are narrow: loopback network, reading the package, the environment.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';

import { assertServesTokens, binDir, createAppFolder, repoRoot, startIvs, startRuntime } from './helpers.js';

test('Deno: a token from the local server through the handler (deno condition)', { timeout: 90_000 }, async () => {
  const app = await createAppFolder('deno');
  const setup = await startIvs();
  const runtime = startRuntime(join(binDir, 'deno'), [
    'run', '--no-prompt', '--no-lock', '--allow-net=127.0.0.1', `--allow-read=${app.dir},${repoRoot}`,
    '--allow-env=AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,AWS_SESSION_TOKEN,AWS_REGION,AWS_DEFAULT_REGION,IVSCHAT_ENDPOINT',
    'deno-main.js',
  ], { cwd: app.dir, env: { ...setup.env, DENO_DIR: join(app.dir, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  try {
    const { url, resolved } = await runtime.ready();
    assert.equal(resolved, `file://${join(repoRoot, 'js/backend/index.js')}`);
    await assertServesTokens(url, setup, 'deno');
  } finally {
    await runtime.stop();
    await setup.ivs.close();
    await app.remove();
  }
});

test('Deno without --allow-read: the caller gets a generic 500, and the handler writes the WasmLoadError with the hint (--allow-read)', { timeout: 90_000 }, async () => {
  const app = await createAppFolder('deno-no-read');
  const setup = await startIvs();
  // Modules load without --allow-read; reading the wasm file is what Deno refuses.
  const runtime = startRuntime(join(binDir, 'deno'), [
    'run', '--no-prompt', '--no-lock', '--allow-net=127.0.0.1',
    '--allow-env=AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,AWS_SESSION_TOKEN,AWS_REGION,AWS_DEFAULT_REGION,IVSCHAT_ENDPOINT',
    'deno-main.js',
  ], { cwd: app.dir, env: { ...setup.env, DENO_DIR: join(app.dir, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  try {
    const { url } = await runtime.ready();
    const response = await fetch(`${url}/chat-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer runtime-user' },
      body: JSON.stringify({ roomIdentifier: setup.room.arn, userId: 'u' }),
      signal: AbortSignal.timeout(15_000),
    });
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), { message: 'The token backend failed.' });
    const deadline = Date.now() + 10_000;
    while (!runtime.output().stderr.includes('allow-read') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const { stderr } = runtime.output();
    assert.match(stderr, /the WebAssembly core did not load: WasmLoadError: Could not read ivschat-backend\.wasm: .*\(Deno: run with --allow-read, or pass init\(\{ wasm \}\)\)/);
    assert.ok(!stderr.includes(setup.credentials.secretAccessKey));
  } finally {
    await runtime.stop();
    await setup.ivs.close();
    await app.remove();
  }
});
