// @ts-check
// Room history as a standard fetch handler, `(request: Request) => Promise<Response>`: the token
// handler's steps (handler-steps.js: the host and origin allow-lists, CORS, `authorize`, the
// request's deadline, the one log entry), then readRoomHistory's read of the room's CloudWatch
// Logs destination, shared and kept briefly.
//
// CloudWatch Logs' read calls have low per-account quotas (GetLogEvents is counted per account
// and region, shared by every reader there), so a crowd that joins a room at once must not become
// a crowd of calls: concurrent requests for one room share one read, its answer is kept for
// cacheTtlMs (and says so in Cache-Control, so that a CDN in front of the handler serves the
// repeats), and a throttled read answers with the last answer kept (up to staleTtlMs old) or
// an empty history, never an error. A log group that does not exist or may not be read is the
// backend's misconfiguration: answered 502 with the cause's code, and logged.
import { InvalidOptionError, RequestValidationError } from '../errors.js';
import { entryLogger, positive, readOptions, wholeNumber } from '../option-table.js';
import { ChatTokenSigningError } from './errors.js';
import {
  answerOptions, authorizeCaller, backendFailed, configured, describeError, EarlyAnswer, errorAnswer, handlerWords, hostPolicy,
  originPolicy, serve, stopWith, within,
} from './handler-steps.js';
import { preloadHistory } from './history-core.js';
import { ChatHistoryError } from './history-errors.js';
import { MAX_HISTORY_LIMIT, READ_OPTIONS, readHistory } from './history.js';

/**
 * @typedef {import('./handler-steps.js').Answer} Answer
 * @typedef {import('./history.js').RoomHistory} RoomHistory
 * @typedef {import('./history.js').HistorySettings} HistorySettings
 * @typedef {{ history: RoomHistory, freshUntil: number, storedAt: number, error?: ChatHistoryError }} CacheEntry
 * @typedef {{ entry: CacheEntry, source: string, why?: string }} CacheAnswer source: read, cache, shared,
 *   stale, throttled or unavailable; why: the read's failure, for the log
 * @typedef {{ roomIdentifier: string, logGroupName?: string, limit?: number }} HistoryGrant the room a
 *   caller may read, its log group (default the handler's) and at most how many messages
 * @typedef {HistoryGrant | null | undefined | false} HistoryAuthorizeResult
 * @typedef {(request: Request, query: Record<string, string>) => HistoryAuthorizeResult | Promise<HistoryAuthorizeResult>} HistoryAuthorizeHook
 * @typedef {object} HistoryHandlerOwnOptions
 * @property {HistoryAuthorizeHook} authorize gets the request and its query; returns the room the
 *   caller may read, or null / throws TokenHandlerError to refuse
 * @property {string} [logGroupName] the log group when `authorize` names none
 * @property {string[] | '*'} [allowedHosts] as the token handler's
 * @property {import('./handler.js').AllowedOrigins} [allowedOrigins] as the token handler's
 * @property {number} [authorizeTimeoutMs] default 10000, for `authorize` (then 503)
 * @property {number} [requestTimeoutMs] default 30000, for the whole request (then 503)
 * @property {number} [cacheTtlMs] how long a room's answer is kept; default DEFAULT_HISTORY_CACHE_TTL_MS
 * @property {number} [staleTtlMs] how old a kept answer may be and stand in for a failed read;
 *   default DEFAULT_HISTORY_STALE_TTL_MS
 * @property {number} [maxCachedRooms] default 1000
 * @property {string} [cacheControl] Cache-Control of a 200; default public, for the time it is kept
 * @property {((entry: import('./handler-steps.js').HandlerLogEntry) => void) | false} [logger] as the token handler's
 * @typedef {import('./history.js').HistoryReadOptions & HistoryHandlerOwnOptions} HistoryHandlerOptions
 */

