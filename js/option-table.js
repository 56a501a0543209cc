// @ts-check
// The one reader of options. Each function or class that takes options lists them in a table,
// name -> reader, and reads them here, so that every one refuses alike: an InvalidOptionError
// naming the option at fault, unknown names included (with the list of the known ones). The
// kinds of option several tables share (durations, counts, flags, ...) are here too, so that
// each rule is written once.
import { InvalidOptionError } from './errors.js';

/**
 * @typedef {object} OptionContext what a reader is told besides the option's value
 * @property {string} name the option's name, as errors name it (`backoff.multiplier` in a nested table)
 * @property {string} owner whose options they are (a function or class), for messages
 * @property {Readonly<Record<string, unknown>>} given every option as given
 * @property {Readonly<Record<string, unknown>>} settings the options read so far: the table's
 *   earlier entries, so an option may depend on one before it
 * @typedef {(value: unknown, context: OptionContext) => unknown} OptionReader checks a value
 *   (throwing InvalidOptionError) and gives the setting, its default when the value is undefined
 * @typedef {Readonly<Record<string, OptionReader>>} OptionTable
 * @typedef {object} OptionOwner whose options they are
 * @property {string} owner the function or class (or the option, for a nested table), in messages
 * @property {string} notAnObject the message when the options are not an object
 * @property {string} [path] for a nested table: the option it is (errors name `path.member`)
 */

/**
 * @template {OptionTable} Table
 * @typedef {{ -readonly [Name in keyof Table]: ReturnType<Table[Name]> }} OptionSettings
 */

/**
 * Reads `options` through `table`, in the table's order. Unknown names are refused before any
 * value is read.
 * @template {OptionTable} Table
 * @param {Table} table
 * @param {unknown} options
 * @param {OptionOwner} owner
 * @returns {OptionSettings<Table>}
 */
export function readOptions(table, options, owner) {
  return readTable(table, options, owner, false).settings;
}

/**
 * Reads the options of `table` out of `options` and gives the others back unread, for the
 * table they are passed on to (which refuses the unknown ones).
 * @template {OptionTable} Table
 * @param {Table} table
 * @param {unknown} options
 * @param {OptionOwner} owner
 * @returns {{ settings: OptionSettings<Table>, others: Record<string, unknown> }}
 */
export function readOwnOptions(table, options, owner) {
  return readTable(table, options, owner, true);
}

/**
 * @template {OptionTable} Table
 * @param {Table} table
 * @param {unknown} options
 * @param {OptionOwner} about
 * @param {boolean} keepOthers
 */
function readTable(table, options, { owner, notAnObject, path }, keepOthers) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new InvalidOptionError(path ?? 'options', notAnObject);
  const given = /** @type {Record<string, unknown>} */ (options);
  const nameOf = (/** @type {string} */ key) => (path ? `${path}.${key}` : key);
  /** @type {Record<string, unknown>} */
  const others = {};
  for (const key of Object.keys(given)) {
    if (Object.hasOwn(table, key) && !(DERIVED in table[key])) continue;
    if (!keepOthers) {
      const known = Object.keys(table).filter((name) => !(DERIVED in table[name]));
      throw new InvalidOptionError(nameOf(key), `Unknown ${owner} option \`${key}\`: the options are ${known.join(', ')}.`);
    }
    others[key] = given[key];
  }
  /** @type {Record<string, unknown>} */
  const settings = {};
  for (const [key, read] of Object.entries(table)) settings[key] = read(given[key], { name: nameOf(key), owner, given, settings });
  return { settings: /** @type {OptionSettings<Table>} */ (settings), others };
}

const DERIVED = Symbol('derived setting');

/**
 * A setting made from the table's earlier ones, not an option: a caller who gives it is refused
 * as for any unknown name. (So that what several options make together is made where they are
 * read, once, and its users take it whole.)
 * @template T
 * @param {(settings: Readonly<Record<string, unknown>>) => T} make
 * @returns {(value: unknown, context: OptionContext) => T}
 */
export function derived(make) {
  return Object.assign((/** @type {unknown} */ _value, /** @type {OptionContext} */ { settings }) => make(settings), { [DERIVED]: true });
}

// ------------------------------------------------------------------ shared kinds

/**
 * A positive, finite number (of `unit`, when it has one).
 * @param {number} fallback
 * @param {string} [unit] such as 'milliseconds'
 * @returns {(value: unknown, context: OptionContext) => number}
 */
