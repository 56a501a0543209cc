// @ts-check
// ChatRoom's options: the one list of their names, each with its check and default. The
// constructor reads options through it (with js/option-table.js), and types/chat-room.d.ts documents the same names
// (tests/chat/options.test.js holds the two to each other).
import { DEFAULT_TOKEN_TIMEOUT_MS } from '../api.js';
import { InvalidOptionError } from '../errors.js';
import { flag, positive, readOptions, wholeNumber } from '../option-table.js';
import { resolveBackoffOptions } from './backoff.js';

/**
 * @typedef {import('./chat-socket.js').WebSocketClass} WebSocketClass
 * @typedef {import('./token-provider.js').ChatTokenLike} ChatTokenLike
 * @typedef {{ debug?: (...args: unknown[]) => void, info?: (...args: unknown[]) => void,
 *   warn?: (...args: unknown[]) => void, error?: (...args: unknown[]) => void }} ChatLogger
 * @typedef {import('./timers.js').ChatClock} ChatClock
 *
 * @typedef {object} ChatRoomOptions (documented in types/chat-room.d.ts)
 * @property {string} regionOrUrl
 * @property {() => Promise<ChatTokenLike> | ChatTokenLike} tokenProvider
 * @property {number} [maxReconnectAttempts]
 * @property {import('./backoff.js').BackoffOptions} [backoff]
 * @property {number} [requestTimeoutMs]
 * @property {number} [maxMessageLength]
 * @property {number} [maxMessagesPerSecond]
 * @property {number} [maxRateLimitWaitMs]
 * @property {number} [tokenTimeoutMs]
 * @property {number} [connectTimeoutMs]
 * @property {boolean} [reconnectOnNetworkChange]
 * @property {WebSocketClass} [WebSocket]
 * @property {ChatLogger} [logger]
 * @property {string} [id]
 * @property {ChatClock} [clock]
 * @property {() => number} [random]
 * @property {import('./history.js').ChatHistory} [history]
 */

/** The largest (and default) maximumMessageLength of a room. */
const MAX_MESSAGE_LENGTH = 500;
const REGION_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** @type {ChatClock} */
const SYSTEM_CLOCK = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
};

/** @param {unknown} regionOrUrl */
function messagingUrl(regionOrUrl) {
  if (typeof regionOrUrl === 'string' && /^wss?:\/\//i.test(regionOrUrl)) {
    try {
      return new URL(regionOrUrl).href;
    } catch {
      throw new InvalidOptionError('regionOrUrl', '`regionOrUrl` looks like a WebSocket URL but is not a valid URL.');
    }
  }
  if (typeof regionOrUrl !== 'string' || !REGION_PATTERN.test(regionOrUrl)) {
    throw new InvalidOptionError('regionOrUrl', '`regionOrUrl` must be an AWS region such as `us-east-1` (lower-case letters, digits and dashes) or a ws:// or wss:// URL.');
  }
  return `wss://edge.ivschat.${regionOrUrl}.amazonaws.com`;
}

