// The package as users get it: `npm pack`, installed from the tarball into an empty project,
// imported by name.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

test('npm pack ships the wasm, and the tarball imports by name in an empty project', { timeout: 240_000 }, async () => {
  const work = await mkdtemp(join(tmpdir(), 'ivschat-pack-'));
  try {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
    const [packed] = JSON.parse(stdout);
    const files = packed.files.map((f) => f.path);
    for (const expected of ['dist/ivschat-client.wasm', 'dist/ivschat-client.mjs', 'dist/ivschat-backend.wasm', 'dist/ivschat-backend.mjs', 'js/entry/node.js', 'types/index.d.ts', 'package.json']) {
      assert.ok(files.includes(expected), `${expected} is in the tarball`);
    }
    assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('tests/') || f.startsWith('build/')), 'no sources, tests or build folders');

    const app = join(work, 'app');
    await run('mkdir', ['-p', app]);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed.filename)], { cwd: app });
    assert.ok((await readdir(join(app, 'node_modules', 'ivschat-wasm', 'dist'))).includes('ivschat-client.wasm'));
    await writeFile(join(app, 'main.js'), `
      import { validateCreateChatTokenRequest, ChatTokenValidationError } from 'ivschat-wasm';
      import { createRequire } from 'node:module';
      const report = await validateCreateChatTokenRequest({ roomIdentifier: 'arn:aws:ivschat:us-east-1:1:room/a', userId: '' });
      const wasmPath = createRequire(import.meta.url).resolve('ivschat-wasm/ivschat-client.wasm');
      console.log(JSON.stringify({ codes: report.errors.map((e) => e.code), errorClass: typeof ChatTokenValidationError, wasmPath }));
    `);
    const result = JSON.parse((await run('node', ['main.js'], { cwd: app })).stdout);
    assert.deepEqual(result.codes, ['TOO_SHORT']);
    assert.equal(result.errorClass, 'function');
    assert.match(result.wasmPath, /node_modules\/ivschat-wasm\/dist\/ivschat-client\.wasm$/);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
