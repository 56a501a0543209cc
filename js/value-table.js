// @ts-check
// Values cross into the WebAssembly core as a table of values (src/core/value_table.hpp), read
// into the same document the core makes of JSON, so that no JSON is written or lexed in between:
//   - a request (requestTable): the JavaScript value the caller gave, walked as JSON.stringify
//     would (toJSON, boxed primitives unwrapped, undefined, functions and symbols left out of
//     objects and null in arrays). Nothing here judges a field: the core checks every rule. What
//     JSON cannot carry is recorded as a kind of its own, which no field accepts, so the core
//     reports it at its field: NaN and Infinity, a BigInt, and a string, array or object over
//     its cap (REQUEST_LIMITS: no valid request is near them, so input over them is never copied
//     into wasm memory);
//   - JSON text from the network that is not read per frame (jsonTable: a token answer, an AWS
//     error, a moderation answer), parsed by the runtime's own JSON.parse, so that the token
//     handler's module carries no JSON parser. (Server frames stay text: the client module's
//     tuned lexer reads one in fewer instructions than JSON.parse alone takes, bench/notes.md.)

/**
 * @typedef {import('./errors.js').FieldError} FieldError
 * @typedef {{ strings: string[], records: number[] }} ValueTable the keys and
 *   texts in order, and four numbers per value (src/core/value_table.hpp); written into the core
 *   by js/boundary-io.js
 * @typedef {{ ok: true, table: ValueTable } | { ok: false, error: FieldError }} ValueTableResult
 *   the table for the core; or why there is none
 */

/**
 * The caps, far above every limit of the service (the longest is 1 KB of attributes).
 * @type {Readonly<{ stringLength: number, arrayItems: number, objectMembers: number, requestLength: number }>}
 */
export const REQUEST_LIMITS = Object.freeze({
  /** UTF-16 code units of any one string. */
  stringLength: 4096,
  /** Items of any one array. */
  arrayItems: 64,
  /** Members of any one object. */
  objectMembers: 2048,
  /** UTF-16 code units of the whole request: its keys and strings, and one for each value. */
  requestLength: 65536,
});

// src/core/json_scan.hpp JsonKind, and the flags of src/core/value_table.hpp.
const NULL = 0;
const BOOLEAN = 1;
const NUMBER = 2;
const STRING = 3;
const ARRAY = 4;
const OBJECT = 5;
const NON_FINITE = 6;
const BIG_INT = 7;
const OVERSIZED_STRING = 8;
const OVERSIZED_ARRAY = 9;
const OVERSIZED_OBJECT = 10;
const TRUE = 0x100;
const CHILDREN_NOT_RECORDED = 0x200;
/** Levels below the root whose values are recorded (src/core/json_scan.hpp kMaxRecordedDepth). */
const MAX_RECORDED_DEPTH = 3;

/** Thrown when the request is over REQUEST_LIMITS.requestLength. */
const TOO_LARGE = Symbol('too large');

/**
 * The request as a table for the core, or the error that says why it cannot be one.
 * @param {unknown} input
 * @param {string} [requestId] written as the root object's first member, `requestId` (chat
 *   requests made without one): cheaper than a copy of the request with it
 * @returns {ValueTableResult}
 */
export function requestTable(input, requestId) {
  /** @type {ValueTable} */
  const table = { strings: [], records: [] };
  const writer = new TableWriter(table, REQUEST_LIMITS, false);
  try {
    const value = jsonValue(input, '');
    if (requestId !== undefined && isPlainObjectValue(value)) {
      writer.object(/** @type {object} */ (value), '', 0, { key: 'requestId', value: requestId });
    } else {
      writer.value(value === undefined ? null : value, '', 0);
    }
  } catch (error) {
    if (error === TOO_LARGE) {
      const message = `The request is over ${REQUEST_LIMITS.requestLength} characters; no valid request is a tenth of that.`;
      return { ok: false, error: { field: 'request', code: 'TOO_LARGE', message } };
    }
    const message = `The request cannot be read: ${error instanceof Error ? error.message : String(error)}.`;
    return { ok: false, error: { field: 'request', code: 'TYPE', message } };
  }
  return { ok: true, table };
}

/** The table of text that is not JSON: no values, which the core reads as a document that is not ok. */
const NOT_JSON = Object.freeze({ strings: Object.freeze([]), records: Object.freeze([]) });

/** No caps on JSON text: its length is capped where it is received. */
const TEXT_LIMITS = Object.freeze({ stringLength: Infinity, arrayItems: Infinity, objectMembers: Infinity, requestLength: Infinity });

/**
 * JSON text as a table for the core: the value JSON.parse makes of it, or (text that is not
 * JSON) the table of no values, which the core reads as a document that is not ok.
 * @param {string} text
 * @returns {ValueTable}
 */
export function jsonTable(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return /** @type {ValueTable} */ (/** @type {unknown} */ (NOT_JSON));
  }
  /** @type {ValueTable} */
  const table = { strings: [], records: [] };
  new TableWriter(table, TEXT_LIMITS, true).value(value, '', 0);
  return table;
}

