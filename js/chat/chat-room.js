// @ts-check
// ChatRoom: the WebSocket chat client's public face. JavaScript does the I/O and the
// connection's life; every action frame is checked and built, and every server frame read, by
// the WebAssembly core. The parts: options.js (the options), connection.js (the state machine:
// sockets, attempts, backoff, renewal), requests.js (pending requests, rate limit, timeouts),
// frame-events.js (frames → events), ../redact.js (no token in any text). History (history.js)
// is not imported: the `history` option, when given, brings it.
import { init } from '../client-core.js';
import { InvalidOptionError } from '../errors.js';
import { firstProblem } from '../first-problem.js';
import { abortSignal, readOptions } from '../option-table.js';
import { Redactor } from '../redact.js';
import { requestTable } from '../value-table.js';
import { ChatError, errorFromFrame } from './chat-error.js';
import { Connection } from './connection.js';
import { frameEvent } from './frame-events.js';
import { newRequestId, readChatRoomOptions } from './options.js';
import { RecentIds } from './recent-ids.js';
import { Requests } from './requests.js';
import { Timers } from './timers.js';

/**
 * @typedef {import('./chat-error.js').DisconnectReason} DisconnectReason
 * @typedef {import('./frame-events.js').RequestKind} RequestKind
 * @typedef {import('./frame-events.js').ChatMessage} ChatMessage
 * @typedef {import('./frame-events.js').ChatEvent} ChatEvent
 * @typedef {import('./frame-events.js').DeleteMessageEvent} DeleteMessageEvent
 * @typedef {import('./frame-events.js').DisconnectUserEvent} DisconnectUserEvent
 * @typedef {import('./connection.js').ConnectionState} ConnectionState
 * @typedef {import('./options.js').ChatRoomOptions} ChatRoomOptions
 * @typedef {import('./options.js').ChatLogger} ChatLogger
 * @typedef {import('../../dist/ivschat-client-calls.js').ClientCore} ClientCore
 * @typedef {{ signal?: AbortSignal }} SignalOptions
 *
 * @typedef {object} FrameMeaning what a frame means for the connection (which acts on it)
 * @property {boolean} [sessionEnded] an ERROR 401: the session of the socket it came on is over
 * @property {string} [disconnectedUserId] an aws:DISCONNECT_USER: that user's sockets close next
 * @property {string} [ownUserId] the echo of our own message names our user
 *
 * @typedef {{ attempt: number, renewal: boolean }} ChatAttempt
 *
 * @typedef {{ kind: 'sendMessage', requestId: string, result: ChatMessage }
 *   | { kind: 'deleteMessage', requestId: string, result: DeleteMessageEvent }
 *   | { kind: 'disconnectUser', requestId: string, result: DisconnectUserEvent }} ChatDelivery
 *   a request that had settled without an answer (not confirmed), answered after all
 *
 * @typedef {object} ChatRoomListeners
 * @property {() => void} connecting
 * @property {() => void} connect
 * @property {(attempt: ChatAttempt) => void} attempt
 * @property {() => void} renewed
 * @property {(reason: DisconnectReason) => void} disconnect
 * @property {(message: ChatMessage) => void} message
 * @property {(event: ChatEvent) => void} event
 * @property {(event: DeleteMessageEvent) => void} messageDelete
 * @property {(event: DisconnectUserEvent) => void} userDisconnect
 * @property {(delivery: ChatDelivery) => void} delivered
 * @property {(batch: import('./history.js').ChatHistoryBatch) => void} history
 * @property {(error: ChatError) => void} error
 */

/** Every event a ChatRoom emits (listeners for others are refused; the React hook forwards these). */
export const EVENT_NAMES = /** @type {const} */ (['connecting', 'connect', 'attempt', 'renewed', 'disconnect', 'message', 'event', 'messageDelete', 'userDisconnect', 'delivered', 'history', 'error']);
/** @type {Record<RequestKind, Parameters<ClientCore['buildActionFrame']>[0]['action']>} */
const ACTION_OF = { sendMessage: 'SEND_MESSAGE', deleteMessage: 'DELETE_MESSAGE', disconnectUser: 'DISCONNECT_USER' };
/** How many frame ids are remembered for de-duplication. */
const RECENT_ID_CAPACITY = 1000;
/**
 * Longer server frames (in UTF-16 code units) are skipped unread, as MALFORMED_FRAME. The largest
 * frame IVS Chat can send (500 code points of content, 1 KB each of message and sender attributes,
 * a 128-character user id and request id, all JSON-escaped at worst) is about 21,000 characters;
 * a bigger one would only cost time to parse or reach the app.
 */
export const MAX_SERVER_FRAME_LENGTH = 64 * 1024;

