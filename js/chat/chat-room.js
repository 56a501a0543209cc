// @ts-check
// ChatRoom: the WebSocket chat client. JavaScript here does the I/O and the connection's life;
// every action frame is checked and built, and every server frame read, by the WebAssembly core.
//
// Connection life, in short:
// - connect(): one attempt at once, then up to `maxReconnectAttempts` more after full-jitter
//   backoff delays; every attempt fetches a fresh token (tokens open one connection only).
// - An unexpected loss (drop, error, a close that is not a kick) starts the same bounded series,
//   every attempt delayed. The backoff only falls back to its first step once a connection has
//   stayed up for `backoff.resetAfterMs`, so a server that accepts and drops at once is not hammered.
// - Before sessionExpirationTime the next connection is opened first and the old one closed a
//   little later (frames already on their way on it still arrive); frames seen on both are
//   delivered once, by Id. tokenExpirationTime only bounds when a token can be used to connect.
// - No automatic reconnect after disconnect() or after our user was kicked.
import { DEFAULT_TOKEN_TIMEOUT_MS } from '../api.js';
import { init } from '../client-core.js';
import { InvalidOptionError } from '../errors.js';
import { requestJson } from '../request-json.js';
import { backoffDelay, resolveBackoffOptions } from './backoff.js';
import { ChatError, describeError, errorFromFrame } from './chat-error.js';
import { ChatSocket } from './chat-socket.js';
import { SendRateLimiter } from './rate-limiter.js';
import { RecentIds } from './recent-ids.js';
import { readProvidedToken } from './token-provider.js';

/**
 * @typedef {import('./chat-error.js').DisconnectReason} DisconnectReason
 * @typedef {import('./chat-error.js').ChatErrorCode} ChatErrorCode
 * @typedef {import('./token-provider.js').RoomToken} RoomToken
 * @typedef {import('./token-provider.js').ChatTokenLike} ChatTokenLike
 * @typedef {import('./chat-socket.js').WebSocketClass} WebSocketClass
 * @typedef {import('./chat-socket.js').CloseInfo} CloseInfo
 * @typedef {import('../core-wrap.js').ClientCore} ClientCore
 * @typedef {import('../core-wrap.js').CoreServerFrame} CoreServerFrame
 * @typedef {Extract<CoreServerFrame, { ok: true }>} ServerFrame
 * @typedef {import('../errors.js').FieldError} FieldError
 * @typedef {'disconnected' | 'connecting' | 'connected'} ConnectionState
 *
 * @typedef {object} ChatUser
 * @property {string} userId
 * @property {Record<string, string>} [attributes] the attributes of the sender's token
 *
 * @typedef {object} ChatMessage
 * @property {string} id
 * @property {string} [requestId]
 * @property {string} content
 * @property {Record<string, string>} [attributes]
 * @property {Date} sendTime
 * @property {ChatUser} sender
 *
 * @typedef {object} ChatEvent
 * @property {string} id
 * @property {string} eventName
 * @property {Date} sendTime
 * @property {string} [requestId]
 * @property {Record<string, string>} [attributes]
 *
 * @typedef {object} DeleteMessageEvent
 * @property {string} id
 * @property {string} messageId
 * @property {string} [reason]
 * @property {Date} sendTime
 * @property {string} [requestId]
 * @property {Record<string, string>} [attributes]
 *
 * @typedef {object} DisconnectUserEvent
 * @property {string} id
 * @property {string} userId
 * @property {string} [reason]
 * @property {Date} sendTime
 * @property {string} [requestId]
 * @property {Record<string, string>} [attributes]
 *
 * @typedef {object} ChatRoomListeners
 * @property {() => void} connecting
 * @property {() => void} connect
 * @property {(reason: DisconnectReason) => void} disconnect
 * @property {(message: ChatMessage) => void} message
 * @property {(event: ChatEvent) => void} event
 * @property {(event: DeleteMessageEvent) => void} messageDelete
 * @property {(event: DisconnectUserEvent) => void} userDisconnect
 * @property {(error: ChatError) => void} error
 *
 * @typedef {{ debug?: (...args: unknown[]) => void, info?: (...args: unknown[]) => void,
 *   warn?: (...args: unknown[]) => void, error?: (...args: unknown[]) => void }} ChatLogger
 *
 * @typedef {object} ChatClock time and timers, replaceable so that tests control them
 * @property {() => number} now ms since the epoch
 * @property {(callback: () => void, ms: number) => unknown} setTimeout
 * @property {(handle: any) => void} clearTimeout
 *
 * @typedef {object} ChatRoomOptions
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
 * @property {WebSocketClass} [WebSocket]
 * @property {ChatLogger} [logger]
 * @property {string} [id]
 * @property {ChatClock} [clock]
 * @property {() => number} [random]
 */

export const DEFAULT_MAX_RECONNECT_ATTEMPTS = 3;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** The room default of maximumMessageRatePerSecond. */
export const DEFAULT_MAX_MESSAGES_PER_SECOND = 10;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 2000;
/** The largest (and default) maximumMessageLength of a room. */
export const MAX_MESSAGE_LENGTH = 500;
/** Renewal starts this long before sessionExpirationTime at most... */
export const MAX_SESSION_RENEWAL_LEAD_MS = 60_000;
/** ...and at most this share of the session's remaining time (short sessions, scaled test time). */
export const SESSION_RENEWAL_LEAD_FRACTION = 0.25;
/** After a renewal the old socket stays open this long, so frames on their way on it arrive. */
export const DRAIN_MS = 2000;
/** A kicked connection the service has not closed after this long is closed by us. */
export const KICK_CLOSE_GRACE_MS = 5000;
/** setTimeout fires at once for longer delays (they overflow a signed 32-bit integer). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** How many frame ids are remembered for de-duplication. */
export const RECENT_ID_CAPACITY = 1000;
/**
 * Longer server frames (in UTF-16 code units) are skipped unread, as MALFORMED_FRAME. The largest
 * frame IVS Chat can send (500 code points of content, 1 KB each of message and sender attributes,
 * a 128-character user id and request id, all JSON-escaped at worst) is about 21,000 characters;
 * a bigger one would only cost time to parse (seconds per MiB for some inputs) or reach the app.
 */
