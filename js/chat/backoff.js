// @ts-check
// Reconnect delays: capped exponential backoff with full jitter (AWS Architecture Blog,
// "Exponential Backoff And Jitter"): delay = random() * min(maxDelayMs, initialDelayMs * multiplier^step).
// Full jitter spreads the clients of a room that lost the service at the same moment, so they do
// not all come back (and fetch tokens) in the same millisecond.
import { InvalidOptionError } from '../errors.js';
import { atLeast, readOptions } from '../option-table.js';

/**
 * @typedef {object} BackoffOptions
 * @property {number} [initialDelayMs] ceiling of the first delay (default 1000)
 * @property {number} [maxDelayMs] no ceiling grows beyond this (default 30000)
 * @property {number} [multiplier] growth of the ceiling per step, at least 1 (default 2)
 * @property {number} [resetAfterMs] a connection that stayed open this long resets the growth (default 10000)
 */

/** @type {Readonly<Required<BackoffOptions>>} */
const DEFAULT_BACKOFF = Object.freeze({ initialDelayMs: 1000, maxDelayMs: 30_000, multiplier: 2, resetAfterMs: 10_000 });

/** Each member's check and default: the one list of the backoff options. */
const BACKOFF_OPTIONS = {
  initialDelayMs: atLeast(DEFAULT_BACKOFF.initialDelayMs, 0),
  /** @param {unknown} value @param {import('../option-table.js').OptionContext} context */
  maxDelayMs(value, context) {
    const maxDelayMs = atLeast(DEFAULT_BACKOFF.maxDelayMs, 0)(value, context);
    if (maxDelayMs >= /** @type {number} */ (context.settings.initialDelayMs)) return maxDelayMs;
    throw new InvalidOptionError('backoff.maxDelayMs', '`backoff.maxDelayMs` must not be less than `backoff.initialDelayMs`.');
  },
  multiplier: atLeast(DEFAULT_BACKOFF.multiplier, 1),
  resetAfterMs: atLeast(DEFAULT_BACKOFF.resetAfterMs, 0),
};

/**
 * Checks and completes backoff options; throws InvalidOptionError naming the member at fault.
 * @param {unknown} options
 * @returns {Required<BackoffOptions>}
 */
export function resolveBackoffOptions(options) {
  if (options === undefined) return { ...DEFAULT_BACKOFF };
  return readOptions(BACKOFF_OPTIONS, options, {
    owner: 'backoff',
    path: 'backoff',
    notAnObject: '`backoff` must be an object such as { initialDelayMs: 1000, maxDelayMs: 30000, multiplier: 2 }.',
  });
}

/**
 * The largest delay of a step (0 for the first): min(maxDelayMs, initialDelayMs * multiplier^step).
 * @param {Required<BackoffOptions>} options
 * @param {number} step
 */
export function backoffCeiling(options, step) {
  return Math.min(options.maxDelayMs, options.initialDelayMs * options.multiplier ** step);
}

/**
 * A full-jitter delay for a step: uniformly in [0, ceiling).
 * @param {Required<BackoffOptions>} options
 * @param {number} step
 * @param {() => number} random a source in [0, 1) such as Math.random
 */
export function backoffDelay(options, step, random) {
  const unit = Math.min(Math.max(random(), 0), 1);
  return Math.floor(unit * backoffCeiling(options, step));
}
