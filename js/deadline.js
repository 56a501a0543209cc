// @ts-check
// Deadlines, one way. A Deadline's signal aborts once its time has passed, as the signal of
// AbortSignal.timeout does (with a TimeoutError), or as soon as a caller's signal aborts (with
// its reason, as AbortSignal.any does); race() waits for a promise until then. The timer runs on
// timers a test may replace, and is cleared as soon as the work is over, so that a deadline
// never keeps a process alive after it.

/**
 * @typedef {object} DeadlineTimers what a deadline's timer runs on (js/chat/timers.js's Timers fits)
 * @property {(callback: () => void, ms: number) => unknown} set
 * @property {(handle: any) => void} clear
 *
 * @typedef {object} DeadlineOptions
 * @property {AbortSignal} [signal] the caller's: its abort ends the deadline too
 * @property {DeadlineTimers} [timers] default: the runtime's setTimeout and clearTimeout
 * @property {() => unknown} [reason] what the signal aborts with when the time is up; default
 *   a DOMException named TimeoutError, as AbortSignal.timeout's
 */

/** @type {DeadlineTimers} */
const RUNTIME_TIMERS = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle),
};

export class Deadline {
  #controller = new AbortController();
  #timers;
  /** @type {unknown} */
  #timer;
  /** @type {(() => void) | undefined} stops listening to the caller's signal */
  #unlisten;
  #expired = false;

  /**
   * @param {number} ms
   * @param {DeadlineOptions} [options]
   */
  constructor(ms, { signal, timers = RUNTIME_TIMERS, reason = () => new DOMException(`The deadline of ${ms} ms passed.`, 'TimeoutError') } = {}) {
    this.#timers = timers;
    if (signal?.aborted) {
      this.#controller.abort(signal.reason);
      return;
    }
    if (signal) {
      const forward = () => this.#end(signal.reason);
      signal.addEventListener('abort', forward, { once: true });
      this.#unlisten = () => signal.removeEventListener('abort', forward);
    }
    this.#timer = timers.set(() => {
      this.#timer = undefined;
      this.#expired = true;
      this.#end(reason());
    }, ms);
  }

  /** Aborts when the time is up or the caller's signal aborts; give it to fetch and the like. */
  get signal() {
    return this.#controller.signal;
  }

  /** Whether the time ran out (rather than the caller's signal aborting). */
  get expired() {
    return this.#expired;
  }

  /**
   * `promise`, unless the signal aborts first: then a rejection with its reason. Either way the
   * deadline is over once it settles.
   * @template T
   * @param {Promise<T>} promise
   * @returns {Promise<T>}
   */
  race(promise) {
    promise.catch(() => {}); // it may settle after the deadline: no unhandled rejection then
    const { signal } = this;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const abort = () => reject(signal.reason);
      signal.addEventListener('abort', abort, { once: true });
      /** @type {<V>(settle: (value: V) => void) => (value: V) => void} */
      const over = (settle) => (value) => {
        signal.removeEventListener('abort', abort);
        this.clear();
        settle(value);
      };
      promise.then(over(resolve), over(reject));
    });
  }

  /** Ends the deadline without aborting: its timer and its listening stop. Safe to repeat. */
  clear() {
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = undefined;
    this.#unlisten?.();
    this.#unlisten = undefined;
  }

  /** @param {unknown} reason */
  #end(reason) {
    this.clear();
    this.#controller.abort(reason);
  }
}

/**
 * `promise`, unless `ms` pass first (or `options.signal` aborts): a one-off {@link Deadline}.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {DeadlineOptions} [options]
 * @returns {Promise<T>}
 */
export function within(promise, ms, options) {
  return new Deadline(ms, options).race(promise);
}