/**
 * The chat client. See types/chat-room.d.ts for the documented API.
 * (Longer than a class should be, on purpose: what it holds is the public API, one short method
 * each, and the frame reader; the connection, the requests and the events of frames each have
 * their own file, and a further split would cost the page bundle bytes for no clearer code.)
 */
export class ChatRoom {
  /** @type {Map<string, Set<Function>>} */
  #listeners = new Map();
  /** @type {{ promise: Promise<void>, resolve: () => void, reject: (error: ChatError) => void } | undefined} what connect() calls wait for */
  #connecting;
  /** @type {ClientCore | undefined} */
  #core;
  #recentIds = new RecentIds(RECENT_ID_CAPACITY);
  /** The room's tokens (and anything shaped like a credential) are removed from every text. */
  #redactor = new Redactor({ keep: 8 });
  /** @type {import('./options.js').ChatRoomSettings} */
  #settings;
  /** @type {Requests} */
  #requests;
  /** @type {Connection} */
  #connection;
  /** @type {import('./history.js').RoomHistory | undefined} */
  #history;

  /** @param {ChatRoomOptions} options */
  constructor(options) {
    const settings = readChatRoomOptions(options);
    this.#settings = settings;
    /** Names this room in log lines. @readonly @type {string} */
    this.id = settings.id;
    const timers = new Timers(settings.clock);
    this.#requests = new Requests({
      timers,
      timeoutMs: settings.requestTimeoutMs,
      maxMessagesPerSecond: settings.maxMessagesPerSecond,
      maxRateLimitWaitMs: settings.maxRateLimitWaitMs,
      carrier: () => this.#connection.carrier,
      onIdle: (socket) => this.#connection.socketIdle(socket),
      log: (line) => this.#log('debug', line),
    });
    this.#connection = new Connection({
      settings,
      timers,
      redactor: this.#redactor,
      requests: this.#requests,
      loadCore: () => this.#loadCore(),
      onText: (text, mayRepeat) => this.#onText(text, mayRepeat),
      onStateChange: (state, reason) => this.#onStateChange(state, reason),
      emit: (name, payload) => this.#emit(name, payload),
      report: (error) => this.#report(error),
      log: (level, message) => this.#log(level, message),
    });
    this.#history = /** @type {import('./history.js').RoomHistory | undefined} */ (settings.history?.attach(/** @type {import('./history.js').HistoryHost} */ ({
      timers,
      emit: (name, payload) => this.#emit(name, payload),
      report: (error) => this.#report(error),
      log: (level, message) => this.#log(level, message),
      describe: (error) => this.#redactor.describe(error),
    })));
    // Start loading the core now; the first use waits for it (and retries a failed load).
    init().catch(() => {});
  }

  /** @returns {ConnectionState} */
  get state() {
    return this.#connection.state;
  }

  /** The number of requests sent or queued and not settled yet. */
  get pendingRequestCount() {
    return this.#requests.size;
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

  /**
   * @param {SignalOptions} [options]
   * @returns {Promise<void>}
   */
  connect(options) {
    /** @type {Promise<void>} */
    let promise;
    try {
      const signal = readSignal(options, 'connect');
      if (signal?.aborted) throw new ChatError('ABORTED', 'connect was aborted before it started.', { cause: signal.reason });
      if (this.state === 'connected') return Promise.resolve();
      this.#connecting ??= deferred();
      const shared = this.#connecting.promise;
      promise = signal ? withAbort(shared, signal, () => {
        if (this.state === 'connecting') this.#connection.finish('clientDisconnect');
      }) : shared;
      this.#connection.connect();
    } catch (error) {
      promise = Promise.reject(error);
    }
    // connect() may be called without awaiting it (as with the official client): never an unhandled rejection.
    promise.catch(() => {});
    return promise;
  }

  disconnect() {
    this.#connection.finish('clientDisconnect');
  }

  /**
   * @param {{ content: string, attributes?: Record<string, string>, requestId?: string }} request
   * @param {SignalOptions} [options]
   * @returns {Promise<ChatMessage>}
   */
  sendMessage(request, options) {
    return this.#submit('sendMessage', request, options);
  }

  /**
   * @param {{ id: string, reason?: string, requestId?: string }} request
   * @param {SignalOptions} [options]
   * @returns {Promise<DeleteMessageEvent>}
   */
  deleteMessage(request, options) {
    return this.#submit('deleteMessage', request, options);
  }

  /**
   * @param {{ userId: string, reason?: string, requestId?: string }} request
   * @param {SignalOptions} [options]
   * @returns {Promise<DisconnectUserEvent>}
   */
  disconnectUser(request, options) {
    return this.#submit('disconnectUser', request, options);
  }

  /**
   * Builds the frame in the core (nothing invalid is ever sent), then hands it to the requests.
   * @param {RequestKind} kind
   * @param {unknown} request
   * @param {SignalOptions | undefined} options
   */
  async #submit(kind, request, options) {
    const signal = readSignal(options, kind);
    // The official client's request classes (SendMessageRequest, ...) carry their own requestId
    // and an `action` member; the core accepts both, so switching clients is easy. Without a
    // requestId, one is made here.
    const isObject = request !== null && typeof request === 'object';
    const givenId = isObject ? /** @type {Record<string, unknown>} */ (request).requestId : undefined;
    const madeId = isObject && givenId === undefined ? newRequestId() : undefined;
    const knownId = typeof givenId === 'string' ? givenId : madeId;
    const aborted = () => new ChatError('ABORTED', `${kind} was aborted; nothing was sent.`, { requestId: knownId, cause: signal?.reason });
    if (signal?.aborted) throw aborted();
    const core = await this.#loadCoreFor(knownId);
    if (signal?.aborted) throw aborted();
    const table = requestTable(request, madeId);
    let built;
    try {
      built = table.ok ? core.buildActionFrame({ action: ACTION_OF[kind], request: table.table, maxMessageLength: this.#settings.maxMessageLength }) : { ok: /** @type {const} */ (false), errors: [table.error] };
    } catch (error) {
      throw new ChatError('CORE_UNAVAILABLE', `The WebAssembly core failed: ${this.#redactor.describe(error)}`, { requestId: knownId, cause: error });
    }
    if (!built.ok) {
      const { errors } = built;
      throw new ChatError('VALIDATION', `Invalid ${kind} request, nothing was sent: ${firstProblem(errors)}`, { requestId: knownId, errors });
    }
    // The core checked it: a string of printable ASCII.
    return this.#requests.submit(kind, /** @type {string} */ (knownId), built.frame, signal);
  }

  /** @param {string | undefined} requestId */
  async #loadCoreFor(requestId) {
    try {
      return await this.#loadCore();
    } catch (error) {
      throw new ChatError('CORE_UNAVAILABLE', `The WebAssembly core could not be loaded: ${this.#redactor.describe(error)}`, { requestId, cause: error });
    }
  }

  async #loadCore() {
    if (!this.#core) this.#core = await init();
    return this.#core;
  }

  // ---------------------------------------------------------------- frames

  /**
   * Reads a frame and emits its events.
   * @param {string} text
   * @param {boolean} mayRepeat another socket of the room may bring the same frame (a renewal)
   * @returns {FrameMeaning | undefined}
   */
  #onText(text, mayRepeat) {
    if (text.length > MAX_SERVER_FRAME_LENGTH) {
      this.#report(new ChatError('MALFORMED_FRAME', `A frame from IVS Chat of ${text.length} characters, over the ${MAX_SERVER_FRAME_LENGTH} any frame of the service fits in, was skipped unread.`));
      return;
    }
    let frame;
    try {
      frame = /** @type {ClientCore} */ (this.#core).parseServerFrame({ frame: text });
    } catch (error) {
      // The core trapped on this frame (it was replaced for the next one): reported, not lost.
      this.#report(new ChatError('CORE_UNAVAILABLE', `A frame from IVS Chat could not be read: ${this.#redactor.describe(error)}`, { cause: error }));
      return;
    }
    if (!frame.ok) {
      this.#report(new ChatError('MALFORMED_FRAME', `A frame from IVS Chat could not be read and was skipped: ${frame.error}`));
      return;
    }
    if (frame.kind === 'ERROR') {
      const error = errorFromFrame(frame.errorCode, this.#redactor.redact(frame.errorMessage), frame.requestId);
      const pending = this.#requests.find(frame.requestId);
      if (pending) this.#requests.settle(pending, error);
      // (A bare 401 is the expected end of a session. One with the requestId of a request that
      // settled without an answer is a late refusal: that request failed after all.)
      else if (frame.errorCode !== 401 || frame.requestId) this.#report(error);
      // 401: the connection's session is over (sessionExpirationTime reached, or refused).
      return { sessionEnded: frame.errorCode === 401 };
    }
    if (frame.kind === 'UNKNOWN') {
      this.#log('debug', `skipped a frame of unknown Type ${JSON.stringify(this.#redactor.redact(frame.type))}`);
      return;
    }
    const event = frameEvent(frame);
    /** @type {FrameMeaning} */
    const meaning = { disconnectedUserId: event.name === 'userDisconnect' ? event.payload.userId : undefined };
    // Broadcasts reach every socket of the room: while a session is renewed, both of ours. The
    // ids are remembered only then (remembering costs about a fifth of a frame's time).
    if (mayRepeat) {
      if (frame.id && !this.#recentIds.add(frame.id)) return meaning;
    } else if (this.#recentIds.size) {
      this.#recentIds.clear();
    }
    const pending = event.answers && this.#requests.find(frame.requestId, event.answers);
    // The answer to a request that settled without one (TIMEOUT, ...): it is `delivered` after all.
    const late = event.answers && !pending && this.#requests.lateAnswer(frame.requestId, event.answers);
    // The echo of our own message names our user.
    if ((pending || late) && event.name === 'message') meaning.ownUserId = event.payload.sender.userId;
    if (pending) this.#requests.settle(pending, event.payload);
    // (A message a history read delivered already is not delivered again.)
    if (this.#history && !this.#history.live(event)) return meaning;
    this.#emit(event.name, event.payload);
    if (late) this.#emit('delivered', { kind: event.answers, requestId: frame.requestId, result: event.payload });
    return meaning;
  }

  // ---------------------------------------------------------------- events, logs

  /**
   * @param {ConnectionState} state
   * @param {DisconnectReason | undefined} reason
   */
  #onStateChange(state, reason) {
    this.#log('debug', `state: ${state}`);
    if (state === 'connecting') {
      this.#history?.start(); // read 1, in parallel with the token
      this.#emit('connecting');
      return;
    }
    const waiting = this.#connecting;
    this.#connecting = undefined;
    if (state === 'connected') {
      this.#history?.connected();
      waiting?.resolve();
      this.#emit('connect');
      return;
    }
    const why = reason ?? 'clientDisconnect';
    const last = this.#connection.lastError;
    // The last attempt's error says what to do: its message is in this one too, not only in `cause`.
    const message = last && why !== 'clientDisconnect'
      ? `The room did not connect: ${last.message.charAt(0).toLowerCase()}${last.message.slice(1)}`
      : `The room did not connect (${why}).`;
    this.#history?.stop();
    waiting?.reject(new ChatError('DISCONNECTED', message, { disconnectReason: why, cause: last }));
    this.#emit('disconnect', why);
  }

  /**
   * Calls every listener; one that throws (or rejects) is reported on `error` and the others still run.
   * @param {keyof ChatRoomListeners} name
   * @param {unknown} [payload]
   */
  #emit(name, payload) {
    const listeners = this.#listeners.get(name);
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        const result = listener(payload); // (undefined for connecting and connect, as if called with nothing)
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
      this.#log('error', `an \`error\` listener threw: ${this.#redactor.describe(error)}`);
      return;
    }
    this.#report(new ChatError('LISTENER_FAILED', `A \`${name}\` listener threw: ${this.#redactor.describe(error)}`, { cause: error }));
  }

  /** @param {ChatError} error */
  #report(error) {
    this.#log(error.code === 'LISTENER_FAILED' ? 'error' : 'warn', error.message);
    this.#emit('error', error);
  }

  /**
   * @param {'debug' | 'info' | 'warn' | 'error'} level
   * @param {string} message redacted once more here, whatever it holds
   */
  #log(level, message) {
    const logger = /** @type {ChatLogger} */ (this.#settings.logger);
    const write = logger[level];
    if (typeof write !== 'function') return;
    try {
      write.call(logger, `ChatRoom ${this.id}: ${this.#redactor.redact(message)}`);
    } catch {
      // A broken logger must not break the room.
    }
  }
}