export const MAX_SERVER_FRAME_LENGTH = 64 * 1024;

const EVENT_NAMES = /** @type {const} */ (['connecting', 'connect', 'disconnect', 'message', 'event', 'messageDelete', 'userDisconnect', 'error']);
const OPTION_NAMES = new Set([
  'regionOrUrl', 'tokenProvider', 'maxReconnectAttempts', 'backoff', 'requestTimeoutMs', 'maxMessageLength',
  'maxMessagesPerSecond', 'maxRateLimitWaitMs', 'tokenTimeoutMs', 'connectTimeoutMs', 'WebSocket', 'logger', 'id',
  'clock', 'random',
]);
/** The `action` member of the official client's request objects. */
/** @type {Record<RequestKind, import('../core-wrap.js').ActionName>} */
const ACTION_OF = { sendMessage: 'SEND_MESSAGE', deleteMessage: 'DELETE_MESSAGE', disconnectUser: 'DISCONNECT_USER' };
const REGION_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** @type {ChatClock} */
const SYSTEM_CLOCK = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
};

/**
 * One socket as the room uses it.
 * @typedef {object} Link
 * @property {ChatSocket} socket
 * @property {number} openedAt
 * @property {number | undefined} sessionExpiresAt
 * @property {boolean} sessionEnded an ERROR 401 said the session is over
 * @property {string | undefined} lastKickedUserId the user of an aws:DISCONNECT_USER, when it was the last frame received
 * @property {Set<string>} inFlight request ids sent on this socket and not settled
 * @property {boolean} drainDue the drain time is over; close when inFlight is empty
 */

/**
 * @typedef {'sendMessage' | 'deleteMessage' | 'disconnectUser'} RequestKind
 * @typedef {object} PendingRequest
 * @property {RequestKind} kind
 * @property {string} requestId
 * @property {(value: any) => void} resolve
 * @property {(error: ChatError) => void} reject
 * @property {unknown} [timer] request timeout, once sent
 * @property {unknown} [queueTimer] rate-limit wait, before sending
 * @property {Link} [link] the socket it was sent on
 */

/**
 * A series of connection attempts (connect, reconnect or session renewal), cancellable.
 * @typedef {object} AttemptRun
 * @property {'connect' | 'reconnect' | 'renew'} purpose
 * @property {boolean} cancelled
 * @property {Promise<void>} cancelledSignal resolves on cancel
 * @property {() => void} cancel
 */

/** The chat client. See types/chat-room.d.ts for the documented API. */
export class ChatRoom {
  /** @type {ConnectionState} */
  #state = 'disconnected';
  /** @type {Link | undefined} the socket requests are sent on */
  #current;
  /** @type {Set<Link>} replaced sockets, closed once quiet */
  #draining = new Set();
  /** @type {AttemptRun | undefined} */
  #run;
  /** @type {Map<string, PendingRequest>} */
  #pending = new Map();
  /** @type {Map<string, Set<Function>>} */
  #listeners = new Map();
  /** @type {Set<unknown>} every live timer, so that disconnect() leaves none behind */
  #timers = new Set();
  /** @type {unknown} */
  #renewalTimer;
  /** Steps of backoff taken since the last stable connection. */
  #backoffStep = 0;
  /** The session renewal used up its attempts: when the old session ends, the room disconnects. */
  #renewalExhausted = false;
  /** Our user was disconnected by a moderator: do not reconnect. */
  #kicked = false;
  /** @type {string | undefined} our user id, from the token or from the echo of our own message */
  #userId;
  /** @type {ClientCore | undefined} */
  #core;
  /** @type {{ promise: Promise<void>, resolve: () => void, reject: (error: ChatError) => void } | undefined} */
  #connectWaiter;
  /** @type {ChatError | undefined} what made the last attempt fail, for connect()'s rejection */
  #lastAttemptError;
  #recentIds = new RecentIds(RECENT_ID_CAPACITY);
  /** @type {SendRateLimiter} */
  #rateLimiter;

  // Settings, fixed at construction.
  /** @type {string} */ #url;
  /** @type {() => Promise<ChatTokenLike> | ChatTokenLike} */ #tokenProvider;
  /** @type {number} */ #maxReconnectAttempts;
  /** @type {Required<import('./backoff.js').BackoffOptions>} */ #backoff;
  /** @type {number} */ #requestTimeoutMs;
  /** @type {number} */ #maxMessageLength;
  /** @type {number} */ #tokenTimeoutMs;
  /** @type {number} */ #connectTimeoutMs;
  /** @type {WebSocketClass} */ #WebSocket;
  /** @type {ChatLogger} */ #logger;
  /** @type {ChatClock} */ #clock;
  /** @type {() => number} */ #random;

