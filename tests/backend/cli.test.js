// `ivschat-token` against the local server: JSON out, exit 2 for invalid input (each field
// named on stderr), exit 1 for AWS and network errors.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startLocalIvsChat } from 'ivschat-wasm/local';

import { TestSocket } from '../local/helpers.js';
import { closedPortUrl, commandEnvironment, runCommand } from './helpers.js';

const SESSION_CREDENTIALS = {
  accessKeyId: 'ASIACLITESTKEY000001',
  secretAccessKey: 'cliTestSecretAccessKey/abcdefghij0123456789',
  sessionToken: 'cliTestSessionToken0123456789abcdefghijkl==',
};

let ivs;
let room;
before(async () => {
  ivs = await startLocalIvsChat({ credentials: SESSION_CREDENTIALS, region: 'ap-northeast-2' });
  room = await ivs.createRoom();
});
after(() => ivs.close());

/** Only the variables the CLI should see (no AWS_* from the developer's shell). */
const environment = (overrides = {}) => commandEnvironment(SESSION_CREDENTIALS, overrides);
/** Runs `ivschat-token`. */
const runCli = (/** @type {string[]} */ args, env = environment()) => runCommand('ivschat-token', args, env);

const required = () => ['--room-identifier', room.arn, '--endpoint-url', ivs.controlPlaneUrl];

