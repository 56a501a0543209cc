// Chat logging on the local server (issue 22, item 1): logging configurations through the AWS SDK,
// rooms that name them, every MESSAGE and EVENT recorded in IVS's format, read back through the
// CloudWatch Logs calls (signed for `logs`), S3 files in IVS's key layout, Firehose deliveries,
// the delivery delay and the state fault.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  ConflictException,
  CreateLoggingConfigurationCommand,
  CreateRoomCommand,
  DeleteLoggingConfigurationCommand,
  GetLoggingConfigurationCommand,
  GetRoomCommand,
  IvschatClient,
  ListLoggingConfigurationsCommand,
  ListRoomsCommand,
  ResourceNotFoundException,
  SendEventCommand,
  UpdateLoggingConfigurationCommand,
  UpdateRoomCommand,
  ValidationException,
} from '@aws-sdk/client-ivschat';
import { AWS_LOG_DELIVERY_DELAYS_MS, startLocalIvsChat } from '../../js/local/index.js';
import { createToken, signedRequest, TestSocket, waitUntil } from './helpers.js';

const CONFIG_ARN = /^arn:aws:ivschat:us-east-1:123456789012:logging-configuration\/[a-zA-Z0-9]{12}$/;
const UNKNOWN_CONFIG = 'arn:aws:ivschat:us-east-1:123456789012:logging-configuration/AAAAAAAAAAAA';

/**
 * A CloudWatch Logs call as @aws-sdk/client-cloudwatch-logs makes it (awsJson1_1, signed for `logs`).
 * @param {any} server @param {string} operation @param {Record<string, unknown>} body
 * @param {import('./helpers.js').SignedRequestOptions} [options]
 */