export const DEFAULT_HISTORY_CACHE_TTL_MS = 5_000;
export const DEFAULT_HISTORY_STALE_TTL_MS = 300_000;
const ALLOW = 'GET, OPTIONS';
/** The codes that say the backend is misconfigured (answered 502, not papered over). */
const MISCONFIGURED = new Set(['LOG_GROUP_NOT_FOUND', 'ACCESS_DENIED']);

const WORDS = handlerWords({
  owner: 'createHistoryHandler',
  backend: 'history backend',
  originRefused: 'This origin may not read chat history.',
  refused: 'You may not read this chat history.',
  parameters: 'the history to read ({ roomIdentifier, logGroupName?, limit? })',
});

/**
 * An optional string the core checks when it is used (the default log group).
 * @param {unknown} value
 * @param {import('../option-table.js').OptionContext} context
 */
function optionalText(value, { name }) {
  if (value === undefined || typeof value === 'string') return value;
  throw new InvalidOptionError(name, `\`${name}\` must be a string such as '/ivs/chat-logs'.`);
}

/** Each option's check and default, in the order they are checked: the one list of createHistoryHandler's options. */
const OPTIONS = {
  /** @param {unknown} value */
  authorize(value) {
    if (typeof value === 'function') return /** @type {import('./handler-steps.js').AuthorizeHook} */ (value);
    throw new InvalidOptionError('authorize', 'createHistoryHandler needs authorize(request, query): it returns the room the caller may read, { roomIdentifier, logGroupName?, limit? }, or null / throws TokenHandlerError to refuse.');
  },
  logGroupName: optionalText,
  ...READ_OPTIONS,
  credentials: configured(READ_OPTIONS.credentials),
  region: configured(READ_OPTIONS.region),
  endpoint: configured(READ_OPTIONS.endpoint),
  allowedOrigins: originPolicy,
  allowedHosts: hostPolicy,
  authorizeTimeoutMs: positive(10_000, 'milliseconds'),
  requestTimeoutMs: positive(30_000, 'milliseconds'),
  cacheTtlMs: wholeNumber(DEFAULT_HISTORY_CACHE_TTL_MS, { min: 0 }),
  staleTtlMs: wholeNumber(DEFAULT_HISTORY_STALE_TTL_MS, { min: 0 }),
  maxCachedRooms: wholeNumber(1000, { min: 1 }),
  /** @param {unknown} value */
  cacheControl(value) {
    if (value === undefined || (typeof value === 'string' && /^[\x20-\x7e]+$/.test(value))) return value;
    throw new InvalidOptionError('cacheControl', "cacheControl must be a Cache-Control header value such as 'private, max-age=5'.");
  },
  /** @type {(value: unknown, context: import('../option-table.js').OptionContext) => ((entry: import('./handler-steps.js').HandlerLogEntry) => void) | false | undefined} */
  logger: entryLogger,
};

/**
 * @typedef {import('../option-table.js').OptionSettings<typeof OPTIONS>} HandlerSettings
 * @typedef {HandlerSettings & { cache: HistoryCache }} ServingSettings
 */

/**
 * Creates the history backend: a fetch handler answering `GET ?roomIdentifier=...` (the query
 * goes to `authorize`, which decides the room) with `{ messages, complete, readAt }`.
 * @param {HistoryHandlerOptions} options
 * @returns {(request: Request) => Promise<Response>}
 */
export function createHistoryHandler(options) {
  const settings = readOptions(OPTIONS, options, { owner: 'createHistoryHandler', notAnObject: 'createHistoryHandler needs an options object with authorize and credentials (or getCredentials).' });
  /** @type {ServingSettings} */
  const serving = { ...settings, cache: new HistoryCache(settings) };
  preloadHistory();
  return (request) => serve(serving, WORDS, request, answerFor);
}

/**
 * @param {ServingSettings} settings
 * @param {Request} request
 * @param {string | undefined} corsOrigin
 * @returns {Promise<Answer>}
 */
