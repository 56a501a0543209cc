// Room history's shared fixtures (tests/fixtures/chat-logs.json, also read by
// tests/cpp/chat_logs_test.cpp) through the history module (ivschat-history.wasm) as JavaScript
// calls it: the CloudWatch Logs requests (bodies and field errors), their signatures (from the
// oracle @smithy/signature-v4), each record inside a page, and the answer pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { initHistory } from '../../js/backend/history-core.js';

import { expandFixture, readFixture, tableOf } from '../js/helpers.js';

const fixture = readFixture('chat-logs.json');
const NO_CREDENTIALS = { region: 'us-west-2', host: '', basePath: '', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: '', epochMillis: 0 };

test('the history module reads the shared fixtures: requests', async () => {
  const core = await initHistory();
  assert.ok(fixture.requests.length >= 10);
  for (const item of fixture.requests) {
    const result = core.signLogsRequest({ call: item.call, request: tableOf(expandFixture(item.request)), ...NO_CREDENTIALS });
    if (item.errors) {
      assert.equal(result.ok, false, item.name);
      assert.ok('errors' in result, item.name);
      assert.deepEqual(result.errors.map(({ field, code }) => [field, code]), item.errors, item.name);
      continue;
    }
    assert.equal(result.ok, true, `${item.name}: ${JSON.stringify(result)}`);
    if (!result.ok) continue;
    assert.equal(result.body, item.expected.body, item.name);
    assert.equal(result.logStreamName, item.expected.logStreamName, item.name);
    assert.equal(result.target, `Logs_20140328.${item.call}`, item.name);
  }
});

test('the history module reads the shared fixtures: signatures match the oracle', async () => {
  const core = await initHistory();
  assert.ok(fixture.signing.length >= 2);
  for (const item of fixture.signing) {
        const endpoint = item.endpoint ? new URL(item.endpoint) : undefined;
    const result = core.signLogsRequest({
      call: item.call,
      request: tableOf(item.request),
      region: item.region,
      host: endpoint?.host ?? '',
      basePath: endpoint?.pathname.replace(/\/+$/, '') ?? '',
      accessKeyId: item.credentials.accessKeyId,
      secretAccessKey: item.credentials.secretAccessKey,
      sessionToken: item.credentials.sessionToken ?? '',
      epochMillis: item.epochMillis,
    });
    assert.equal(result.ok, true, `${item.name}: ${JSON.stringify(result)}`);
    if (!result.ok) continue;
    const { expected } = item;
    assert.deepEqual(
      { host: result.host, path: result.path, target: result.target, amzDate: result.amzDate, authorization: result.authorization, body: result.body },
      { host: expected.host, path: expected.path, target: expected.target, amzDate: expected.amzDate, authorization: expected.authorization, body: expected.body },
      item.name,
    );
  }
});

test('the history module reads the shared fixtures: each record, inside a page', async () => {
  const core = await initHistory();
  const counters = { TOO_LARGE: 'skippedTooLarge', NOT_JSON: 'skippedNotJson', OTHER_VERSION: 'skippedOtherVersion', MALFORMED: 'skippedMalformed' };
  for (const item of fixture.records) {
    const text = item.text ?? JSON.stringify(expandFixture(item.record));
    const page = core.readChatLogPage({ body: JSON.stringify({ events: [{ timestamp: 1, message: text, ingestionTime: 2 }] }) });
    assert.equal(page.ok, true, item.name);
    if (!page.ok) continue;
    const { expected } = item;
    assert.equal(page.events, 1, item.name);
    if (expected.status !== 'OK') {
      assert.deepEqual(page.items, [], item.name);
      for (const [status, counter] of Object.entries(counters)) assert.equal(page[counter], status === expected.status ? 1 : 0, `${item.name}: ${counter}`);
      continue;
    }
    assert.deepEqual(page.items, [{ kind: expected.kind, id: expected.id, sendTimeMillis: String(expected.sendTimeMillis), userId: expected.userId, target: expected.target, json: expected.json }], item.name);
  }
});

test('the history module reads the shared fixtures: pages', async () => {
  const core = await initHistory();
  for (const item of fixture.pages) {
    const page = core.readChatLogPage({ body: item.body });
    const { expected } = item;
    assert.equal(page.ok, expected.ok, item.name);
    if (!page.ok) {
      assert.ok(page.error.length > 0);
      assert.ok(!page.error.includes(item.body), 'the error does not quote the answer');
      continue;
    }
    const { items, ...numbers } = expected;
    for (const [name, value] of Object.entries(numbers)) if (name !== 'ok') assert.equal(page[name], value, `${item.name}: ${name}`);
    if (!('firstTimestamp' in expected)) assert.equal(page.firstTimestamp, undefined);
    assert.deepEqual(page.items.map(({ kind, id, sendTimeMillis, userId, target }) => [kind, id, sendTimeMillis, userId, target]), items, item.name);
  }
});
