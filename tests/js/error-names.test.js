// Every error class of the package sets `name` from a string literal, so names survive a
// minifying bundler (with new.target.name, a Vite or esbuild build shows `b:` or `j`): the
// entries are bundled and minified with esbuild, then each class is thrown from the bundle.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

test('error names survive minification (chat, token, backend, history and local errors)', { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ivschat-names-'));
  try {
    const contents = `
      export * as main from 'ivschat-wasm';
      export * as backend from 'ivschat-wasm/backend';
      export { ServiceError } from './js/local/errors.js';
      export { SignatureError } from './js/local/sigv4.js';
    `;
    const out = join(dir, 'bundle.mjs');
    const root = fileURLToPath(new URL('../..', import.meta.url));
    await build({ stdin: { contents, resolveDir: root }, bundle: true, minify: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'silent', external: ['*.wasm'] });
    const { main, backend, ServiceError, SignatureError } = await import(pathToFileURL(out).href);
    const made = {
      IvsChatError: new main.IvsChatError('X', 'm'),
      WasmLoadError: new main.WasmLoadError('m'),
      InvalidOptionError: new main.InvalidOptionError('o', 'm'),
      ChatTokenValidationError: new main.ChatTokenValidationError([]),
      ChatTokenRequestError: new main.ChatTokenRequestError('TIMEOUT', 'm'),
      ChatError: new main.ChatError('TIMEOUT', 'm'),
      ChatTokenSigningError: new backend.ChatTokenSigningError('region', 'm'),
      TokenHandlerError: new backend.TokenHandlerError(403, 'm'),
      ChatHistoryError: new backend.ChatHistoryError('THROTTLED', 'm'),
      ServiceError: new ServiceError(400, 'ValidationException', 'm'),
      SignatureError: new SignatureError(403, 'SignatureDoesNotMatch', 'm'),
    };
    for (const [name, error] of Object.entries(made)) {
      assert.equal(error.name, name);
      assert.ok(String(error).startsWith(`${name}: `), String(error));
    }
    assert.notEqual(main.ChatError.name, 'ChatError', 'the bundle did rename the classes (else this test proves nothing)');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
