// `ivschat` room commands (create-room, get-room, list-rooms, update-room, delete-room) against
// the local server, with @aws-sdk/client-ivschat as an independent reader: what the CLI creates
// reads back identically through the SDK's GetRoomCommand. Invalid input exits 2 naming the
// option, and nothing is sent; IVS's errors exit 1 with their type and message.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CreateLoggingConfigurationCommand, GetRoomCommand, ListRoomsCommand } from '@aws-sdk/client-ivschat';

import { cliServer } from './cli-server.js';

const CREDENTIALS = { accessKeyId: 'AKIAROOMSCLITEST0001', secretAccessKey: 'roomsCliTestSecretAccessKey/0123456789abcd' };
const REGION = 'eu-central-1';
const LAMBDA = `arn:aws:lambda:${REGION}:123456789012:function:review-messages`;
/** A logging configuration the local server knows (it refuses a room naming one it does not). */
let LOGGING = '';

const server = cliServer({
  credentials: CREDENTIALS,
  region: REGION,
  prepare: async ({ sdk }) => {
    const logging = await sdk.send(new CreateLoggingConfigurationCommand({ name: 'cli-rooms', destinationConfiguration: { s3: { bucketName: 'chat-logs.example-1' } } }));
    LOGGING = /** @type {string} */ (logging.arn);
  },
});
const { environment, ivschat } = server;

/** The room as the SDK reads it, with its times as the service's JSON writes them. */
const sdkRoom = (/** @type {string} */ arn) => server.read(new GetRoomCommand({ identifier: arn }));

async function roomCount() {
  return (await server.sdk.send(new ListRoomsCommand({}))).rooms.length;
}

test('create-room with every option: the JSON printed is the room the SDK reads back', async () => {
  const created = await ivschat(['create-room', '--name', 'cli-room_1', '--maximum-message-length', '300',
    '--maximum-message-rate-per-second', '20', '--message-review-handler', `uri=${LAMBDA},fallbackResult=DENY`,
    '--logging-configuration-identifiers', LOGGING, '--tags', 'team=chat,stage=test']);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stderr, '');
  assert.match(created.stdout, /^\{\n {4}"arn": /, 'pretty-printed with 4 spaces, as the AWS CLI prints');
  const room = JSON.parse(created.stdout);
  assert.match(room.arn, new RegExp(`^arn:aws:ivschat:${REGION}:\\d+:room/[A-Za-z0-9]{12}$`));
  assert.equal(room.name, 'cli-room_1');
  assert.equal(room.maximumMessageLength, 300);
  assert.equal(room.maximumMessageRatePerSecond, 20);
  assert.deepEqual(room.messageReviewHandler, { uri: LAMBDA, fallbackResult: 'DENY' });
  assert.deepEqual(room.loggingConfigurationIdentifiers, [LOGGING]);
  assert.deepEqual(room.tags, { team: 'chat', stage: 'test' });
  assert.deepEqual(await sdkRoom(room.arn), room);

  const read = await ivschat(['get-room', '--identifier', room.arn]);
  assert.equal(read.code, 0, read.stderr);
  assert.deepEqual(JSON.parse(read.stdout), room);
});

test('update-room, list-rooms (filters, pages) and delete-room; then get-room exits 1 with ResourceNotFoundException', async () => {
  const made = [];
  for (const name of ['page-a', 'page-b', 'page-c']) {
    const result = await ivschat(['create-room', '--name', name, '--message-review-handler', '{"uri":"","fallbackResult":"ALLOW"}']);
    assert.equal(result.code, 0, result.stderr);
    made.push(JSON.parse(result.stdout));
  }
  const updated = await ivschat(['update-room', '--identifier', made[0].arn, '--name', 'renamed', '--maximum-message-rate-per-second', '5']);
  assert.equal(updated.code, 0, updated.stderr);
  const renamed = JSON.parse(updated.stdout);
  assert.equal(renamed.name, 'renamed');
  assert.equal(renamed.maximumMessageRatePerSecond, 5);
  assert.deepEqual(await sdkRoom(made[0].arn), renamed);

  const byName = await ivschat(['list-rooms', '--name', 'renamed']);
  assert.equal(byName.code, 0, byName.stderr);
  assert.deepEqual(JSON.parse(byName.stdout).rooms.map((r) => r.arn), [made[0].arn]);

  const seen = [];
  let nextToken;
  do {
    const page = await ivschat(['list-rooms', '--max-results', '2', ...(nextToken ? ['--next-token', nextToken] : [])]);
    assert.equal(page.code, 0, page.stderr);
    const answer = JSON.parse(page.stdout);
    assert.ok(answer.rooms.length <= 2);
    seen.push(...answer.rooms.map((r) => r.arn));
    nextToken = answer.nextToken;
  } while (nextToken);
  assert.equal(seen.length, await roomCount());
  for (const room of made) assert.ok(seen.includes(room.arn));

  const deleted = await ivschat(['delete-room', '--identifier', made[1].arn]);
  assert.deepEqual([deleted.code, deleted.stdout, deleted.stderr], [0, '', '']);
  const gone = await ivschat(['get-room', '--identifier', made[1].arn]);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /^An error occurred \(ResourceNotFoundException\) when calling the GetRoom operation \(HTTP 404\): \S/);
});