test('prints the token as JSON; capabilities, attributes and duration reach the token', async () => {
  const result = await runCli([...required(), '--user-id', 'cli-user 🦊', '--capabilities', 'SEND_MESSAGE,DELETE_MESSAGE',
    '--session-duration-in-minutes', '5', '--attributes', 'displayName=Cli User,color=red']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  const answer = JSON.parse(result.stdout);
  assert.deepEqual(Object.keys(answer), ['token', 'tokenExpirationTime', 'sessionExpirationTime']);
  const sessionMinutes = (Date.parse(answer.sessionExpirationTime) - Date.now()) / 60_000;
  assert.ok(sessionMinutes > 4 && sessionMinutes <= 5, `session of ${sessionMinutes} minutes`);
  const socket = await TestSocket.open(ivs.messagingUrl, answer.token);
  try {
    socket.send({ Action: 'SEND_MESSAGE', RequestId: 'cli-1', Content: 'from the CLI' });
    const message = await socket.reply('cli-1');
    assert.equal(message.Sender.UserId, 'cli-user 🦊');
    assert.deepEqual(message.Sender.Attributes, { displayName: 'Cli User', color: 'red' });
  } finally {
    await socket.close();
  }
});

test('attributes as JSON, repeated --capabilities; the region comes from --region, else AWS_REGION', async () => {
  const result = await runCli([...required(), '--user-id', 'u2', '--capabilities', 'SEND_MESSAGE', '--capabilities', 'DISCONNECT_USER',
    '--attributes', '{"a,b":"c=d"}', '--region', 'ap-northeast-2'], environment({ AWS_REGION: 'us-east-1' }));
  assert.equal(result.code, 0, result.stderr);
  assert.ok(JSON.parse(result.stdout).token);
  // The local server signs for ap-northeast-2 only, so a scope of us-east-1 proves AWS_REGION was read.
  const fromEnv = await runCli([...required(), '--user-id', 'u2'], environment({ AWS_REGION: 'us-east-1' }));
  assert.equal(fromEnv.code, 1);
  assert.match(fromEnv.stderr, /\(InvalidSignatureException\).*region/);
});

test('invalid input: exit 2, every field named by its option on stderr, nothing sent', async () => {
  const calls = ivs.stats().createChatTokenCalls;
  const result = await runCli(['--room-identifier', 'not-an-arn', '--user-id', '', '--capabilities', 'SEND_MESSAGE,FLY',
    '--session-duration-in-minutes', '500', '--attributes', `bio=${'x'.repeat(1100)}`, '--endpoint-url', ivs.controlPlaneUrl]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  for (const option of ['--room-identifier', '--user-id', '--capabilities', '--session-duration-in-minutes', '--attributes']) {
    assert.match(result.stderr, new RegExp(`^ivschat-token: ${option}: `, 'm'), option);
  }
  assert.match(result.stderr, /\[capabilities\[1\]: ENUM\]/);
  assert.equal(ivs.stats().createChatTokenCalls, calls);

  const missing = await runCli(['--endpoint-url', ivs.controlPlaneUrl]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--room-identifier: .*\[roomIdentifier: REQUIRED\]/);
  assert.match(missing.stderr, /--user-id: .*\[userId: REQUIRED\]/);
});

test('bad arguments, endpoint or credentials: exit 2 naming the option or variable, never the secret', async () => {
  const unknown = await runCli(['--room', 'x']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown option '--room'/);
  assert.match(unknown.stderr, /^Usage: ivschat-token/m);

  const endpoint = await runCli([...required(), '--user-id', 'u', '--endpoint-url', 'ftp://example']);
  assert.equal(endpoint.code, 2);
  assert.match(endpoint.stderr, /^ivschat-token: --endpoint-url: /);

  // Plain http:// to a host that is not loopback (issue 18): refused before anything is sent,
  // unless --allow-insecure-endpoint.
  const insecure = await runCli([...required(), '--user-id', 'u', '--endpoint-url', 'http://ivschat.example.invalid:4566']);
  assert.equal(insecure.code, 2);
  assert.match(insecure.stderr, /^ivschat-token: --endpoint-url: .*--allow-insecure-endpoint/);
  const optedIn = await runCli([...required(), '--user-id', 'u', '--endpoint-url', 'http://ivschat.example.invalid:4566', '--allow-insecure-endpoint', '--timeout-ms', '3000']);
  assert.equal(optedIn.code, 1, 'signed and sent (the name does not resolve)');

  const noSecret = await runCli([...required(), '--user-id', 'u'], environment({ AWS_SECRET_ACCESS_KEY: undefined }));
  assert.equal(noSecret.code, 2);
  assert.match(noSecret.stderr, /AWS_SECRET_ACCESS_KEY/);

  const badSecret = await runCli([...required(), '--user-id', 'u'], environment({ AWS_SECRET_ACCESS_KEY: 'bad secret with spaces' }));
  assert.equal(badSecret.code, 2);
  assert.match(badSecret.stderr, /^ivschat-token: AWS_SECRET_ACCESS_KEY: /);
  assert.ok(!badSecret.stderr.includes('bad secret with spaces'));

  const attributes = await runCli([...required(), '--user-id', 'u', '--attributes', 'novalue']);
  assert.equal(attributes.code, 2);
  assert.match(attributes.stderr, /--attributes expects key=value/);

  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--session-duration-in-minutes/);
});

test('AWS errors exit 1 with the error type; so do signature errors and an unreachable endpoint', async () => {
  ivs.faults.failCreateChatToken({ status: 404, errorType: 'ResourceNotFoundException', message: 'No such room.' });
  const notFound = await runCli([...required(), '--user-id', 'u']);
  assert.equal(notFound.code, 1);
  assert.equal(notFound.stdout, '');
  assert.match(notFound.stderr, /^An error occurred \(ResourceNotFoundException\) when calling the CreateChatToken operation \(HTTP 404\): No such room\./);

  const wrongRegion = await runCli([...required(), '--user-id', 'u', '--region', 'us-east-1']);
  assert.equal(wrongRegion.code, 1);
  assert.match(wrongRegion.stderr, /\(InvalidSignatureException\)/);

  const unreachable = await runCli(['--room-identifier', room.arn, '--user-id', 'u', '--endpoint-url', await closedPortUrl()]);
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /Could not reach the IVS Chat control plane/);

  ivs.faults.failCreateChatToken({ hang: true });
  try {
    const hung = await runCli([...required(), '--user-id', 'u', '--timeout-ms', '300']);
    assert.equal(hung.code, 1);
    assert.match(hung.stderr, /did not answer within 300 ms/);
  } finally {
    ivs.faults.reset();
  }
});

/** Runs `ivschat` (the command with subcommands). */
const runIvschat = (/** @type {string[]} */ args, env = environment()) => runCommand('ivschat', args, env);

test('ivschat: the moderation subcommands reach the room; AWS_ENDPOINT_URL_IVSCHAT is honoured; --version', async () => {
  const endpointEnv = environment({ AWS_ENDPOINT_URL_IVSCHAT: ivs.controlPlaneUrl });
  const sent = await runIvschat(['send-event', '--room-identifier', room.arn, '--event-name', 'app:DELETE_USER_MESSAGES', '--attributes', 'userId=bob'], endpointEnv);
  assert.equal(sent.code, 0, sent.stderr);
  assert.match(JSON.parse(sent.stdout).id, /^[A-Za-z0-9]{12}$/);
  const deleted = await runIvschat(['delete-message', '--room-identifier', room.arn, '--id', 'AbCdEf123456', '--reason', 'spam', '--endpoint-url', ivs.controlPlaneUrl]);
  assert.equal(deleted.code, 0, deleted.stderr);
  const kicked = await runIvschat(['disconnect-user', '--room-identifier', room.arn, '--user-id', 'bob'], endpointEnv);
  assert.deepEqual([kicked.code, kicked.stdout, kicked.stderr], [0, '', '']);
  const token = await runIvschat(['create-chat-token', '--room-identifier', room.arn, '--user-id', 'u'], endpointEnv);
  assert.equal(token.code, 0, token.stderr);
  assert.ok(JSON.parse(token.stdout).token);
  for (const cli of [runIvschat, runCli]) {
    const shown = await cli(['--version']);
    assert.equal(shown.code, 0);
    assert.match(shown.stdout, /^ivschat-wasm \d+\.\d+\.\d+/);
  }
});

