// @ts-check
/**
 * Input checks for the control-plane operations, written from the service model's constraints
 * (lengths are counted in code points, as Smithy does; patterns are matched whole).
 * @module
 */
import { fieldValidationError } from './errors.js';

/** Room ARN / identifier, anchored: `arn:aws:ivschat:{region}:{account}:room/{id}`. */
export const ROOM_ARN_PATTERN = /^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room\/[a-zA-Z0-9-]+$/;
/**
 * @typedef {object} TextRule a string's constraints (lengths in code points, the pattern matched whole)
 * @property {number} [min]
 * @property {number} [max]
 * @property {RegExp} [pattern]
 * @property {string} [patternText] how the pattern is written in messages (default: its source)
 */

/** Message, event and room ids (shape MessageID): exactly 12 letters or digits. */
export const MESSAGE_ID = /** @type {TextRule} */ ({ min: 12, max: 12, pattern: /^[a-zA-Z0-9]+$/, patternText: '^[a-zA-Z0-9]+$' });
/** User ids (shape UserID): 1-128 characters. */
export const USER_ID = /** @type {TextRule} */ ({ min: 1, max: 128 });
/** Moderation reasons (shape Reason): 1-256 characters. */
export const REASON = /** @type {TextRule} */ ({ min: 1, max: 256 });
export const ROOM_NAME_PATTERN = /^[a-zA-Z0-9-_]*$/;
export const LAMBDA_ARN_PATTERN = /^$|^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+/;
export const LOGGING_CONFIGURATION_PATTERN = /^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:logging-configuration\/[a-zA-Z0-9-]+$/;
export const CAPABILITIES = /** @type {const} */ (['SEND_MESSAGE', 'DISCONNECT_USER', 'DELETE_MESSAGE']);
/** "1 KB total" for token and event attributes, counted as UTF-8 bytes of all keys and values. */
export const MAX_ATTRIBUTES_BYTES = 1024;

/**
 * Number of Unicode code points (not UTF-16 units).
 * @param {string} text
 */
