// @ts-check
// The client-side send limit. IVS counts SEND_MESSAGE per room over one second and answers 429
// above maximumMessageRatePerSecond; a client that keeps sending into a 429 only makes the room
// worse for everybody. So sends get a slot in a sliding window: at most `maxPerSecond` slots in
// any window, a send that must wait for its slot waits (briefly), and one that would wait longer
// than `maxWaitMs` is refused at once, before anything is sent.

/**
 * Network jitter can bring two sends closer together at the server than they were when they
 * left; the window is this much longer than a second so the server never sees more than the limit.
 */
const WINDOW_MARGIN_MS = 50;
export const WINDOW_MS = 1000 + WINDOW_MARGIN_MS;

export class SendRateLimiter {
  /**
   * @param {{ maxPerSecond: number, maxWaitMs: number, now: () => number }} options
   */
  constructor({ maxPerSecond, maxWaitMs, now }) {
    this.maxPerSecond = maxPerSecond;
    this.maxWaitMs = maxWaitMs;
    this.now = now;
    /** Instants of the slots given out (some may be in the future), ascending. @type {number[]} */
    this.slots = [];
  }

  /**
   * Reserves the earliest free slot.
   * @returns {number | undefined} how many ms to wait before sending, or undefined when that
   *   would exceed `maxWaitMs` (nothing is reserved then)
   */
  reserve() {
    const now = this.now();
    while (this.slots.length > 0 && this.slots[0] <= now - WINDOW_MS) this.slots.shift();
    // With `maxPerSecond` slots already in a window, the next one opens when the slot
    // `maxPerSecond` places back leaves the window.
    const blocking = this.slots.length >= this.maxPerSecond ? this.slots[this.slots.length - this.maxPerSecond] : undefined;
    const at = blocking === undefined ? now : Math.max(now, blocking + WINDOW_MS);
    if (at - now > this.maxWaitMs) return undefined;
    this.slots.push(at);
    return at - now;
  }
}
