// Node 20: the package imported by name (its wasm source from the `node` condition of the
// package's imports map, tests/runtimes/conditions.test.js); the handler is served with
// http.createServer(toNodeListener(handler)) in a child process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';

import { assertServesTokens, createAppFolder, repoRoot, startIvs, startRuntime } from './helpers.js';

test('Node: a token from the local server through the handler (node condition)', { timeout: 90_000 }, async () => {
  const app = await createAppFolder('node');
  const setup = await startIvs();
  const runtime = startRuntime(process.execPath, ['node-main.js'], { cwd: app.dir, env: setup.env });
  try {
    const { url, resolved } = await runtime.ready();
    assert.equal(resolved, `file://${join(repoRoot, 'js/backend/index.js')}`);
    await assertServesTokens(url, setup, 'node');
  } finally {
    await runtime.stop();
    await setup.ivs.close();
    await app.remove();
  }
});
