// CloudWatch Logs filter patterns as the local server reads them: terms, quoted phrases and JSON
// comparisons over chat-log records; what it does not read is refused, never silently ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterPatternMatcher } from '../../js/local/log-filter-pattern.js';

const record = JSON.stringify({
  event_timestamp: '2026-01-01T00:00:00.000Z',
  type: 'MESSAGE',
  version: '1.0',
  payload: { Type: 'MESSAGE', Content: 'hi there', Sender: { UserId: 'alice', Attributes: {} }, Attributes: { n: '3' }, list: [5, 'a'] },
});

test('terms and quoted phrases: all must occur', () => {
  for (const [pattern, expected] of [['', true], ['   ', true], ['hi', true], ['hi alice', true], ['"hi there"', true], ['"there hi"', false], ['nope', false], ['hi nope', false]]) {
    assert.equal(filterPatternMatcher(/** @type {string} */ (pattern))(record), expected, String(pattern));
  }
  assert.equal(filterPatternMatcher(undefined)(record), true);
});

test('JSON patterns: selectors, = != on strings (with * wildcards), numeric comparisons, && before ||', () => {
  const cases = [
    ['{ $.type = "MESSAGE" }', true],
    ['{ $.type = "EVENT" }', false],
    ['{ $.type != "EVENT" }', true],
    ['{ $.payload.Sender.UserId = "alice" && $.type = "MESSAGE" }', true],
    ['{ $.payload.Sender.UserId = "bob" && $.type = "MESSAGE" }', false],
    ['{ $.payload.Sender.UserId = "bob" || $.type = "MESSAGE" }', true],
    ['{ $.type = "EVENT" && $.version = "1.0" || $.payload.Content = "hi*" }', true],
    ['{ $.payload.Content = "*there" }', true],
    ['{ $.payload.Content = hi* }', true],
    ['{ $.payload.list[0] > 4 }', true],
    ['{ $.payload.list[0] <= 4 }', false],
    ['{ $.payload.list[1] = "a" }', true],
    ['{ $.payload.missing = "x" }', false],
    ['{ $.payload.Content = "a && b" }', false],
  ];
  for (const [pattern, expected] of cases) assert.equal(filterPatternMatcher(/** @type {string} */ (pattern))(record), expected, String(pattern));
  assert.equal(filterPatternMatcher('{ $.type = "MESSAGE" }')('not json'), false);
});

test('patterns the local server cannot read are InvalidParameterException', () => {
  for (const pattern of ['{ ($.a = 1) }', '[a, b]', '?a ?b', '-a', '{ $.a IS NULL }', '{ $.a < "x" }', '{ $.a = 1']) {
    assert.throws(() => filterPatternMatcher(pattern), (error) => {
      assert.equal(/** @type {any} */ (error).type, 'InvalidParameterException');
      assert.equal(/** @type {any} */ (error).status, 400);
      return true;
    }, pattern);
  }
});
