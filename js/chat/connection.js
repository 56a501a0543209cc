// @ts-check
// The connection of a ChatRoom, as an explicit state machine: its states and transitions are
// the table below, and everything it owns (sockets, timers, attempts) belongs to a state.
//
// STATES (the room's public `state` in brackets). The "current" socket is the one requests go on.
//   idle          nothing: no socket, no timer, no attempt                      [disconnected]
//   waiting       no current socket; a backoff delay runs before an attempt    [connecting]
//   opening       no current socket; an attempt runs: core, token, handshake   [connecting]
//   open          a current socket                                              [connected]
//   renewWaiting  a current socket; a delay runs before a renewal attempt      [connected]
//   renewing      a current socket; an attempt opens its successor             [connected]
//   kicked        a current socket; our user was disconnected by a moderator:   [connected]
//                 no more attempts, the room ends when the service closes it
//
// ONE BUDGET. An outage (from the loss of a socket, or connect(), to the next socket opened) or a
// renewal gets 1 + maxReconnectAttempts attempts, each one token fetch; then the room gives up.
// Every attempt but the first of an outage waits a capped exponential backoff with full jitter
// first, and so does the first one after an unexpected loss; the backoff's growth only starts
// over once a socket has stayed open for backoff.resetAfterMs. Every way a socket ends goes
// through this: a drop, a refused handshake, the session's end, an ERROR 401 (one that comes
// before the socket is stable means the attempt that opened it failed: the outage goes on), a
// renewal whose socket fails.
//
// FRAMES: the room reads every frame; what one means for the connection (its session ended, a
// user was kicked, our own user id) is decided in one place, #onText.
//
// SOCKETS: at most two at any moment. A renewal's new socket becomes current and the old one
// drains (stays open DRAIN_MS, and until its requests are answered, for frames already on their
// way); an attempt that would make a third socket closes the draining one first. Only while two
// sockets are in the room (and DRAIN_MS after) can a frame arrive twice: the room is told so with
// each frame (#mayRepeat) and remembers ids only then.
import { Deadline } from '../deadline.js';
import { backoffDelay } from './backoff.js';
import { ChatError } from './chat-error.js';
import { ChatSocket, shownSocketUrl } from './chat-socket.js';
import { MAX_TIMER_MS } from './timers.js';
import { readProvidedToken } from './token-provider.js';

/**
 * @typedef {import('./chat-error.js').DisconnectReason} DisconnectReason
 * @typedef {import('./chat-room.js').FrameMeaning} FrameMeaning
 * @typedef {import('./options.js').ChatRoomSettings} ChatRoomSettings
 * @typedef {import('./timers.js').Timers} Timers
 * @typedef {import('./requests.js').Requests} Requests
 * @typedef {import('../redact.js').Redactor} Redactor
 * @typedef {import('./chat-socket.js').CloseInfo} CloseInfo
 * @typedef {'idle' | 'waiting' | 'opening' | 'open' | 'renewWaiting' | 'renewing' | 'kicked'} State
 * @typedef {'disconnected' | 'connecting' | 'connected'} ConnectionState
 *
 * @typedef {object} Link one socket of the room, and what belongs to it
 * @property {ChatSocket} socket
 * @property {number} openedAt
 * @property {number | undefined} sessionExpiresAt
 * @property {number} attemptsBefore the attempts of the outage it ended
 * @property {boolean} sessionEnded an ERROR 401 said its session is over
 * @property {boolean} renewalFailed its renewal used up its attempts: the room ends with it
 * @property {string | undefined} lastKickedUserId the user of an aws:DISCONNECT_USER, when that was its last frame
 * @property {unknown} renewalTimer
 * @property {boolean} drainDue replaced, and its drain time is over: closed once its requests are answered
 * @property {string[] | undefined} held frames that arrived before the core was loaded, read once it is
 *
 * @typedef {object} Attempt
 * @property {boolean} cancelled
 * @property {Link | undefined} link the socket it opens, once it has a token
 * @property {AbortSignal} signal aborts on cancel()
 * @property {() => void} cancel
 *
 * @typedef {object} ConnectionHost what the room gives its connection
 * @property {ChatRoomSettings} settings
 * @property {Timers} timers
 * @property {Redactor} redactor
 * @property {Requests} requests
 * @property {() => Promise<unknown>} loadCore
 * @property {(text: string, mayRepeat: boolean) => FrameMeaning | undefined} onText reads a frame (its
 *   events are emitted); `mayRepeat`: another socket of the room may bring it too (a renewal)
 * @property {(state: ConnectionState, reason: DisconnectReason | undefined) => void} onStateChange
 * @property {(name: 'attempt' | 'renewed', payload?: { attempt: number, renewal: boolean }) => void} emit
 *   tells an attempt starting, and a renewal's socket replacing the current one
 * @property {(error: ChatError) => void} report
 * @property {(level: 'debug' | 'info' | 'warn', message: string) => void} log
 */