/** The options of a call (connect, sendMessage, ...): the one list of them. */
const CALL_OPTIONS = { signal: abortSignal };

/**
 * The AbortSignal of a call's options, if any.
 * @param {unknown} options
 * @param {string} method
 * @returns {AbortSignal | undefined}
 */
function readSignal(options, method) {
  if (options === undefined) return undefined;
  return readOptions(CALL_OPTIONS, options, { owner: method, notAnObject: `The options of ${method} are { signal?: AbortSignal }.` }).signal;
}

/**
 * `promise`, or an ABORTED rejection as soon as `signal` aborts (and then `onAbort()` runs).
 * @param {Promise<void>} promise
 * @param {AbortSignal} signal
 * @param {() => void} onAbort
 * @returns {Promise<void>}
 */
function withAbort(promise, signal, onAbort) {
  return new Promise((resolve, reject) => {
    const abort = () => {
      reject(new ChatError('ABORTED', 'connect was aborted; the room stopped connecting.', { cause: signal.reason }));
      onAbort();
    };
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** @returns {{ promise: Promise<void>, resolve: () => void, reject: (error: ChatError) => void }} */
function deferred() {
  /** @type {() => void} */
  let resolve = () => {};
  /** @type {(error: ChatError) => void} */
  let reject = () => {};
  const promise = new Promise((res, rej) => {
    resolve = () => res(undefined);
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
