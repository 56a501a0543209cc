// @ts-check
// The requests of a room between the moment their frame is built and their answer: the pending
// table, the client-side rate limit for messages (a send may wait for its slot), the answer
// timeout, AbortSignals, and which socket each one went out on. Every request settles exactly
// once: its echo, the service's ERROR, TIMEOUT, ABORTED, or DISCONNECTED when its socket ends.
// A request that was sent and settled without an answer (TIMEOUT, or ABORTED / DISCONNECTED
// after sending) is not confirmed, not failed: its requestId is remembered for a while, so that
// an answer arriving after all is still matched to it (the room's `delivered` event).
import { ChatError } from './chat-error.js';
import { SendRateLimiter } from './rate-limiter.js';

/**
 * @typedef {import('./frame-events.js').RequestKind} RequestKind
 * @typedef {import('./chat-error.js').DisconnectReason} DisconnectReason
 * @typedef {import('./timers.js').Timers} Timers
 * @typedef {{ send(frame: string): boolean }} Carrier a socket as requests see it
 *
 * @typedef {object} PendingRequest
 * @property {RequestKind} kind
 * @property {string} requestId
 * @property {(value: any) => void} resolve
 * @property {(error: ChatError) => void} reject
 * @property {unknown} [timer] the answer timeout (once sent) or the rate-limit wait (before)
 * @property {Carrier} [carrier] the socket it went out on
 * @property {() => void} [unlisten] removes the AbortSignal listener
 */

/** How many not-confirmed requestIds are remembered at most (the oldest is forgotten first). */
export const UNCONFIRMED_CAPACITY = 1000;
/** How long (ms) a not-confirmed requestId is remembered, from when its request settled. */
export const UNCONFIRMED_MAX_AGE_MS = 5 * 60_000;

export class Requests {
  /** When each request settled without an answer, by `${kind} ${requestId}`, oldest first. @type {Map<string, number>} */
  #unconfirmed = new Map();

  /**
   * @param {object} options
   * @param {Timers} options.timers
   * @param {number} options.timeoutMs
   * @param {number} options.maxMessagesPerSecond
   * @param {number} options.maxRateLimitWaitMs
   * @param {() => Carrier | undefined} options.carrier the socket to send on now, if any
   * @param {(carrier: Carrier) => void} options.onIdle a socket's last request settled
   * @param {(line: string) => void} options.log
   */
  constructor({ timers, timeoutMs, maxMessagesPerSecond, maxRateLimitWaitMs, carrier, onIdle, log }) {
    this.timers = timers;
    this.timeoutMs = timeoutMs;
    this.carrier = carrier;
    this.onIdle = onIdle;
    this.log = log;
    this.rateLimiter = new SendRateLimiter({ maxPerSecond: maxMessagesPerSecond, maxWaitMs: maxRateLimitWaitMs, now: () => timers.now() });
    /** @type {Map<string, PendingRequest>} */
    this.pending = new Map();
  }

  get size() {
    return this.pending.size;
  }

  /**
   * Sends a built frame (after its rate-limit slot, for messages) and waits for its answer.
   * @param {RequestKind} kind
   * @param {string} requestId printable ASCII, checked by the core
   * @param {string} frame
   * @param {AbortSignal | undefined} signal
   * @returns {Promise<any>}
   */
  submit(kind, requestId, frame, signal) {
    return new Promise((resolve, reject) => {
      if (this.pending.has(requestId)) {
        const message = `requestId ${requestId} is already used by a request in progress.`;
        reject(new ChatError('VALIDATION', `Invalid ${kind} request: ${message}`, { requestId, errors: [{ field: 'requestId', code: 'DUPLICATE', message }] }));
        return;
      }
      if (!this.carrier()) {
        reject(new ChatError('DISCONNECTED', 'The room is not connected: nothing was sent.', { requestId }));
        return;
      }
      let waitMs = 0;
      if (kind === 'sendMessage') {
        const slot = this.rateLimiter.reserve();
        if (slot === undefined) {
          reject(new ChatError('RATE_LIMITED', 'Sending too fast: over the client-side limit of messages per second, and the queue is full. Nothing was sent.', { requestId }));
          return;
        }
        waitMs = slot;
      }
      this.#unconfirmed.delete(`${kind} ${requestId}`); // a new request with its requestId takes over its answer
      /** @type {PendingRequest} */
      const request = { kind, requestId, resolve, reject };
      this.pending.set(requestId, request);
      if (signal) {
        const abort = () => this.settle(request, new ChatError('ABORTED', `${kind} ${requestId} was aborted${request.carrier ? ' after it was sent (it may still take effect)' : '; nothing was sent'}.`, { requestId, cause: signal.reason }), true);
        signal.addEventListener('abort', abort, { once: true });
        request.unlisten = () => signal.removeEventListener('abort', abort);
      }
      if (waitMs > 0) {
        this.log(`message ${requestId} waits ${waitMs} ms for the rate limit`);
        request.timer = this.timers.set(() => this.#transmit(request, frame), waitMs);
      } else {
        this.#transmit(request, frame);
      }
    });
  }

  /**
   * @param {PendingRequest} request
   * @param {string} frame
   */
  #transmit(request, frame) {
    request.timer = undefined;
    if (this.pending.get(request.requestId) !== request) return; // settled while it waited
    const carrier = this.carrier();
    if (!carrier || !carrier.send(frame)) {
      this.settle(request, new ChatError('DISCONNECTED', 'The room is not connected: nothing was sent.', { requestId: request.requestId }));
      return;
    }
    request.carrier = carrier;
    request.timer = this.timers.set(() => {
      this.settle(request, new ChatError('TIMEOUT', `No answer to ${request.kind} ${request.requestId} within ${this.timeoutMs} ms (it may still have taken effect).`, { requestId: request.requestId }), true);
    }, this.timeoutMs);
  }