test('invalid input exits 2 naming each option, and nothing is sent', async () => {
  const before = await roomCount();
  const invalid = await ivschat(['create-room', '--name', 'not a name', '--maximum-message-length', '501',
    '--maximum-message-rate-per-second', 'fast', '--message-review-handler', 'uri=arn:aws:lambda:x,fallbackResult=MAYBE',
    '--logging-configuration-identifiers', 'a,b,c,d', '--tags', '{"k":5}']);
  assert.equal(invalid.code, 2);
  assert.equal(invalid.stdout, '');
  for (const [option, field, code] of [
    ['--name', 'name', 'PATTERN'],
    ['--maximum-message-length', 'maximumMessageLength', 'RANGE'],
    ['--maximum-message-rate-per-second', 'maximumMessageRatePerSecond', 'TYPE'],
    ['--message-review-handler', 'messageReviewHandler.uri', 'PATTERN'],
    ['--message-review-handler', 'messageReviewHandler.fallbackResult', 'ENUM'],
    ['--logging-configuration-identifiers', 'loggingConfigurationIdentifiers', 'TOO_LONG'],
    ['--tags', 'tags.k', 'TYPE'],
  ]) {
    assert.match(invalid.stderr, new RegExp(`^ivschat: ${option}: .*\\[${field.replace(/[.[\]]/g, '\\$&')}: ${code}\\]$`, 'm'), field);
  }
  assert.equal(await roomCount(), before);

  const noIdentifier = await ivschat(['get-room']);
  assert.equal(noIdentifier.code, 2);
  assert.match(noIdentifier.stderr, /^ivschat: --identifier: identifier is required\. \[identifier: REQUIRED\]$/m);
  const roomId = await ivschat(['delete-room', '--identifier', 'AbCdEf123456']);
  assert.equal(roomId.code, 2);
  assert.match(roomId.stderr, /--identifier: identifier must be a room ARN/);
  const pageSize = await ivschat(['list-rooms', '--max-results', '51']);
  assert.equal(pageSize.code, 2);
  assert.match(pageSize.stderr, /--max-results: maxResults must be between 1 and 50; it is 51\./);
  const tags = await ivschat(['update-room', '--identifier', `arn:aws:ivschat:${REGION}:123456789012:room/AbCdEf123456`, '--tags', 'a=b']);
  assert.equal(tags.code, 2);
  assert.match(tags.stderr, /Unknown option '--tags'/);
});

test('create-room and list-rooms need a region (there is no room ARN to take it from); get-room takes the ARN\'s', async () => {
  const env = environment({ AWS_REGION: undefined });
  const noRegion = await ivschat(['create-room', '--name', 'x'], env);
  assert.equal(noRegion.code, 2);
  assert.match(noRegion.stderr, /^ivschat: --region: .*region/m);
  assert.equal((await ivschat(['list-rooms'], env)).code, 2);
  const flag = await ivschat(['list-rooms', '--region', REGION], env);
  assert.equal(flag.code, 0, flag.stderr);
  const { rooms } = JSON.parse(flag.stdout);
  const fromArn = await ivschat(['get-room', '--identifier', rooms[0].arn], env);
  assert.equal(fromArn.code, 0, fromArn.stderr);
  const help = await ivschat(['create-room', '--help']);
  assert.equal(help.code, 0);
  for (const option of ['--name', '--maximum-message-length', '--maximum-message-rate-per-second', '--message-review-handler',
    '--logging-configuration-identifiers', '--tags', '--region', '--endpoint-url']) assert.ok(help.stdout.includes(option), option);
});
