// @ts-check
// What a ChatRoom gets from its tokenProvider, checked once; and a ready-made provider that asks
// the app's token backend with createChatToken (validated in WebAssembly before it is sent).
import { createChatToken } from '../api.js';
import { InvalidOptionError } from '../errors.js';

/**
 * @typedef {object} ChatTokenLike what a tokenProvider may return
 * @property {string} token
 * @property {Date | string} [tokenExpirationTime]
 * @property {Date | string} [sessionExpirationTime]
 * @property {string} [userId] the token's user, when the provider knows it (lets the room tell a kick of its own user)
 *
 * @typedef {object} RoomToken a token as the room uses it
 * @property {string} token
 * @property {number | undefined} tokenExpiresAt ms since the epoch
 * @property {number | undefined} sessionExpiresAt ms since the epoch
 * @property {string | undefined} userId
 */

/**
 * Reads a tokenProvider's answer; throws a plain Error (never quoting the token) when unusable.
 * @param {unknown} value
 * @returns {RoomToken}
 */
export function readProvidedToken(value) {
  if (value === null || typeof value !== 'object') {
    throw new Error(`the tokenProvider returned ${value === null ? 'null' : typeof value}, not { token, sessionExpirationTime }`);
  }
  const given = /** @type {Record<string, unknown>} */ (value);
  if (typeof given.token !== 'string' || given.token.length === 0) {
    throw new Error('the tokenProvider returned no `token` (a non-empty string)');
  }
  if (given.userId !== undefined && typeof given.userId !== 'string') {
    throw new Error('the tokenProvider returned a `userId` that is not a string');
  }
  return {
    token: given.token,
    tokenExpiresAt: readInstant(given.tokenExpirationTime, 'tokenExpirationTime'),
    sessionExpiresAt: readInstant(given.sessionExpirationTime, 'sessionExpirationTime'),
    userId: given.userId || undefined,
  };
}

/**
 * @param {unknown} value a Date, an ISO 8601 string, or absent
 * @param {string} name
 */
function readInstant(value, name) {
  if (value === undefined || value === null) return undefined;
  const millis = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(millis)) throw new Error(`the tokenProvider returned an invalid \`${name}\` (expected a Date or an ISO 8601 string)`);
  return millis;
}

/**
 * @typedef {object} FetchTokenInit
 * @property {typeof fetch} [fetch] defaults to the global fetch
 * @property {Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>)} [headers]
 *   extra headers, or a function giving fresh ones for each token (e.g. the app's current session)
 * @property {number} [timeoutMs] per token request (createChatToken's default, 10 s, when absent)
 * @property {AbortSignal} [signal] aborts every token request once aborted
 */

/**
 * A tokenProvider that asks the app's token backend for a new token each time, with
 * createChatToken: the request is validated in WebAssembly (a bad one is never sent) and the
 * answer parsed there. The tokens carry the request's `userId`, which lets the room recognise
 * that it was its own user who was disconnected by a moderator.
 * @param {string | URL} endpoint the token backend
 * @param {import('../api.js').CreateChatTokenRequest} request the CreateChatToken request
 * @param {FetchTokenInit} [init]
 * @returns {() => Promise<import('../api.js').ChatToken & { userId: string }>}
 */
export function fetchTokenProvider(endpoint, request, init = {}) {
  if (typeof endpoint !== 'string' && !(endpoint instanceof URL)) {
    throw new InvalidOptionError('endpoint', 'fetchTokenProvider needs `endpoint`, the URL of your token backend.');
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    throw new InvalidOptionError('request', 'fetchTokenProvider needs the CreateChatToken request: { roomIdentifier, userId, capabilities?, ... }.');
  }
  if (init === null || typeof init !== 'object') {
    throw new InvalidOptionError('init', 'The third argument of fetchTokenProvider must be an object: { fetch?, headers?, timeoutMs?, signal? }.');
  }
  const { headers, ...rest } = init;
  // Copied now, so later changes by the caller do not change what is asked for.
  let frozenRequest;
  try {
    frozenRequest = structuredClone(request);
  } catch {
    throw new InvalidOptionError('request', 'The CreateChatToken request must be plain data (it could not be copied).');
  }
  return async () => {
    const resolvedHeaders = typeof headers === 'function' ? await headers() : headers;
    const token = await createChatToken({ ...frozenRequest, endpoint, ...rest, headers: resolvedHeaders });
    return { ...token, userId: frozenRequest.userId };
  };
}
