// src/bindings/embind_number_types.cpp: the shipped modules register only embind's number types,
// in place of libembind's start-up code, which named every type embind knows (and, with RTTI,
// linked the C++ ABI's dynamic_cast code). Their names in a module's data mean libembind is back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { MODULES } from '../../boundary/calls.js';

test('no module carries the names of embind types it does not bind (libembind is not linked)', () => {
  for (const { file } of Object.values(MODULES)) {
    const data = readFileSync(new URL(`../../dist/${file}.wasm`, import.meta.url)).toString('latin1');
    for (const name of ['emscripten::memory_view', 'emscripten::val', 'std::basic_string<unsigned char>', 'std::u16string']) {
      assert.ok(!data.includes(name), `${file}.wasm names ${name}: libembind's start-up registration is linked`);
    }
    // The number types are registered, by the names embind_number_types.cpp gives them.
    for (const name of ['int', 'double', 'unsigned long']) assert.ok(data.includes(`${name}\0`), `${file}.wasm: ${name} is not registered`);
  }
});
