// The moderation requests' shared fixtures (tests/fixtures/moderation-requests.json, also read
// by tests/cpp/control_plane_test.cpp) through the public sign… functions.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { RequestValidationError, signDeleteMessageRequest, signDisconnectUserRequest, signSendEventRequest } from 'ivschat-wasm/backend';

const fixture = JSON.parse(await readFile(new URL('../fixtures/moderation-requests.json', import.meta.url), 'utf8'));
const SIGNERS = { SendEvent: signSendEventRequest, DeleteMessage: signDeleteMessageRequest, DisconnectUser: signDisconnectUserRequest };
const options = { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, now: 0 };

/** {"$repeat": S, "count": N} → S repeated N times. */
function expand(value) {
  if (Array.isArray(value)) return value.map(expand);
  if (value && typeof value === 'object') {
    if (Object.keys(value).length === 2 && '$repeat' in value && 'count' in value) return value.$repeat.repeat(value.count);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v)]));
  }
  return value;
}

for (const item of fixture.cases) {
  test(`moderation request: ${item.name}`, async () => {
    const sign = SIGNERS[item.operation];
    const input = expand(item.input);
    if (item.errors.length === 0) {
      const signed = await sign(input, options);
      assert.equal(new URL(signed.url).pathname, `/${item.operation}`);
      if (item.body) assert.equal(signed.body, item.body);
      return;
    }
    await assert.rejects(sign(input, options), (error) => {
      assert.ok(error instanceof RequestValidationError);
      assert.equal(error.operation, item.operation);
      assert.deepEqual(error.errors.map(({ field, code }) => ({ field, code })), item.errors);
      return true;
    });
  });
}
