// @ts-check
// Room history (issue 22): a room's recent messages, read from its chat logging's CloudWatch Logs
// destination. IVS Chat keeps no history itself; a room with a logging configuration whose
// destination is a CloudWatch Logs log group gets every MESSAGE and EVENT written, about 10 s
// late, to the stream `aws/IVSChatLogs/1.0/room_{roomId}` of that group.
//
// The read: GetLogEvents on the room's stream, newest first (startFromHead false), page by page
// backwards (nextBackwardToken), within maxAgeMs. Each request is validated, built and signed in
// the history module of the core (ivschat-history.wasm, history-core.js); each answer's records
// are read and checked there too (a record that is not IVS's is skipped and counted). Reading
// backwards, a deletion is met before the message it deletes: `aws:DELETE_MESSAGE` removes its
// message, and a removal event of the app (`removalEvents`, by default the demo's
// `app:DELETE_USER_MESSAGES` with the attribute `userId`) removes that user's earlier messages.
// The read stops at `limit` messages, or at its bounds: maxPages pages, maxBytes of answers,
// timeoutMs in all.
import { Deadline } from '../deadline.js';
import { InvalidOptionError, IvsChatError, IvsChatRequestError, RequestValidationError } from '../errors.js';
import { httpError } from '../http-error.js';
import { abortSignal, fetchFunction, positive, readOptions, wholeNumber } from '../option-table.js';
import { postJson } from '../post-json.js';
import { Redactor } from '../redact.js';
import { removalEventsOption } from '../removal-events.js';
import { CREDENTIAL_OPTIONS, credentialsOf, rememberCredentials } from './credential-options.js';
import { ChatHistoryError } from './history-errors.js';
import { initHistory } from './history-core.js';
import { SIGNING_OPTIONS } from './sign.js';

/**
 * @typedef {import('../../dist/ivschat-history-calls.js').HistoryCore} HistoryCore
 * @typedef {import('../chat/frame-events.js').ChatMessage} ChatMessage
 * @typedef {object} RoomHistory
 * @property {ChatMessage[]} messages the newest `limit` messages left after deletions, oldest first
 * @property {boolean} complete false when a bound (maxPages, maxBytes, the time, throttling) cut
 *   the read before `limit` messages or the start of the window were reached
 * @property {number} pages CloudWatch Logs calls made
 * @property {{ tooLarge: number, notJson: number, otherVersion: number, malformed: number }} skipped
 *   records that were not IVS's, by why (never returned)
 * @property {string} logStreamName the room's stream
 * @typedef {import('./sign.js').AwsCredentials} AwsCredentials
 * @typedef {object} HistoryReadOptions how a read goes (readRoomHistory's and createHistoryHandler's)
 * @property {AwsCredentials} [credentials] fixed credentials that may call logs:GetLogEvents on
 *   the log group (or give getCredentials)
 * @property {() => AwsCredentials | Promise<AwsCredentials>} [getCredentials] called for every read
 * @property {string} [region] signing region; default: the room ARN's
 * @property {string | URL} [endpoint] CloudWatch Logs; default: the region's
 * @property {boolean} [allowInsecureEndpoint] allow a plain http:// endpoint that is not loopback
 * @property {Date | number} [now] the signing time (tests); default: now
 * @property {number} [limit] the newest messages returned, 1-1000; default DEFAULT_HISTORY_LIMIT
 * @property {number} [maxAgeMs] how far back to read; default one day
 * @property {number} [pageSize] log events per GetLogEvents call, 1-10000; default 100
 * @property {number} [maxPages] GetLogEvents calls per read, 1-100; default 5
 * @property {number} [maxBytes] bytes of answers per read; default 1 MiB
 * @property {Record<string, string>} [removalEvents] event name -> the attribute naming the user
 *   whose earlier messages go; default DEFAULT_REMOVAL_EVENTS
 * @property {number} [timeoutMs] the whole read; default DEFAULT_HISTORY_TIMEOUT_MS
 * @property {typeof fetch} [fetch] default: the global fetch at call time
 * @typedef {HistoryReadOptions & { roomIdentifier: string, logGroupName: string, signal?: AbortSignal }} RoomHistoryOptions
 *   the room's ARN, the log group of its logging configuration, and what aborts the read
 */

export const DEFAULT_HISTORY_LIMIT = 50;
export const DEFAULT_HISTORY_TIMEOUT_MS = 5_000;
const DAY_MS = 86_400_000;
/**
 * An answer must fit the core's input area (256 KiB, and JavaScript reserves 3 bytes a UTF-16
 * unit): a page over this is read again with half as many events.
 */
