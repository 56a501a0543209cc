// `ivschat-local` CLI: one JSON line on stdout, a usable server and room, clean exit on signals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateChatTokenCommand, CreateLoggingConfigurationCommand, IvschatClient, SendEventCommand, UpdateRoomCommand } from '@aws-sdk/client-ivschat';
import { TestSocket, SOON_MS } from './helpers.js';

const CLI = fileURLToPath(new URL('../../bin/ivschat-local.js', import.meta.url));

/**
 * Starts the CLI and resolves with its first stdout line (bounded in time).
 * @param {string[]} args
 * @param {Record<string, string>} [env] added to this process's environment
 */
function startCli(args, env = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const firstLine = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no output line within ${SOON_MS} ms; stderr: ${stderr}`));
    }, SOON_MS);
    const check = () => {
      const newline = stdout.indexOf('\n');
      if (newline !== -1) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    };
    child.stdout.on('data', check);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited before printing; stderr: ${stderr}`));
    });
  });
  return { child, firstLine, exited, output: () => ({ stdout, stderr }) };
}

/** Waits for exit, killing the child if it does not exit in time. */
async function exitWithin(run, ms = SOON_MS) {
  const timer = setTimeout(() => run.child.kill('SIGKILL'), ms);
  const result = await run.exited;
  clearTimeout(timer);
  return result;
}

test('prints one JSON line with a working server and room, and exits 0 on SIGTERM', async () => {
  const run = startCli(['--host', '127.0.0.1', '--port', '0']);
  const line = await run.firstLine;
  const info = JSON.parse(line);
  assert.deepEqual(Object.keys(info).sort(), ['controlPlaneUrl', 'credentials', 'messagingUrl', 'region', 'roomArn']);
  assert.match(info.controlPlaneUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(info.messagingUrl, info.controlPlaneUrl.replace('http:', 'ws:'));
  assert.equal(info.region, 'us-east-1');
  assert.deepEqual(Object.keys(info.credentials).sort(), ['accessKeyId', 'secretAccessKey']);
  assert.match(info.roomArn, /^arn:aws:ivschat:us-east-1:\d{12}:room\/[a-zA-Z0-9]{12}$/);

  const sdk = new IvschatClient({ region: info.region, endpoint: info.controlPlaneUrl, credentials: info.credentials, maxAttempts: 1 });
  try {
    const { token } = await sdk.send(new CreateChatTokenCommand({ roomIdentifier: info.roomArn, userId: 'cli-user' }));
    // A connection stays open while the CLI is told to stop: it must still exit cleanly.
    const socket = await TestSocket.open(info.messagingUrl, /** @type {string} */ (token));
    run.child.kill('SIGTERM');
    const { code, signal } = await exitWithin(run);
    assert.equal(signal, null);
    assert.equal(code, 0);
    assert.equal((await socket.closedWithin()).code, 1001);
  } finally {
    sdk.destroy();
  }
  const { stdout } = run.output();
  assert.equal(stdout, `${line}\n`, 'exactly one line on stdout');
});

test('exits 0 on SIGINT', async () => {
  const run = startCli([]);
  JSON.parse(await run.firstLine);
  run.child.kill('SIGINT');
  const { code } = await exitWithin(run);
  assert.equal(code, 0);
});

test('--time-scale and --region are applied', async () => {
  const run = startCli(['--region', 'eu-west-1', '--time-scale', '60']);
  const info = JSON.parse(await run.firstLine);
  assert.equal(info.region, 'eu-west-1');
  assert.match(info.roomArn, /^arn:aws:ivschat:eu-west-1:/);
  const sdk = new IvschatClient({ region: info.region, endpoint: info.controlPlaneUrl, credentials: info.credentials, maxAttempts: 1 });
  try {
    const askedAt = Date.now();
    const response = await sdk.send(
      new CreateChatTokenCommand({ roomIdentifier: info.roomArn, userId: 'u', sessionDurationInMinutes: 1 }),
    );
    const sessionEnds = /** @type {Date} */ (response.sessionExpirationTime).getTime();
    assert.ok(sessionEnds - askedAt < 30_000, 'a 1-minute session lasts about a second at --time-scale 60');
  } finally {
    sdk.destroy();
    run.child.kill('SIGTERM');
    await exitWithin(run);
  }
});

/**
 * Starts the CLI, gives its printed room a logging configuration with `destination`, sends one
 * event to it and hands the server's line to `check`; stops the CLI whatever happens.
 * @param {string[]} args
 * @param {import('@aws-sdk/client-ivschat').DestinationConfiguration} destination
 * @param {(info: any) => Promise<void>} check
 */
async function withOneLoggedEvent(args, destination, check) {
  const run = startCli(args);
  const info = JSON.parse(await run.firstLine);
  const sdk = new IvschatClient({ region: info.region, endpoint: info.controlPlaneUrl, credentials: info.credentials, maxAttempts: 1 });
  try {
    const configuration = await sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: destination }));
    await sdk.send(new UpdateRoomCommand({ identifier: info.roomArn, loggingConfigurationIdentifiers: [configuration.arn ?? ''] }));
    await sdk.send(new SendEventCommand({ roomIdentifier: info.roomArn, eventName: 'logged' }));
    await check(info);
  } finally {
    sdk.destroy();
    run.child.kill('SIGTERM');
  }
  assert.equal((await exitWithin(run)).code, 0);
}

