// The chat-frame fixtures shared with GoogleTest, run through the wasm bindings (what ChatRoom
// calls), so the two builds of the core cannot drift.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { init } from 'ivschat-wasm';

import { expandFixture, readFixture } from './helpers.js';

const build = readFixture('chat-frames-build.json').cases;
const parse = readFixture('chat-frames-parse.json').cases;
const core = /** @type {import('../../js/core-types.js').IvsChatCore} */ (await init());

const builders = {
  SEND_MESSAGE: (text, requestId, fixture) => core.buildSendMessageFrame(text, requestId, fixture.maxMessageLength ?? 500),
  DELETE_MESSAGE: (text, requestId) => core.buildDeleteMessageFrame(text, requestId),
  DISCONNECT_USER: (text, requestId) => core.buildDisconnectUserFrame(text, requestId),
};

for (const fixture of build) {
  test(`frame build: ${fixture.name}`, () => {
    const text = 'inputText' in fixture ? fixture.inputText : JSON.stringify(expandFixture(fixture.input));
    const requestId = expandFixture(fixture.requestId ?? 'req-1');
    const result = builders[fixture.action](text, requestId, fixture);
    if (fixture.frame) {
      assert.equal(result.ok, true, result.errorsJson);
      assert.equal(result.frame, JSON.stringify(expandFixture(fixture.frame)));
    } else {
      assert.equal(result.ok, false);
      assert.equal(result.frame, '');
      const errors = JSON.parse(result.errorsJson);
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
    const result = core.parseServerFrame(text);
    const expected = expandFixture(fixture.expected);
    assert.equal(result.ok, expected.ok, result.error);
    if (!expected.ok) {
      assert.ok(result.error.length > 0);
      if (fixture.errorContains ?? expected.errorContains) assert.ok(result.error.includes(fixture.errorContains ?? expected.errorContains), result.error);
      for (const excluded of fixture.errorExcludes ?? expected.errorExcludes ?? []) assert.ok(!result.error.includes(excluded), result.error);
      return;
    }
    const actual = {
      ...result,
      attributes: result.attributesJson ? JSON.parse(result.attributesJson) : {},
      senderAttributes: result.senderAttributesJson ? JSON.parse(result.senderAttributesJson) : {},
    };
    for (const [field, fallback] of Object.entries(defaults)) {
      assert.deepEqual(actual[field], field in expected ? expected[field] : fallback, field);
    }
  });
}
