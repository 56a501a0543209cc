// src/bindings/trim-glue.js: the shipped glue has none of the code js/loader.js never reaches,
// and glue that is not Emscripten 3.1.6's stops the build with a message naming the piece.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { MODULES } from '../../boundary/calls.js';
import { CUTS, trimGlue } from '../../src/bindings/trim-glue.js';

const glues = Object.values(MODULES).map(({ file }) => ({
  file,
  text: readFileSync(new URL(`../../dist/${file}.mjs`, import.meta.url), 'utf8'),
}));

test('the glue in dist/ is trimmed: no XHR or fetch of its own, no file lookup, instantiateWasm or nothing', () => {
  for (const { file, text } of glues) {
    for (const { from } of CUTS) assert.ok(!text.includes(from), `${file}.mjs still has ${from}`);
    for (const gone of ['XMLHttpRequest', 'fetch(', 'instantiateStreaming', 'locateFile', 'preloadedImages']) {
      assert.ok(!text.includes(gone), `${file}.mjs still has ${gone}`);
    }
    assert.ok(text.includes('abort("the glue needs instantiateWasm (js/loader.js)")'), file);
  }
});

test('glue without one of the pieces (another Emscripten) is refused, naming the piece and the way out', () => {
  const untrimmed = CUTS.map(({ from, to }) => `${from}/*dead*/${to}`).join('keep;');
  assert.equal(trimGlue(untrimmed, 'x.mjs'), CUTS.map(({ to, replacement = '' }) => `${replacement}${to}`).join('keep;'));
  for (const [index, { what }] of CUTS.entries()) {
    const without = CUTS.filter((_, i) => i !== index).map(({ from, to }) => `${from}/*dead*/${to}`).join('keep;');
    assert.throws(() => trimGlue(without, 'build/wasm/x.mjs'), (error) => {
      assert.ok(error instanceof Error);
      assert.ok(error.message.startsWith(`build/wasm/x.mjs: ${what} (`), error.message);
      assert.match(error.message, /Emscripten 3\.1\.6.*-DIVSCHAT_STOCK_EMBIND=ON/);
      return true;
    });
  }
  const twice = CUTS.map(({ from, to }) => `${from}/*dead*/${to}`).join('keep;') + CUTS[0].from;
  assert.throws(() => trimGlue(twice, 'x.mjs'), /not in this glue exactly once/);
});