test('--log-folder receives the S3 chat logs of the printed room; a bad --log-delay-ms stops the start (issue 22)', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'ivschat-cli-logs-'));
  try {
    await withOneLoggedEvent(['--log-folder', folder, '--log-delay-ms', '0'], { s3: { bucketName: 'cli-bucket' } }, async () => {
      const files = (await readdir(join(folder, 'cli-bucket'), { recursive: true })).filter((name) => name.endsWith('.log.gz'));
      assert.equal(files.length, 1);
      assert.match(files[0], /^AWSLogs\/\d{12}\/IVSChatLogs\/1\.0\/us-east-1\/room_/);
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  await withOneLoggedEvent(['--log-delay-ms', 'aws'], { cloudWatchLogs: { logGroupName: 'lagging' } }, async (info) => {
    const stats = await (await fetch(`${info.controlPlaneUrl}/_local/stats`)).json();
    assert.equal(stats.logRecordsPending, 1, 'held for the 10 s CloudWatch Logs lag');
  });
  const bad = startCli(['--log-delay-ms=-5']);
  bad.firstLine.catch(() => {});
  assert.equal((await exitWithin(bad)).code, 1);
  assert.match(bad.output().stderr, /logDeliveryDelayMs/);
});

test('bad arguments exit 2 with a message; --help prints usage', async () => {
  const bad = startCli(['--port', 'abc']);
  bad.firstLine.catch(() => {});
  assert.equal((await exitWithin(bad)).code, 2);
  assert.match(bad.output().stderr, /--port expects a number/);
  assert.equal(bad.output().stdout, '');

  const unknown = startCli(['--bogus']);
  unknown.firstLine.catch(() => {});
  assert.equal((await exitWithin(unknown)).code, 2);
  assert.match(unknown.output().stderr, /bogus/);

  const help = startCli(['--help']);
  assert.match(await help.firstLine, /^Usage: ivschat-local/);
  assert.equal((await exitWithin(help)).code, 0);
});

test('credentials: random for each run, or both from IVSCHAT_LOCAL_*; --allowed-origin is applied (issue 18)', async () => {
  const first = startCli([]);
  const second = startCli(['--allowed-origin', 'http://localhost:5173']);
  try {
    const a = JSON.parse(await first.firstLine);
    const b = JSON.parse(await second.firstLine);
    assert.notEqual(a.credentials.accessKeyId, b.credentials.accessKeyId);
    assert.notEqual(a.credentials.secretAccessKey, b.credentials.secretAccessKey);
    assert.notEqual(a.credentials.accessKeyId, 'AKIDLOCALIVSCHATDEMO');
    const preflight = (/** @type {string} */ origin) => fetch(`${b.controlPlaneUrl}/ListRooms`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST' },
      signal: AbortSignal.timeout(SOON_MS),
    });
    assert.equal((await preflight('http://localhost:5173')).headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal((await preflight('http://evil.example')).status, 403);
  } finally {
    first.child.kill('SIGTERM');
    second.child.kill('SIGTERM');
    await Promise.all([exitWithin(first), exitWithin(second)]);
  }

  const given = { accessKeyId: 'AKIDGIVENINTHEENV000', secretAccessKey: 'given-in-the-environment-0123456789' };
  const fromEnv = startCli([], { IVSCHAT_LOCAL_ACCESS_KEY_ID: given.accessKeyId, IVSCHAT_LOCAL_SECRET_ACCESS_KEY: given.secretAccessKey });
  try {
    const info = JSON.parse(await fromEnv.firstLine);
    assert.deepEqual(info.credentials, given);
    const sdk = new IvschatClient({ region: info.region, endpoint: info.controlPlaneUrl, credentials: given, maxAttempts: 1 });
    try {
      const { token } = await sdk.send(new CreateChatTokenCommand({ roomIdentifier: info.roomArn, userId: 'env-user' }));
      assert.equal(typeof token, 'string');
    } finally {
      sdk.destroy();
    }
  } finally {
    fromEnv.child.kill('SIGTERM');
    await exitWithin(fromEnv);
  }

  const half = startCli([], { IVSCHAT_LOCAL_ACCESS_KEY_ID: given.accessKeyId });
  half.firstLine.catch(() => {});
  assert.equal((await exitWithin(half)).code, 2);
  assert.match(half.output().stderr, /IVSCHAT_LOCAL_SECRET_ACCESS_KEY/);
});
