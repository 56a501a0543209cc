// `ivschat` logging-configuration commands (create-logging-configuration,
// get-logging-configuration, list-logging-configurations, update-logging-configuration,
// delete-logging-configuration) against the local server, with @aws-sdk/client-ivschat as an
// independent reader: what the CLI creates and changes reads back identically through the SDK.
// Invalid input exits 2 naming the option, and nothing is sent; IVS's errors exit 1 with their
// type and message.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { GetLoggingConfigurationCommand, GetRoomCommand, ListLoggingConfigurationsCommand } from '@aws-sdk/client-ivschat';

import { cliServer } from './cli-server.js';

const CREDENTIALS = { accessKeyId: 'AKIALOGGINGCLITEST01', secretAccessKey: 'loggingCliTestSecretAccessKey/0123456789ab' };
const REGION = 'ap-northeast-1';

const server = cliServer({ credentials: CREDENTIALS, region: REGION });
const { environment, ivschat } = server;

/** The configuration as the SDK reads it, with its times as the service's JSON writes them. */
const sdkConfiguration = (/** @type {string} */ arn) => server.read(new GetLoggingConfigurationCommand({ identifier: arn }));

async function configurationCount() {
  let count = 0;
  let nextToken;
  do {
    const page = await server.sdk.send(new ListLoggingConfigurationsCommand({ nextToken }));
    count += page.loggingConfigurations.length;
    nextToken = page.nextToken;
  } while (nextToken);
  return count;
}

/** Runs a command that must succeed and print JSON; returns the JSON. */
async function ok(args) {
  const result = await ivschat(args);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.match(result.stdout, /^\{\n {4}"/, 'pretty-printed with 4 spaces, as the AWS CLI prints');
  return JSON.parse(result.stdout);
}

test('create-logging-configuration, shorthand and JSON: the JSON printed is the configuration the SDK reads back', async () => {
  const s3 = await ok(['create-logging-configuration', '--name', 'chat-logs_1', '--destination-configuration', 's3={bucketName=chat-logs.example-1}',
    '--tags', 'team=chat,stage=test']);
  assert.match(s3.arn, new RegExp(`^arn:aws:ivschat:${REGION}:\\d+:logging-configuration/[A-Za-z0-9]{12}$`));
  assert.equal(s3.name, 'chat-logs_1');
  assert.deepEqual(s3.destinationConfiguration, { s3: { bucketName: 'chat-logs.example-1' } });
  assert.equal(s3.state, 'ACTIVE');
  assert.deepEqual(s3.tags, { team: 'chat', stage: 'test' });
  assert.deepEqual(await sdkConfiguration(s3.arn), s3);

  const logs = await ok(['create-logging-configuration', '--destination-configuration', '{"cloudWatchLogs":{"logGroupName":"/aws/ivschat/chat#1"}}']);
  assert.deepEqual(logs.destinationConfiguration, { cloudWatchLogs: { logGroupName: '/aws/ivschat/chat#1' } });
  assert.deepEqual(await sdkConfiguration(logs.arn), logs);
  assert.deepEqual(await ok(['get-logging-configuration', '--identifier', logs.arn]), logs);

  const firehose = await ok(['create-logging-configuration', '--destination-configuration', 'firehose={deliveryStreamName=chat_stream.1}', '--name', '']);
  assert.deepEqual((await sdkConfiguration(firehose.arn)).destinationConfiguration, { firehose: { deliveryStreamName: 'chat_stream.1' } });
});

test('update-logging-configuration, list-logging-configurations (pages), rooms naming one, delete-logging-configuration', async () => {
  const made = await ok(['create-logging-configuration', '--name', 'to-update', '--destination-configuration', 's3={bucketName=first-bucket}']);
  const renamed = await ok(['update-logging-configuration', '--identifier', made.arn, '--name', 'renamed',
    '--destination-configuration', 'cloudWatchLogs={logGroupName=/chat/renamed}']);
  assert.equal(renamed.name, 'renamed');
  assert.deepEqual(renamed.destinationConfiguration, { cloudWatchLogs: { logGroupName: '/chat/renamed' } });
  assert.deepEqual(await sdkConfiguration(made.arn), renamed);
  // Only the members given change.
  const kept = await ok(['update-logging-configuration', '--identifier', made.arn, '--destination-configuration', '{"firehose":{"deliveryStreamName":"chat"}}']);
  assert.equal(kept.name, 'renamed');
  assert.deepEqual((await sdkConfiguration(made.arn)).destinationConfiguration, { firehose: { deliveryStreamName: 'chat' } });

  const seen = [];
  let nextToken;
  do {
    const page = await ok(['list-logging-configurations', '--max-results', '1', ...(nextToken ? ['--next-token', nextToken] : [])]);
    assert.ok(page.loggingConfigurations.length <= 1);
    seen.push(...page.loggingConfigurations.map((c) => c.arn));
    nextToken = page.nextToken;
  } while (nextToken);
  assert.equal(seen.length, await configurationCount());
  assert.equal(new Set(seen).size, seen.length);
  assert.ok(seen.includes(made.arn));

  // A room that names it: IVS refuses the delete until the room lets go.
  const room = await ok(['create-room', '--name', 'logged', '--logging-configuration-identifiers', made.arn]);
  assert.deepEqual((await server.sdk.send(new GetRoomCommand({ identifier: room.arn }))).loggingConfigurationIdentifiers, [made.arn]);
  const refused = await ivschat(['delete-logging-configuration', '--identifier', made.arn]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^An error occurred \(ConflictException\) when calling the DeleteLoggingConfiguration operation \(HTTP 409\): \S/);
  const detached = await ok(['update-room', '--identifier', room.arn, '--logging-configuration-identifiers', '']);
  assert.deepEqual(detached.loggingConfigurationIdentifiers, []);

  const deleted = await ivschat(['delete-logging-configuration', '--identifier', made.arn]);
  assert.deepEqual([deleted.code, deleted.stdout, deleted.stderr], [0, '', '']);
  const gone = await ivschat(['get-logging-configuration', '--identifier', made.arn]);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /^An error occurred \(ResourceNotFoundException\) when calling the GetLoggingConfiguration operation \(HTTP 404\): \S/);
});

test('invalid input exits 2 naming each option, and nothing is sent', async () => {
  const before = await configurationCount();
  const invalid = await ivschat(['create-logging-configuration', '--name', 'not a name',
    '--destination-configuration', 's3={bucketName=chat-logs},firehose={deliveryStreamName=chat}', '--tags', '{"k":5}']);
  assert.equal(invalid.code, 2);
  assert.equal(invalid.stdout, '');
  for (const [option, field, code] of [
    ['--name', 'name', 'PATTERN'],
    ['--destination-configuration', 'destinationConfiguration', 'TYPE'],
    ['--tags', 'tags.k', 'TYPE'],
  ]) {
    assert.match(invalid.stderr, new RegExp(`^ivschat: ${option}: .*\\[${field.replace(/[.[\]]/g, '\\$&')}: ${code}\\]$`, 'm'), field);
  }
  for (const [args, option, field, code] of [
    [['create-logging-configuration', '--name', 'x'], '--destination-configuration', 'destinationConfiguration', 'REQUIRED'],
    [['create-logging-configuration', '--destination-configuration', 's3={bucketName=Chat_Logs}'], '--destination-configuration', 'destinationConfiguration.s3.bucketName', 'PATTERN'],
    [['create-logging-configuration', '--destination-configuration', 'cloudWatchLogs={logGroupName=a b}'], '--destination-configuration', 'destinationConfiguration.cloudWatchLogs.logGroupName', 'PATTERN'],
    [['create-logging-configuration', '--destination-configuration', 's3={bucket=chat-logs}'], '--destination-configuration', 'destinationConfiguration.s3.bucketName', 'REQUIRED'],
    [['get-logging-configuration', '--identifier', `arn:aws:ivschat:${REGION}:123456789012:room/AbCdEf123456`], '--identifier', 'identifier', 'PATTERN'],
    [['delete-logging-configuration'], '--identifier', 'identifier', 'REQUIRED'],
    [['list-logging-configurations', '--max-results', '51'], '--max-results', 'maxResults', 'RANGE'],
    [['update-logging-configuration', '--identifier', 'AbCdEf123456', '--destination-configuration', '{}'], '--identifier', 'identifier', 'PATTERN'],
  ]) {
    const result = await ivschat(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`^ivschat: ${option}: .*\\[${field.replace(/[.[\]]/g, '\\$&')}: ${code}\\]$`, 'm'), `${args.join(' ')}: ${result.stderr}`);
  }
  // Shorthand that does not parse is a usage error, before any request is built.
  for (const shorthand of ['s3={bucketName=chat-logs', 's3', 's3={bucketName={x}}x']) {
    const result = await ivschat(['create-logging-configuration', '--destination-configuration', shorthand]);
    assert.equal(result.code, 2, shorthand);
    assert.match(result.stderr, /^ivschat: --destination-configuration expects key=value pairs/, shorthand);
  }
  const tags = await ivschat(['update-logging-configuration', '--identifier', `arn:aws:ivschat:${REGION}:123456789012:logging-configuration/AbCdEf123456`, '--tags', 'a=b']);
  assert.equal(tags.code, 2);
  assert.match(tags.stderr, /Unknown option '--tags'/);
  assert.equal(await configurationCount(), before);
});

