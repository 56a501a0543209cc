// The ChatRoom declarations, checked by tsc against tests/chat/types-usage.ts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

test('types/chat-room.d.ts accepts real usage and refuses misuse (tsc --strict)', { timeout: 120_000 }, async () => {
  const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
    '--lib', 'es2024,dom', '--types', 'node', '--skipLibCheck', 'tests/chat/types-usage.ts'];
  const { code, output } = await new Promise((resolve) => {
    execFile(fileURLToPath(new URL('../../node_modules/.bin/tsc', import.meta.url)), args, { cwd: repoRoot, timeout: 110_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code ?? 1 : 0, output: `${stdout}${stderr}` });
    });
  });
  assert.equal(code, 0, output);
});