  /** @param {ChatRoomOptions} options */
  constructor(options) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidOptionError('options', 'ChatRoom needs an options object: { regionOrUrl, tokenProvider, ... }.');
    }
    for (const key of Object.keys(options)) {
      if (!OPTION_NAMES.has(key)) throw new InvalidOptionError(key, `Unknown ChatRoom option \`${key}\`.`);
    }
    this.#url = messagingUrl(options.regionOrUrl);
    if (typeof options.tokenProvider !== 'function') {
      throw new InvalidOptionError('tokenProvider', '`tokenProvider` must be a function returning (a promise of) { token, sessionExpirationTime, tokenExpirationTime }; fetchTokenProvider() makes one.');
    }
    this.#tokenProvider = options.tokenProvider;
    this.#maxReconnectAttempts = count(options.maxReconnectAttempts, 'maxReconnectAttempts', DEFAULT_MAX_RECONNECT_ATTEMPTS, 0, true);
    this.#backoff = resolveBackoffOptions(options.backoff);
    this.#requestTimeoutMs = duration(options.requestTimeoutMs, 'requestTimeoutMs', DEFAULT_REQUEST_TIMEOUT_MS);
    this.#tokenTimeoutMs = duration(options.tokenTimeoutMs, 'tokenTimeoutMs', DEFAULT_TOKEN_TIMEOUT_MS);
    this.#connectTimeoutMs = duration(options.connectTimeoutMs, 'connectTimeoutMs', DEFAULT_CONNECT_TIMEOUT_MS);
    this.#maxMessageLength = count(options.maxMessageLength, 'maxMessageLength', MAX_MESSAGE_LENGTH, 1, false);
    if (this.#maxMessageLength > MAX_MESSAGE_LENGTH) {
      throw new InvalidOptionError('maxMessageLength', `\`maxMessageLength\` is the room's maximumMessageLength: 1 to ${MAX_MESSAGE_LENGTH}.`);
    }
    const maxMessagesPerSecond = count(options.maxMessagesPerSecond, 'maxMessagesPerSecond', DEFAULT_MAX_MESSAGES_PER_SECOND, 1, true);
    const maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
    if (typeof maxRateLimitWaitMs !== 'number' || !Number.isFinite(maxRateLimitWaitMs) || maxRateLimitWaitMs < 0) {
      throw new InvalidOptionError('maxRateLimitWaitMs', '`maxRateLimitWaitMs` must be a finite number of milliseconds, 0 or more.');
    }
    const WebSocketOption = options.WebSocket ?? /** @type {WebSocketClass | undefined} */ (globalThis.WebSocket);
    if (typeof WebSocketOption !== 'function') {
      throw new InvalidOptionError(
        'WebSocket',
        options.WebSocket === undefined
          ? "This runtime has no global WebSocket (Node.js 20 and older). Install the 'ws' package and pass its class: import { WebSocket } from 'ws'; new ChatRoom({ ..., WebSocket })."
          : '`WebSocket` must be a WebSocket class, such as the one of the \'ws\' package.',
      );
    }
    this.#WebSocket = WebSocketOption;
    this.#logger = loggerOption(options.logger);
    this.#clock = clockOption(options.clock);
    if (options.random !== undefined && typeof options.random !== 'function') {
      throw new InvalidOptionError('random', '`random` must be a function returning a number in [0, 1).');
    }
    this.#random = options.random ?? Math.random;
    if (options.id !== undefined && typeof options.id !== 'string') {
      throw new InvalidOptionError('id', '`id` must be a string (it names the room in log lines).');
    }
    /** Names this room in log lines. @type {string} */
    this.id = options.id ?? newRequestId();
    this.#rateLimiter = new SendRateLimiter({
      maxPerSecond: maxMessagesPerSecond,
      maxWaitMs: maxRateLimitWaitMs,
      now: () => this.#clock.now(),
    });
    // Start loading the core now; the first use waits for it (and retries a failed load).
    init().catch(() => {});
  }

  /** @returns {ConnectionState} */
  get state() {
    return this.#state;
  }

  /** The number of requests sent or queued and not settled yet. */
  get pendingRequestCount() {
    return this.#pending.size;
  }

  /**
   * @template {keyof ChatRoomListeners} Name
   * @param {Name} eventName
   * @param {ChatRoomListeners[Name]} listener
   * @returns {() => void} removes the listener
   */
  addListener(eventName, listener) {
    if (!EVENT_NAMES.includes(eventName)) {
      throw new InvalidOptionError('eventName', `Unknown ChatRoom event \`${String(eventName)}\`: expected one of ${EVENT_NAMES.join(', ')}.`);
    }
    if (typeof listener !== 'function') throw new InvalidOptionError('listener', 'A listener must be a function.');
    let set = this.#listeners.get(eventName);
    if (!set) this.#listeners.set(eventName, (set = new Set()));
    set.add(listener);
    return () => this.removeListener(eventName, listener);
  }

  /**
   * @template {keyof ChatRoomListeners} Name
   * @param {Name} eventName
   * @param {ChatRoomListeners[Name]} listener
   */
  removeListener(eventName, listener) {
    this.#listeners.get(eventName)?.delete(listener);
  }

  /** @returns {Promise<void>} */
  connect() {
    if (this.#state === 'connected') return Promise.resolve();
    if (this.#state === 'connecting' && this.#connectWaiter) return this.#connectWaiter.promise;
    this.#kicked = false;
    this.#renewalExhausted = false;
    this.#backoffStep = 0;
    this.#lastAttemptError = undefined;
    const waiter = this.#newConnectWaiter();
    this.#setState('connecting');
    if (this.#state === 'connecting') void this.#establish('connect', false);
    return waiter.promise;
  }

  disconnect() {
    if (this.#state === 'disconnected') return;
    this.#finish('clientDisconnect');
  }

  /**
   * @param {{ content: string, attributes?: Record<string, string>, requestId?: string }} request
   * @returns {Promise<ChatMessage>}
   */
  sendMessage(request) {
    return this.#submit('sendMessage', request);
  }

  /**
   * @param {{ id: string, reason?: string, requestId?: string }} request
   * @returns {Promise<DeleteMessageEvent>}
   */
  deleteMessage(request) {
    return this.#submit('deleteMessage', request);
  }

  /**
   * @param {{ userId: string, reason?: string, requestId?: string }} request
   * @returns {Promise<DisconnectUserEvent>}
   */
  disconnectUser(request) {
    return this.#submit('disconnectUser', request);
  }

  // ---------------------------------------------------------------- requests

  /**
   * Builds the frame in the core (nothing invalid is ever sent), then sends it, after the rate
   * limit for messages. Settles exactly once: echo, ERROR frame, timeout or disconnection.
   * @param {RequestKind} kind
   * @param {unknown} request
   */
  async #submit(kind, request) {
    // The official client's request classes (SendMessageRequest, ...) carry their own requestId
    // and an `action` member; the core accepts both, so switching clients is easy. Without a
    // requestId, one is made here.
    const isObject = request !== null && typeof request === 'object';
    const givenId = isObject ? /** @type {Record<string, unknown>} */ (request).requestId : undefined;
    const madeId = isObject && givenId === undefined ? newRequestId() : undefined;
    const knownId = typeof givenId === 'string' ? givenId : madeId;
    const core = await this.#loadCoreForRequest(knownId);
    const json = requestJson(request, madeId);
    let built;
    try {
      built = json.ok ? core.buildActionFrame(ACTION_OF[kind], json, this.#maxMessageLength) : { ok: /** @type {const} */ (false), errors: [json.error] };
    } catch (error) {
      throw new ChatError('CORE_UNAVAILABLE', `The WebAssembly core failed: ${describeError(error)}`, { requestId: knownId, cause: error });
    }
    if (!built.ok) {
      const { errors } = built;
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
      throw new ChatError('VALIDATION', `Invalid ${kind} request, nothing was sent: ${errors[0]?.message ?? 'unknown problem'}${more}`, { requestId: knownId, errors });
    }
    // The core checked it: a string of printable ASCII.
    const requestId = /** @type {string} */ (knownId);
    if (this.#pending.has(requestId)) {
      const message = `requestId ${requestId} is already used by a request in progress.`;
      throw new ChatError('VALIDATION', `Invalid ${kind} request: ${message}`, { requestId, errors: [{ field: 'requestId', code: 'DUPLICATE', message }] });
    }
    if (this.#state !== 'connected' || !this.#current) {
      throw new ChatError('DISCONNECTED', `The room is ${this.#state}: nothing was sent.`, { requestId });
    }
    return new Promise((resolve, reject) => {
      /** @type {PendingRequest} */
      const pending = { kind, requestId, resolve, reject };
      if (kind === 'sendMessage') {
        const waitMs = this.#rateLimiter.reserve();
        if (waitMs === undefined) {
          reject(new ChatError('RATE_LIMITED', `Sending too fast: over the client-side limit of messages per second, and the queue is full. Nothing was sent.`, { requestId }));
          return;
        }
        this.#pending.set(requestId, pending);
        if (waitMs > 0) {
          this.#log('debug', `message ${requestId} waits ${waitMs} ms for the rate limit`);
          pending.queueTimer = this.#setTimer(() => this.#transmit(pending, built.frame), waitMs);
          return;
        }
      } else {
        this.#pending.set(requestId, pending);
      }
      this.#transmit(pending, built.frame);
    });
  }

  /** @param {string | undefined} requestId */
  async #loadCoreForRequest(requestId) {
    try {
      return await this.#loadCore();
    } catch (error) {
      throw new ChatError('CORE_UNAVAILABLE', `The WebAssembly core could not be loaded: ${describeError(error)}`, { requestId, cause: error });
    }
  }

  async #loadCore() {
    if (!this.#core) this.#core = await init();
    return this.#core;
  }

  /**
   * @param {PendingRequest} pending
   * @param {string} frame
   */
  #transmit(pending, frame) {
    if (pending.queueTimer !== undefined) {
      this.#clearTimer(pending.queueTimer);
      pending.queueTimer = undefined;
    }
    if (this.#pending.get(pending.requestId) !== pending) return; // settled while queued
    const link = this.#current;
    if (this.#state !== 'connected' || !link || !link.socket.send(frame)) {
      this.#settle(pending, new ChatError('DISCONNECTED', `The room is ${this.#state}: nothing was sent.`, { requestId: pending.requestId }));
      return;
    }
    pending.link = link;
    link.inFlight.add(pending.requestId);
    pending.timer = this.#setTimer(() => {
      this.#settle(
        pending,
        new ChatError('TIMEOUT', `No answer to ${pending.kind} ${pending.requestId} within ${this.#requestTimeoutMs} ms (it may still have taken effect).`, { requestId: pending.requestId }),
      );
    }, this.#requestTimeoutMs);
    this.#log('debug', `sent ${pending.kind} ${pending.requestId} on socket ${link.socket.number}`);
  }

  /**
   * Settles a request once: a ChatError rejects, anything else resolves.
   * @param {PendingRequest} pending
   * @param {unknown} outcome
   */
  #settle(pending, outcome) {
    if (this.#pending.get(pending.requestId) !== pending) return;
    this.#pending.delete(pending.requestId);
    if (pending.timer !== undefined) this.#clearTimer(pending.timer);
    if (pending.queueTimer !== undefined) this.#clearTimer(pending.queueTimer);
    const link = pending.link;
    if (link) {
      link.inFlight.delete(pending.requestId);
      if (link.drainDue && link.inFlight.size === 0) this.#closeDrained(link);
    }
    if (outcome instanceof ChatError) pending.reject(outcome);
    else pending.resolve(outcome);
  }

  /**
   * Rejects every request that matches `which` with DISCONNECTED.
   * @param {(pending: PendingRequest) => boolean} which
   * @param {string} why
   * @param {DisconnectReason} [disconnectReason]
   */
  #rejectPending(which, why, disconnectReason) {
    for (const pending of [...this.#pending.values()]) {
      if (!which(pending)) continue;
      this.#settle(pending, new ChatError('DISCONNECTED', `${why}: ${pending.kind} ${pending.requestId} got no answer (it may still have taken effect).`, {
        requestId: pending.requestId,
        disconnectReason,
      }));
    }
  }

  // ---------------------------------------------------------------- connection life

  /**
   * Up to 1 + maxReconnectAttempts attempts, each: (delay,) core, fresh token, socket.
   * @param {'connect' | 'reconnect' | 'renew'} purpose
   * @param {boolean} delayFirst
   */
  async #establish(purpose, delayFirst) {
    this.#run?.cancel();
    /** @type {() => void} */
    let cancel = () => {};
    const cancelledSignal = new Promise((resolve) => {
      cancel = () => resolve(undefined);
    });
    /** @type {AttemptRun} */
    const run = {
      purpose,
      cancelled: false,
      cancelledSignal,
      cancel: () => {
        run.cancelled = true;
        cancel();
      },
    };
    this.#run = run;
    /** @type {DisconnectReason} */
    let failure = 'socketError';
    for (let attempt = 0; attempt <= this.#maxReconnectAttempts; attempt += 1) {
      if (attempt > 0 || delayFirst) {
        const delayMs = backoffDelay(this.#backoff, this.#backoffStep, this.#random);
        this.#backoffStep += 1;
        this.#log('info', `${purpose}: attempt ${attempt + 1} in ${delayMs} ms`);
        await this.#wait(run, delayMs);
        if (run.cancelled) return;
      }
      const outcome = await this.#attempt(run, attempt);
      if (run.cancelled) {
        if (outcome.link) outcome.link.socket.close('superseded');
        return;
      }
      if (outcome.link && outcome.link.socket.isOpen) {
        this.#run = undefined;
        this.#adopt(outcome.link);
        return;
      }
      failure = outcome.failure ?? 'socketError'; // (or it closed again before it could be used)
    }
    this.#run = undefined;
    if (purpose === 'renew') {
      this.#renewalExhausted = true;
      this.#log('warn', 'the session could not be renewed; the room disconnects when it ends');
      if (!this.#current) this.#finish('sessionExpired');
      return;
    }
    this.#finish(failure);
  }

  /**
   * One attempt. Never throws; problems are reported on `error`.
   * @param {AttemptRun} run
   * @param {number} attempt
   * @returns {Promise<{ link: Link, failure?: undefined } | { link?: undefined, failure: DisconnectReason }>}
   */
  async #attempt(run, attempt) {
    try {
      await this.#withTimeout(run, this.#loadCore(), this.#connectTimeoutMs, 'loading the WebAssembly core');
    } catch (error) {
      if (!run.cancelled) this.#attemptFailed(new ChatError('CORE_UNAVAILABLE', `The WebAssembly core could not be loaded: ${describeError(error)}`, { cause: error }));
      return { failure: 'socketError' };
    }
    if (run.cancelled) return { failure: 'socketError' };

    /** @type {RoomToken} */
    let token;
    try {
      this.#log('info', `${run.purpose}: fetching a token (attempt ${attempt + 1})`);
      const provided = await this.#withTimeout(run, Promise.resolve().then(() => this.#tokenProvider()), this.#tokenTimeoutMs, 'the tokenProvider');
      token = readProvidedToken(provided);
    } catch (error) {
      if (!run.cancelled) {
        // The provider's own error is kept as `cause` (it is the app's); the message is token-free.
        this.#attemptFailed(new ChatError('TOKEN_FETCH_FAILED', `Could not get a chat token: ${describeError(error)}`, { cause: error }));
      }
      return { failure: 'fetchTokenError' };
    }
    if (run.cancelled) return { failure: 'socketError' };
    if (token.userId) this.#userId = token.userId;

    /** @type {Link} */
    const link = {
      socket: /** @type {any} */ (undefined),
      openedAt: 0,
      sessionExpiresAt: token.sessionExpiresAt,
      sessionEnded: false,
      lastKickedUserId: undefined,
      inFlight: new Set(),
      drainDue: false,
    };
    link.socket = new ChatSocket({
      WebSocket: this.#WebSocket,
      url: this.#url,
      token: token.token,
      onText: (text) => this.#onText(link, text),
      onBinary: () => this.#report(new ChatError('MALFORMED_FRAME', 'IVS Chat sent a binary frame; only JSON text frames are expected. It was skipped.')),
      onClose: (info) => this.#onSocketClosed(link, info),
    });
    try {
      await this.#withTimeout(run, link.socket.opened, this.#connectTimeoutMs, 'the WebSocket handshake');
    } catch (error) {
      link.socket.close('connect failed');
      if (!run.cancelled) this.#attemptFailed(new ChatError('CONNECTION_FAILED', `Could not connect to IVS Chat: ${describeError(error, token.token)}`));
      return { failure: 'socketError' };
    }
    link.openedAt = this.#clock.now();
    return { link };
  }

  /** @param {ChatError} error */
  #attemptFailed(error) {
    this.#lastAttemptError = error;
    this.#log('warn', error.message);
    this.#report(error);
  }

  /**
   * Makes a freshly opened socket the one requests go on.
   * @param {Link} link
   */
  #adopt(link) {
    const previous = this.#current;
    this.#current = link;
    this.#renewalExhausted = false;
    this.#log('info', `socket ${link.socket.number} open${previous ? ` (replaces socket ${previous.socket.number})` : ''}`);
    if (previous) this.#drain(previous);
    this.#scheduleRenewal(link);
    if (this.#state !== 'connected') {
      this.#setState('connected');
    }
  }

  /**
   * A replaced socket stays open for DRAIN_MS (frames the service sent before the new socket
   * joined are still on their way on it) and until its requests are answered.
   * @param {Link} link
   */
  #drain(link) {
    this.#draining.add(link);
    this.#setTimer(() => {
      link.drainDue = true;
      if (link.inFlight.size === 0) this.#closeDrained(link);
    }, DRAIN_MS);
  }

  /** @param {Link} link */
  #closeDrained(link) {
    if (!this.#draining.delete(link)) return;
    this.#log('info', `socket ${link.socket.number} closed after the session renewal`);
    link.socket.close('session renewed');
  }

  /** @param {Link} link */
  #scheduleRenewal(link) {
    if (this.#renewalTimer !== undefined) this.#clearTimer(this.#renewalTimer);
    this.#renewalTimer = undefined;
    if (link.sessionExpiresAt === undefined) return;
    const remaining = link.sessionExpiresAt - this.#clock.now();
    const lead = Math.min(MAX_SESSION_RENEWAL_LEAD_MS, Math.max(0, remaining) * SESSION_RENEWAL_LEAD_FRACTION);
    const inMs = Math.max(0, remaining - lead);
    if (inMs > MAX_TIMER_MS) {
      // Timers cannot wait that long (they would fire at once): look again later.
      this.#renewalTimer = this.#setTimer(() => this.#scheduleRenewal(link), MAX_TIMER_MS);
      return;
    }
    this.#log('debug', `session renewal in ${Math.round(inMs)} ms`);
    this.#renewalTimer = this.#setTimer(() => {
      this.#renewalTimer = undefined;
      if (this.#current === link && this.#state === 'connected' && !this.#run) void this.#establish('renew', false);
    }, inMs);
  }

  /**
   * @param {Link} link
   * @param {CloseInfo} info
   */
  #onSocketClosed(link, info) {
    this.#log('info', `socket ${link.socket.number} closed by the other side: code ${info.code}${info.reason ? ` (${info.reason})` : ''}`);
    this.#draining.delete(link);
    if (link !== this.#current) {
      this.#rejectPending((p) => p.link === link, 'The connection closed', 'socketError');
      return;
    }
    this.#current = undefined;
    if (this.#renewalTimer !== undefined) this.#clearTimer(this.#renewalTimer);
    this.#renewalTimer = undefined;
    const now = this.#clock.now();
    if (now - link.openedAt >= this.#backoff.resetAfterMs) this.#backoffStep = 0;

    const clean = info.wasClean || info.code === 1000;
    // Kicked: the service said so for our user id, or (user id unknown) closed cleanly right
    // after an aws:DISCONNECT_USER, which it only sends to the kicked user's sockets just before closing them.
    if (this.#kicked || (clean && this.#userId === undefined && link.lastKickedUserId !== undefined)) {
      this.#kicked = true;
      this.#finish('serverDisconnect');
      return;
    }
    const sessionOver = link.sessionEnded || (link.sessionExpiresAt !== undefined && now >= link.sessionExpiresAt);
    if (sessionOver) {
      this.#rejectPending((p) => p.link === link, 'The session ended', 'sessionExpired');
      if (this.#run?.purpose === 'renew') {
        this.#setState('connecting'); // the renewal under way becomes the reconnection
        return;
      }
      if (this.#renewalExhausted) {
        this.#finish('sessionExpired');
        return;
      }
      this.#setState('connecting');
      if (this.#state === 'connecting') void this.#establish('renew', false);
      return;
    }
    this.#rejectPending((p) => p.link === link, 'The connection was lost', 'socketError');
    this.#setState('connecting');
    if (this.#state === 'connecting') void this.#establish('reconnect', true);
  }

  /**
   * The end: no socket, no timer, no pending request; `disconnect` with the reason.
   * @param {DisconnectReason} reason
   */
  #finish(reason) {
    this.#run?.cancel();
    this.#run = undefined;
    for (const timer of this.#timers) this.#clock.clearTimeout(timer);
    this.#timers.clear();
    this.#renewalTimer = undefined;
    const links = [...this.#draining, ...(this.#current ? [this.#current] : [])];
    this.#current = undefined;
    this.#draining.clear();
    for (const link of links) link.socket.close(reason);
    this.#rejectPending(() => true, `The room disconnected (${reason})`, reason);
    this.#log('info', `disconnected: ${reason}`);
    this.#setState('disconnected', reason);
  }

  // ---------------------------------------------------------------- frames

  /**
   * @param {Link} link
   * @param {string} text
   */
  #onText(link, text) {
    if (text.length > MAX_SERVER_FRAME_LENGTH) {
      link.lastKickedUserId = undefined;
      this.#report(new ChatError('MALFORMED_FRAME', `A frame from IVS Chat of ${text.length} characters, over the ${MAX_SERVER_FRAME_LENGTH} any frame of the service fits in, was skipped unread.`));
      return;
    }
    const core = /** @type {ClientCore} */ (this.#core);
    let frame;
    try {
      frame = core.parseServerFrame(text);
    } catch (error) {
      // The core trapped on this frame (it was replaced for the next one): reported, not lost.
      link.lastKickedUserId = undefined;
      this.#report(new ChatError('CORE_UNAVAILABLE', `A frame from IVS Chat could not be read: ${describeError(error)}`, { cause: error }));
      return;
    }
    if (!frame.ok) {
      link.lastKickedUserId = undefined;
      this.#report(new ChatError('MALFORMED_FRAME', `A frame from IVS Chat could not be read and was skipped: ${frame.error}`));
      return;
    }
    const isKick = frame.kind === 'EVENT' && frame.eventName === 'aws:DISCONNECT_USER';
    link.lastKickedUserId = isKick ? frame.disconnectedUserId : undefined;
    if (frame.kind === 'ERROR') {
      this.#onErrorFrame(link, frame);
      return;
    }
    // Broadcasts reach every socket of the room: while a session is renewed, both of ours.
    if (frame.id && !this.#recentIds.add(frame.id)) return;
    switch (frame.kind) {
      case 'MESSAGE':
        this.#onMessageFrame(frame);
        return;
      case 'EVENT':
        this.#onEventFrame(frame);
        return;
      default:
        this.#log('debug', `skipped a frame of unknown Type ${JSON.stringify(frame.type)}`);
    }
  }

  /** @param {ServerFrame} frame */
  #onMessageFrame(frame) {
    // Built member by member (absent stays absent): this runs for every message received.
    /** @type {ChatUser} */
    const sender = { userId: frame.senderUserId };
    if (frame.senderAttributes) sender.attributes = frame.senderAttributes;
    /** @type {ChatMessage} */
    const message = { id: frame.id, content: frame.content, sendTime: new Date(frame.sendTimeMillis), sender };
    if (frame.requestId) message.requestId = frame.requestId;
    if (frame.attributes) message.attributes = frame.attributes;
    const pending = this.#pendingFor(frame.requestId, 'sendMessage');
    if (pending) {
      this.#userId ??= frame.senderUserId; // the echo of our own message names our user
      this.#settle(pending, message);
    }
    this.#emit('message', message);
  }

  /** @param {ServerFrame} frame */
  #onEventFrame(frame) {
    /** @type {{ id: string, sendTime: Date, requestId?: string, attributes?: Record<string, string> }} */
    const common = { id: frame.id, sendTime: new Date(frame.sendTimeMillis) };
    if (frame.requestId) common.requestId = frame.requestId;
    if (frame.attributes) common.attributes = frame.attributes;
    if (frame.eventName === 'aws:DELETE_MESSAGE') {
      /** @type {DeleteMessageEvent} */
      const event = withOptional({ ...common, messageId: frame.deletedMessageId }, { reason: frame.reason || undefined });
      const pending = this.#pendingFor(frame.requestId, 'deleteMessage');
      if (pending) this.#settle(pending, event);
      this.#emit('messageDelete', event);
      return;
    }
    if (frame.eventName === 'aws:DISCONNECT_USER') {
      /** @type {DisconnectUserEvent} */
      const event = withOptional({ ...common, userId: frame.disconnectedUserId }, { reason: frame.reason || undefined });
      const pending = this.#pendingFor(frame.requestId, 'disconnectUser');
      if (pending) this.#settle(pending, event);
      if (this.#userId !== undefined && event.userId === this.#userId) this.#onKicked();
      this.#emit('userDisconnect', event);
      return;
    }
    /** @type {ChatEvent} */
    const event = { ...common, eventName: frame.eventName };
    this.#emit('event', event);
  }

  /**
   * @param {Link} link
   * @param {ServerFrame} frame
   */
  #onErrorFrame(link, frame) {
    // 401 means the connection's session is over (sessionExpirationTime reached): renew at once.
    if (frame.errorCode === 401) {
      link.sessionEnded = true;
      if (link === this.#current && this.#state === 'connected' && !this.#run && !this.#renewalExhausted) {
        this.#log('info', `socket ${link.socket.number}: the session ended, renewing`);
        void this.#establish('renew', false);
      }
    }
    const pending = frame.requestId ? this.#pending.get(frame.requestId) : undefined;
    if (pending) {
      this.#settle(pending, errorFromFrame(frame.errorCode, frame.errorMessage, frame.requestId));
      return;
    }
    if (frame.errorCode === 401 && !frame.requestId) return; // the expected end of a session, handled above
    this.#report(errorFromFrame(frame.errorCode, frame.errorMessage, frame.requestId));
  }

  /**
   * @param {string} requestId
   * @param {RequestKind} kind
   */
  #pendingFor(requestId, kind) {
    const pending = requestId ? this.#pending.get(requestId) : undefined;
    return pending?.kind === kind ? pending : undefined;
  }

  /** Our own user was disconnected by a moderator: no reconnection, whatever the close looks like. */
  #onKicked() {
    if (this.#kicked) return;
    this.#kicked = true;
    this.#run?.cancel();
    this.#run = undefined;
    this.#log('info', 'our user was disconnected by a moderator');
    // The service closes the socket right after; if it does not, stop anyway.
    this.#setTimer(() => {
      if (this.#state !== 'disconnected') this.#finish('serverDisconnect');
    }, KICK_CLOSE_GRACE_MS);
  }

  // ---------------------------------------------------------------- events, timers, logs

  /**
   * @param {ConnectionState} state
   * @param {DisconnectReason} [reason]
   */
  #setState(state, reason) {
    if (state === this.#state) return;
    this.#log('debug', `state ${this.#state} -> ${state}`);
    this.#state = state;
    if (state === 'connecting') {
      if (!this.#connectWaiter) this.#newConnectWaiter();
      this.#emit('connecting');
    } else if (state === 'connected') {
      const waiter = this.#connectWaiter;
      this.#connectWaiter = undefined;
      waiter?.resolve();
      this.#emit('connect');
    } else {
      const waiter = this.#connectWaiter;
      this.#connectWaiter = undefined;
      const why = reason ?? 'clientDisconnect';
      waiter?.reject(new ChatError('DISCONNECTED', `The room did not connect (${why}).`, { disconnectReason: why, cause: this.#lastAttemptError }));
      this.#emit('disconnect', why);
    }
  }

  #newConnectWaiter() {
    /** @type {() => void} */
    let resolve = () => {};
    /** @type {(error: ChatError) => void} */
    let reject = () => {};
    const promise = new Promise((res, rej) => {
      resolve = () => res(undefined);
      reject = rej;
    });
    // connect() may be called without awaiting it (as with the official client): never an unhandled rejection.
    promise.catch(() => {});
    this.#connectWaiter = { promise, resolve, reject };
    return this.#connectWaiter;
  }

  /**
   * Calls every listener; one that throws (or rejects) is reported on `error` and the others still run.
   * @param {keyof ChatRoomListeners} name
   * @param {unknown} [payload]
   */
  #emit(name, payload) {
    const listeners = this.#listeners.get(name);
    if (!listeners || listeners.size === 0) return;
    for (const listener of [...listeners]) {
      try {
        const result = name === 'connecting' || name === 'connect' ? listener() : listener(payload);
        if (result && typeof result.then === 'function') result.then(undefined, (/** @type {unknown} */ error) => this.#listenerFailed(name, error));
      } catch (error) {
        this.#listenerFailed(name, error);
      }
    }
  }

  /**
   * @param {keyof ChatRoomListeners} name
   * @param {unknown} error
   */
  #listenerFailed(name, error) {
    if (name === 'error') {
      this.#log('error', `an \`error\` listener threw: ${describeError(error)}`);
      return;
    }
    this.#report(new ChatError('LISTENER_FAILED', `A \`${name}\` listener threw: ${describeError(error)}`, { cause: error }));
  }

  /** @param {ChatError} error */
  #report(error) {
    this.#log(error.code === 'LISTENER_FAILED' ? 'error' : 'warn', error.message);
    this.#emit('error', error);
  }

  /**
   * @param {() => void} callback
   * @param {number} ms
   */
  #setTimer(callback, ms) {
    const handle = this.#clock.setTimeout(() => {
      this.#timers.delete(handle);
      callback();
    }, Math.min(ms, MAX_TIMER_MS));
    this.#timers.add(handle);
    return handle;
  }

  /** @param {unknown} handle */
  #clearTimer(handle) {
    if (this.#timers.delete(handle)) this.#clock.clearTimeout(handle);
  }

  /**
   * Resolves after `ms`, or at once when the run is cancelled.
   * @param {AttemptRun} run
   * @param {number} ms
   */
  #wait(run, ms) {
    /** @type {unknown} */
    let timer;
    const elapsed = new Promise((resolve) => {
      timer = this.#setTimer(() => resolve(undefined), ms);
    });
    return Promise.race([elapsed, run.cancelledSignal]).finally(() => this.#clearTimer(timer));
  }

  /**
   * `promise`, unless `ms` pass first (rejects) or the run is cancelled (rejects).
   * @template T
   * @param {AttemptRun} run
   * @param {Promise<T>} promise
   * @param {number} ms
   * @param {string} what
   * @returns {Promise<T>}
   */
  #withTimeout(run, promise, ms, what) {
    /** @type {unknown} */
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = this.#setTimer(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    });
    const cancelled = run.cancelledSignal.then(() => Promise.reject(new Error('cancelled')));
    promise.catch(() => {}); // it may settle after we stopped waiting for it
    return /** @type {Promise<T>} */ (Promise.race([promise, timeout, cancelled])).finally(() => this.#clearTimer(timer));
  }

  /**
   * @param {'debug' | 'info' | 'warn' | 'error'} level
   * @param {string} message never contains a token: only ids, counts, states and token-free errors
   */
  #log(level, message) {
    const write = this.#logger[level];
    if (typeof write !== 'function') return;
    try {
      write.call(this.#logger, `ChatRoom ${this.id}: ${message}`);
    } catch {
      // A broken logger must not break the room.
    }
  }
}