const MAX_PAGE_BYTES = 87_000;
/** Waits before the retries of a throttled call (with up to as much jitter again). */
const THROTTLE_BACKOFF_MS = [200, 800];

/**
 * A string the core checks (roomIdentifier, logGroupName): here only that it is one.
 * @param {unknown} value
 * @param {import('../option-table.js').OptionContext} context
 */
function passedOn(value, { name }) {
  if (typeof value === 'string') return value;
  throw new InvalidOptionError(name, `\`${name}\` must be a string, got ${value === undefined ? 'nothing' : typeof value}.`);
}

/** The most messages one read returns. */
export const MAX_HISTORY_LIMIT = 1000;
const limitOption = wholeNumber(DEFAULT_HISTORY_LIMIT, { min: 1, max: MAX_HISTORY_LIMIT });

/**
 * How a read goes, each option's check and default: shared by readRoomHistory and
 * createHistoryHandler (which reads them once, when it is made).
 */
export const READ_OPTIONS = {
  limit: limitOption,
  maxAgeMs: positive(DAY_MS, 'milliseconds'),
  pageSize: wholeNumber(100, { min: 1, max: 10_000 }),
  maxPages: wholeNumber(5, { min: 1, max: 100 }),
  maxBytes: wholeNumber(1_048_576, { min: 1 }),
  removalEvents: removalEventsOption,
  ...SIGNING_OPTIONS, // credentials (checked with getCredentials below), region, endpoint, now, and the signer they make
  ...CREDENTIAL_OPTIONS,
  timeoutMs: positive(DEFAULT_HISTORY_TIMEOUT_MS, 'milliseconds'),
  fetch: fetchFunction,
};

/** Each option's check and default: the one list of readRoomHistory's options. */
const OPTIONS = {
  roomIdentifier: passedOn,
  logGroupName: passedOn,
  ...READ_OPTIONS,
  signal: abortSignal,
};

/**
 * @typedef {import('../option-table.js').OptionSettings<typeof OPTIONS>} HistorySettings
 */

/**
 * Reads a room's recent messages from its CloudWatch Logs destination.
 * @param {RoomHistoryOptions} options
 * @returns {Promise<RoomHistory>}
 */
export async function readRoomHistory(options) {
  return readHistory(readOptions(OPTIONS, options, { owner: 'readRoomHistory', notAnObject: 'readRoomHistory needs an options object with roomIdentifier, logGroupName and credentials.' }));
}

/**
 * The read itself, with settings already checked.
 * @param {HistorySettings} settings
 * @returns {Promise<RoomHistory>}
 */
export async function readHistory(settings) {
  const { timeoutMs, signal } = settings;
  const credentials = await credentialsOf(settings);
  const core = await initHistory();
  const redactor = new Redactor();
  rememberCredentials(redactor, credentials);
  const deadline = new Deadline(timeoutMs, { signal });
  try {
    return await readPages(settings, core, credentials, redactor, deadline);
  } finally {
    deadline.clear();
  }
}

/**
 * What the pages read so far hold: messages newest first, the deletions and removals met.
 */
class Collected {
  /** @param {Readonly<Record<string, string>>} removalEvents */
  constructor(removalEvents) {
    this.removalEvents = removalEvents;
    /** @type {{ message: ChatMessage, millis: number }[]} newest first */
    this.messages = [];
    /** @type {Set<string>} */
    this.seen = new Set();
    /** @type {Set<string>} */
    this.deleted = new Set();
    /** @type {Map<string, number>} user id -> the latest removal's SendTime (ms) */
    this.removedUsers = new Map();
  }

  /**
   * A page's items, oldest first as the page holds them: taken newest first.
   * @param {{ kind: string, id: string, sendTimeMillis: string, userId: string, target: string, json: string }[]} items
   */
  take(items) {
    for (let i = items.length - 1; i >= 0; i--) {
      const { kind, id, sendTimeMillis, userId, target, json } = items[i];
      const millis = Number(sendTimeMillis);
      if (kind === 'DELETE_MESSAGE') {
        this.deleted.add(target);
      } else if (kind === 'EVENT') {
        const attribute = Object.hasOwn(this.removalEvents, target) ? this.removalEvents[target] : undefined;
        const user = attribute === undefined ? undefined : /** @type {Record<string, string>} */ (JSON.parse(json))[attribute];
        if (user) this.removedUsers.set(user, Math.max(this.removedUsers.get(user) ?? -Infinity, millis));
      } else if (!this.deleted.has(id) && !this.seen.has(id) && !((this.removedUsers.get(userId) ?? -Infinity) >= millis)) {
        this.seen.add(id);
        const message = /** @type {ChatMessage} */ (JSON.parse(json));
        message.sendTime = new Date(millis);
        this.messages.push({ message, millis });
      }
    }
  }

