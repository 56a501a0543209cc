// Shared by the runtime tests: an app folder where the package is installed (a node_modules
// symlink, as `npm install` would leave it), a child-process runner with bounded waits that
// always cleans up, and the checks every runtime must pass against the local IVS Chat server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ChatTokenRequestError, createChatToken } from 'ivschat-wasm';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { TestSocket } from '../local/helpers.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const binDir = join(repoRoot, 'node_modules', '.bin');
const appSources = fileURLToPath(new URL('./app/', import.meta.url));
/** Bound for a runtime to start and print its address (a cold workerd or deno start on a loaded 2-core machine). */
export const START_TIMEOUT_MS = 30_000;

/**
 * A temporary app project: package.json, node_modules/ivschat-wasm -> this repository, and
 * the app sources from tests/runtimes/app.
 */
export async function createAppFolder(name) {
  const dir = await mkdtemp(join(tmpdir(), `ivschat-${name}-`));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `${name}-app`, private: true, type: 'module' }));
  await mkdir(join(dir, 'node_modules'));
  await symlink(repoRoot, join(dir, 'node_modules', 'ivschat-wasm'), 'dir');
  await cp(appSources, dir, { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Starts a local IVS Chat server with a room, and the environment a backend needs to use it
 * (temporary credentials, so x-amz-security-token is exercised everywhere).
 */
export async function startIvs() {
  const credentials = {
    accessKeyId: 'ASIARUNTIMETEST00001',
    secretAccessKey: 'runtimeTestSecretAccessKey/0123456789abcdefg',
    sessionToken: 'runtimeTestSessionToken0123456789abcdefghijklmnop==',
  };
  const ivs = await startLocalIvsChat({ credentials, region: 'eu-central-1' });
  const room = await ivs.createRoom({ name: 'runtimes' });
  const env = {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    IVSCHAT_ENDPOINT: ivs.controlPlaneUrl,
  };
  return { ivs, room, env, credentials };
}

/**
 * Spawns a runtime and waits for its first stdout line (JSON). Always call `stop()`.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env: Record<string, string>, extraFds?: boolean }} options
 */
export function startRuntime(command, args, { cwd, env, extraFds = false }) {
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ...env },
    stdio: extraFds ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let exitedAlready = false;
  void exited.then(() => (exitedAlready = true));

  /** Resolves with the first line of `stream` (bounded), rejecting if the child exits first. */
  const firstLine = (stream, describe) => new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => done(new Error(`${describe}: nothing within ${START_TIMEOUT_MS} ms; stderr: ${stderr}`)), START_TIMEOUT_MS);
    const onData = (chunk) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline !== -1) done(undefined, text.slice(0, newline));
    };
    const onExit = (code, signal) => done(new Error(`${describe}: exited (${code ?? signal}) before printing; stdout: ${stdout} stderr: ${stderr}`));
    function done(error, line) {
      clearTimeout(timer);
      stream.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(line);
    }
    stream.setEncoding?.('utf8');
    stream.on('data', onData);
    child.once('exit', onExit);
  });

  return {
    child,
    output: () => ({ stdout, stderr }),
    /** The first JSON line on stdout. */
    ready: () => firstLine(child.stdout, command).then((line) => JSON.parse(line)),
    /** The first line on file descriptor 3 (workerd's --control-fd). */
    controlLine: () => firstLine(child.stdio[3], `${command} control fd`).then((line) => JSON.parse(line)),
    /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
    async stop() {
      if (exitedAlready) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/**
 * What every runtime must do: issue a working token whose identity the server chose, refuse an
 * unauthenticated caller with 401 through createChatToken, answer a preflight, and refuse a
 * disallowed origin.
 * @param {string} url where the runtime serves the handler
 * @param {{ ivs: any, room: any }} setup
 * @param {string} runtime the name the app was started with
 */
export async function assertServesTokens(url, { ivs, room }, runtime) {
  const endpoint = `${url}/chat-token`;
  const tokensBefore = ivs.stats().tokensIssued;
  const token = await createChatToken({
    endpoint,
    roomIdentifier: room.arn,
    userId: 'asked-by-browser',
    headers: { authorization: 'Bearer runtime-user' },
    timeoutMs: 15_000,
  });
  assert.equal(ivs.stats().tokensIssued, tokensBefore + 1, 'the local IVS Chat server issued the token');
  const socket = await TestSocket.open(ivs.messagingUrl, token.token);
  try {
    socket.send({ Action: 'SEND_MESSAGE', RequestId: `from-${runtime}`, Content: `hello from ${runtime}` });
    const message = await socket.reply(`from-${runtime}`);
    assert.equal(message.Type, 'MESSAGE');
    assert.equal(message.Sender.UserId, `user-on-${runtime}`);
    assert.deepEqual(message.Sender.Attributes, { runtime });
  } finally {
    await socket.close();
  }

  await assert.rejects(
    createChatToken({ endpoint, roomIdentifier: room.arn, userId: 'u', timeoutMs: 15_000 }),
    (error) => error instanceof ChatTokenRequestError && error.status === 401 && error.errorType === 'UnauthorizedException',
  );

  const preflight = await fetch(endpoint, {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    signal: AbortSignal.timeout(15_000),
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example.com');
  await preflight.arrayBuffer();

  const foreign = await fetch(endpoint, {
    method: 'POST',
    headers: { origin: 'https://evil.example', 'content-type': 'application/json', authorization: 'Bearer runtime-user' },
    body: JSON.stringify({ roomIdentifier: room.arn, userId: 'u' }),
    signal: AbortSignal.timeout(15_000),
  });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers.get('x-amzn-errortype'), 'AccessDeniedException');
  assert.equal(foreign.headers.get('cache-control'), 'no-store');
  await foreign.arrayBuffer();

  const tooLarge = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer runtime-user' },
    body: JSON.stringify({ roomIdentifier: room.arn, userId: 'u', pad: 'x'.repeat(9000) }),
    signal: AbortSignal.timeout(15_000),
  });
  assert.equal(tooLarge.status, 413);
  await tooLarge.arrayBuffer();
}