async function answerFor(settings, request, corsOrigin) {
  if (request.method === 'OPTIONS') return answerOptions(request, corsOrigin, ALLOW);
  if (request.method !== 'GET') return errorAnswer(405, 'MethodNotAllowedException', 'Read chat history with GET.', { headers: { allow: ALLOW } });
  return within(settings, WORDS, answerGet(settings, request));
}

/**
 * What the handler answers for a room's history (and `ivschat get-room-history` prints).
 * @param {import('./history.js').RoomHistory} history
 * @param {number} readAt when it was read, milliseconds since 1970
 */
export function historyAnswer(history, readAt) {
  return { messages: history.messages, complete: history.complete, readAt: new Date(readAt).toISOString() };
}

/**
 * A GET, step by step: authorize (with the query) → the room's history, shared and kept.
 * @param {ServingSettings} settings
 * @param {Request} request
 * @returns {Promise<Answer>}
 */
async function answerGet(settings, request) {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const allowed = /** @type {Record<string, unknown>} */ (await authorizeCaller(settings, WORDS, request, query));
  const read = whatToRead(settings, allowed);
  const { entry, source, why } = await settings.cache.get(read);
  if (entry.error) return misconfiguredAnswer(entry.error, source);
  const { history } = entry;
  const maxAge = Math.max(0, Math.ceil((entry.freshUntil - Date.now()) / 1000));
  // Records that were not IVS's: said once, by the request that read them (not by those that share the read).
  const { tooLarge, notJson, otherVersion, malformed } = history.skipped;
  const skipped = source === 'read' && tooLarge + notJson + otherVersion + malformed > 0
    ? `; skipped records that are not IVS's: ${tooLarge} too large, ${notJson} not JSON, ${otherVersion} of another version, ${malformed} malformed`
    : '';
  const failedRead = source === 'stale' || source === 'throttled' || source === 'unavailable';
  const cacheControl = settings.cacheControl ?? `public, max-age=${maxAge}, s-maxage=${maxAge}`;
  return {
    status: 200,
    body: JSON.stringify(historyAnswer(history, entry.storedAt)),
    headers: { 'cache-control': cacheControl, 'x-ivschat-history': source },
    level: failedRead || skipped ? 'warn' : 'info',
    log: `history of ${read.roomIdentifier}: ${history.messages.length} messages (${source}${why ? `: ${why}` : ''})${skipped}`,
    // Said by the request whose read failed or met records that are not IVS's (once: the
    // answer is kept, and the requests that share or reuse it say nothing more).
    backendProblem: failedRead || skipped !== '',
  };
}

/**
 * The read `authorize` allows: its room, its log group (else the handler's), its limit (else the
 * handler's; at most MAX_HISTORY_LIMIT).
 * @param {HandlerSettings} settings
 * @param {Record<string, unknown>} allowed
 * @returns {{ roomIdentifier: string, logGroupName: string, limit: number }}
 */
function whatToRead(settings, allowed) {
  const { roomIdentifier, logGroupName = settings.logGroupName, limit = settings.limit } = allowed;
  if (typeof roomIdentifier !== 'string' || typeof logGroupName !== 'string' || typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
    throw new EarlyAnswer(backendFailed(WORDS, `authorize returned ${JSON.stringify(Object.keys(allowed))}; it must return { roomIdentifier: string, logGroupName?: string, limit?: 1-${MAX_HISTORY_LIMIT} } (a logGroupName, or createHistoryHandler's)`));
  }
  return { roomIdentifier, logGroupName, limit };
}

/**
 * The answer to a read the backend's own configuration prevents (no log group, no permission):
 * an error in the log for the request whose read found it, a warning for those that share or
 * reuse it (the default logger writes the first only).
 * @param {ChatHistoryError} error
 * @param {string} source
 */
function misconfiguredAnswer(error, source) {
  const found = source === 'unavailable';
  return {
    ...errorAnswer(502, 'BadGatewayException', `Chat history is unavailable (${error.code}).`, {
      extra: { reason: error.code },
      log: found ? error.message : `${error.message} (${source})`,
      level: found ? 'error' : 'warn',
    }),
    backendProblem: found,
  };
}

