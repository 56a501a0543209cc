// The moderation requests' shared fixtures (tests/fixtures/moderation-requests.json, also read
// by tests/cpp/control_plane_test.cpp) through the public sign… functions.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RequestValidationError, signDeleteMessageRequest, signDisconnectUserRequest, signSendEventRequest } from 'ivschat-wasm/backend';

import { expandFixture, readFixture } from '../js/helpers.js';

const fixture = readFixture('moderation-requests.json');
const SIGNERS = { SendEvent: signSendEventRequest, DeleteMessage: signDeleteMessageRequest, DisconnectUser: signDisconnectUserRequest };
const options = { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, now: 0 };

for (const item of fixture.cases) {
  test(`moderation request: ${item.name}`, async () => {
    const sign = SIGNERS[item.operation];
    const input = expandFixture(item.input);
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
