// @ts-check
// Requests cross into the WebAssembly core as JSON text (the core checks every rule). This
// writes that text, and keeps it within what the core accepts: no valid request is larger than
// a few kilobytes, so input over these caps is never copied into wasm memory. Values JSON cannot
// carry, and values over a cap, travel as markers the core reads back (src/core/json_scan.hpp)
// and reports at their field: NaN and Infinity as {"$nonFinite": "NaN"}, a BigInt as
// {"$bigint": ""}, a string, array or object over its cap as {"$oversizedString": length},
// {"$oversizedArray": items}, {"$oversizedObject": members}. Any marker makes the request
// invalid, and the core reads markers only when told the text has them (`markers`), so a
// user's own {"$bigint": "1"} attributes stay the strings they are.

/**
 * @typedef {import('./errors.js').FieldError} FieldError
 * @typedef {{ ok: true, text: string, markers: boolean } | { ok: false, error: FieldError }} RequestJson
 *   the text for the core, and whether it holds markers; or why there is none
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
  /** UTF-16 code units of the whole JSON text. */
  requestLength: 65536,
});

/** Thrown from the replacer to stop a text that is already over the cap. */
const TOO_LARGE = Symbol('too large');

/**
 * Whether JSON.stringify can write `value` as it is: a plain object whose members, and their
 * members, are strings, finite numbers, booleans and null within the caps, and nothing deeper.
 * (A valid request is exactly that; anything else takes the careful path.)
 * @param {unknown} value
 * @param {number} depth
 */
function isPlain(value, depth) {
  switch (typeof value) {
    case 'string':
      return value.length <= REQUEST_LIMITS.stringLength;
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    case 'object': {
      if (value === null) return true;
      if (depth === 2) return false;
      if (Array.isArray(value)) {
        if (value.length > REQUEST_LIMITS.arrayItems) return false;
        for (const item of value) if (!isPlain(item, depth + 1)) return false;
        return true;
      }
      const prototype = Object.getPrototypeOf(value);
      if ((prototype !== Object.prototype && prototype !== null) || 'toJSON' in value) return false;
      const keys = Object.keys(value);
      if (keys.length > REQUEST_LIMITS.objectMembers) return false;
      for (const key of keys) if (!isPlain(/** @type {Record<string, unknown>} */ (value)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * The request as JSON text for the core, or the error that says why it cannot be.
 * @param {unknown} input
 * @param {string} [requestId] written as the object's first member, `requestId` (chat requests
 *   made without one): cheaper than a copy of the request with it
 * @returns {RequestJson}
 */
export function requestJson(input, requestId) {
  const result = requestText(input);
  if (requestId === undefined || !result.ok || result.text[0] !== '{') return result;
  const member = `{"requestId":${JSON.stringify(requestId)}`;
  const text = result.text === '{}' ? `${member}}` : `${member},${result.text.slice(1)}`;
  return text.length <= REQUEST_LIMITS.requestLength ? { ok: true, text, markers: result.markers } : tooLarge();
}

/**
 * @param {unknown} input
 * @returns {RequestJson}
 */
function requestText(input) {
  try {
    if (isPlain(input, 0)) {
      const text = JSON.stringify(input);
      return text.length <= REQUEST_LIMITS.requestLength ? { ok: true, text, markers: false } : tooLarge();
    }
    let budget = REQUEST_LIMITS.requestLength;
    let markers = false;
    /** @param {Record<string, unknown>} marker */
    const mark = (marker) => {
      markers = true;
      return marker;
    };
    const text = JSON.stringify(input, (key, value) => {
      budget -= key.length;
      if (typeof value === 'string') {
        if (value.length > REQUEST_LIMITS.stringLength) return mark({ $oversizedString: value.length });
        budget -= value.length;
      } else if (typeof value === 'number') {
        if (!Number.isFinite(value)) return mark({ $nonFinite: String(value) });
      } else if (typeof value === 'bigint') {
        return mark({ $bigint: '' });
      } else if (Array.isArray(value)) {
        if (value.length > REQUEST_LIMITS.arrayItems) return mark({ $oversizedArray: value.length });
      } else if (value !== null && typeof value === 'object') {
        const members = Object.keys(value).length;
        if (members > REQUEST_LIMITS.objectMembers) return mark({ $oversizedObject: members });
      }
      if (budget < 0) throw TOO_LARGE;
      return value;
    });
    // undefined, a function or a symbol: no JSON at all; the core names what it is given.
    if (text === undefined) return { ok: true, text: 'null', markers: false };
    return text.length <= REQUEST_LIMITS.requestLength ? { ok: true, text, markers } : tooLarge();
  } catch (error) {
    if (error === TOO_LARGE) return tooLarge();
    const message = `The request cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}.`;
    return { ok: false, error: { field: 'request', code: 'TYPE', message } };
  }
}

/** @returns {RequestJson} */
function tooLarge() {
  const message = `The request is over ${REQUEST_LIMITS.requestLength} characters of JSON; no valid request is a tenth of that.`;
  return { ok: false, error: { field: 'request', code: 'TOO_LARGE', message } };
}