/**
 * The histories read lately, one entry per room (and log group and limit), with the reads under
 * way: a request finds a fresh entry (`cache`), joins the read under way (`shared`), or starts
 * one (`read`). A throttled or failed read keeps the last entry (up to staleTtlMs old: `stale`)
 * or an empty history (`throttled`, `unavailable`) for cacheTtlMs, so that its repeats do not
 * become calls either.
 */
class HistoryCache {
  /** @param {HandlerSettings} settings */
  constructor(settings) {
    this.settings = settings;
    /** @type {Map<string, CacheEntry>} oldest first */
    this.entries = new Map();
    /** @type {Map<string, Promise<CacheAnswer>>} */
    this.reads = new Map();
  }

  /**
   * @param {{ roomIdentifier: string, logGroupName: string, limit: number }} read
   * @returns {Promise<CacheAnswer>}
   */
  async get(read) {
    const key = `${read.logGroupName}\n${read.roomIdentifier}\n${read.limit}`;
    const kept = this.entries.get(key);
    if (kept && Date.now() < kept.freshUntil) return { entry: kept, source: 'cache' };
    const underWay = this.reads.get(key);
    if (underWay) return { ...(await underWay), source: 'shared' };
    const reading = this.#read(key, read, kept).finally(() => this.reads.delete(key));
    this.reads.set(key, reading);
    return reading;
  }

  /**
   * @param {string} key
   * @param {{ roomIdentifier: string, logGroupName: string, limit: number }} read
   * @param {CacheEntry | undefined} kept the last entry, fresh no more
   * @returns {Promise<CacheAnswer>}
   */
  async #read(key, read, kept) {
    const { cacheTtlMs, staleTtlMs } = this.settings;
    /** @type {HistorySettings} */
    const settings = { ...this.settings, ...read, signal: undefined };
    try {
      const history = await readHistory(settings);
      const now = Date.now();
      return { entry: this.#keep(key, { history, storedAt: now, freshUntil: now + cacheTtlMs }), source: 'read' };
    } catch (error) {
      if (error instanceof RequestValidationError) {
        throw stopWith(400, 'ValidationException', `The history request is invalid: ${error.message}`, { extra: { fieldList: error.errors.map(({ field, message }) => ({ name: field, message })) } });
      }
      if (error instanceof ChatTokenSigningError) {
        throw stopWith(500, 'InternalServerException', 'The history backend is misconfigured.', { log: `cannot sign: ${describeError(error)}`, field: error.field });
      }
      if (!(error instanceof ChatHistoryError)) throw new EarlyAnswer(backendFailed(WORDS, `the history read failed: ${describeError(error)}`));
      const now = Date.now();
      if (MISCONFIGURED.has(error.code)) {
        return { entry: this.#keep(key, { history: emptyHistory(), storedAt: now, freshUntil: now + cacheTtlMs, error }), source: 'unavailable' };
      }
      // Throttled, late or unreachable: the last answer while it is not too old, else none.
      const stale = kept && !kept.error && now - kept.storedAt <= staleTtlMs ? kept : undefined;
      const history = stale?.history ?? emptyHistory();
      const source = stale ? 'stale' : error.code === 'THROTTLED' ? 'throttled' : 'unavailable';
      const entry = this.#keep(key, { history, storedAt: stale?.storedAt ?? now, freshUntil: now + cacheTtlMs });
      return { entry, source, why: error.message };
    }
  }

  /**
   * Keeps an entry, the oldest going past maxCachedRooms.
   * @param {string} key
   * @param {CacheEntry} entry
   */
  #keep(key, entry) {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.settings.maxCachedRooms) this.entries.delete(/** @type {string} */ (this.entries.keys().next().value));
    return entry;
  }
}

/** @returns {RoomHistory} */
function emptyHistory() {
  return { messages: [], complete: false, pages: 0, skipped: { tooLarge: 0, notJson: 0, otherVersion: 0, malformed: 0 }, logStreamName: '' };
}