// ------------------------------------------------------------------ helpers

/**
 * @param {unknown} regionOrUrl
 * @returns {string}
 */
function messagingUrl(regionOrUrl) {
  if (typeof regionOrUrl !== 'string' || regionOrUrl.length === 0) {
    throw new InvalidOptionError('regionOrUrl', '`regionOrUrl` must be an AWS region such as `us-east-1` or a ws:// or wss:// URL.');
  }
  if (/^wss?:\/\//i.test(regionOrUrl)) {
    try {
      return new URL(regionOrUrl).href;
    } catch {
      throw new InvalidOptionError('regionOrUrl', '`regionOrUrl` looks like a WebSocket URL but is not a valid URL.');
    }
  }
  if (!REGION_PATTERN.test(regionOrUrl)) {
    throw new InvalidOptionError('regionOrUrl', '`regionOrUrl` must be an AWS region such as `us-east-1` (lower-case letters, digits and dashes) or a ws:// or wss:// URL.');
  }
  return `wss://edge.ivschat.${regionOrUrl}.amazonaws.com`;
}

/**
 * A whole number option.
 * @param {unknown} value
 * @param {string} name
 * @param {number} fallback
 * @param {number} min
 * @param {boolean} allowInfinity
 */
function count(value, name, fallback, min, allowInfinity) {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && value >= min && (Number.isInteger(value) || (allowInfinity && value === Infinity));
  if (!ok) {
    throw new InvalidOptionError(name, `\`${name}\` must be a whole number of at least ${min}${allowInfinity ? ' (or Infinity)' : ''}.`);
  }
  return /** @type {number} */ (value);
}