export function codePointLength(text) {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * True when `value` is a plain JSON object (not null, not an array).
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
export function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Collects every problem of one request, so the 400 lists all failing members at once.
 */
export class RequestChecker {
  /** @param {Record<string, unknown>} body the parsed JSON request */
  constructor(body) {
    this.body = body;
    /** @type {import('./errors.js').FieldProblem[]} */
    this.problems = [];
  }

  /** @param {string} name @param {string} message */
  fail(name, message) {
    this.problems.push({ name, message });
  }

  /**
   * A string member.
   * @param {string} name
   * @param {TextRule & { required?: boolean }} rules
   * @returns {string | undefined} the value when it is valid
   */
  string(name, { required = false, ...rule } = {}) {
    const value = this.body[name];
    if (value === undefined || value === null) {
      if (required) this.fail(name, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.fail(name, `Member must be a string, got ${describeType(value)}`);
      return undefined;
    }
    const problems = textProblems(value, rule);
    for (const problem of problems) this.fail(name, problem);
    return problems.length === 0 ? value : undefined;
  }

  /**
   * An integer member.
   * @param {string} name
   * @param {{ min: number, max: number }} range inclusive
   * @returns {number | undefined}
   */
  integer(name, { min, max }) {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.fail(name, `Member must be an integer, got ${describeType(value)}`);
      return undefined;
    }
    if (value < min) {
      this.fail(name, `Member must have value greater than or equal to ${min}`);
      return undefined;
    }
    if (value > max) {
      this.fail(name, `Member must have value less than or equal to ${max}`);
      return undefined;
    }
    return value;
  }

  /**
   * A map of string to string.
   * @param {string} name
   * @param {{ maxTotalBytes?: number, maxEntries?: number, keyLength?: [number, number], valueLength?: [number, number] }} rules
   * @returns {Record<string, string> | undefined}
   */
  stringMap(name, { maxTotalBytes, maxEntries, keyLength, valueLength } = {}) {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) {
      this.fail(name, `Member must be a map of string to string, got ${describeType(value)}`);
      return undefined;
    }
    const entries = Object.entries(/** @type {Record<string, unknown>} */ (value));
    let totalBytes = 0;
    for (const [key, item] of entries) {
      if (typeof item !== 'string') {
        this.fail(name, `Member must be a map of string to string, but key '${key}' maps to ${describeType(item)}`);
        return undefined;
      }
      if (!key.isWellFormed() || !item.isWellFormed()) {
        this.fail(name, `Member must contain valid Unicode text (key '${key}' or its value has a lone surrogate)`);
        return undefined;
      }
      if (keyLength && !within(codePointLength(key), keyLength)) {
        this.fail(name, `Member keys must have length between ${keyLength[0]} and ${keyLength[1]}, key '${key}' does not`);
        return undefined;
      }
      if (valueLength && !within(codePointLength(item), valueLength)) {
        this.fail(name, `Member values must have length between ${valueLength[0]} and ${valueLength[1]}, the value of '${key}' does not`);
        return undefined;
      }
      totalBytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(item, 'utf8');
    }
    if (maxEntries !== undefined && entries.length > maxEntries) {
      this.fail(name, `Member must have at most ${maxEntries} entries, got ${entries.length}`);
      return undefined;
    }
    if (maxTotalBytes !== undefined && totalBytes > maxTotalBytes) {
      this.fail(
        name,
        `Member must be at most ${maxTotalBytes} bytes in total (UTF-8 bytes of all keys and values), got ${totalBytes}`,
      );
      return undefined;
    }
    return { .../** @type {Record<string, string>} */ (value) };
  }

  /**
   * A list of strings, each checked by `check` (which returns a message when the item is bad).
   * @param {string} name
   * @param {{ max?: number, check: (item: string) => string | undefined }} rules
   * @returns {string[] | undefined}
   */
  stringList(name, { max, check }) {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.fail(name, `Member must be a list, got ${describeType(value)}`);
      return undefined;
    }
    if (max !== undefined && value.length > max) {
      this.fail(name, `Member must have length less than or equal to ${max}`);
      return undefined;
    }
    for (const [index, item] of value.entries()) {
      const problem = typeof item === 'string' ? check(item) : `must be a string, got ${describeType(item)}`;
      if (problem) {
        this.fail(name, `Member item ${index} ${problem}`);
        return undefined;
      }
    }
    return [...value];
  }

  /**
   * A nested structure member, checked with its own checker under `name.` prefixed names.
   * @param {string} name
   * @param {(inner: RequestChecker) => void} checkInner
   * @returns {Record<string, unknown> | undefined}
   */
  structure(name, checkInner) {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!isPlainObject(value)) {
      this.fail(name, `Member must be a structure, got ${describeType(value)}`);
      return undefined;
    }
    const inner = new RequestChecker(/** @type {Record<string, unknown>} */ (value));
    checkInner(inner);
    for (const problem of inner.problems) this.fail(`${name}.${problem.name}`, problem.message);
    return inner.problems.length ? undefined : /** @type {Record<string, unknown>} */ (value);
  }

  /** Throws the 400 ValidationException when anything failed. */
  throwIfInvalid() {
    if (this.problems.length) throw fieldValidationError(this.problems);
  }
}

/**
 * What is wrong with a string against its rule, in the service's words: ill-formed text alone,
 * else every constraint it breaks (its length, its pattern), as the service lists them; an empty
 * string's one problem is its length.
 * @param {string} value
 * @param {TextRule} rule
 * @returns {string[]} empty when the value is valid
 */
export function textProblems(value, { min, max, pattern, patternText }) {
  if (!value.isWellFormed()) return ['Member must be valid Unicode text (it contains a lone surrogate)'];
  /** @type {string[]} */
  const problems = [];
  const length = codePointLength(value);
  if (min !== undefined && length < min) problems.push(`Member must have length greater than or equal to ${min}`);
  if (max !== undefined && length > max) problems.push(`Member must have length less than or equal to ${max}`);
  if (pattern && value !== '' && !pattern.test(value)) problems.push(`Member must satisfy regular expression pattern: ${patternText ?? pattern.source}`);
  return problems;
}

/** @param {number} n @param {[number, number]} range */
function within(n, [min, max]) {
  return n >= min && n <= max;
}

/** @param {unknown} value */
function describeType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}
