// The boundary declared once (boundary/calls.js): the built modules register exactly the
// declared calls, the generated readers offer exactly those, each outcome reads back by name, and
// the declaration's own rules refuse what either side could not carry.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { CALLS, MODULES } from '../../boundary/calls.js';
import { declarationProblems } from '../../boundary/generate.js';
import { createCoreLoader } from '../../js/loader.js';
import { tableOf } from './helpers.js';

/** @param {string} module */
async function load(module) {
  const { file, factory } = MODULES[/** @type {keyof typeof MODULES} */ (module)];
  const glue = await import(`../../dist/${file}.mjs`);
  const reader = await import(`../../dist/${file}-calls.js`);
  const wrapName = `wrap${module[0].toUpperCase()}${module.slice(1)}Core`;
  /** @type {any} */
  let raw;
  const loader = createCoreLoader({
    factory: glue.default,
    file: `${file}.wasm`,
    wrap: (instantiate) => reader[wrapName](() => (raw = instantiate())),
  });
  const core = await loader.init({ wasm: await readFile(new URL(`../../dist/${file}.wasm`, import.meta.url)) });
  void factory;
  return { core, raw };
}

for (const module of Object.keys(MODULES)) {
  test(`${module} module: the binding registers, and the reader offers, exactly the calls declared for it`, async () => {
    const { core, raw } = await load(module);
    const declared = Object.entries(CALLS).filter(([, call]) => call.modules.includes(module)).map(([name]) => name).sort();
    const registered = Object.keys(raw).filter((name) => typeof raw[name] === 'function' && /^[a-z]/.test(name) && !['ioAddress', 'inputCapacity', 'locateFile', 'print', 'printErr', 'instantiateWasm', 'run'].includes(name)).sort();
    assert.deepEqual(registered, declared);
    assert.deepEqual(Object.keys(core).sort(), declared);
  });
}

test('an outcome reads back by name: numbers, strings, enums, maps and record lists', async () => {
  const { core } = await load('client');
  const frame = core.parseServerFrame({
    frame: JSON.stringify({ Type: 'MESSAGE', Id: 'AbCdEfGh1234', RequestId: 'r-1', Content: 'héllo', SendTime: '2025-01-15T12:30:45.123Z', Attributes: { a: '1', b: '2' }, Sender: { UserId: 'u', Attributes: { displayName: 'U' } } }),
  });
  assert.equal(frame.ok, true);
  assert.ok(frame.ok);
  assert.equal(frame.kind, 'MESSAGE');
  assert.equal(frame.content, 'héllo');
  assert.equal(frame.sendTimeMillis, Date.parse('2025-01-15T12:30:45.123Z'));
  assert.deepEqual(frame.attributes, { a: '1', b: '2' });
  assert.deepEqual(frame.senderAttributes, { displayName: 'U' });

  const invalid = core.validateCreateChatTokenRequest({ request: tableOf({ roomIdentifier: 'nope', userId: '', capabilities: ['X'] }) });
  assert.equal(invalid.ok, false);
  assert.ok(!invalid.ok);
  assert.deepEqual(invalid.errors.map((error) => error.field).sort(), ['capabilities[0]', 'roomIdentifier', 'userId']);
  for (const error of invalid.errors) assert.deepEqual(Object.keys(error), ['field', 'code', 'message']);

  const aws = core.parseAwsError({ status: 400, errorTypeHeader: '', body: JSON.stringify({ __type: 'ValidationException', message: 'bad', reason: 'FIELD_VALIDATION_FAILED', fieldList: [{ name: 'userId', message: 'too long' }] }) });
  assert.equal(aws.type, 'ValidationException');
  assert.equal(aws.limit, undefined);
  assert.deepEqual(aws.fieldList, [{ name: 'userId', message: 'too long' }]);
});

test('an enum input outside its declaration never reaches the body', async () => {
  const { core } = await load('client');
  assert.throws(
    () => core.buildActionFrame({ action: /** @type {any} */ ('toString'), request: tableOf({}), maxMessageLength: 500 }),
    (error) => error.code === 'INTERNAL' && /selector/.test(error.message),
  );
  // The module is still usable.
  assert.equal(core.buildActionFrame({ action: 'DELETE_MESSAGE', request: tableOf({ id: 'AbCdEfGh1234', requestId: 'r' }), maxMessageLength: 500 }).ok, true);
});

test('the declaration refuses what the wire cannot carry', () => {
  assert.deepEqual(declarationProblems(CALLS), []);
  const base = { modules: ['client'], doc: '.', ok: {} };
  const problems = declarationProblems({
    late: { ...base, inputs: { a: 'text', b: 'sliceableText' } },
    wide: { ...base, inputs: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`n${i}`, 'int'])) },
    twice: { ...base, inputs: {}, ok: { strings: ['x'], lists: { x: 'map' } } },
    stray: { ...base, modules: ['nowhere'], inputs: {} },
    // A table's words are written where the I/O area starts (aligned): first text, one per call.
    tableLate: { ...base, inputs: { a: 'text', request: 'request' } },
    tablesTwo: { ...base, inputs: { request: 'request', body: 'json' } },
    tableFirst: { ...base, inputs: { call: { A: 0 }, body: 'json', n: 'int', header: 'text' } },
  });
  assert.equal(problems.length, 6, problems.join('\n'));
  assert.match(problems.join('\n'), /tableLate: a request or json input must be the first text/);
  assert.match(problems.join('\n'), /tablesTwo: a request or json input must be the first text, and the only one/);
  assert.doesNotMatch(problems.join('\n'), /tableFirst/);
  assert.match(problems.join('\n'), /late: a sliceableText input must be the first text/);
  assert.match(problems.join('\n'), /wide: 11 wire arguments/);
  assert.match(problems.join('\n'), /twice\.ok: a name is used twice/);
  assert.match(problems.join('\n'), /stray: unknown module nowhere/);
});