export const positive = (fallback, unit) => (value, { name }) => {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new InvalidOptionError(name, `\`${name}\` must be a positive, finite number${unit ? ` of ${unit}` : ''}.`);
};

/**
 * A finite number of at least `min`.
 * @param {number} fallback
 * @param {number} min
 * @returns {(value: unknown, context: OptionContext) => number}
 */
export const atLeast = (fallback, min) => (value, { name }) => {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isFinite(value) && value >= min) return value;
  throw new InvalidOptionError(name, `\`${name}\` must be a finite number of at least ${min}.`);
};

/**
 * A whole number of at least `min` (and at most `max`; or Infinity, when allowed).
 * @param {number} fallback
 * @param {{ min: number, max?: number, infinity?: boolean }} range
 * @returns {(value: unknown, context: OptionContext) => number}
 */
export const wholeNumber = (fallback, { min, max = Infinity, infinity = false }) => (value, { name }) => {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value >= min && ((Number.isInteger(value) && value <= max) || (infinity && value === Infinity))) return value;
  const range = max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
  throw new InvalidOptionError(name, `\`${name}\` must be a whole number ${range}${infinity ? ' (or Infinity)' : ''}.`);
};

/**
 * true or false.
 * @param {boolean} fallback
 * @returns {(value: unknown, context: OptionContext) => boolean}
 */
export const flag = (fallback) => (value, { name }) => {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new InvalidOptionError(name, `\`${name}\` must be true or false.`);
};

/**
 * A function, or nothing.
 * @param {string} what what it must be, such as 'a function (entry) => void'
 * @returns {(value: unknown, context: OptionContext) => ((...args: any[]) => any) | undefined}
 */
export const optionalFunction = (what) => (value, { name }) => {
  if (value === undefined || typeof value === 'function') return /** @type {((...args: any[]) => any) | undefined} */ (value);
  throw new InvalidOptionError(name, `\`${name}\` must be ${what}.`);
};

/**
 * An AbortSignal, or nothing.
 * @param {unknown} value
 * @param {OptionContext} context
 * @returns {AbortSignal | undefined}
 */
export function abortSignal(value, { name }) {
  if (value === undefined) return undefined;
  const signal = /** @type {AbortSignal | null} */ (value);
  if (signal !== null && typeof signal === 'object' && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function') return signal;
  throw new InvalidOptionError(name, `\`${name}\` must be an AbortSignal.`);
}

/**
 * The `fetch` to use: the one given, else the runtime's.
 * @param {unknown} value
 * @param {OptionContext} context
 * @returns {typeof fetch}
 */
export function fetchFunction(value, { name }) {
  const fetchImpl = value ?? globalThis.fetch;
  if (typeof fetchImpl === 'function') return /** @type {typeof fetch} */ (fetchImpl);
  throw new InvalidOptionError(name, value === undefined ? 'No fetch function: pass `fetch` or run where a global fetch exists.' : '`fetch` must be a function.');
}

/**
 * A logger of entries, `false` for none, or nothing (the owner's default).
 * @param {unknown} value
 * @param {OptionContext} context
 * @returns {((entry: any) => void) | false | undefined}
 */
export function entryLogger(value, { name }) {
  if (value === undefined || value === false || typeof value === 'function') return /** @type {((entry: any) => void) | false | undefined} */ (value);
  throw new InvalidOptionError(name, `\`${name}\` must be a function (entry) => void, or false to write nothing.`);
}

/**
 * A list of origins as an Origin header carries them (scheme://host[:port]), as a set.
 * @param {readonly unknown[]} list
 * @param {string} name
 * @param {string} example such as 'https://app.example.com'
 * @returns {Set<string>}
 */
export function originSet(list, name, example) {
  /** @type {Set<string>} */
  const origins = new Set();
  list.forEach((entry, index) => {
    let origin;
    try {
      origin = typeof entry === 'string' ? new URL(entry).origin : undefined;
    } catch {
      origin = undefined;
    }
    // An Origin header is exactly scheme://host[:port]; anything else could never match.
    if (origin === undefined || origin !== entry || origin === 'null') {
      throw new InvalidOptionError(`${name}[${index}]`, `${name}[${index}] must be an origin like '${example}' (scheme, host and port only, no path or trailing '/'), got ${JSON.stringify(entry)}.`);
    }
    origins.add(origin);
  });
  return origins;
}