/** Each option's check and default, by name: the one list of ChatRoom's options. */
const OPTIONS = {
  regionOrUrl: messagingUrl,
  /** @param {unknown} value */
  tokenProvider(value) {
    if (typeof value === 'function') return /** @type {() => Promise<ChatTokenLike> | ChatTokenLike} */ (value);
    throw new InvalidOptionError('tokenProvider', '`tokenProvider` must be a function returning (a promise of) { token, sessionExpirationTime, tokenExpirationTime }; fetchTokenProvider() makes one.');
  },
  maxReconnectAttempts: wholeNumber(3, { min: 0, infinity: true }),
  backoff: resolveBackoffOptions,
  requestTimeoutMs: positive(10_000, 'milliseconds'),
  /** @param {unknown} value @param {import('../option-table.js').OptionContext} context */
  maxMessageLength(value, context) {
    const length = wholeNumber(MAX_MESSAGE_LENGTH, { min: 1 })(value, context);
    if (length <= MAX_MESSAGE_LENGTH) return length;
    throw new InvalidOptionError('maxMessageLength', `\`maxMessageLength\` is the room's maximumMessageLength: 1 to ${MAX_MESSAGE_LENGTH}.`);
  },
  maxMessagesPerSecond: wholeNumber(10, { min: 1, infinity: true }),
  /** @param {unknown} value */
  maxRateLimitWaitMs(value) {
    if (value === undefined) return 2000;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    throw new InvalidOptionError('maxRateLimitWaitMs', '`maxRateLimitWaitMs` must be a finite number of milliseconds, 0 or more.');
  },
  tokenTimeoutMs: positive(DEFAULT_TOKEN_TIMEOUT_MS, 'milliseconds'),
  connectTimeoutMs: positive(10_000, 'milliseconds'),
  reconnectOnNetworkChange: flag(true),
  /** @param {unknown} value */
  WebSocket(value) {
    const WebSocketClass = value ?? globalThis.WebSocket;
    if (typeof WebSocketClass === 'function') return /** @type {WebSocketClass} */ (WebSocketClass);
    throw new InvalidOptionError(
      'WebSocket',
      value === undefined
        ? "This runtime has no global WebSocket (Node.js 20 and older). Install the 'ws' package and pass its class: import { WebSocket } from 'ws'; new ChatRoom({ ..., WebSocket })."
        : '`WebSocket` must be a WebSocket class, such as the one of the \'ws\' package.',
    );
  },
  /** @param {unknown} value */
  logger(value) {
    if (value === undefined) return /** @type {ChatLogger} */ ({}); // silent
    if (value !== null && typeof value === 'object') return /** @type {ChatLogger} */ (value);
    throw new InvalidOptionError('logger', '`logger` must be an object with debug, info, warn and/or error methods (console works).');
  },
  /** @param {unknown} value */
  id(value) {
    if (value === undefined) return newRequestId();
    if (typeof value === 'string') return value;
    throw new InvalidOptionError('id', '`id` must be a string (it names the room in log lines).');
  },
  /** @param {unknown} value */
  clock(value) {
    if (value === undefined) return SYSTEM_CLOCK;
    const given = /** @type {Partial<ChatClock> | null} */ (value);
    if (given && typeof given.now === 'function' && typeof given.setTimeout === 'function' && typeof given.clearTimeout === 'function') {
      return /** @type {ChatClock} */ (given);
    }
    throw new InvalidOptionError('clock', '`clock` must have now(), setTimeout(callback, ms) and clearTimeout(handle).');
  },
  /** @param {unknown} value */
  random(value) {
    if (value === undefined) return Math.random;
    if (typeof value === 'function') return /** @type {() => number} */ (value);
    throw new InvalidOptionError('random', '`random` must be a function returning a number in [0, 1).');
  },
  /** @param {unknown} value (chatHistory's own options were checked when it made it) */
  history(value) {
    if (value === undefined || typeof (/** @type {{ attach?: unknown } | null} */ (value))?.attach === 'function') return /** @type {import('./history.js').ChatHistory | undefined} */ (value);
    throw new InvalidOptionError('history', '`history` must be what chatHistory({ provider, ... }) returns.');
  },
};

/** The names of ChatRoom's options. */
export const CHAT_ROOM_OPTION_NAMES = Object.freeze(Object.keys(OPTIONS));

/** @typedef {import('../option-table.js').OptionSettings<typeof OPTIONS>} ChatRoomSettings */

/**
 * Checks every option (InvalidOptionError names the one at fault, unknown ones included) and
 * fills in the defaults.
 * @param {unknown} options
 * @returns {ChatRoomSettings}
 */
export function readChatRoomOptions(options) {
  return readOptions(OPTIONS, options, { owner: 'ChatRoom', notAnObject: 'ChatRoom needs an options object: { regionOrUrl, tokenProvider, ... }.' });
}

/** A v4 UUID; crypto.randomUUID is missing outside secure contexts, getRandomValues is not. */
export function newRequestId() {
  const cryptoApi = globalThis.crypto;
  if (typeof cryptoApi?.randomUUID === 'function') return cryptoApi.randomUUID();
  const bytes = cryptoApi.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