function logsCall(server, operation, body, options = {}) {
  return signedRequest(server, '/', body, {
    service: 'logs',
    ...options,
    extraHeaders: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${operation}`, ...(options.extraHeaders ?? {}) },
  });
}

/** Every FilterLogEvents event, following nextToken with `limit` per page. */
async function filterAll(server, body, limit) {
  const events = [];
  let nextToken;
  let pages = 0;
  do {
    const response = await logsCall(server, 'FilterLogEvents', { ...body, limit, ...(nextToken ? { nextToken } : {}) });
    assert.equal(response.status, 200, response.text);
    events.push(...response.json.events);
    nextToken = response.json.nextToken;
    pages += 1;
  } while (nextToken && pages < 100);
  return { events, pages };
}

/** @param {any} error @param {string} name @param {string} [field] */
function assertRejected(error, name, field) {
  assert.equal(error.name, name, String(error));
  if (field !== undefined) assert.equal(error.fieldList?.[0]?.name, field, JSON.stringify(error.fieldList));
  return true;
}

describe('logging configurations', () => {
  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>>} */
  let server;
  /** @type {IvschatClient} */
  let sdk;
  before(async () => {
    server = await startLocalIvsChat();
    sdk = new IvschatClient({ region: server.region, endpoint: server.controlPlaneUrl, credentials: server.credentials, maxAttempts: 1 });
  });
  after(async () => {
    sdk.destroy();
    await server.close();
  });

  test('Create / Get / Update / List / Delete through the AWS SDK, for each destination', async () => {
    const destinations = [
      { s3: { bucketName: 'chat-logs.example-1' } },
      { cloudWatchLogs: { logGroupName: '/ivs/chat_logs#1' } },
      { firehose: { deliveryStreamName: 'chat.logs_1-a' } },
    ];
    const created = [];
    for (const destinationConfiguration of destinations) {
      const configuration = await sdk.send(new CreateLoggingConfigurationCommand({ name: 'cfg-1', destinationConfiguration, tags: { team: 'chat' } }));
      assert.match(configuration.arn ?? '', CONFIG_ARN);
      assert.equal(configuration.id, configuration.arn?.split('/')[1]);
      assert.equal(configuration.state, 'ACTIVE');
      assert.equal(configuration.name, 'cfg-1');
      assert.deepEqual(configuration.destinationConfiguration, destinationConfiguration);
      assert.deepEqual(configuration.tags, { team: 'chat' });
      assert.ok(configuration.createTime instanceof Date && configuration.updateTime instanceof Date);
      created.push(configuration);
    }
    const got = await sdk.send(new GetLoggingConfigurationCommand({ identifier: created[1].arn }));
    assert.deepEqual(got.destinationConfiguration, destinations[1]);

    const updated = await sdk.send(
      new UpdateLoggingConfigurationCommand({ identifier: created[0].arn, name: 'renamed', destinationConfiguration: { firehose: { deliveryStreamName: 'other' } } }),
    );
    assert.equal(updated.name, 'renamed');
    assert.deepEqual(updated.destinationConfiguration, { firehose: { deliveryStreamName: 'other' } });
    assert.equal(updated.state, 'ACTIVE');
    assert.deepEqual(updated.tags, { team: 'chat' }, 'tags are kept');

    const seen = [];
    let nextToken;
    do {
      const page = await sdk.send(new ListLoggingConfigurationsCommand({ maxResults: 2, nextToken }));
      assert.ok((page.loggingConfigurations ?? []).length <= 2);
      seen.push(...(page.loggingConfigurations ?? []).map((c) => c.arn));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual([...seen].sort(), created.map((c) => c.arn).sort());
    assert.equal(seen[0], created[0].arn, 'newest update first');

    await sdk.send(new DeleteLoggingConfigurationCommand({ identifier: created[2].arn }));
    await assert.rejects(sdk.send(new GetLoggingConfigurationCommand({ identifier: created[2].arn })), (e) => {
      assertRejected(e, 'ResourceNotFoundException');
      assert.ok(e instanceof ResourceNotFoundException);
      assert.equal(e.resourceId, created[2].id);
      return true;
    });
    await assert.rejects(sdk.send(new DeleteLoggingConfigurationCommand({ identifier: created[2].arn })), ResourceNotFoundException);
  });

  test('bad inputs are refused with ValidationException naming the field', async () => {
    const create = (/** @type {any} */ input) => sdk.send(new CreateLoggingConfigurationCommand(input));
    const cases = [
      [{}, 'destinationConfiguration'],
      [{ destinationConfiguration: { s3: { bucketName: 'ab' } } }, 'destinationConfiguration.s3.bucketName'],
      [{ destinationConfiguration: { s3: { bucketName: 'x'.repeat(64) } } }, 'destinationConfiguration.s3.bucketName'],
      [{ destinationConfiguration: { s3: { bucketName: 'Upper_Case' } } }, 'destinationConfiguration.s3.bucketName'],
      [{ destinationConfiguration: { s3: {} } }, 'destinationConfiguration.s3.bucketName'],
      [{ destinationConfiguration: { cloudWatchLogs: { logGroupName: 'has space' } } }, 'destinationConfiguration.cloudWatchLogs.logGroupName'],
      [{ destinationConfiguration: { cloudWatchLogs: { logGroupName: 'g'.repeat(513) } } }, 'destinationConfiguration.cloudWatchLogs.logGroupName'],
      [{ destinationConfiguration: { firehose: { deliveryStreamName: 's'.repeat(65) } } }, 'destinationConfiguration.firehose.deliveryStreamName'],
      [{ destinationConfiguration: { firehose: { deliveryStreamName: 'a/b' } } }, 'destinationConfiguration.firehose.deliveryStreamName'],
      [{ name: 'has space', destinationConfiguration: { firehose: { deliveryStreamName: 'ok' } } }, 'name'],
      [{ name: 'n'.repeat(129), destinationConfiguration: { firehose: { deliveryStreamName: 'ok' } } }, 'name'],
      [{ tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])), destinationConfiguration: { firehose: { deliveryStreamName: 'ok' } } }, 'tags'],
    ];
    for (const [input, field] of cases) {
      await assert.rejects(create(input), (e) => assertRejected(e, 'ValidationException', /** @type {string} */ (field)), JSON.stringify(input));
    }
    // A union with two members set (sent raw: the SDK's types forbid it).
    const two = await signedRequest(server, '/CreateLoggingConfiguration', { destinationConfiguration: { s3: { bucketName: 'abc' }, firehose: { deliveryStreamName: 'x' } } });
    assert.equal(two.status, 400);
    assert.equal(two.headers.get('x-amzn-errortype'), 'ValidationException');
    assert.equal(two.json.fieldList[0].name, 'destinationConfiguration');

    for (const identifier of ['arn:aws:ivschat:us-east-1:123456789012:room/AAAAAAAAAAAA', '', 'x'.repeat(129)]) {
      await assert.rejects(sdk.send(new GetLoggingConfigurationCommand({ identifier })), (e) => assertRejected(e, 'ValidationException', 'identifier'));
    }
    await assert.rejects(sdk.send(new ListLoggingConfigurationsCommand({ maxResults: 51 })), (e) => assertRejected(e, 'ValidationException', 'maxResults'));
    await assert.rejects(sdk.send(new UpdateLoggingConfigurationCommand({ identifier: UNKNOWN_CONFIG, name: 'x' })), ResourceNotFoundException);
    assert.ok(ValidationException);
  });

  test('rooms name configurations in CreateRoom / UpdateRoom / GetRoom / ListRooms; unknown ones are refused; one in use cannot be deleted', async () => {
    const a = await sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { firehose: { deliveryStreamName: 'a' } } }));
    const b = await sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { firehose: { deliveryStreamName: 'b' } } }));
    const room = await sdk.send(new CreateRoomCommand({ loggingConfigurationIdentifiers: [a.arn ?? ''] }));
    assert.deepEqual(room.loggingConfigurationIdentifiers, [a.arn]);
    const updated = await sdk.send(new UpdateRoomCommand({ identifier: room.arn, loggingConfigurationIdentifiers: [a.arn ?? '', b.arn ?? ''] }));
    assert.deepEqual(updated.loggingConfigurationIdentifiers, [a.arn, b.arn]);
    assert.deepEqual((await sdk.send(new GetRoomCommand({ identifier: room.arn }))).loggingConfigurationIdentifiers, [a.arn, b.arn]);
    const listed = await sdk.send(new ListRoomsCommand({ loggingConfigurationIdentifier: b.arn }));
    assert.deepEqual(listed.rooms?.map((r) => r.arn), [room.arn]);

    await assert.rejects(sdk.send(new CreateRoomCommand({ loggingConfigurationIdentifiers: [UNKNOWN_CONFIG] })), (e) => {
      assertRejected(e, 'ResourceNotFoundException');
      assert.equal(e.resourceId, 'AAAAAAAAAAAA');
      return true;
    });
    await assert.rejects(sdk.send(new UpdateRoomCommand({ identifier: room.arn, loggingConfigurationIdentifiers: [a.arn ?? '', UNKNOWN_CONFIG] })), ResourceNotFoundException);
    assert.deepEqual((await sdk.send(new GetRoomCommand({ identifier: room.arn }))).loggingConfigurationIdentifiers, [a.arn, b.arn], 'a refused update changes nothing');
    await assert.rejects(sdk.send(new CreateRoomCommand({ loggingConfigurationIdentifiers: [a.arn ?? '', a.arn ?? '', b.arn ?? '', b.arn ?? ''] })), (e) =>
      assertRejected(e, 'ValidationException', 'loggingConfigurationIdentifiers'),
    );

    await assert.rejects(sdk.send(new DeleteLoggingConfigurationCommand({ identifier: b.arn })), (e) => {
      assert.ok(e instanceof ConflictException);
      assert.equal(e.resourceId, b.id);
      return true;
    });
    await sdk.send(new UpdateRoomCommand({ identifier: room.arn, loggingConfigurationIdentifiers: [a.arn ?? ''] }));
    await sdk.send(new DeleteLoggingConfigurationCommand({ identifier: b.arn }));
  });

  test('states: a configuration that is not ACTIVE records nothing and cannot be updated (ConflictException)', async () => {
    const configuration = await sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { firehose: { deliveryStreamName: 'states' } } }));
    const room = await server.createRoom({ loggingConfigurationIdentifiers: [configuration.arn ?? ''] });
    server.faults.setLoggingConfigurationState(configuration.arn ?? '', 'UPDATING');
    assert.equal((await sdk.send(new GetLoggingConfigurationCommand({ identifier: configuration.arn }))).state, 'UPDATING');
    await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'ignored' }));
    assert.equal(server.logDeliveries().filter((d) => d.name === 'states').length, 0);
    await assert.rejects(sdk.send(new UpdateLoggingConfigurationCommand({ identifier: configuration.arn, name: 'x' })), ConflictException);
    server.faults.setLoggingConfigurationState(configuration.arn ?? '', 'ACTIVE');
    await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'kept' }));
    const delivered = server.logDeliveries().filter((d) => d.name === 'states');
    assert.equal(delivered.length, 1);
    assert.equal(JSON.parse(delivered[0].records[0]).payload.EventName, 'kept');
    assert.throws(() => server.faults.setLoggingConfigurationState(configuration.arn ?? '', 'BROKEN'), /state must be one of/);
    assert.throws(() => server.faults.setLoggingConfigurationState(UNKNOWN_CONFIG, 'ACTIVE'), /no logging configuration/);
  });
});

describe('chat logs: recorded in IVS format, read back through CloudWatch Logs', () => {
  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>>} */
  let server;
  /** @type {IvschatClient} */
  let sdk;
  /** @type {string} */
  let folder;
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ivschat-logs-'));
    server = await startLocalIvsChat({ logFolder: folder });
    sdk = new IvschatClient({ region: server.region, endpoint: server.controlPlaneUrl, credentials: server.credentials, maxAttempts: 1 });
  });
  after(async () => {
    sdk.destroy();
    await server.close();
    await rm(folder, { recursive: true, force: true });
  });

  /** A room logging to a new log group (and, when asked, to S3 and Firehose too). */
  async function loggedRoom(group, extra = []) {
    const configuration = await sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { cloudWatchLogs: { logGroupName: group } } }));
    const others = [];
    for (const destinationConfiguration of extra) others.push(await sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration })));
    const room = await server.createRoom({ loggingConfigurationIdentifiers: [configuration.arn ?? '', ...others.map((c) => c.arn ?? '')] });
    return { room, configuration, others };
  }

  test('every MESSAGE and EVENT sent over the WebSocket or the HTTP API is one record, payload exactly the frame clients got', async () => {
    const { room } = await loggedRoom('ws-group');
    const { token } = await createToken(server, { roomIdentifier: room.arn, userId: 'alice', capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'], attributes: { n: 'A' } });
    const socket = await TestSocket.open(server.messagingUrl, token);
    try {
      socket.send({ Action: 'SEND_MESSAGE', RequestId: 'm1', Content: 'hello 👋', Attributes: { k: 'v' } });
      const message = await socket.reply('m1');
      socket.send({ Action: 'DELETE_MESSAGE', RequestId: 'd1', Id: message.Id, Reason: 'oops' });
      await socket.reply('d1');
      await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'app:ping', attributes: { a: '1' } }));
      await socket.frame((f) => f.EventName === 'app:ping', 'the HTTP event');
      socket.send({ Action: 'SEND_MESSAGE', RequestId: 'bad' });
      await socket.reply('bad'); // an ERROR frame: not logged
    } finally {
      await socket.close();
    }
    const broadcasts = socket.texts.filter((text) => JSON.parse(text).Type !== 'ERROR');
    assert.equal(broadcasts.length, 3);

    const response = await logsCall(server, 'FilterLogEvents', { logGroupName: 'ws-group' });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.headers.get('content-type'), 'application/x-amz-json-1.1');
    const { events } = response.json;
    assert.equal(events.length, 3);
    events.forEach((event, index) => {
      assert.equal(event.logStreamName, `aws/IVSChatLogs/1.0/room_${room.id}`);
      const record = JSON.parse(event.message);
      assert.deepEqual(Object.keys(record), ['event_timestamp', 'type', 'version', 'payload']);
      assert.equal(record.version, '1.0');
      assert.equal(record.type, JSON.parse(broadcasts[index]).Type);
      assert.equal(JSON.stringify(record.payload), broadcasts[index], 'the payload is the frame, byte for byte');
      assert.equal(record.event_timestamp, `${record.payload.SendTime.slice(0, 23)}Z`);
      assert.equal(event.timestamp, Date.parse(record.event_timestamp));
      assert.ok(event.ingestionTime >= event.timestamp);
      assert.match(event.eventId, /^\d+$/);
    });
    assert.deepEqual(events.map((e) => JSON.parse(e.message).type), ['MESSAGE', 'EVENT', 'EVENT']);
    assert.equal(JSON.parse(events[1].message).payload.EventName, 'aws:DELETE_MESSAGE');
  });

  test('with a review handler: the logged payload is what was delivered (the reviewed content); a denied message is not logged', async () => {
    const handler = 'arn:aws:lambda:us-east-1:123456789012:function:log-review';
    server.setLambda(handler, (event) => ({
      ReviewResult: event.Content.includes('deny') ? 'DENY' : 'ALLOW',
      Content: event.Content.replace('darn', '****'),
      Attributes: { Reason: 'test' },
    }));
    const configuration = await sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { cloudWatchLogs: { logGroupName: 'review-group' } } }));
    const room = await server.createRoom({ messageReviewHandler: { uri: handler }, loggingConfigurationIdentifiers: [configuration.arn ?? ''] });
    const { token } = await createToken(server, { roomIdentifier: room.arn, userId: 'bob', capabilities: ['SEND_MESSAGE'] });
    const socket = await TestSocket.open(server.messagingUrl, token);
    try {
      socket.send({ Action: 'SEND_MESSAGE', RequestId: 'r1', Content: 'oh darn' });
      socket.send({ Action: 'SEND_MESSAGE', RequestId: 'r2', Content: 'please deny me' });
      assert.equal((await socket.reply('r1')).Content, 'oh ****');
      assert.equal((await socket.reply('r2')).Type, 'ERROR');
    } finally {
      await socket.close();
      server.setLambda(handler, undefined);
    }
    const { events } = (await logsCall(server, 'FilterLogEvents', { logGroupName: 'review-group' })).json;
    assert.equal(events.length, 1);
    assert.equal(JSON.stringify(JSON.parse(events[0].message).payload), socket.texts.find((t) => JSON.parse(t).RequestId === 'r1'));
  });

  test('FilterLogEvents honours startTime / endTime (both inclusive) and pages with nextToken; GetLogEvents pages both ways; DescribeLogStreams describes the stream', async () => {
    const { room } = await loggedRoom('paging-group');
    for (let i = 0; i < 7; i += 1) await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: `e${i}` }));
    const all = await filterAll(server, { logGroupName: 'paging-group' }, 10_000);
    assert.deepEqual(all.events.map((e) => JSON.parse(e.message).payload.EventName), ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
    const paged = await filterAll(server, { logGroupName: 'paging-group' }, 3);
    assert.equal(paged.pages, 3);
    assert.deepEqual(paged.events, all.events);

    const [startTime, endTime] = [all.events[2].timestamp, all.events[4].timestamp];
    const windowed = await filterAll(server, { logGroupName: 'paging-group', startTime, endTime }, 2);
    const expected = all.events.filter((e) => e.timestamp >= startTime && e.timestamp <= endTime);
    assert.deepEqual(windowed.events, expected);
    assert.ok(expected.length >= 3);
    const termed = await logsCall(server, 'FilterLogEvents', { logGroupName: 'paging-group', filterPattern: '"EventName\\":\\"e3"' });
    assert.deepEqual(termed.json.events.map((e) => JSON.parse(e.message).payload.EventName), ['e3']);
    const json = await logsCall(server, 'FilterLogEvents', { logGroupName: 'paging-group', filterPattern: '{ $.type = "EVENT" && $.payload.EventName = "e5" || $.payload.EventName = "e0" }' });
    assert.deepEqual(json.json.events.map((e) => JSON.parse(e.message).payload.EventName), ['e0', 'e5']);
    const unreadable = await logsCall(server, 'FilterLogEvents', { logGroupName: 'paging-group', filterPattern: '[ip, user]' });
    assert.equal(unreadable.status, 400);
    assert.equal(unreadable.json.__type, 'InvalidParameterException');
    const streamed = await logsCall(server, 'FilterLogEvents', { logGroupName: 'paging-group', logStreamNames: ['aws/IVSChatLogs/1.0/room_nope'] });
    assert.deepEqual(streamed.json.events, []);

    const logStreamName = `aws/IVSChatLogs/1.0/room_${room.id}`;
    const first = await logsCall(server, 'GetLogEvents', { logGroupName: 'paging-group', logStreamName, startFromHead: true, limit: 4 });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.json.events.map((e) => e.message), all.events.slice(0, 4).map((e) => e.message));
    assert.deepEqual(Object.keys(first.json.events[0]).sort(), ['ingestionTime', 'message', 'timestamp']);
    const second = await logsCall(server, 'GetLogEvents', { logGroupName: 'paging-group', logStreamName, nextToken: first.json.nextForwardToken, limit: 4 });
    assert.deepEqual(second.json.events.map((e) => e.message), all.events.slice(4).map((e) => e.message));
    const end = await logsCall(server, 'GetLogEvents', { logGroupName: 'paging-group', logStreamName, nextToken: second.json.nextForwardToken, limit: 4 });
    assert.deepEqual(end.json.events, []);
    assert.equal(end.json.nextForwardToken, second.json.nextForwardToken, 'the same forward token at the end');
    const back = await logsCall(server, 'GetLogEvents', { logGroupName: 'paging-group', logStreamName, nextToken: second.json.nextBackwardToken, limit: 2 });
    assert.deepEqual(back.json.events.map((e) => e.message), all.events.slice(2, 4).map((e) => e.message));
    const latest = await logsCall(server, 'GetLogEvents', { logGroupName: 'paging-group', logStreamName, limit: 2 });
    assert.deepEqual(latest.json.events.map((e) => e.message), all.events.slice(5).map((e) => e.message), 'without startFromHead: the newest');

    const streams = await logsCall(server, 'DescribeLogStreams', { logGroupName: 'paging-group', logStreamNamePrefix: 'aws/IVSChatLogs/' });
    assert.equal(streams.status, 200, streams.text);
    assert.equal(streams.json.logStreams.length, 1);
    const [stream] = streams.json.logStreams;
    assert.equal(stream.logStreamName, logStreamName);
    assert.equal(stream.firstEventTimestamp, all.events[0].timestamp);
    assert.equal(stream.lastEventTimestamp, all.events[6].timestamp);
    assert.equal(stream.arn, `arn:aws:logs:us-east-1:123456789012:log-group:paging-group:log-stream:${logStreamName}`);
    const groups = await logsCall(server, 'DescribeLogGroups', { logGroupNamePrefix: 'paging' });
    assert.deepEqual(groups.json.logGroups.map((g) => g.logGroupName), ['paging-group']);
  });

  test('CloudWatch Logs errors: unknown group or stream (ResourceNotFoundException), bad parameters, wrong or missing logs signature', async () => {
    await loggedRoom('errors-group');
    const expectError = async (response, status, type, message) => {
      assert.equal(response.status, status, response.text);
      assert.equal(response.json.__type, type);
      assert.equal(response.headers.get('x-amzn-errortype'), type);
      if (message) assert.match(response.json.message, message);
    };
    for (const operation of ['FilterLogEvents', 'DescribeLogStreams']) {
      await expectError(await logsCall(server, operation, { logGroupName: 'no-such-group' }), 400, 'ResourceNotFoundException', /log group does not exist/);
    }
    await expectError(await logsCall(server, 'GetLogEvents', { logGroupName: 'no-such-group', logStreamName: 's' }), 400, 'ResourceNotFoundException');
    await expectError(await logsCall(server, 'GetLogEvents', { logGroupName: 'errors-group', logStreamName: 'missing' }), 400, 'ResourceNotFoundException', /log stream does not exist/);
    await expectError(await logsCall(server, 'FilterLogEvents', { logGroupName: 'bad name' }), 400, 'InvalidParameterException', /logGroupName/);
    await expectError(await logsCall(server, 'FilterLogEvents', { logGroupName: 'errors-group', limit: 0 }), 400, 'InvalidParameterException', /limit/);
    await expectError(await logsCall(server, 'FilterLogEvents', {}), 400, 'InvalidParameterException');
    await expectError(await logsCall(server, 'FilterLogEvents', { logGroupName: 'errors-group', nextToken: 'forged' }), 400, 'InvalidParameterException');
    await expectError(await logsCall(server, 'DescribeLogStreams', { logGroupName: 'errors-group', orderBy: 'LastEventTime', logStreamNamePrefix: 'a' }), 400, 'InvalidParameterException');
    await expectError(await logsCall(server, 'PutLogEvents', { logGroupName: 'errors-group' }), 400, 'UnknownOperationException');
    // logGroupIdentifier as an ARN works like the name.
    const byArn = await logsCall(server, 'DescribeLogStreams', { logGroupIdentifier: 'arn:aws:logs:us-east-1:123456789012:log-group:errors-group' });
    assert.equal(byArn.status, 200, byArn.text);

    // The one SigV4 verifier, with the service `logs`: a tampered signature, a wrong secret, an ivschat scope.
    await expectError(
      await logsCall(server, 'FilterLogEvents', { logGroupName: 'errors-group' }, { afterSigning: (r) => (r.headers.authorization = r.headers.authorization.replace(/Signature=(.)/, (_, c) => `Signature=${c === 'a' ? 'b' : 'a'}`)) }),
      403,
      'InvalidSignatureException',
      /signature we calculated does not match/,
    );
    await expectError(
      await logsCall(server, 'FilterLogEvents', { logGroupName: 'errors-group' }, { credentials: { ...server.credentials, secretAccessKey: 'wrong' } }),
      403,
      'InvalidSignatureException',
    );
    await expectError(await logsCall(server, 'FilterLogEvents', { logGroupName: 'errors-group' }, { service: 'ivschat' }), 403, 'InvalidSignatureException', /'logs'/);
    const unsigned = await fetch(server.controlPlaneUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.FilterLogEvents' },
      body: JSON.stringify({ logGroupName: 'errors-group' }),
    });
    assert.equal(unsigned.status, 403);
    assert.equal((await unsigned.json()).__type, 'MissingAuthenticationTokenException');
    // And an IVS call signed for `logs` is refused the other way round.
    const crossed = await signedRequest(server, '/ListLoggingConfigurations', {}, { service: 'logs' });
    assert.equal(crossed.status, 403);
    assert.match(crossed.json.message, /'ivschat'/);
  });

  test('S3: gzip files of one record per line under {logFolder}/{bucket}/ in the AWSLogs/…/IVSChatLogs/1.0 layout; Firehose: listed deliveries', async () => {
    const { room, others } = await loggedRoom('s3-group', [{ s3: { bucketName: 'chat-bucket' } }, { firehose: { deliveryStreamName: 'chat-stream' } }]);
    await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'to-s3' }));
    const deliveries = server.logDeliveries().filter((d) => d.roomArn === room.arn);
    assert.deepEqual(deliveries.map((d) => d.destination).sort(), ['cloudWatchLogs', 'firehose', 's3']);
    const s3 = /** @type {any} */ (deliveries.find((d) => d.destination === 's3'));
    assert.equal(s3.loggingConfigurationArn, others[0].arn);
    const account = server.accountId;
    const layout = new RegExp(
      `^AWSLogs/${account}/IVSChatLogs/1\\.0/us-east-1/room_${room.id}/\\d{4}/\\d{2}/\\d{2}/\\d{2}/${account}_IVSChatLogs_1\\.0_us-east-1_room_${room.id}_\\d{8}T\\d{4}Z_[0-9a-f]{8}\\.log\\.gz$`,
    );
    assert.match(s3.key, layout);
    assert.equal(s3.file, join(folder, 'chat-bucket', ...s3.key.split('/')));
    const lines = gunzipSync(await readFile(s3.file)).toString('utf8').split('\n');
    assert.equal(lines.pop(), '', 'newline-terminated');
    assert.deepEqual(lines, s3.records);
    assert.equal(JSON.parse(lines[0]).payload.EventName, 'to-s3');
    const firehose = /** @type {any} */ (deliveries.find((d) => d.destination === 'firehose'));
    assert.equal(firehose.name, 'chat-stream');
    assert.deepEqual(firehose.records, s3.records);
    assert.equal(server.stats().logRecordsDelivered >= 3, true);
  });
});

describe('chat-log delivery delay', () => {
  test('the logDeliveryDelayMs setting holds records back until due (or released); delayLogDelivery changes it; reset restores it', async () => {
    const server = await startLocalIvsChat({ logDeliveryDelayMs: 3_600_000 });
    const sdk = new IvschatClient({ region: server.region, endpoint: server.controlPlaneUrl, credentials: server.credentials, maxAttempts: 1 });
    try {
      const configuration = await sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { cloudWatchLogs: { logGroupName: 'late' } } }));
      const room = await server.createRoom({ loggingConfigurationIdentifiers: [configuration.arn ?? ''] });
      const read = async () => (await logsCall(server, 'FilterLogEvents', { logGroupName: 'late' })).json.events;
      await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'held' }));
      assert.equal(server.stats().logRecordsPending, 1);
      assert.deepEqual(await read(), [], 'not delivered before its time');
      assert.deepEqual((await logsCall(server, 'DescribeLogStreams', { logGroupName: 'late' })).json.logStreams, [], 'the group exists, empty');
      assert.equal(server.faults.releaseLogDelivery(), 1);
      assert.equal((await read()).length, 1);
      assert.equal(server.stats().logRecordsPending, 0);

      // A short delay set through the admin route: delivered on its own, later.
      const admin = await fetch(`${server.controlPlaneUrl}/_local/faults/delayLogDelivery`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ms: 20 }),
      });
      assert.equal(admin.status, 200);
      await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'soon' }));
      await waitUntil(() => server.stats().logRecordsPending === 0, 'the delayed record to be delivered');
      assert.equal((await read()).length, 2);

      server.faults.reset(); // back to the one-hour setting
      await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'held-again' }));
      assert.equal(server.stats().logRecordsPending, 1);
      server.faults.reset(); // releases what waits
      assert.equal((await read()).length, 3);
      assert.throws(() => server.faults.delayLogDelivery(-1), /delayLogDelivery: ms must be an integer/);
    } finally {
      sdk.destroy();
      await server.close();
    }
  });

  test('the log faults through the admin routes: delayLogDelivery, releaseLogDelivery, setLoggingConfigurationState', async () => {
    const server = await startLocalIvsChat();
    const sdk = new IvschatClient({ region: server.region, endpoint: server.controlPlaneUrl, credentials: server.credentials, maxAttempts: 1 });
    const admin = async (name, body) => {
      const response = await fetch(`${server.controlPlaneUrl}/_local/faults/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, json: await response.json() };
    };
    try {
      const configuration = await sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { firehose: { deliveryStreamName: 'admin' } } }));
      const room = await server.createRoom({ loggingConfigurationIdentifiers: [configuration.arn ?? ''] });
      assert.deepEqual(await admin('delayLogDelivery', { ms: 3_600_000 }), { status: 200, json: {} });
      await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'one' }));
      await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'two' }));
      assert.equal(server.logDeliveries().length, 0);
      assert.deepEqual(await admin('releaseLogDelivery', {}), { status: 200, json: { count: 2 } });
      assert.deepEqual(server.logDeliveries().flatMap((d) => d.records.map((r) => JSON.parse(r).payload.EventName)), ['one', 'two']);
      assert.deepEqual(await admin('setLoggingConfigurationState', { arn: configuration.arn, state: 'CREATE_FAILED' }), { status: 200, json: {} });
      assert.equal((await sdk.send(new GetLoggingConfigurationCommand({ identifier: configuration.arn }))).state, 'CREATE_FAILED');
      const bad = await admin('setLoggingConfigurationState', { arn: configuration.arn, state: 'NOPE' });
      assert.equal(bad.status, 400);
      assert.match(bad.json.message, /state must be one of/);
      assert.equal((await admin('delayLogDelivery', { ms: 'soon' })).status, 400);
    } finally {
      sdk.destroy();
      await server.close();
    }
  });

  test('delays by destination: S3 held while CloudWatch Logs and Firehose are delivered; AWS_LOG_DELIVERY_DELAYS_MS has the guide\'s averages', async () => {
    assert.deepEqual({ ...AWS_LOG_DELIVERY_DELAYS_MS }, { s3: 300_000, cloudWatchLogs: 10_000, firehose: 10_000 });
    const server = await startLocalIvsChat({ logDeliveryDelayMs: { s3: 3_600_000 } });
    const sdk = new IvschatClient({ region: server.region, endpoint: server.controlPlaneUrl, credentials: server.credentials, maxAttempts: 1 });
    try {
      const identifiers = [];
      for (const destinationConfiguration of [{ s3: { bucketName: 'slow-bucket' } }, { cloudWatchLogs: { logGroupName: 'fast' } }, { firehose: { deliveryStreamName: 'fast' } }]) {
        identifiers.push((await sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration }))).arn ?? '');
      }
      const room = await server.createRoom({ loggingConfigurationIdentifiers: identifiers });
      await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'split' }));
      assert.deepEqual(server.logDeliveries().map((d) => d.destination).sort(), ['cloudWatchLogs', 'firehose']);
      assert.equal(server.stats().logRecordsPending, 1);
      server.faults.delayLogDelivery({ cloudWatchLogs: 3_600_000 });
      await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'split-2' }));
      assert.equal(server.stats().logRecordsPending, 2, 'the second S3 record is delivered at once now, CloudWatch Logs waits');
      assert.equal(server.faults.releaseLogDelivery(), 2);
      assert.equal(server.logDeliveries().length, 6);
    } finally {
      sdk.destroy();
      await server.close();
    }
  });

  test('logDeliveryDelayMs and logFolder are checked', async () => {
    await assert.rejects(startLocalIvsChat({ logDeliveryDelayMs: -1 }), /logDeliveryDelayMs/);
    await assert.rejects(startLocalIvsChat({ logDeliveryDelayMs: 1.5 }), /logDeliveryDelayMs/);
    await assert.rejects(startLocalIvsChat({ logDeliveryDelayMs: { s3: -1 } }), /logDeliveryDelayMs/);
    await assert.rejects(startLocalIvsChat({ logDeliveryDelayMs: /** @type {any} */ ({ kinesis: 5 }) }), /logDeliveryDelayMs/);
    await assert.rejects(startLocalIvsChat({ logFolder: '' }), /logFolder/);
  });
});

