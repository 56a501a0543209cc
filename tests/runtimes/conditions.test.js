// Which condition each runtime (and each platform's bundler) picks from this package's own
// `imports` map, where the package says where each runtime gets its wasm from (the `exports` map
// names one file per surface). The real sources for deno, bun and node are the same file, so
// this uses a probe package with the same condition keys in the same order, each pointing at a
// module that names its condition: a runtime that fell through to `node` (or `default`, the
// browser's) would show it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { build } from 'esbuild';

import { binDir, createAppFolder, repoRoot } from './helpers.js';

const run = promisify(execFile);
const EXPECTED_ORDER = ['workerd', 'edge-light', 'deno', 'bun', 'node', 'default'];

test('every runtime and bundler picks its own condition from the imports map', { timeout: 60_000 }, async () => {
  const { exports, imports } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
  for (const [subpath, conditions] of Object.entries(exports)) {
    if (typeof conditions === 'object') assert.deepEqual(Object.keys(conditions).filter((name) => name !== 'types'), ['default'], `${subpath}: one file for every runtime`);
  }
  assert.ok(Object.keys(imports).length >= 2, 'the wasm sources are in the imports map');
  for (const [specifier, sources] of Object.entries(imports)) {
    assert.deepEqual(Object.keys(sources), EXPECTED_ORDER, `${specifier}: condition order`);
  }
  const conditions = EXPECTED_ORDER;

  const app = await createAppFolder('conditions');
  try {
    const probe = join(app.dir, 'node_modules', 'condition-probe');
    await mkdir(probe);
    await writeFile(join(probe, 'package.json'), JSON.stringify({
      name: 'condition-probe',
      type: 'module',
      exports: { '.': './index.js' },
      imports: { '#which': Object.fromEntries(conditions.map((name) => [name, `./${name}.js`])) },
    }));
    await writeFile(join(probe, 'index.js'), "export { default } from '#which';\n");
    for (const name of conditions) await writeFile(join(probe, `${name}.js`), `export default ${JSON.stringify(name)};\n`);
    await writeFile(join(app.dir, 'which.js'), "import which from 'condition-probe';\nconsole.log(which);\n");

    const options = { cwd: app.dir, timeout: 20_000, env: { PATH: process.env.PATH, HOME: app.dir, DENO_DIR: join(app.dir, '.deno'), NO_COLOR: '1', DO_NOT_TRACK: '1' } };
    const picked = async (command, args) => (await run(command, args, options)).stdout.trim();
    assert.equal(await picked(process.execPath, ['which.js']), 'node');
    assert.equal(await picked(join(binDir, 'deno'), ['run', '--no-prompt', '--no-lock', `--allow-read=${app.dir}`, 'which.js']), 'deno');
    assert.equal(await picked(join(binDir, 'bun'), ['run', '--no-install', 'which.js']), 'bun');

    // The bundlers' conditions: wrangler (workerd), Vercel (edge-light), a browser bundle.
    for (const [platformConditions, expected] of [[['workerd', 'worker', 'browser'], 'workerd'], [['edge-light', 'worker', 'browser'], 'edge-light'], [['browser'], 'default'], [[], 'default']]) {
      const result = await build({
        entryPoints: [join(app.dir, 'which.js')], bundle: true, write: false, format: 'esm', platform: 'neutral',
        conditions: platformConditions, logLevel: 'silent',
      });
      assert.match(result.outputFiles[0].text, new RegExp(`"${expected}"`), `bundled with [${platformConditions}]`);
    }
  } finally {
    await app.remove();
  }
});
