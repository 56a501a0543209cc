// Shared by the reliability tests and by `npm run reliability` (reliability/run.js): a recording
// clock and seeded random source that check every backoff delay exactly, the token backend
// (createTokenHandler through toNodeListener) in front of the local server, percentiles, and a
// bounded wait for a set of promises. Loopback only; every wait is bounded.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';

import { createTokenHandler, toNodeListener } from 'ivschat-wasm/backend';

export { assertUniqueIds, record, settled, sleep, startChat, waitFor } from '../chat/helpers.js';

/** Generous bound for anything that should happen "soon" on a slow, loaded 2-core machine. */
export const SOON_MS = 20_000;

/**
 * A deterministic source in [0, 1) (mulberry32), so a failing run can be replayed.
 * @param {number} seed
 */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The backoff as the documentation states it, written out independently of js/chat/backoff.js:
 * delay = floor(random × min(maxDelayMs, initialDelayMs × multiplier^step)).
 * @param {{ initialDelayMs: number, maxDelayMs: number, multiplier: number }} backoff
 * @param {number} step
 * @param {number} random
 */
export function specifiedDelay(backoff, step, random) {
  return Math.floor(random * Math.min(backoff.maxDelayMs, backoff.initialDelayMs * backoff.multiplier ** step));
}

/**
 * Real time and timers for a ChatRoom (`clock` option) plus a seeded `random` option; records
 * every backoff delay with the random value it was made from. The room draws one random number
 * per backoff delay and sets that delay's timer synchronously right after, so each draw is paired
 * with the next timer. `context()` (set by the test) labels each draw, e.g. with the outage it is in.
 * @param {number} seed
 */
export function backoffProbe(seed) {
  const source = seededRandom(seed);
  /** @type {number | undefined} */
  let drawn;
  const probe = {
    /** @type {{ random: number, ms: number, context: any }[]} */
    delays: [],
    /** @type {() => any} */
    context: () => undefined,
    random: () => {
      assert.equal(drawn, undefined, 'two random draws without a backoff timer in between');
      drawn = source();
      return drawn;
    },
    clock: {
      now: () => Date.now(),
      setTimeout: (/** @type {() => void} */ callback, /** @type {number} */ ms) => {
        if (drawn !== undefined) {
          probe.delays.push({ random: drawn, ms, context: probe.context() });
          drawn = undefined;
        }
        return setTimeout(callback, ms);
      },
      clearTimeout: (/** @type {any} */ handle) => clearTimeout(handle),
    },
  };
  return probe;
}

/**
 * Deadlines of startTokenBackend unless the caller gives its own: the call to IVS and the whole
 * request. Under the load runs (50 requests at once, reliability/load.js) a request takes up to
 * ~0.9 s on a quiet 2-core machine (reliability/results.json: p99 330 ms, max 910 ms) and 5.5 s
 * with the machine busy; the handler's defaults (10 s, 30 s) are too close to that on a loaded
 * machine. 45 s is 50x the quiet maximum, and both stay under load.js's own 60 s per request, so
 * a call that really hangs is still answered by the handler (504 or 503), not cut by the client.
 */
export const BACKEND_IVS_TIMEOUT_MS = 45_000;
export const BACKEND_REQUEST_TIMEOUT_MS = 50_000;

/**
 * The handler's `fetch` for its calls to the local server (unless the caller gives one): over
 * node:http, a new connection per call. Under the load runs on a busy machine the global fetch
 * failed calls as "Could not reach IVS" (502) that a slow machine, not the code, caused: undici
 * gives up on a connection after a fixed 10 s and may reuse a keep-alive socket the server is
 * just closing; node:http with no agent does neither. The handler's deadline still applies.
 * @param {string | URL} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: string, signal?: AbortSignal }} [init]
 * @returns {Promise<Response>}
 */
export function loopbackFetch(url, init = {}) {
  const { method = 'GET', headers = {}, body, signal } = init;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const sized = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const request = httpRequest(url, { method, headers: sized, agent: false }, (response) => {
      const answerHeaders = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      resolve(new Response(/** @type {any} */ (Readable.toWeb(response)), { status: response.statusCode, headers: answerHeaders }));
    });
    const onAbort = () => request.destroy(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', reject);
    request.on('close', () => signal?.removeEventListener('abort', onAbort));
    request.end(body);
  });
}

/**
 * The token backend of the README, served by Node's http on loopback in front of the local
 * server. `authorize` trusts the body (tests only): what the caller asks for is what it gets.
 * @param {{ controlPlaneUrl: string, credentials: any }} ivs
 * @param {Partial<import('../../types/backend.d.ts').TokenHandlerOptions>} [options]
 */
export async function startTokenBackend(ivs, options = {}) {
  const handler = createTokenHandler({
    credentials: ivs.credentials,
    endpoint: ivs.controlPlaneUrl,
    authorize: (_request, body) => /** @type {any} */ (body),
    timeoutMs: BACKEND_IVS_TIMEOUT_MS,
    requestTimeoutMs: BACKEND_REQUEST_TIMEOUT_MS,
    fetch: loopbackFetch,
    ...options,
  });
  const server = createServer(toNodeListener(handler));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/chat-token`,
    port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve(undefined));
    }),
  };
}

/**
 * The p-th percentile (nearest rank) of some numbers.
 * @param {number[]} values
 * @param {number} p 0-100
 */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Waits for every promise, failing (instead of hanging) if some have not settled after `ms`.
 * @template T
 * @param {Promise<T>[]} promises
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T[]>}
 */
export async function allWithin(promises, ms, what) {
  let settledCount = 0;
  for (const promise of promises) promise.then(() => (settledCount += 1), () => (settledCount += 1));
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: ${promises.length - settledCount} of ${promises.length} still unsettled after ${ms} ms`)), ms);
  });
  try {
    return /** @type {T[]} */ (await Promise.race([Promise.all(promises), deadline]));
  } finally {
    clearTimeout(timer);
  }
}

/** Rounds to one decimal, for figures. @param {number} value */
export const round1 = (value) => Math.round(value * 10) / 10;
