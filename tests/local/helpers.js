// @ts-check
/**
 * Shared helpers for the local-server tests: requests signed by an independent signer
 * (`@smithy/signature-v4`, the AWS SDK's), and a WebSocket wrapper that collects frames.
 * Every wait is bounded.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { WebSocket } from 'ws';

/** Generous bound for anything that should happen "soon" on a slow, loaded 2-core machine. */
export const SOON_MS = 10_000;

/** Minimal SHA-256 / HMAC-SHA256 in the shape SignatureV4 expects (the signing logic stays smithy's). */
export class NodeSha256 {
  /** @param {import('node:crypto').BinaryLike} [secret] */
  constructor(secret) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  /** @param {string | Uint8Array} data */
  update(data) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {}
}

/**
 * @typedef {object} SignedRequestOptions
 * @property {{ accessKeyId: string, secretAccessKey: string, sessionToken?: string }} [credentials]
 * @property {string} [region]
 * @property {string} [service]
 * @property {Date} [signingDate]
 * @property {string} [method]
 * @property {Record<string, string>} [extraHeaders] sent and signed
 * @property {(request: { headers: Record<string, string>, body: string }) => void} [afterSigning] tamper with the signed request
 * @property {string} [rawBody] send this exact body instead of JSON.stringify(body)
 */

/**
 * Sends a SigV4-signed `POST {path}` with a JSON body to the local server, like an SDK would.
 * @param {{ controlPlaneUrl: string, region: string, credentials: { accessKeyId: string, secretAccessKey: string, sessionToken?: string } }} server
 * @param {string} path e.g. `/CreateChatToken`
 * @param {unknown} body
 * @param {SignedRequestOptions} [options]
 * @returns {Promise<{ status: number, headers: Headers, json: any, text: string }>}
 */
export async function signedRequest(server, path, body, options = {}) {
  const url = new URL(server.controlPlaneUrl);
  const payload = options.rawBody ?? JSON.stringify(body);
  const signer = new SignatureV4({
    credentials: options.credentials ?? server.credentials,
    region: options.region ?? server.region,
    service: options.service ?? 'ivschat',
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    {
      method: options.method ?? 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path,
      query: {},
      headers: { host: url.host, 'content-type': 'application/json', ...(options.extraHeaders ?? {}) },
      body: payload,
    },
    { signingDate: options.signingDate },
  );
  const request = { headers: /** @type {Record<string, string>} */ ({ ...signed.headers }), body: payload };
  options.afterSigning?.(request);
  delete request.headers.host; // fetch sets Host itself (same value)
  const response = await fetch(`${server.controlPlaneUrl}${path}`, {
    method: options.method ?? 'POST',
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(SOON_MS),
  });
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/**
 * Waits until `condition()` is truthy, polling; fails after `timeoutMs`.
 * @template T
 * @param {() => T} condition
 * @param {string} what described in the failure
 * @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
export async function waitUntil(condition, what, timeoutMs = SOON_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A WebSocket client that records every frame and the close, for assertions.
 */
export class TestSocket {
  /**
   * Opens a socket with the token as the single subprotocol; resolves once open.
   * @param {string} url
   * @param {string} token
   */
  static async open(url, token) {
    const socket = new TestSocket(new WebSocket(url, token));
    await socket.opened;
    return socket;
  }

  /**
   * Tries to open a socket that the server should refuse; resolves with the HTTP status.
   * @param {string} url
   * @param {string | string[] | undefined} protocols
   * @returns {Promise<number>}
   */
  static async refusedStatus(url, protocols) {
    const ws = new WebSocket(url, protocols);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no refusal within the time limit')), SOON_MS);
      ws.on('unexpected-response', (_request, response) => {
        clearTimeout(timer);
        resolve(response.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('open', () => {
        clearTimeout(timer);
        ws.terminate();
        reject(new Error('the server accepted a connection it should have refused'));
      });
      ws.on('error', () => {});
    });
  }

  /** @param {WebSocket} ws */
  constructor(ws) {
    this.ws = ws;
    /** @type {string[]} raw text of every frame, in order */
    this.texts = [];
    /** @type {any[]} parsed frames (undefined for non-JSON text) */
    this.frames = [];
    /** @type {{ code: number, reason: string } | undefined} */
    this.closeInfo = undefined;
    this.pongs = 0;
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve(undefined));
      ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        this.closedAtMs = Date.now();
        resolve(this.closeInfo);
      });
    });
    ws.on('message', (data) => {
      const text = data.toString();
      this.texts.push(text);
      let frame;
      try {
        frame = JSON.parse(text);
      } catch {
        frame = undefined;
      }
      this.frames.push(frame);
    });
    ws.on('pong', () => {
      this.pongs += 1;
    });
    ws.on('error', () => {});
  }

  /** @param {Record<string, unknown>} request */
  send(request) {
    this.ws.send(JSON.stringify(request));
  }

  /**
   * Waits for the first frame (from the start) matching `predicate`.
   * @param {(frame: any) => boolean} predicate
   * @param {string} what
   * @param {number} [timeoutMs]
   */
  async frame(predicate, what, timeoutMs = SOON_MS) {
    return waitUntil(() => this.frames.find((f) => f !== undefined && predicate(f)), what, timeoutMs);
  }

  /**
   * The frame answering `requestId` (a MESSAGE, EVENT or ERROR carrying it).
   * @param {string} requestId
   */
  async reply(requestId) {
    return this.frame((f) => f.RequestId === requestId, `a frame with RequestId ${requestId}`);
  }

  /** Resolves with the close code and reason; fails if the socket does not close in time. */
  async closedWithin(timeoutMs = SOON_MS) {
    await waitUntil(() => this.closeInfo, 'the socket to close', timeoutMs);
    return /** @type {{ code: number, reason: string }} */ (this.closeInfo);
  }

  /** Closes from the client side (no-op when already closed). */
  async close() {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close(1000);
    const timer = setTimeout(() => this.ws.terminate(), 2000);
    await this.closed;
    clearTimeout(timer);
  }
}

/**
 * Issues a chat token through the signed HTTP API.
 * @param {Parameters<typeof signedRequest>[0]} server
 * @param {Record<string, unknown>} request CreateChatToken members
 */
export async function createToken(server, request) {
  const response = await signedRequest(server, '/CreateChatToken', request);
  if (response.status !== 200) throw new Error(`CreateChatToken failed: ${response.status} ${response.text}`);
  return /** @type {{ token: string, tokenExpirationTime: string, sessionExpirationTime: string }} */ (response.json);
}
