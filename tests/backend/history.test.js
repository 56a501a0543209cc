// Room history against the local server (issue 22 item 2): a room with a CloudWatch Logs logging
// configuration, 30 messages, one deleted by a moderator, one user's removed by a ban; then
// readRoomHistory (requests signed in the history module, records read there) gives the right 28
// in order, checked against @aws-sdk/client-cloudwatch-logs reading the same stream. Then the
// bounds (limit, pages, a page that does not fit), the records that are not IVS's, and the
// faults: a missing log group, a room that has logged nothing, access denied, throttling.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';

import { ChatHistoryError, readRoomHistory, RequestValidationError } from 'ivschat-wasm/backend';
import { initHistory } from '../../js/backend/history-core.js';
import { tableOf } from '../js/helpers.js';
import { HISTORY_GROUP, localServerWithHistory, logsError } from './history-helpers.js';

describe('readRoomHistory on the local server', () => {
  const fixture = localServerWithHistory();
  let options;
  before(() => {
    options = { roomIdentifier: fixture.room.arn, logGroupName: HISTORY_GROUP, credentials: fixture.server.credentials, endpoint: fixture.server.controlPlaneUrl };
  });

  /** The 28: every message but the deleted one and bob's. */
  const expected = () => fixture.expected;

  test('30 sent, one deleted, one user removed by a ban: the right 28, oldest first, in ChatRoom\'s shape', async () => {
    const history = await readRoomHistory({ ...options, limit: 50 });
    assert.equal(history.complete, true);
    assert.equal(history.logStreamName, `aws/IVSChatLogs/1.0/room_${fixture.room.id}`);
    assert.deepEqual(history.skipped, { tooLarge: 0, notJson: 0, otherVersion: 0, malformed: 0 });
    assert.equal(history.messages.length, 28);
    assert.deepEqual(history.messages.map(({ id, content }) => ({ id, content })), expected());
    const first = history.messages[0];
    assert.deepEqual(Object.keys(first), ['id', 'requestId', 'content', 'attributes', 'sendTime', 'sender']);
    assert.equal(first.requestId, 'r1');
    assert.deepEqual(first.attributes, { n: '1' });
    assert.deepEqual(first.sender, { userId: 'alice', attributes: { displayName: 'ALICE' } });
    assert.ok(first.sendTime instanceof Date && !Number.isNaN(first.sendTime.getTime()));
    const times = history.messages.map((m) => m.sendTime.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'in SendTime order');
  });

  test('the same 28 as the AWS SDK reads from the stream, with the deletions applied by hand', async () => {
    const logs = new CloudWatchLogsClient({ region: fixture.server.region, endpoint: fixture.server.controlPlaneUrl, credentials: fixture.server.credentials, maxAttempts: 1 });
    try {
      const answer = await logs.send(new GetLogEventsCommand({ logGroupName: HISTORY_GROUP, logStreamName: `aws/IVSChatLogs/1.0/room_${fixture.room.id}`, startFromHead: true }));
      const records = (answer.events ?? []).map((event) => JSON.parse(event.message ?? ''));
      const deleted = new Set(records.filter((r) => r.payload.EventName === 'aws:DELETE_MESSAGE').map((r) => r.payload.Attributes.MessageId));
      const removed = new Set(records.filter((r) => r.payload.EventName === 'app:DELETE_USER_MESSAGES').map((r) => r.payload.Attributes.userId));
      const oracle = records.filter((r) => r.type === 'MESSAGE' && !deleted.has(r.payload.Id) && !removed.has(r.payload.Sender.UserId)).map((r) => r.payload.Id);
      assert.equal(oracle.length, 28);
      const history = await readRoomHistory(options);
      assert.deepEqual(history.messages.map((m) => m.id), oracle);
    } finally {
      logs.destroy();
    }
  });

  test('FilterLogEvents, signed in the history module, passes the local server\'s SigV4 check and reads the room\'s records', async () => {
    const core = await initHistory();
    const endpoint = new URL(fixture.server.controlPlaneUrl);
    const signed = core.signLogsRequest({
      call: 'FilterLogEvents', request: tableOf({ roomIdentifier: fixture.room.arn, logGroupName: HISTORY_GROUP, limit: 100 }),
      region: '', host: endpoint.host, basePath: '', accessKeyId: fixture.server.credentials.accessKeyId,
      secretAccessKey: fixture.server.credentials.secretAccessKey, sessionToken: fixture.server.credentials.sessionToken ?? '', epochMillis: Date.now(),
    });
    assert.equal(signed.ok, true);
    if (!signed.ok) return;
    const response = await fetch(`${endpoint.origin}${signed.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': signed.target, 'x-amz-date': signed.amzDate, authorization: signed.authorization },
      body: signed.body,
    });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    const page = core.readChatLogPage({ body: text });
    assert.equal(page.ok, true);
    if (!page.ok) return;
    // 30 messages, the deletion, the disconnect and the removal event.
    assert.equal(page.events, 33);
    assert.equal(page.items.filter((item) => item.kind === 'MESSAGE').length, 30);
    assert.deepEqual(page.items.filter((item) => item.kind !== 'MESSAGE').map((item) => item.kind === 'EVENT' ? item.target : item.kind),
      ['DELETE_MESSAGE', 'aws:DISCONNECT_USER', 'app:DELETE_USER_MESSAGES']);
  });

  test('a history larger than the limit: the newest N', async () => {
    const history = await readRoomHistory({ ...options, limit: 10 });
    assert.equal(history.complete, true);
    assert.deepEqual(history.messages.map((m) => m.id), expected().slice(-10).map((m) => m.id));
  });

  test('small pages: read backwards page by page, the same 28; maxPages bounds the calls', async () => {
    const history = await readRoomHistory({ ...options, pageSize: 4, maxPages: 20 });
    assert.deepEqual(history.messages.map((m) => m.id), expected().map((m) => m.id));
    assert.equal(history.complete, true);
    assert.ok(history.pages >= 9, `${history.pages} pages`);
    const cut = await readRoomHistory({ ...options, pageSize: 4, maxPages: 2 });
    assert.equal(cut.complete, false);
    assert.equal(cut.pages, 2);
    // The 8 newest events: the removal, the disconnect, the deletion and 5 messages (none bob's or deleted).
    assert.deepEqual(cut.messages.map((m) => m.id), expected().slice(-5).map((m) => m.id));
  });

  test('a page too large for the core is read again with fewer events', async () => {
    const seen = [];
    const fetch = async (url, init) => {
      seen.push(JSON.parse(init.body).limit);
      const response = await globalThis.fetch(url, init);
      if (JSON.parse(init.body).limit > 10) return new Response('x'.repeat(90_000), { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' } });
      return response;
    };
    const history = await readRoomHistory({ ...options, pageSize: 40, maxPages: 20, fetch });
    assert.deepEqual(seen.slice(0, 4), [40, 20, 10, 10]);
    assert.equal(history.complete, true);
    assert.deepEqual(history.messages.map((m) => m.id), expected().map((m) => m.id));
  });

  test('records that are not IVS\'s are skipped and counted, never returned', async () => {
    const fetch = async (url, init) => {
      const response = await globalThis.fetch(url, init);
      const page = await response.json();
      const forged = { event_timestamp: '2024-01-01T00:00:00.000Z', type: 'MESSAGE', version: '1.0', payload: { Type: 'MESSAGE', Id: 'forged', Content: 'x', SendTime: '2024-01-01T00:00:00Z', Sender: { UserId: 'eve', Attributes: { role: 7 } } } };
      page.events.push(
        { timestamp: 1, message: 'not json at all', ingestionTime: 1 },
        { timestamp: 1, message: JSON.stringify({ ...forged, version: '2.0' }), ingestionTime: 1 },
        { timestamp: 1, message: JSON.stringify(forged), ingestionTime: 1 },
        { timestamp: 1, message: `{"pad":"${'y'.repeat(17_000)}"}`, ingestionTime: 1 },
      );
      return new Response(JSON.stringify(page), { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' } });
    };
    const history = await readRoomHistory({ ...options, fetch });
    assert.deepEqual(history.skipped, { tooLarge: 1, notJson: 1, otherVersion: 1, malformed: 1 });
    assert.equal(history.messages.length, 28);
    assert.ok(!history.messages.some((m) => m.id === 'forged'));
  });

  test('a log group that does not exist: ChatHistoryError LOG_GROUP_NOT_FOUND naming it', async () => {
    await assert.rejects(readRoomHistory({ ...options, logGroupName: 'no-such-group' }), (error) => {
      assert.ok(error instanceof ChatHistoryError, String(error));
      assert.equal(error.code, 'LOG_GROUP_NOT_FOUND');
      assert.equal(error.errorType, 'ResourceNotFoundException');
      assert.match(error.message, /no-such-group/);
      return true;
    });
  });

  test('a room that has logged nothing yet has an empty history, not an error', async () => {
    const quiet = await fixture.server.createRoom({ loggingConfigurationIdentifiers: fixture.room.loggingConfigurationIdentifiers });
    const history = await readRoomHistory({ ...options, roomIdentifier: quiet.arn });
    assert.deepEqual(history.messages, []);
    assert.equal(history.complete, true);
  });

  test('access denied: ChatHistoryError ACCESS_DENIED naming the permission; a wrong secret too is refused, never quoted', async () => {
    const denied = async () => logsError('AccessDeniedException', 'User is not authorized to perform: logs:GetLogEvents');
    await assert.rejects(readRoomHistory({ ...options, fetch: denied }), (error) => {
      assert.ok(error instanceof ChatHistoryError);
      assert.equal(error.code, 'ACCESS_DENIED');
      assert.match(error.message, /logs:GetLogEvents/);
      return true;
    });
    const secretAccessKey = 'a-wrong-secret-that-must-never-appear-anywhere';
    await assert.rejects(readRoomHistory({ ...options, credentials: { ...fixture.server.credentials, secretAccessKey } }), (error) => {
      assert.ok(error instanceof ChatHistoryError, String(error));
      assert.ok(!JSON.stringify({ message: error.message, aws: error.awsMessage }).includes(secretAccessKey));
      return true;
    });
  });

  test('throttling: retried after a backoff; throttled throughout, ChatHistoryError THROTTLED', async () => {
    let calls = 0;
    const throttledOnce = async (url, init) => {
      calls += 1;
      if (calls === 1) return logsError('ThrottlingException', 'Rate exceeded');
      return globalThis.fetch(url, init);
    };
    const history = await readRoomHistory({ ...options, fetch: throttledOnce });
    assert.equal(calls, 2);
    assert.equal(history.messages.length, 28);
    let attempts = 0;
    const throttled = async () => {
      attempts += 1;
      return logsError('ThrottlingException', 'Rate exceeded');
    };
    await assert.rejects(readRoomHistory({ ...options, fetch: throttled }), (error) => {
      assert.ok(error instanceof ChatHistoryError);
      assert.equal(error.code, 'THROTTLED');
      return true;
    });
    assert.equal(attempts, 3, 'two retries');
  });

  test('a later page that fails leaves the pages read so far, marked incomplete; a first page too large then throttled is THROTTLED', async () => {
    let calls = 0;
    const secondThrottled = async (url, init) => {
      calls += 1;
      return calls >= 2 ? logsError('ThrottlingException', 'Rate exceeded') : globalThis.fetch(url, init);
    };
    const partial = await readRoomHistory({ ...options, pageSize: 4, maxPages: 20, timeoutMs: 300, fetch: secondThrottled });
    assert.equal(partial.complete, false);
    // The 4 newest events: the removal, the disconnect, the deletion and message 30.
    assert.deepEqual(partial.messages.map((m) => m.id), expected().slice(-1).map((m) => m.id));

    let attempts = 0;
    const tooLargeThenThrottled = async () => {
      attempts += 1;
      return attempts === 1
        ? new Response('x'.repeat(90_000), { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' } })
        : logsError('ThrottlingException', 'Rate exceeded');
    };
    await assert.rejects(readRoomHistory({ ...options, timeoutMs: 300, fetch: tooLargeThenThrottled }), (error) => error instanceof ChatHistoryError && error.code === 'THROTTLED');
  });

  test('bad requests are refused before anything is sent', async () => {
    let sent = 0;
    const fetch = async () => {
      sent += 1;
      return new Response('{}');
    };
    await assert.rejects(readRoomHistory({ ...options, roomIdentifier: 'lobby', logGroupName: 'bad group!', fetch }), (error) => {
      assert.ok(error instanceof RequestValidationError);
      assert.deepEqual(error.errors.map((e) => [e.field, e.code]), [['roomIdentifier', 'PATTERN'], ['logGroupName', 'PATTERN']]);
      return true;
    });
    await assert.rejects(readRoomHistory({ ...options, limit: 0, fetch }), /limit/);
    await assert.rejects(readRoomHistory({ ...options, removalEvents: { 'app:X': 5 }, fetch }), /removalEvents/);
    assert.equal(sent, 0);
  });
});
