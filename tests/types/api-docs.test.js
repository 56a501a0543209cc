// The API reference (`npm run docs`, TypeDoc over the public .d.ts) builds with no warning: every
// {@link} resolves, every exported type is reachable, and each entry point has its page.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('TypeDoc builds the API reference from the public types with no warning', { timeout: 180_000 }, async () => {
  const out = await mkdtemp(join(tmpdir(), 'ivschat-api-docs-'));
  try {
    const typedoc = join(root, 'node_modules', '.bin', 'typedoc');
    // Source links need a git remote, which a clone made for CI may lack: not what is checked here.
    await promisify(execFile)(typedoc, ['--out', out, '--treatWarningsAsErrors', '--disableSources'], { cwd: root, timeout: 170_000 });
    const modules = await readdir(join(out, 'modules'));
    for (const page of ['index.html', 'backend.html', 'local.html', 'react.html']) assert.ok(modules.includes(page), `${page} in ${modules.join(', ')}`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
