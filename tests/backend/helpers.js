// Shared by the backend tests: a local IVS Chat server with a room, handler requests, and a
// recorder for everything the handler says (responses and log entries).
import { createServer } from 'node:http';

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
