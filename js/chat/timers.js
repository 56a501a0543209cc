// @ts-check
// A room's timers on its clock (replaceable in tests), all in one set, so that the end of the
// room can clear every one of them and none fires after it.

/**
 * @typedef {object} ChatClock time and timers, replaceable so that tests control them
 * @property {() => number} now ms since the epoch
 * @property {(callback: () => void, ms: number) => unknown} setTimeout
 * @property {(handle: any) => void} clearTimeout
 */

/** setTimeout fires at once for longer delays (they overflow a signed 32-bit integer). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export class Timers {
  /** @param {ChatClock} clock */
  constructor(clock) {
    this.clock = clock;
    /** @type {Set<unknown>} */
    this.live = new Set();
  }

  now() {
    return this.clock.now();
  }

  /**
   * @param {() => void} callback
   * @param {number} ms clamped to what setTimeout can wait
   * @returns {unknown} the handle for clear()
   */
  set(callback, ms) {
    const handle = this.clock.setTimeout(() => {
      this.live.delete(handle);
      callback();
    }, Math.min(ms, MAX_TIMER_MS));
    this.live.add(handle);
    return handle;
  }

  /** @param {unknown} handle a handle of set(), or undefined */
  clear(handle) {
    if (handle !== undefined && this.live.delete(handle)) this.clock.clearTimeout(handle);
  }

  clearAll() {
    for (const handle of this.live) this.clock.clearTimeout(handle);
    this.live.clear();
  }
}