// @aws-sdk/client-cloudwatch-logs as the oracle, unchanged, when it is installed (it is not a
// devDependency yet: until it is, the signed calls above stand in for it and this is skipped).
const logsSdk = await import('@aws-sdk/client-cloudwatch-logs').catch(() => undefined);

describe('with @aws-sdk/client-cloudwatch-logs', { skip: logsSdk ? false : '@aws-sdk/client-cloudwatch-logs is not installed' }, () => {
  test('FilterLogEvents (paginated), GetLogEvents, DescribeLogStreams and errors through the official client', async () => {
    const sdkLogs = /** @type {any} */ (logsSdk);
    const server = await startLocalIvsChat();
    const ivs = new IvschatClient({ region: server.region, endpoint: server.controlPlaneUrl, credentials: server.credentials, maxAttempts: 1 });
    const logs = new sdkLogs.CloudWatchLogsClient({ region: server.region, endpoint: server.controlPlaneUrl, credentials: server.credentials, maxAttempts: 1 });
    try {
      const configuration = await ivs.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { cloudWatchLogs: { logGroupName: 'sdk-group' } } }));
      const room = await server.createRoom({ loggingConfigurationIdentifiers: [configuration.arn ?? ''] });
      for (let i = 0; i < 5; i += 1) await ivs.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: `sdk${i}` }));
      const names = [];
      for await (const page of sdkLogs.paginateFilterLogEvents({ client: logs, pageSize: 2 }, { logGroupName: 'sdk-group' })) {
        names.push(...page.events.map((/** @type {any} */ e) => JSON.parse(e.message).payload.EventName));
      }
      assert.deepEqual(names, ['sdk0', 'sdk1', 'sdk2', 'sdk3', 'sdk4']);
      const logStreamName = `aws/IVSChatLogs/1.0/room_${room.id}`;
      const events = await logs.send(new sdkLogs.GetLogEventsCommand({ logGroupName: 'sdk-group', logStreamName, startFromHead: true, limit: 3 }));
      assert.equal(events.events.length, 3);
      const streams = await logs.send(new sdkLogs.DescribeLogStreamsCommand({ logGroupName: 'sdk-group' }));
      assert.deepEqual(streams.logStreams.map((/** @type {any} */ s) => s.logStreamName), [logStreamName]);
      await assert.rejects(logs.send(new sdkLogs.FilterLogEventsCommand({ logGroupName: 'missing' })), (/** @type {any} */ e) => e instanceof sdkLogs.ResourceNotFoundException);
      const wrong = new sdkLogs.CloudWatchLogsClient({ region: server.region, endpoint: server.controlPlaneUrl, credentials: { ...server.credentials, secretAccessKey: 'wrong' }, maxAttempts: 1 });
      await assert.rejects(wrong.send(new sdkLogs.DescribeLogStreamsCommand({ logGroupName: 'sdk-group' })), (/** @type {any} */ e) => e.name === 'InvalidSignatureException');
      wrong.destroy();
    } finally {
      logs.destroy();
      ivs.destroy();
      await server.close();
    }
  });
});
