// The chat-frame fixtures shared with GoogleTest, run through the wasm bindings (what ChatRoom
// calls), so the two builds of the core cannot drift.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { init } from 'ivschat-wasm';

import { requestTable } from '../../js/value-table.js';
import { expandFixture, readFixture } from './helpers.js';

const build = readFixture('chat-frames-build.json').cases;
const parse = readFixture('chat-frames-parse.json').cases;
const core = /** @type {import('../../dist/ivschat-client-calls.js').ClientCore} */ (await init());

/**
 * The case's request as ChatRoom hands it to the core: its table, with the requestId as the
 * first member (as tests/cpp/core_results.hpp's withRequestId does for text). Undefined for a
 * case whose text is not JSON: only C++ callers can pass such text (GoogleTest runs it).
 * @returns {import('../../js/value-table.js').ValueTable | undefined}
 */
function requestOf(fixture) {
  let input;
  try {
    input = 'inputText' in fixture ? JSON.parse(fixture.inputText) : expandFixture(fixture.input);
  } catch {
    return undefined;
  }
  const table = requestTable(input, expandFixture(fixture.requestId ?? 'req-1'));
  assert.ok(table.ok);
  return table.table;
}

for (const fixture of build) {
  const request = requestOf(fixture);
  test(`frame build: ${fixture.name}`, { skip: request ? false : 'not JSON: no JavaScript value gives it' }, () => {
    const result = core.buildActionFrame({ action: fixture.action, request: /** @type {any} */ (request), maxMessageLength: fixture.maxMessageLength ?? 500 });
    if (fixture.frame) {
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.ok && result.frame, JSON.stringify(expandFixture(fixture.frame)));
    } else {
      assert.equal(result.ok, false);
      const errors = result.ok ? [] : result.errors;
      assert.deepEqual(errors.map(({ field, code }) => ({ field, code })), fixture.errors.map(({ field, code }) => ({ field, code })));
      fixture.errors.forEach((expected, i) => {
        for (const part of [expected.messageContains ?? []].flat()) assert.ok(errors[i].message.includes(part), errors[i].message);
      });
    }
  });
}

const defaults = {
  kind: '', type: '', id: '', requestId: '', content: '', attributes: {}, sendTimeMillis: 0, senderUserId: '',
  senderAttributes: {}, eventName: '', errorCode: 0, errorMessage: '', deletedMessageId: '', disconnectedUserId: '', reason: '',
};

for (const fixture of parse) {
  test(`frame parse: ${fixture.name}`, () => {
    const text = 'text' in fixture ? fixture.text : JSON.stringify(expandFixture(fixture.frame));
    const result = core.parseServerFrame({ frame: text });
    const expected = expandFixture(fixture.expected);
    assert.equal(result.ok, expected.ok, result.ok ? '' : result.error);
    if (!result.ok) {
      assert.ok(result.error.length > 0);
      if (fixture.errorContains ?? expected.errorContains) assert.ok(result.error.includes(fixture.errorContains ?? expected.errorContains), result.error);
      for (const excluded of fixture.errorExcludes ?? expected.errorExcludes ?? []) assert.ok(!result.error.includes(excluded), result.error);
      return;
    }
    const actual = { ...result, attributes: result.attributes ?? {}, senderAttributes: result.senderAttributes ?? {} };
    for (const [field, fallback] of Object.entries(defaults)) {
      if (field === 'kind' && !('kind' in expected)) continue;
      assert.deepEqual(actual[field], field in expected ? expected[field] : fallback, field);
    }
  });
}

test('frames that are plain ASCII come back as slices of the frame; others through one decode', () => {
  const frame = (content) => JSON.stringify({ Type: 'MESSAGE', Id: 'AbCdEf123456', Content: content, SendTime: '2022-12-02T08:21:20Z', Sender: { UserId: 'u', Attributes: { a: 'b' } } });
  for (const content of ['plain', 'h\u00e9llo \ud83d\ude00', 'esc "quoted" \\ \n', '']) {
    const result = core.parseServerFrame({ frame: frame(content) });
    assert.equal(result.ok, true);
    assert.equal(result.ok && result.content, content);
    assert.deepEqual(result.ok && result.senderAttributes, { a: 'b' });
  }
});

test('attribute maps keep JSON.parse semantics: the last repeated name wins, __proto__ is a member', () => {
  const text = '{"Type":"EVENT","Id":"AbCdEf123456","EventName":"x","SendTime":"2022-12-02T08:21:20Z","Attributes":{"a":"1","__proto__":"p","a":"2"}}';
  const result = core.parseServerFrame({ frame: text });
  assert.equal(result.ok, true);
  const attributes = result.ok ? result.attributes : undefined;
  assert.deepEqual(attributes, JSON.parse(text).Attributes);
  assert.equal(Object.getPrototypeOf(attributes), Object.prototype);
  assert.equal(Object.hasOwn(/** @type {object} */ (attributes), '__proto__'), true);
});