/** Each transition, by name: the state it leaves → the state it enters. */
const TRANSITIONS = /** @type {const} */ ({
  /** connect() */
  connect: { idle: 'waiting' },
  /** the delay is over (or the network is back): an attempt starts */
  attempt: { waiting: 'opening', renewWaiting: 'renewing' },
  /** the attempt's socket opened: it is the current one */
  adopt: { opening: 'open', renewing: 'open' },
  /** the attempt failed: a delay before the next one */
  retry: { opening: 'waiting', renewing: 'renewWaiting' },
  /** the session ends soon: make the next socket */
  renew: { open: 'renewWaiting' },
  /** the renewal used up its attempts: the current socket serves until it ends */
  stopRenewal: { renewWaiting: 'open', renewing: 'open' },
  /** our user was kicked (with a current socket; without one, finish): the socket serves until the service closes it */
  kick: { open: 'kicked', renewWaiting: 'kicked', renewing: 'kicked' },
  /** the current socket ended (a renewal under way goes on, as the reconnection) */
  lose: { open: 'waiting', renewWaiting: 'waiting', renewing: 'opening' },
  /** disconnect(), a kick, or the budget used up with no socket: everything stops */
  finish: { waiting: 'idle', opening: 'idle', open: 'idle', renewWaiting: 'idle', renewing: 'idle', kicked: 'idle' },
});

/** @type {Record<State, ConnectionState>} */
const PUBLIC_STATE = { idle: 'disconnected', waiting: 'connecting', opening: 'connecting', open: 'connected', renewWaiting: 'connected', renewing: 'connected', kicked: 'connected' };

/** Renewal starts this long before sessionExpirationTime at most... */
const MAX_SESSION_RENEWAL_LEAD_MS = 60_000;
/** ...and at most this share of the session's remaining time (short sessions, scaled test time). */
const SESSION_RENEWAL_LEAD_FRACTION = 0.25;
/** ...and never sooner than this after the socket opened (a token with a near-zero session must not loop). */
const MIN_RENEWAL_DELAY_MS = 250;
/** After a renewal the old socket stays open this long, so frames on their way on it arrive. */
const DRAIN_MS = 2000;
/** A kicked connection the service has not closed after this long is closed by us. */
const KICK_CLOSE_GRACE_MS = 5000;

/**
 * (Long on purpose: one state machine, whose transitions all read and change the same private
 * state: sockets, the attempt, the delay, the budget. Split, that state would be shared between
 * objects, and the table above would stop being the one place that says how it changes.)
 */
export class Connection {
  /** @type {State} */
  #state = 'idle';
  /** @type {Link | undefined} */
  #current;
  /** @type {Link | undefined} replaced by a renewal, closed once quiet */
  #draining;
  /** @type {Attempt | undefined} in opening and renewing */
  #attempt;
  /** @type {unknown} the delay, in waiting and renewWaiting */
  #delay;
  /** @type {(() => void) | undefined} stops listening for the network or the page coming back */
  #unlistenWake;
  /** Attempts made in this outage or renewal. */
  #attempts = 0;
  /** Backoff steps taken since a socket was last stable. */
  #step = 0;
  /** @type {DisconnectReason} why the last attempt failed (the reason to give when the budget is gone) */
  #failure = 'socketError';
  /** @type {ChatError | undefined} what made the last attempt fail */
  lastError;
  /** @type {string | undefined} our user id, from the token or from the echo of our own message */
  #userId;
  /** Until when (timers.now()) a frame may also come on another socket: Infinity while two are in the room; 0: not since. */
  #repeatsUntil = 0;