  /**
   * The newest `limit`, oldest first (by SendTime; ties in log order).
   * @param {number} limit
   */
  newest(limit) {
    return this.messages
      .slice(0, limit)
      .reverse()
      .map((entry, order) => ({ ...entry, order }))
      .sort((a, b) => a.millis - b.millis || a.order - b.order)
      .map(({ message }) => message);
  }
}

/**
 * The pages, newest first, until `limit` messages or a bound.
 * @param {HistorySettings} settings
 * @param {HistoryCore} core
 * @param {import('./sign.js').CheckedCredentials} credentials
 * @param {Redactor} redactor
 * @param {Deadline} deadline
 * @returns {Promise<RoomHistory>}
 */
async function readPages(settings, core, credentials, redactor, deadline) {
  const { roomIdentifier, logGroupName, limit, maxAgeMs, maxPages, maxBytes, removalEvents, now } = settings;
  const collected = new Collected(removalEvents);
  const skipped = { tooLarge: 0, notJson: 0, otherVersion: 0, malformed: 0 };
  const startTime = Math.max(0, Math.floor((now ?? Date.now()) - maxAgeMs));
  let pageSize = settings.pageSize;
  let pages = 0;
  let bytes = 0;
  /** @type {string | undefined} */
  let token;
  let logStreamName = '';
  let complete = false;
  const result = () => ({ messages: collected.newest(limit), complete, pages, skipped, logStreamName });
  while (pages < maxPages && bytes < maxBytes) {
    const request = { roomIdentifier, logGroupName, startTime, limit: pageSize, startFromHead: false, ...(token !== undefined && { nextToken: token }) };
    const signed = sign(core, request, settings, credentials);
    logStreamName = signed.logStreamName;
    redactor.add(signed.signature);
    pages += 1;
    /** @type {string} */
    let text;
    try {
      text = await callLogs(core, signed, settings, redactor, deadline);
    } catch (error) {
      if (error instanceof PageTooLarge && pageSize > 1) {
        pageSize = Math.max(1, Math.floor(pageSize / 2));
        continue;
      }
      if (error instanceof StreamNotFound) {
        // The room has logged nothing yet (IVS makes the stream with the first record).
        complete = true;
        return result();
      }
      // A later page that fails leaves the messages read so far, marked incomplete.
      if (bytes > 0 && error instanceof ChatHistoryError && error.code !== 'LOG_GROUP_NOT_FOUND' && error.code !== 'ACCESS_DENIED') return result();
      throw error instanceof PageTooLarge ? error.error : error;
    }
    bytes += text.length;
    const page = core.readChatLogPage({ body: text });
    if (!page.ok) {
      throw new ChatHistoryError('MALFORMED_RESPONSE', `CloudWatch Logs' answer to GetLogEvents is unusable: ${page.error}.`, { logGroupName });
    }
    skipped.tooLarge += page.skippedTooLarge;
    skipped.notJson += page.skippedNotJson;
    skipped.otherVersion += page.skippedOtherVersion;
    skipped.malformed += page.skippedMalformed;
    collected.take(page.items);
    if (collected.messages.length >= limit) {
      complete = true;
      break;
    }
    // The start of the window: a page with fewer events than asked (CloudWatch fills a page up to
    // `limit` unless it reaches 1 MB, and these pages are far smaller), an empty page, or a
    // backward token that no longer moves.
    if (page.events < pageSize || !page.nextBackwardToken || page.nextBackwardToken === token) {
      complete = true;
      break;
    }
    token = page.nextBackwardToken;
  }
  return result();
}

/** A page over MAX_PAGE_BYTES (read again with fewer events). */
class PageTooLarge {
  /** @param {ChatHistoryError} error */
  constructor(error) {
    this.error = error;
  }
}

/** GetLogEvents answered that the room's stream does not exist. */
class StreamNotFound {}

/**
 * One GetLogEvents request, validated and signed in the core.
 * @param {HistoryCore} core
 * @param {Record<string, unknown>} request
 * @param {HistorySettings} settings
 * @param {import('./sign.js').CheckedCredentials} credentials
 */