test('ivschat: bad input exits 2 naming the option; an unknown command or none exits 2 with the usage; AWS errors exit 1', async () => {
  const invalid = await runIvschat(['delete-message', '--room-identifier', room.arn, '--id', 'nope', '--endpoint-url', ivs.controlPlaneUrl]);
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /--id: id must have exactly 12 characters/);
  const unknown = await runIvschat(['ban-user']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'ban-user'/);
  assert.match(unknown.stderr, /send-event/);
  assert.equal((await runIvschat([])).code, 2);
  const missingRoom = await runIvschat(['send-event', '--room-identifier', 'arn:aws:ivschat:ap-northeast-2:123456789012:room/Nope00000000', '--event-name', 'x', '--endpoint-url', ivs.controlPlaneUrl]);
  assert.equal(missingRoom.code, 1);
  assert.match(missingRoom.stderr, /^An error occurred \(ResourceNotFoundException\) when calling the SendEvent operation \(HTTP 404\)/);
  const help = await runIvschat(['disconnect-user', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--user-id/);
});


test('credentials from a profile (--profile, AWS_PROFILE) through the AWS SDK chain; a missing one exits 2 naming it', async () => {
  const home = await mkdtemp(join(tmpdir(), 'ivschat-cli-home-'));
  try {
    await mkdir(join(home, '.aws'));
    await writeFile(join(home, '.aws', 'credentials'), [
      '[ivs-local]',
      `aws_access_key_id = ${SESSION_CREDENTIALS.accessKeyId}`,
      `aws_secret_access_key = ${SESSION_CREDENTIALS.secretAccessKey}`,
      `aws_session_token = ${SESSION_CREDENTIALS.sessionToken}`,
      '',
    ].join('\n'));
    // Only the files in this HOME, and never the EC2 metadata service (tests talk to loopback only).
    const profileEnvironment = (overrides = {}) => ({ PATH: process.env.PATH, HOME: home, AWS_EC2_METADATA_DISABLED: 'true', ...overrides });
    const before = ivs.stats().tokensIssued;

    const byOption = await runCli([...required(), '--user-id', 'from-profile', '--profile', 'ivs-local'], profileEnvironment());
    assert.equal(byOption.code, 0, byOption.stderr);
    assert.ok(JSON.parse(byOption.stdout).token);

    const byVariable = await runCli([...required(), '--user-id', 'from-profile'], profileEnvironment({ AWS_PROFILE: 'ivs-local' }));
    assert.equal(byVariable.code, 0, byVariable.stderr);
    assert.equal(ivs.stats().tokensIssued, before + 2);

    // --profile wins over keys in the environment, as with the AWS CLI.
    const overKeys = await runCli([...required(), '--user-id', 'u', '--profile', 'ivs-local'], profileEnvironment({ AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG1', AWS_SECRET_ACCESS_KEY: 'wrong' }));
    assert.equal(overKeys.code, 0, overKeys.stderr);

    const missing = await runCli([...required(), '--user-id', 'u', '--profile', 'nope'], profileEnvironment());
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^ivschat-token: credentials: no AWS credentials for profile nope: /);

    const none = await runCli([...required(), '--user-id', 'u'], profileEnvironment());
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^ivschat-token: credentials: no AWS credentials: /);

    const badName = await runCli([...required(), '--user-id', 'u', '--profile', 'a b'], profileEnvironment());
    assert.equal(badName.code, 2);
    assert.match(badName.stderr, /--profile expects a profile name/);
    for (const run of [byOption, byVariable, overKeys, missing, none, badName]) {
      assert.ok(!run.stderr.includes(SESSION_CREDENTIALS.secretAccessKey) && !run.stderr.includes(SESSION_CREDENTIALS.sessionToken));
    }
    assert.equal(ivs.stats().tokensIssued, before + 3);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
