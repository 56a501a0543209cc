// js/value-table.js: a request's table holds what JSON.stringify would write of it (checked
// against JSON.stringify itself), plus the kinds JSON cannot carry; JSON text's table is
// JSON.parse's value's. The core's reading of tables runs in every fixture test (the requests go
// through them) and in GoogleTest and the fuzz target value_table.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import fc from 'fast-check';

import { jsonTable, REQUEST_LIMITS, requestTable } from '../../js/value-table.js';

/** @param {unknown} value */
function tableOf(value, requestId) {
  const result = requestTable(value, requestId);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.table;
}

test('a request\'s table is the table of its JSON (toJSON, boxed values, undefined, functions, symbols)', () => {
  // Values as JSON.stringify reads them, within the caps.
  const leaf = fc.oneof(
    fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null),
    fc.constant(undefined), fc.constant(() => 1), fc.constant(Symbol('s')),
    fc.date({ noInvalidDate: true }), fc.string().map((s) => new String(s)), fc.integer().map((n) => new Number(n)),
    fc.boolean().map((b) => new Boolean(b)), fc.string().map((s) => ({ toJSON: (key) => `${key}:${s}` })),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('node'), { maxLength: 5 }),
      fc.dictionary(fc.string(), tie('node'), { maxKeys: 5 })),
  })).node;
  // (Deeper than three levels both tables count the values without writing them.)
  fc.assert(fc.property(fc.dictionary(fc.string(), value, { maxKeys: 6 }), (request) => {
    assert.deepEqual(tableOf(request), jsonTable(JSON.stringify(request)));
  }), { numRuns: 500 });
});

test('what JSON cannot carry is a kind of its own, and deeper values are counted, not written', () => {
  const table = tableOf({
    nan: Number.NaN, big: 10n, long: 'x'.repeat(REQUEST_LIMITS.stringLength + 1),
    many: new Array(REQUEST_LIMITS.arrayItems + 1).fill(0), a: { b: { c: [1, 2, 3], d: { e: 1 } } },
  });
  // kind, key length (filled in when written), text length (idem), size, per value.
  const kinds = [];
  for (let i = 0; i < table.records.length; i += 4) kinds.push([table.strings[i / 2], table.records[i], table.records[i + 3]]);
  assert.deepEqual(kinds, [
    ['', 5, 5], ['nan', 6, 0], ['big', 7, 0], ['long', 8, REQUEST_LIMITS.stringLength + 1],
    ['many', 9, REQUEST_LIMITS.arrayItems + 1], ['a', 5, 1], ['b', 5, 2],
    ['c', 4 | 0x200, 3], ['d', 5 | 0x200, 1],
  ]);
  assert.equal(table.strings[3], 'NaN');
});

test('a requestId given is the first member; requests that cannot be tables are field errors', () => {
  assert.deepEqual(tableOf({ content: 'hi' }, 'r-1').strings.slice(0, 4), ['', '', 'requestId', 'r-1']);
  assert.deepEqual(tableOf(['not an object'], 'r-1').strings.slice(0, 2), ['', ''], 'only objects get one');

  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  const throwing = { get userId() { throw new Error('no user'); } };
  for (const [input, code] of [[cyclic, 'TYPE'], [throwing, 'TYPE'], [{ junk: Array.from({ length: 20 }, () => 'z'.repeat(4000)) }, 'TOO_LARGE']]) {
    const result = requestTable(input);
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? undefined : { field: result.error.field, code: result.error.code }, { field: 'request', code });
  }
});

test('JSON text: JSON.parse\'s value, uncapped; text that is not JSON is the table of no values', () => {
  assert.deepEqual(jsonTable('{"a":'), { strings: [], records: [] });
  const long = 'y'.repeat(REQUEST_LIMITS.stringLength * 2);
  assert.deepEqual(jsonTable(JSON.stringify({ token: long })).strings, ['', '', 'token', long]);
  assert.deepEqual(jsonTable('"\\ud800"').strings, ['', '\ud800'], 'a lone surrogate stays (the writer keeps its bytes)');
});