/** @param {unknown} value @returns {boolean} */
function isPlainObjectValue(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What JSON.stringify writes for `value` under `key`: its toJSON's result, a boxed primitive
 * unwrapped; undefined for what it leaves out (undefined, functions, symbols).
 * @param {unknown} value
 * @param {string} key
 * @returns {unknown}
 */
function jsonValue(value, key) {
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON = /** @type {{ toJSON?: unknown }} */ (value).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, key);
  }
  if (typeof value === 'object' && value !== null) {
    if (value instanceof Number) return Number(value);
    if (value instanceof String) return String(value);
    if (value instanceof Boolean || value instanceof BigInt) return value.valueOf();
  }
  const type = typeof value;
  return type === 'undefined' || type === 'function' || type === 'symbol' ? undefined : value;
}

class TableWriter {
  /**
   * @param {ValueTable} table
   * @param {typeof REQUEST_LIMITS} limits
   * @param {boolean} parsed the value is JSON.parse's: plain, acyclic, nothing to convert
   */
  constructor(table, limits, parsed) {
    this.strings = table.strings;
    this.records = table.records;
    this.limits = limits;
    this.parsed = parsed;
    this.budget = limits.requestLength;
    /** @type {object[]} the containers being written, to refuse a request that holds itself */
    this.ancestors = [];
  }

  /**
   * @param {number} kind
   * @param {string} key
   * @param {string} text
   * @param {number} size
   */
  record(kind, key, text, size) {
    this.budget -= key.length + text.length + 1;
    if (this.budget < 0) throw TOO_LARGE;
    this.strings.push(key, text);
    this.records.push(kind, 0, 0, size);
  }

  /**
   * @param {unknown} value a value as jsonValue gives it, not undefined
   * @param {string} key
   * @param {number} depth levels below the root
   */
  value(value, key, depth) {
    switch (typeof value) {
      case 'string':
        if (value.length > this.limits.stringLength) this.record(OVERSIZED_STRING, key, '', value.length);
        else this.record(STRING, key, value, 0);
        return;
      case 'number':
        this.record(Number.isFinite(value) ? NUMBER : NON_FINITE, key, String(value), 0);
        return;
      case 'boolean':
        this.record(value ? BOOLEAN | TRUE : BOOLEAN, key, '', 0);
        return;
      case 'bigint':
        this.record(BIG_INT, key, '', 0);
        return;
      default:
        if (value === null) this.record(NULL, key, '', 0);
        else if (Array.isArray(value)) this.array(value, key, depth);
        else this.object(/** @type {object} */ (value), key, depth);
    }
  }

  /**
   * @param {unknown[]} array
   * @param {string} key
   * @param {number} depth
   */
  array(array, key, depth) {
    const { length } = array;
    if (length > this.limits.arrayItems) {
      this.record(OVERSIZED_ARRAY, key, '', length);
      return;
    }
    if (depth === MAX_RECORDED_DEPTH) {
      this.record(ARRAY | CHILDREN_NOT_RECORDED, key, '', length);
      return;
    }
    this.enter(array);
    this.record(ARRAY, key, '', length);
    for (let i = 0; i < length; i++) {
      const item = this.parsed ? array[i] : jsonValue(array[i], String(i));
      this.value(item === undefined ? null : item, '', depth + 1);
    }
    this.leave();
  }

  /**
   * @param {object} object
   * @param {string} key
   * @param {number} depth
   * @param {{ key: string, value: string }} [first] a member written before the object's own
   */
  object(object, key, depth, first) {
    const keys = Object.keys(object);
    if (keys.length > this.limits.objectMembers) {
      this.record(OVERSIZED_OBJECT, key, '', keys.length);
      return;
    }
    const members = /** @type {Record<string, unknown>} */ (object);
    if (depth === MAX_RECORDED_DEPTH) {
      let size = first ? 1 : 0;
      for (const name of keys) if ((this.parsed ? members[name] : jsonValue(members[name], name)) !== undefined) size++;
      this.record(OBJECT | CHILDREN_NOT_RECORDED, key, '', size);
      return;
    }
    this.enter(object);
    // The size is known once the members that JSON leaves out (undefined, ...) are skipped.
    const sizeAt = this.records.length + 3;
    this.record(OBJECT, key, '', 0);
    let size = 0;
    if (first) {
      this.record(STRING, first.key, first.value, 0);
      size++;
    }
    for (const name of keys) {
      const member = this.parsed ? members[name] : jsonValue(members[name], name);
      if (member === undefined) continue;
      this.value(member, name, depth + 1);
      size++;
    }
    this.records[sizeAt] = size;
    this.leave();
  }

  /** @param {object} container */
  enter(container) {
    if (this.parsed) return;
    if (this.ancestors.includes(container)) throw new TypeError('it contains itself (a circular structure)');
    this.ancestors.push(container);
  }

  leave() {
    if (!this.parsed) this.ancestors.pop();
  }
}
