// Vercel Edge (edge-runtime): the app is bundled to an IIFE with the edge-light condition; the
// `?module` wasm import becomes a global binding that the host fills with a Module it compiled
// (see edge-host.js); the sandbox forbids compiling wasm itself.
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { bundleApp } from './bundle.js';
import { assertServesTokens, createAppFolder, repoRoot, startIvs, startRuntime } from './helpers.js';

const HOST = fileURLToPath(new URL('./edge-host.js', import.meta.url));

test('edge-runtime: a token from the local server through the handler (edge-light condition, injected compiled Module)', { timeout: 90_000 }, async () => {
  const app = await createAppFolder('edge');
  const setup = await startIvs();
  const out = join(app.dir, 'edge-dist');
  await mkdir(out);
  const bundle = join(out, 'function.js');
  const { inputs, wasmImports } = await bundleApp({
    entry: join(app.dir, 'edge-main.js'),
    outfile: bundle,
    format: 'iife',
    conditions: ['edge-light', 'worker', 'browser'],
    wasm: 'global',
  });
  assert.deepEqual(inputs.filter((input) => input.includes('js/wasm-source/')).map((input) => input.replace(/.*js\/wasm-source\//, '')), ['backend-edge-light.js'], 'the edge-light wasm source, no other runtime\'s');
  assert.deepEqual(wasmImports, ['../../dist/ivschat-backend.wasm?module']);
  assert.ok(!(await readFile(bundle, 'utf8')).includes('\0asm'), 'the wasm bytes are not inlined');

  const runtime = startRuntime(process.execPath, [HOST, bundle, join(repoRoot, 'dist/ivschat-backend.wasm')], { cwd: app.dir, env: setup.env });
  try {
    const { url } = await runtime.ready();
    await assertServesTokens(url, setup, 'edge-light');
  } finally {
    await runtime.stop();
    await setup.ivs.close();
    await app.remove();
  }
});