/**
 * A positive, finite number of milliseconds.
 * @param {unknown} value
 * @param {string} name
 * @param {number} fallback
 */
function duration(value, name, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(name, `\`${name}\` must be a positive, finite number of milliseconds.`);
  }
  return value;
}

/**
 * @param {unknown} logger
 * @returns {ChatLogger}
 */
function loggerOption(logger) {
  if (logger === undefined) return {}; // silent
  if (logger === null || typeof logger !== 'object') {
    throw new InvalidOptionError('logger', '`logger` must be an object with debug, info, warn and/or error methods (console works).');
  }
  return /** @type {ChatLogger} */ (logger);
}

/**
 * @param {unknown} clock
 * @returns {ChatClock}
 */
function clockOption(clock) {
  if (clock === undefined) return SYSTEM_CLOCK;
  const given = /** @type {Partial<ChatClock> | null} */ (clock);
  if (!given || typeof given.now !== 'function' || typeof given.setTimeout !== 'function' || typeof given.clearTimeout !== 'function') {
    throw new InvalidOptionError('clock', '`clock` must have now(), setTimeout(callback, ms) and clearTimeout(handle).');
  }
  return /** @type {ChatClock} */ (given);
}

/** A v4 UUID; crypto.randomUUID is missing outside secure contexts, getRandomValues is not. */
function newRequestId() {
  const cryptoApi = globalThis.crypto;
  if (typeof cryptoApi?.randomUUID === 'function') return cryptoApi.randomUUID();
  const bytes = cryptoApi.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * `base` plus the members of `optional` that are not undefined (so absent stays absent).
 * @template {object} B
 * @template {object} O
 * @param {B} base
 * @param {O} optional
 * @returns {any}
 */
function withOptional(base, optional) {
  const result = /** @type {Record<string, unknown>} */ ({ ...base });
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) result[key] = value;
  return result;
}