test('create- and list-logging-configurations need a region; get-logging-configuration takes the ARN\'s; --help lists the options', async () => {
  const env = environment({ AWS_REGION: undefined });
  const noRegion = await ivschat(['create-logging-configuration', '--destination-configuration', 's3={bucketName=chat-logs}'], env);
  assert.equal(noRegion.code, 2);
  assert.match(noRegion.stderr, /^ivschat: --region: .*logging configuration.*region/m);
  assert.equal((await ivschat(['list-logging-configurations'], env)).code, 2);
  const made = await ok(['create-logging-configuration', '--destination-configuration', 's3={bucketName=region-test}']);
  const fromArn = await ivschat(['get-logging-configuration', '--identifier', made.arn], env);
  assert.equal(fromArn.code, 0, fromArn.stderr);
  assert.deepEqual(JSON.parse(fromArn.stdout), made);
  const flag = await ivschat(['list-logging-configurations', '--region', REGION], env);
  assert.equal(flag.code, 0, flag.stderr);
  assert.ok(JSON.parse(flag.stdout).loggingConfigurations.some((c) => c.arn === made.arn));

  const usage = await ivschat(['--help']);
  for (const command of ['create-logging-configuration', 'get-logging-configuration', 'list-logging-configurations',
    'update-logging-configuration', 'delete-logging-configuration']) assert.ok(usage.stdout.includes(command), command);
  const help = await ivschat(['update-logging-configuration', '--help']);
  assert.equal(help.code, 0);
  for (const option of ['--identifier', '--name', '--destination-configuration', '--region', '--endpoint-url']) assert.ok(help.stdout.includes(option), option);
});
