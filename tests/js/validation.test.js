import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ChatTokenValidationError, createChatToken, validateCreateChatTokenRequest } from 'ivschat-wasm';

import { expandFixture, readFixture, ROOM_ARN } from './helpers.js';

const { cases } = readFixture('create-chat-token-validation.json');

test('the validation fixture has cases of every kind', () => {
  const codes = new Set(cases.flatMap((c) => c.errors.map((e) => e.code)));
  for (const code of ['REQUIRED', 'TYPE', 'TOO_SHORT', 'TOO_LONG', 'PATTERN', 'ENUM', 'DUPLICATE', 'RANGE', 'INVALID_UTF8', 'TOO_LARGE', 'UNKNOWN_FIELD']) {
    assert.ok(codes.has(code), code);
  }
});

for (const fixture of cases) {
  test(`validation: ${fixture.name}`, async () => {
    const input = 'inputJson' in fixture ? JSON.parse(fixture.inputJson) : expandFixture(fixture.input);
    const report = await validateCreateChatTokenRequest(input);
    assert.deepEqual(
      report.errors.map(({ field, code }) => ({ field, code })),
      fixture.errors,
    );
    assert.equal(report.ok, fixture.errors.length === 0);
    for (const error of report.errors) {
      assert.equal(typeof error.message, 'string');
      assert.ok(error.message.includes(error.field), `message names ${error.field}: ${error.message}`);
    }
  });
}

test('validation never throws for inputs JSON cannot represent', async () => {
  const circular = { roomIdentifier: ROOM_ARN, userId: 'a' };
  circular.self = circular;
  for (const input of [undefined, null, 42, 'text', circular, [ROOM_ARN]]) {
    const report = await validateCreateChatTokenRequest(input);
    assert.equal(report.ok, false);
    assert.equal(report.errors[0].field, 'request');
    assert.equal(report.errors[0].code, 'TYPE');
  }
});

test('NaN, Infinity and BigInt durations are TYPE errors that say what they are', async () => {
  for (const [value, message] of [[NaN, 'it is NaN'], [Infinity, 'it is Infinity'], [-Infinity, 'it is -Infinity']]) {
    const report = await validateCreateChatTokenRequest({ roomIdentifier: ROOM_ARN, userId: 'a', sessionDurationInMinutes: value });
    assert.deepEqual(report.errors.map((e) => [e.field, e.code]), [['sessionDurationInMinutes', 'TYPE']]);
    assert.ok(report.errors[0].message.includes(message), report.errors[0].message);
  }
  // A BigInt is not a number the service takes (the AWS SDK refuses it too), even a small one.
  const bigint = await validateCreateChatTokenRequest({ roomIdentifier: ROOM_ARN, userId: 'a', sessionDurationInMinutes: 30n });
  assert.deepEqual(bigint.errors.map((e) => [e.field, e.code]), [['sessionDurationInMinutes', 'TYPE']]);
  assert.match(bigint.errors[0].message, /it is a BigInt/);
  assert.deepEqual(
    (await validateCreateChatTokenRequest({ roomIdentifier: ROOM_ARN, userId: 'a', attributes: { x: NaN } })).errors.map((e) => e.message),
    ['attributes.x must be a string; it is NaN.'],
  );
});

test('createChatToken rejects an invalid request before any network call', async () => {
  let calls = 0;
  const fetch = async () => {
    calls += 1;
    throw new Error('must not be called');
  };
  await assert.rejects(
    createChatToken({ endpoint: 'http://127.0.0.1:9/token', roomIdentifier: 'nope', userId: '', fetch }),
    (error) => {
      assert.ok(error instanceof ChatTokenValidationError);
      assert.equal(error.code, 'VALIDATION');
      assert.deepEqual(error.errors.map((e) => e.field), ['roomIdentifier', 'userId']);
      assert.match(error.message, /roomIdentifier must be a room ARN.*\(and 1 more problem\)$/);
      return true;
    },
  );
  assert.equal(calls, 0);
});

test('a misspelled option is reported as an unknown CreateChatToken field', async () => {
  await assert.rejects(
    createChatToken({ endpoint: 'http://127.0.0.1:9/token', roomIdentifier: ROOM_ARN, userId: 'a', userID: 'b', fetch: async () => assert.fail() }),
    (error) => error instanceof ChatTokenValidationError && error.errors[0].field === 'userID' && error.errors[0].code === 'UNKNOWN_FIELD',
  );
});

test('a misspelt userID with no userId: the error leads with the unknown field and the one likely meant, before "userId is required"', async () => {
  await assert.rejects(
    createChatToken({ endpoint: 'http://127.0.0.1:9/token', roomIdentifier: ROOM_ARN, userID: 'b', fetch: async () => assert.fail() }),
    (error) => {
      assert.ok(error instanceof ChatTokenValidationError);
      assert.deepEqual(error.errors.map(({ field, code }) => `${field} ${code}`), ['userID UNKNOWN_FIELD', 'userId REQUIRED']);
      assert.match(error.message, /^Invalid CreateChatToken request: "userID" is not a CreateChatToken field; did you mean userId\? The fields are /);
      return true;
    },
  );
  const report = await validateCreateChatTokenRequest({ roomIdentifier: ROOM_ARN, userId: 'a', sessionDurationInMinute: 5 });
  assert.match(report.errors[0].message, /did you mean sessionDurationInMinutes\?/);
  const unrelated = await validateCreateChatTokenRequest({ roomIdentifier: ROOM_ARN, userId: 'a', colour: 'red' });
  assert.doesNotMatch(unrelated.errors[0].message, /did you mean/);
});

test('an error that lists several problems says how many more, worded as the core words a ValidationException', async () => {
  const fetch = () => assert.fail('no request is sent');
  const two = await createChatToken({ endpoint: 'http://127.0.0.1:9/token', roomIdentifier: '', userId: '', fetch }).catch((error) => error);
  assert.ok(two instanceof ChatTokenValidationError);
  assert.equal(two.errors.length, 2);
  assert.match(two.message, /^Invalid CreateChatToken request: .+ \(and 1 more problem\)$/);
  const three = await createChatToken({ endpoint: 'http://127.0.0.1:9/token', roomIdentifier: '', userId: '', capabilities: ['NOPE'], fetch }).catch((error) => error);
  assert.equal(three.errors.length, 3);
  assert.match(three.message, / \(and 2 more problems\)$/);
});
