// Bun: the app imports the package by name (its wasm source from the `bun` condition of the
// package's imports map, tests/runtimes/conditions.test.js); served with Bun.serve.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';

import { assertServesTokens, binDir, createAppFolder, repoRoot, startIvs, startRuntime } from './helpers.js';

test('Bun: a token from the local server through the handler (bun condition)', { timeout: 90_000 }, async () => {
  const app = await createAppFolder('bun');
  const setup = await startIvs();
  const runtime = startRuntime(join(binDir, 'bun'), ['run', '--no-install', 'bun-main.js'], {
    cwd: app.dir,
    env: { ...setup.env, DO_NOT_TRACK: '1', BUN_INSTALL_CACHE_DIR: join(app.dir, '.bun-cache'), NO_COLOR: '1' },
  });
  try {
    const { url, resolved } = await runtime.ready();
    assert.equal(resolved, `file://${join(repoRoot, 'js/backend/index.js')}`);
    await assertServesTokens(url, setup, 'bun');
  } finally {
    await runtime.stop();
    await setup.ivs.close();
    await app.remove();
  }
});