  /**
   * The request a frame answers: by RequestId, and (for echoes) of the kind the frame answers.
   * @param {string} requestId
   * @param {RequestKind} [kind]
   */
  find(requestId, kind) {
    const request = requestId ? this.pending.get(requestId) : undefined;
    return request && (kind === undefined || request.kind === kind) ? request : undefined;
  }

  /**
   * Whether `requestId` answers (late, as `kind`) a request that settled without an answer and
   * is still remembered; it is forgotten then (an answer is matched once).
   * @param {string} requestId
   * @param {RequestKind} kind
   */
  lateAnswer(requestId, kind) {
    if (!this.#unconfirmed.size) return false; // (every frame of the room comes here)
    const key = `${kind} ${requestId}`;
    const at = /** @type {number} */ (this.#unconfirmed.get(key));
    return this.#unconfirmed.delete(key) && this.timers.now() - at < UNCONFIRMED_MAX_AGE_MS; // (delete: false when not there)
  }

  /**
   * Settles a request once: a ChatError rejects, anything else resolves.
   * @param {PendingRequest} request
   * @param {unknown} outcome
   * @param {boolean} [unanswered] settled for want of an answer: if it was sent, it is not confirmed
   */
  settle(request, outcome, unanswered = false) {
    if (this.pending.get(request.requestId) !== request) return;
    this.pending.delete(request.requestId);
    if (unanswered && request.carrier) {
      // In the order they settle: at the capacity, the oldest goes. (Too old ones are not matched.)
      if (this.#unconfirmed.size >= UNCONFIRMED_CAPACITY) this.#unconfirmed.delete(/** @type {string} */ (this.#unconfirmed.keys().next().value));
      this.#unconfirmed.set(`${request.kind} ${request.requestId}`, this.timers.now());
    }
    this.timers.clear(request.timer);
    request.unlisten?.();
    const { carrier } = request;
    if (carrier && !this.inFlight(carrier)) this.onIdle(carrier);
    if (outcome instanceof ChatError) request.reject(outcome);
    else request.resolve(outcome);
  }

  /**
   * Whether requests sent on `carrier` wait for an answer.
   * @param {Carrier} carrier
   */
  inFlight(carrier) {
    for (const request of this.pending.values()) if (request.carrier === carrier) return true;
    return false;
  }

  /**
   * Rejects with DISCONNECTED every request sent on `carrier` (or, without one, every request).
   * @param {Carrier | undefined} carrier
   * @param {string} why
   * @param {DisconnectReason} reason
   */
  disconnected(carrier, why, reason) {
    for (const request of [...this.pending.values()]) {
      if (carrier && request.carrier !== carrier) continue;
      const outcome = request.carrier ? 'got no answer (it may still have taken effect)' : 'was not sent: nothing was sent';
      this.settle(request, new ChatError('DISCONNECTED', `${why}: ${request.kind} ${request.requestId} ${outcome}.`, {
        requestId: request.requestId,
        disconnectReason: reason,
      }), true);
    }
  }
}
