// Which export condition each runtime (and each platform's bundler) picks from this package's
// own `exports` map. The real entries for deno, bun and node are the same file, so this uses a
// probe package with the same condition keys in the same order, each pointing at a module that
// names its condition: a runtime that fell through to `node` (or `browser`) would show it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { build } from 'esbuild';

import { binDir, createAppFolder, repoRoot } from './helpers.js';

const run = promisify(execFile);
const EXPECTED_ORDER = ['types', 'workerd', 'edge-light', 'deno', 'bun', 'node', 'browser', 'default'];

test('every runtime and bundler picks its own condition from the exports map', { timeout: 60_000 }, async () => {
  const { exports } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
  for (const subpath of ['.', './backend']) {
    assert.deepEqual(Object.keys(exports[subpath]), EXPECTED_ORDER, `${subpath}: condition order`);
  }
  const conditions = Object.keys(exports['./backend']).filter((name) => name !== 'types');

  const app = await createAppFolder('conditions');
  try {
    const probe = join(app.dir, 'node_modules', 'condition-probe');
    await mkdir(probe);
    await writeFile(join(probe, 'package.json'), JSON.stringify({
      name: 'condition-probe',
      type: 'module',
      exports: { '.': Object.fromEntries(conditions.map((name) => [name, `./${name}.js`])) },
    }));
    for (const name of conditions) await writeFile(join(probe, `${name}.js`), `export default ${JSON.stringify(name)};\n`);
    await writeFile(join(app.dir, 'which.js'), "import which from 'condition-probe';\nconsole.log(which);\n");

    const options = { cwd: app.dir, timeout: 20_000, env: { PATH: process.env.PATH, HOME: app.dir, DENO_DIR: join(app.dir, '.deno'), NO_COLOR: '1', DO_NOT_TRACK: '1' } };
    const picked = async (command, args) => (await run(command, args, options)).stdout.trim();
    assert.equal(await picked(process.execPath, ['which.js']), 'node');
    assert.equal(await picked(join(binDir, 'deno'), ['run', '--no-prompt', '--no-lock', `--allow-read=${app.dir}`, 'which.js']), 'deno');
    assert.equal(await picked(join(binDir, 'bun'), ['run', '--no-install', 'which.js']), 'bun');

    // The bundlers' conditions: wrangler (workerd), Vercel (edge-light), a browser bundle.
    for (const [platformConditions, expected] of [[['workerd', 'worker', 'browser'], 'workerd'], [['edge-light', 'worker', 'browser'], 'edge-light'], [['browser'], 'browser'], [[], 'default']]) {
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
