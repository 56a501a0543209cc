// tests/types/public-api.ts holds every public entry's declarations (types/*.d.ts) to the JSDoc of
// its code, when tsc compiles it. This checks that its list of entries is package.json's: every
// JavaScript entry of "exports" and each entry's "types" file are compared
// there, so an entry added to package.json without its comparison fails here.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
const check = await readFile(new URL('tests/types/public-api.ts', root), 'utf8');
/** The files public-api.ts compares, as package paths (`js/public.js`, `types/index.d.ts`). */
const compared = new Set([...check.matchAll(/import\('\.\.\/\.\.\/([^']+)'\)/g)].map(([, path]) => path.replace(/^types\/(.+)\.js$/, 'types/$1.d.ts')));

/** The entries with code: every "exports" entry but the wasm assets, the script-tag file and package.json. */
const entries = Object.entries(pkg.exports).filter(([, target]) => typeof target === 'object' && !target.types.endsWith('wasm-asset.d.ts'));

test('public-api.ts compares every JavaScript entry of package.json "exports" with its "types"', () => {
  assert.deepEqual(entries.map(([name]) => name), ['.', './backend', './local', './react']);
  for (const [name, conditions] of entries) {
    for (const [condition, file] of Object.entries(conditions)) {
      const path = file.replace(/^\.\//, '');
      assert.ok(compared.has(path), `exports["${name}"].${condition}: ${path} is not compared in tests/types/public-api.ts`);
    }
  }
});

test('typesVersions names the same declarations as the "types" conditions', () => {
  for (const [name, conditions] of entries) {
    if (name === '.') {
      assert.equal(pkg.types, conditions.types);
      continue;
    }
    assert.deepEqual(pkg.typesVersions['*'][name.slice(2)], [conditions.types.replace(/^\.\//, '')], name);
  }
});

test('the script-tag build (global IvsChatWasm) is compared too', async () => {
  assert.ok(compared.has('js/entry/script-tag.js'));
  assert.match(await readFile(new URL('types/global.d.ts', root), 'utf8'), /var IvsChatWasm: typeof IvsChatWasmExports;/);
});
