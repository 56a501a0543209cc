// Shared by the backend tests: a local IVS Chat server with a room, handler requests, and a
// recorder for everything the handler says (responses and log entries).
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

export const SOON_MS = 10_000;

/**
 * A Request to the handler, like a browser on `origin` would send it.
 * @param {unknown} body JSON-encoded unless a string, Uint8Array or ReadableStream
 * @param {{ method?: string, origin?: string, headers?: Record<string, string>, url?: string }} [options]
 */
export function tokenRequest(body, options = {}) {
  const headers = { 'content-type': 'application/json', ...options.headers };
  if (options.origin) headers.origin = options.origin;
  const method = options.method ?? 'POST';
  /** @type {RequestInit & { duplex?: string }} */
  const init = { method, headers };
  if (method !== 'GET' && method !== 'HEAD' && body !== undefined) {
    init.body = typeof body === 'string' || body instanceof Uint8Array || body instanceof ReadableStream ? body : JSON.stringify(body);
    if (body instanceof ReadableStream) init.duplex = 'half';
  }
  return new Request(options.url ?? 'https://tokens.example.com/chat-token', init);
}

/**
 * Reads a handler's Response into plain data (and records it when a recorder is given).
 * @param {Response} response
 * @param {{ bodies: string[] }} [recorder]
 */
export async function readAnswer(response, recorder) {
  const text = await response.text();
  recorder?.bodies.push(text, JSON.stringify([...response.headers]));
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Collects log entries and response bodies. */
export function createRecorder() {
  /** @type {any[]} */
  const logs = [];
  /** @type {string[]} */
  const bodies = [];
  return { logs, bodies, logger: (/** @type {any} */ entry) => logs.push(entry) };
}

/**
 * A loopback HTTP server answering every request with `answer(req, res)`.
 * @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void} answer
 */
export async function startFakeIvs(answer) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve(undefined));
    }),
  };
}

/** A loopback URL where nothing listens (a port that was just released). */
export async function closedPortUrl() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  return `http://127.0.0.1:${port}`;
}

/**
 * Serves a Node request listener on loopback.
 * @param {(req: any, res: any) => void} listener
 */
export async function serveOnLoopback(listener) {
  const server = createServer(listener);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve(undefined));
    }),
  };
}

/**
 * A body stream of `totalBytes` bytes of '7' in chunks, recording how much was pulled.
 * @param {number} totalBytes
 * @param {number} [chunkBytes]
 */
export function countingStream(totalBytes, chunkBytes = 1024) {
  const state = { pulledBytes: 0 };
  const stream = new ReadableStream({
    pull(controller) {
      const size = Math.min(chunkBytes, totalBytes - state.pulledBytes);
      if (size <= 0) {
        controller.close();
        return;
      }
      state.pulledBytes += size;
      controller.enqueue(new Uint8Array(size).fill(0x37));
    },
  });
  return { stream, state };
}

/**
 * Runs one of the package's commands (bin/<name>.js) in a new Node process, bounded in time;
 * resolves with its exit code, stdout and stderr.
 * @param {'ivschat' | 'ivschat-token'} name
 * @param {string[]} args
 * @param {Record<string, string | undefined>} env every variable it may see (no AWS_* from the developer's shell)
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function runCommand(name, args, env) {
  const file = fileURLToPath(new URL(`../../bin/${name}.js`, import.meta.url));
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/**
 * What a command run should see: PATH and these credentials, and `more`.
 * @param {{ accessKeyId: string, secretAccessKey: string, sessionToken?: string }} credentials
 * @param {Record<string, string | undefined>} [more]
 */
export function commandEnvironment(credentials, more = {}) {
  return {
    PATH: process.env.PATH,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    ...more,
  };
}