  /** @param {ConnectionHost} host */
  constructor(host) {
    this.host = host;
    this.settings = host.settings;
    this.timers = host.timers;
    this.requests = host.requests;
    this.redactor = host.redactor;
    this.log = host.log;
  }

  /** @returns {ConnectionState} */
  get state() {
    return PUBLIC_STATE[this.#state];
  }

  /** The socket to send on now, if any. */
  get carrier() {
    return this.#current?.socket;
  }

  /**
   * @param {keyof typeof TRANSITIONS} name
   * @param {DisconnectReason} [reason] for finish
   * @returns {boolean} whether the machine is still in the state entered (a listener may have moved it on)
   */
  #go(name, reason) {
    const from = this.#state;
    const to = /** @type {Partial<Record<State, State>>} */ (TRANSITIONS[name])[from];
    if (!to) throw new Error(`ChatRoom connection: no transition ${name} from ${from}`);
    this.#state = to;
    this.log('debug', `${name}: ${from} -> ${to}`);
    if (PUBLIC_STATE[to] !== PUBLIC_STATE[from]) this.host.onStateChange(PUBLIC_STATE[to], reason);
    return this.#state === to;
  }

  // ------------------------------------------------------------------ transitions

  connect() {
    if (this.#state !== 'idle') return;
    this.#attempts = 0;
    this.#step = 0;
    this.lastError = undefined;
    if (this.#go('connect')) this.#next(true);
  }

  /** @param {DisconnectReason} reason */
  finish(reason) {
    if (this.#state === 'idle') return;
    this.#attempt?.cancel();
    this.#attempt = undefined;
    this.#stopDelay();
    const { timers, requests } = this;
    for (const link of [this.#current, this.#draining]) {
      if (!link) continue;
      timers.clear(link.renewalTimer);
      link.socket.close(reason);
    }
    this.#current = undefined;
    this.#draining = undefined;
    timers.clearAll();
    requests.disconnected(undefined, `The room disconnected (${reason})`, reason);
    this.log('info', `disconnected: ${reason}`);
    this.#go('finish', reason);
  }

  /**
   * The next attempt of this outage or renewal: at once, after a delay, or none (budget used up).
   * @param {boolean} atOnce the first attempt of a connect(), a renewal or a session's end
   */
  #next(atOnce) {
    const { settings, timers } = this;
    if (this.#attempts >= 1 + settings.maxReconnectAttempts) {
      this.#budgetUsedUp();
      return;
    }
    if (atOnce && this.#attempts === 0) {
      void this.#attemptNow();
      return;
    }
    const delayMs = backoffDelay(settings.backoff, this.#step, settings.random);
    this.#step += 1;
    this.log('info', `attempt ${this.#attempts + 1} in ${delayMs} ms`);
    this.#delay = timers.set(() => {
      this.#delay = undefined;
      void this.#attemptNow();
    }, delayMs);
    this.#listenForWake();
  }

  #budgetUsedUp() {
    const current = this.#current;
    if (!current || current.sessionEnded) {
      this.finish(current ? 'sessionExpired' : this.#failure);
      return;
    }
    current.renewalFailed = true;
    this.log('warn', 'the session could not be renewed; the room disconnects when it ends');
    this.#go('stopRenewal');
  }

  async #attemptNow() {
    this.#stopDelay();
    const renewal = this.#state === 'renewWaiting';
    if (!this.#go('attempt')) return;
    const { settings, redactor } = this;
    this.#attempts += 1;
    const attempt = this.#newAttempt();
    this.#attempt = attempt;
    this.host.emit('attempt', { attempt: this.#attempts, renewal });
    if (attempt.cancelled) return; // (by a listener)
    // The core is needed from the first frame on, not before: it loads while the tokenProvider
    // runs and the socket opens, so that an app's own provider reaches the network at once (one
    // built on createChatToken waits for the core itself, to validate before it sends).
    const core = this.host.loadCore();
    core.catch(() => {}); // awaited below, once the token is there
    let token;
    try {
      this.log('info', `fetching a token (attempt ${this.#attempts})`);
      // A microtask later, so that a connect undone at once (React StrictMode's mount, unmount,
      // mount) never calls the provider.
      const providing = Promise.resolve().then(() => {
        if (attempt.cancelled) throw new Error('the attempt was cancelled');
        return settings.tokenProvider();
      });
      // Every token the provider gives is redacted from then on, also one that arrives after
      // this attempt was given up (the provider runs while the core loads, so a connect that is
      // aborted at once may still have called it).
      providing.then((provided) => redactor.add(readProvidedToken(provided).token)).catch(() => {});
      const provided = await this.#bounded(attempt, providing, settings.tokenTimeoutMs, 'the tokenProvider');
      if (attempt.cancelled) return;
      token = readProvidedToken(provided);
    } catch (error) {
      // The provider's own error is kept as `cause` (it is the app's); the message is redacted.
      this.#failed(attempt, 'fetchTokenError', () => new ChatError('TOKEN_FETCH_FAILED', `Could not get a chat token: ${plainDescription(error, redactor)}`, { cause: error }));
      return;
    }
    if (token.userId) this.#userId = token.userId;
    if (this.#current && this.#draining) this.#closeDrained(this.#draining); // never a third socket
    const link = this.#newLink(token.token, token.sessionExpiresAt);
    attempt.link = link;
    try {
      await this.#bounded(attempt, core, settings.connectTimeoutMs, 'loading the WebAssembly core');
      if (attempt.cancelled) return;
    } catch (error) {
      link.socket.close('core unavailable');
      this.#failed(attempt, 'socketError', () => new ChatError('CORE_UNAVAILABLE', `The WebAssembly core could not be loaded: ${redactor.describe(error)}`, { cause: error }));
      return;
    }
    const held = /** @type {string[]} */ (link.held);
    link.held = undefined;
    for (const text of held) this.#onText(link, text);
    try {
      await this.#bounded(attempt, link.socket.opened, settings.connectTimeoutMs, 'the WebSocket handshake');
      if (!link.socket.isOpen) throw new Error('the WebSocket closed as soon as it opened');
    } catch (error) {
      link.socket.close('connect failed');
      this.#failed(attempt, 'socketError', () => connectionFailed(settings.regionOrUrl, error, redactor));
      return;
    }
    if (!attempt.cancelled) this.#adopt(link);
  }

  /**
   * @param {Attempt} attempt
   * @param {DisconnectReason} failure
   * @param {() => ChatError} makeError
   */
  #failed(attempt, failure, makeError) {
    if (attempt.cancelled) return;
    this.#attempt = undefined;
    const error = makeError();
    this.#failure = failure;
    this.lastError = error;
    this.log('warn', error.message);
    if (!this.#go('retry')) return;
    this.host.report(error);
    if (this.#state === 'waiting' || this.#state === 'renewWaiting') this.#next(false);
  }

  /** @param {Link} link */
  #adopt(link) {
    const renewal = this.#state === 'renewing';
    this.#attempt = undefined;
    link.openedAt = this.timers.now();
    link.attemptsBefore = this.#attempts;
    this.#attempts = 0;
    const previous = this.#current;
    this.#current = link;
    this.log('info', `socket ${link.socket.number} open${previous ? ` (replaces socket ${previous.socket.number})` : ''}`);
    if (previous) this.#drain(previous);
    this.#scheduleRenewal(link);
    if (this.#go('adopt') && renewal) this.host.emit('renewed');
  }

  /** @param {Link} link */
  #scheduleRenewal(link) {
    const { timers } = this;
    timers.clear(link.renewalTimer);
    link.renewalTimer = undefined;
    if (link.sessionExpiresAt === undefined) return;
    const now = timers.now();
    const remaining = link.sessionExpiresAt - now;
    const lead = Math.min(MAX_SESSION_RENEWAL_LEAD_MS, Math.max(0, remaining) * SESSION_RENEWAL_LEAD_FRACTION);
    const inMs = Math.max(remaining - lead, link.openedAt + MIN_RENEWAL_DELAY_MS - now, 0);
    if (inMs > MAX_TIMER_MS) {
      // Timers cannot wait that long (they would fire at once): look again later.
      link.renewalTimer = timers.set(() => this.#scheduleRenewal(link), MAX_TIMER_MS);
      return;
    }
    this.log('debug', `session renewal in ${Math.round(inMs)} ms`);
    link.renewalTimer = timers.set(() => {
      link.renewalTimer = undefined;
      if (link !== this.#current || this.#state !== 'open') return;
      // It lasted its session: a renewal is a new series, not part of an outage.
      this.#noteStable(link);
      this.#attempts = 0;
      if (this.#go('renew')) this.#next(true);
    }, inMs);
  }

  /** @param {Link} link */
  #noteStable(link) {
    if (this.timers.now() - link.openedAt >= this.settings.backoff.resetAfterMs) this.#step = 0;
  }

  /** @param {Link} link */
  #drain(link) {
    if (this.#draining) this.#closeDrained(this.#draining);
    this.#draining = link;
    this.timers.clear(link.renewalTimer);
    this.timers.set(() => {
      link.drainDue = true;
      if (!this.requests.inFlight(link.socket)) this.#closeDrained(link);
    }, DRAIN_MS);
  }

  /** @param {Link} link */
  #closeDrained(link) {
    if (this.#draining !== link) return;
    this.#draining = undefined;
    this.log('info', `socket ${link.socket.number} closed after the session renewal`);
    link.socket.close('session renewed');
    this.requests.disconnected(link.socket, 'The connection was replaced', 'socketError');
  }

  /**
   * A request sent on `socket` was answered: a draining socket may close now.
   * @param {import('./requests.js').Carrier} socket
   */
  socketIdle(socket) {
    const link = this.#draining;
    if (link && link.socket === socket && link.drainDue && !this.requests.inFlight(socket)) this.#closeDrained(link);
  }

  /**
   * A frame arrived on `link`: the room reads it and emits its events; what it means for the
   * connection is decided here.
   * @param {Link} link
   * @param {string} text
   */
  #onText(link, text) {
    const meaning = this.host.onText(text, this.#mayRepeat());
    // Whether the socket's last frame was a kick (see #lose).
    link.lastKickedUserId = meaning?.disconnectedUserId;
    if (meaning?.ownUserId !== undefined) this.#userId ??= meaning.ownUserId;
    if (meaning?.sessionEnded) this.#sessionEnded(link);
    if (this.#userId !== undefined && meaning?.disconnectedUserId === this.#userId) this.#kicked();
  }

  /**
   * Whether a frame arriving now may also arrive on another socket of the room: broadcasts reach
   * every socket, so while a renewal's socket and the one it replaces are both in the room, and
   * for DRAIN_MS from the first frame after (a copy still on its way). Otherwise every frame is
   * new (the service never sends one again), and the room need not remember ids, which costs
   * time on every frame.
   */
  #mayRepeat() {
    if (this.#draining || (this.#current && this.#attempt?.link)) {
      this.#repeatsUntil = Infinity;
      return true;
    }
    if (this.#repeatsUntil === 0) return false;
    const now = this.timers.now();
    if (this.#repeatsUntil === Infinity) this.#repeatsUntil = now + DRAIN_MS;
    if (now < this.#repeatsUntil) return true;
    this.#repeatsUntil = 0;
    return false;
  }

  /**
   * The service said (ERROR 401) that a socket's session is over. A draining socket is closed; the
   * current one is replaced: at once when it had been stable, else (a 401 soon after it opened)
   * the attempt that opened it counts as failed, and the next one waits its backoff delay.
   * @param {Link} link
   */
  #sessionEnded(link) {
    link.sessionEnded = true;
    if (link === this.#draining) {
      this.#draining = undefined;
      link.socket.close('session ended');
      this.requests.disconnected(link.socket, 'The session ended', 'sessionExpired');
      return;
    }
    if (link !== this.#current || this.#state !== 'open') return; // (a renewal under way replaces it; kicked, it ends)
    this.log('info', `socket ${link.socket.number}: the session ended`);
    // Its renewal already used up its attempts: no new series at the end, the room ends with it.
    if (link.renewalFailed) {
      this.finish('sessionExpired');
      return;
    }
    const stable = this.timers.now() - link.openedAt >= this.settings.backoff.resetAfterMs;
    this.#noteStable(link);
    this.#attempts = stable ? 0 : link.attemptsBefore;
    if (this.#go('renew')) this.#next(true);
  }

  /**
   * The service closed a socket.
   * @param {Link} link
   * @param {CloseInfo} info
   */
  #onClosed(link, info) {
    this.log('info', `socket ${link.socket.number} closed by the other side: code ${info.code}${info.reason ? ` (${this.redactor.redact(info.reason)})` : ''}`);
    if (link === this.#draining) {
      this.#draining = undefined;
      this.requests.disconnected(link.socket, 'The connection closed', 'socketError');
    } else if (link === this.#current) {
      this.#lose(link, info);
    }
    // Otherwise it was an attempt's socket, which closed before it was adopted: the attempt fails.
  }

  /**
   * @param {Link} link the current socket, which has ended
   * @param {CloseInfo} info
   */
  #lose(link, info) {
    const { timers, requests, settings } = this;
    this.#current = undefined;
    timers.clear(link.renewalTimer);
    const now = timers.now();
    const clean = info.wasClean || info.code === 1000;
    // Kicked: the service said so for our user id, or (user id unknown) closed cleanly right
    // after an aws:DISCONNECT_USER, which it only sends to the kicked user's sockets just before closing them.
    if (this.#state === 'kicked' || (clean && this.#userId === undefined && link.lastKickedUserId !== undefined)) {
      this.finish('serverDisconnect');
      return;
    }
    const sessionOver = link.sessionEnded || (link.sessionExpiresAt !== undefined && now >= link.sessionExpiresAt);
    requests.disconnected(link.socket, sessionOver ? 'The session ended' : 'The connection was lost', sessionOver ? 'sessionExpired' : 'socketError');
    if (sessionOver && link.renewalFailed) {
      this.finish('sessionExpired');
      return;
    }
    const stable = now - link.openedAt >= settings.backoff.resetAfterMs;
    this.#noteStable(link);
    if (this.#state === 'open') {
      // A new outage; but an ERROR 401 before the socket was stable means the attempt that
      // opened it failed: its outage goes on, with the attempts it had used.
      this.#attempts = link.sessionEnded && !stable ? link.attemptsBefore : 0;
    }
    this.#failure = sessionOver ? 'sessionExpired' : 'socketError';
    const wasRenewing = this.#state === 'renewing';
    if (!this.#go('lose') || wasRenewing) return; // (a renewal's attempt goes on as the reconnection)
    if (this.#delay === undefined) this.#next(sessionOver);
  }

  /** Our own user was disconnected by a moderator: no more attempts; the end comes with the socket's close. */
  #kicked() {
    if (this.#state === 'idle' || this.#state === 'kicked') return;
    this.log('info', 'our user was disconnected by a moderator');
    if (!this.#current) {
      this.finish('serverDisconnect');
      return;
    }
    this.#attempt?.cancel();
    this.#attempt = undefined;
    this.#stopDelay();
    if (!this.#go('kick')) return;
    // The service closes the socket right after; if it does not, stop anyway.
    this.timers.set(() => this.finish('serverDisconnect'), KICK_CLOSE_GRACE_MS);
  }

  // ------------------------------------------------------------------ helpers

  /**
   * @param {string} token
   * @param {number | undefined} sessionExpiresAt
   * @returns {Link}
   */
  #newLink(token, sessionExpiresAt) {
    /** @type {Link} */
    const link = {
      socket: /** @type {any} */ (undefined),
      openedAt: 0,
      sessionExpiresAt,
      attemptsBefore: 0,
      sessionEnded: false,
      renewalFailed: false,
      lastKickedUserId: undefined,
      renewalTimer: undefined,
      drainDue: false,
      held: [],
    };
    link.socket = new ChatSocket({
      WebSocket: this.settings.WebSocket,
      url: this.settings.regionOrUrl,
      token,
      redactor: this.redactor,
      onText: (text) => (link.held ? link.held.push(text) : this.#onText(link, text)),
      onBinary: () => this.host.report(new ChatError('MALFORMED_FRAME', 'IVS Chat sent a binary frame; only JSON text frames are expected. It was skipped.')),
      onClose: (info) => this.#onClosed(link, info),
    });
    return link;
  }

  /** @returns {Attempt} */
  #newAttempt() {
    const controller = new AbortController();
    /** @type {Attempt} */
    const attempt = {
      get cancelled() {
        return controller.signal.aborted;
      },
      link: undefined,
      signal: controller.signal,
      cancel: () => {
        controller.abort(new Error('cancelled'));
        attempt.link?.socket.close('superseded');
      },
    };
    return attempt;
  }

  /**
   * `promise`, unless `ms` pass first or the attempt is cancelled (both reject), on the room's timers.
   * @template T
   * @param {Attempt} attempt
   * @param {Promise<T>} promise
   * @param {number} ms
   * @param {string} what
   * @returns {Promise<T>}
   */
  #bounded(attempt, promise, ms, what) {
    const reason = () => new Error(`${what} did not answer within ${ms} ms`);
    return new Deadline(ms, { signal: attempt.signal, timers: this.timers, reason }).race(promise);
  }

  #stopDelay() {
    this.timers.clear(this.#delay);
    this.#delay = undefined;
    this.#unlistenWake?.();
    this.#unlistenWake = undefined;
  }

  /**
   * While a delay runs: the network coming back (`online`) or the page becoming visible again
   * ends it at once, where the runtime has those events (browsers), unless the app opted out.
   */
  #listenForWake() {
    const target = /** @type {any} */ (globalThis);
    if (!this.settings.reconnectOnNetworkChange || typeof target.addEventListener !== 'function') return;
    /** @param {string} what */
    const wake = (what) => {
      if (this.#delay === undefined) return;
      this.log('info', `${what}: attempting now`);
      void this.#attemptNow();
    };
    const onOnline = () => wake('the network is back');
    const onVisible = () => {
      if (target.document?.visibilityState === 'visible') wake('the page is visible again');
    };
    target.addEventListener('online', onOnline);
    target.document?.addEventListener?.('visibilitychange', onVisible);
    this.#unlistenWake = () => {
      target.removeEventListener('online', onOnline);
      target.document?.removeEventListener?.('visibilitychange', onVisible);
    };
  }
}

/**
 * An error's message, redacted; with its class name first unless it is a plain Error.
 * @param {unknown} error
 * @param {import('../redact.js').Redactor} redactor
 */
function plainDescription(error, redactor) {
  return error instanceof Error && error.name === 'Error' ? redactor.redact(error.message) : redactor.describe(error);
}

/**
 * CONNECTION_FAILED for a handshake that failed: the URL tried (never a token: that travels as
 * the subprotocol, and the URL is shown without query or user info), what happened, and what to
 * check.
 * @param {string} url
 * @param {unknown} error
 * @param {import('../redact.js').Redactor} redactor
 */
function connectionFailed(url, error, redactor) {
  const where = shownSocketUrl(url);
  const what = redactor.redact(error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
  const tokenRefused = error instanceof Error && /** @type {{ tokenRefused?: boolean }} */ (error).tokenRefused === true;
  const hint = tokenRefused
    ? ''
    : ` Check that ${where} is the messaging endpoint of the room's region (ChatRoom's regionOrUrl), that the network lets WebSockets through to it, and that the service is up.`;
  return new ChatError('CONNECTION_FAILED', `Could not connect to IVS Chat at ${where}: ${what}.${hint}`);
}