function sign(core, request, { signer }, credentials) {
  /** @type {{ target: string, logStreamName: string }} */
  const extra = { target: '', logStreamName: '' };
  const outcome = signer((inputs) => {
    const result = core.signLogsRequest(inputs);
    if (result.ok) ({ target: extra.target, logStreamName: extra.logStreamName } = result);
    return result;
  }, /** @type {'GetLogEvents'} */ ('GetLogEvents'), request, credentials);
  if (!outcome.ok) throw new RequestValidationError('GetLogEvents', outcome.errors);
  const { url, headers, body } = outcome.request;
  headers['content-type'] = 'application/x-amz-json-1.1';
  headers['x-amz-target'] = extra.target;
  return { url, headers, body, signature: outcome.signature, logStreamName: extra.logStreamName };
}

/**
 * Sends one signed call within the read's deadline; retries a throttled call after a backoff
 * while time remains. Resolves with a 2xx answer's text.
 * @param {HistoryCore} core
 * @param {{ url: string, headers: Record<string, string>, body: string }} signed
 * @param {HistorySettings} settings
 * @param {Redactor} redactor
 * @param {Deadline} deadline
 * @returns {Promise<string>}
 */
async function callLogs(core, signed, { fetch: fetchImpl, timeoutMs, logGroupName, signal }, redactor, deadline) {
  for (let attempt = 0; ; attempt++) {
    let response;
    let text;
    try {
      ({ response, text } = await postJson(fetchImpl, signed.url, signed.body, {
        headers: signed.headers, signal: deadline.signal, timeoutMs, peer: 'CloudWatch Logs', what: 'The GetLogEvents request',
        ErrorClass: IvsChatRequestError, maxAnswerBytes: MAX_PAGE_BYTES,
      }));
    } catch (cause) {
      const code = cause instanceof IvsChatError ? cause.code : 'NETWORK_ERROR';
      if (code === 'MALFORMED_RESPONSE') {
        throw new PageTooLarge(new ChatHistoryError('MALFORMED_RESPONSE', `A page of CloudWatch Logs was larger than ${MAX_PAGE_BYTES} bytes, even of one event.`, { logGroupName, cause }));
      }
      const timedOut = deadline.expired || code === 'TIMEOUT';
      const aborted = !timedOut && signal?.aborted;
      const message = cause instanceof Error ? redactor.redact(cause.message) : 'The GetLogEvents request failed.';
      throw new ChatHistoryError(timedOut ? 'TIMEOUT' : aborted ? 'ABORTED' : 'NETWORK_ERROR',
        timedOut ? `CloudWatch Logs did not answer within ${timeoutMs} ms.` : message, { logGroupName, cause });
    }
    if (response.ok) return text;
    const error = httpError(core, response, redactor.redact(text), { peer: 'CloudWatch Logs', endpoint: signed.url, ErrorClass: IvsChatRequestError });
    const details = { status: response.status, errorType: error.errorType, awsMessage: error.awsMessage && redactor.redact(error.awsMessage), logGroupName };
    switch (error.errorType) {
      case 'ThrottlingException': {
        const wait = THROTTLE_BACKOFF_MS[attempt];
        if (wait !== undefined) {
          const waited = await backoff(wait + Math.random() * wait, deadline);
          if (waited) continue;
        }
        throw new ChatHistoryError('THROTTLED', `CloudWatch Logs throttled GetLogEvents on ${logGroupName} (${attempt + 1} tries): the account's read quota is shared by every reader in the region.`, details);
      }
      case 'ResourceNotFoundException':
        if (/log stream/i.test(error.awsMessage ?? '')) throw new StreamNotFound();
        throw new ChatHistoryError('LOG_GROUP_NOT_FOUND', `The log group ${logGroupName} does not exist (in this account and region): it must be the CloudWatch Logs destination of the room's logging configuration.`, details);
      case 'AccessDeniedException':
        throw new ChatHistoryError('ACCESS_DENIED', `The credentials may not read the log group ${logGroupName}: they need logs:GetLogEvents on it (arn:aws:logs:<region>:<account>:log-group:${logGroupName}:*).`, details);
      default:
        throw new ChatHistoryError('CLOUDWATCH_ERROR', redactor.redact(error.message), details);
    }
  }
}

/**
 * Waits `ms` unless the deadline ends first.
 * @param {number} ms
 * @param {Deadline} deadline
 * @returns {Promise<boolean>} whether the wait ended with time left
 */
function backoff(ms, deadline) {
  return new Promise((resolve) => {
    if (deadline.signal.aborted) {
      resolve(false);
      return;
    }
    const done = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      deadline.signal.removeEventListener('abort', done);
      resolve(!deadline.signal.aborted);
    }, ms);
    deadline.signal.addEventListener('abort', done, { once: true });
  });
}
