// @ts-check
// The runtime of the boundary between JavaScript and the core: the calls themselves are declared
// in boundary/calls.js, and each module's reader (dist/ivschat-<module>-calls.js) is generated
// from it. This file writes a call's texts into the module's I/O area with
// TextEncoder.encodeInto (and a table of values, js/value-table.js, as src/core/value_table.hpp
// lays it out), runs the call with their byte lengths, and reads its result back (layout:
// src/bindings/io_area.hpp): numbers, and strings as slices of the input or of one decoded text
// area. A call that traps discards the instance; the next call gets a fresh one.
import { IvsChatError } from './errors.js';

/**
 * @typedef {import('./value-table.js').ValueTable} ValueTable
 * @typedef {Record<string, (...args: number[]) => number>} RawFunctions
 * @typedef {RawFunctions & { HEAPU8: Uint8Array, HEAP32: Int32Array, HEAPF64: Float64Array }} RawModule
 *   an instance of a module: the embind functions and the heap views Emscripten keeps current
 */

const HEADER_BYTES = 24;
/** What a call returns when it could not run (src/bindings/io_area.hpp, Wire). */
/** @type {Record<number, string>} */
const WIRE_PROBLEMS = {
  [-1]: 'its input does not fit the WebAssembly core\'s I/O area',
  [-2]: 'its result does not fit the WebAssembly core\'s I/O area',
  [-3]: 'it was called with a selector the core does not know',
  [-4]: 'its result broke the declaration in boundary/calls.js',
};
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** @param {number} value a number the core writes negative for none */
export function optionalNumber(value) {
  return value >= 0 ? value : undefined;
}

/**
 * The number of an enum input, or -1 (which the core refuses) for a name it does not have.
 * @param {Record<string, number>} table
 * @param {string} name
 */
export function selector(table, name) {
  return Object.hasOwn(table, name) ? table[name] : -1;
}

/** Calls into one module: owns its instance, writes inputs, reads results. */
export class Boundary {
  /** @param {() => RawModule} instantiate makes a new instance */
  constructor(instantiate) {
    this.instantiate = instantiate;
    /** @type {RawModule | undefined} */
    this.raw = undefined;
    this.base = 0;
    this.capacity = 0;
  }

  /** @returns {RawModule} */
  instance() {
    if (!this.raw) {
      const raw = this.instantiate();
      this.base = raw.ioAddress();
      this.capacity = raw.inputCapacity();
      this.raw = raw;
    }
    return this.raw;
  }

  /**
   * Writes `texts` into the I/O area and runs `invoke` with their UTF-8 byte lengths.
   * @param {string} name the function, for messages
   * @param {(string | ValueTable)[]} texts a table only first (boundary/generate.js checks it),
   *   where the area's start aligns its words
   * @param {(raw: RawModule, lengths: number[], firstIsAscii: boolean) => number} invoke
   *   runs the call; `firstIsAscii` says whether the first text is all ASCII (its sliceable input)
   * @returns {Result}
   */
  call(name, texts, invoke) {
    let worst = 0;
    for (const text of texts) worst += typeof text === 'string' ? text.length * 3 : tableBytesAtMost(text);
    if (worst > (this.capacity || 256 * 1024)) {
      throw new IvsChatError('INPUT_TOO_LARGE', `The input of ${name} is too large for the WebAssembly core (${worst} bytes at most; it holds ${this.capacity || 'fewer'}).`);
    }
    const raw = this.instance();
    try {
      const heap = raw.HEAPU8;
      const lengths = new Array(texts.length);
      let at = this.base;
      for (let i = 0; i < texts.length; i++) {
        const text = texts[i];
        const written = typeof text === 'string' ? writeText(heap, at, text) : writeTable(raw, at, text);
        lengths[i] = written;
        at += written;
      }
      const first = texts[0];
      const offset = invoke(raw, lengths, typeof first === 'string' && lengths[0] === first.length);
      if (offset < 0) {
        const code = offset === -1 || offset === -2 ? 'INPUT_TOO_LARGE' : 'INTERNAL';
        throw new IvsChatError(code, `${name} could not run: ${WIRE_PROBLEMS[offset] ?? `status ${offset}`}.`);
      }
      return new Result(raw, this.base, offset, name, typeof first === 'string' ? first : '');
    } catch (error) {
      if (error instanceof IvsChatError) throw error;
      // Only a trap gets here (the core returns every error as a result): this instance may be
      // broken, so it is dropped, and the next call makes a new one.
      this.raw = undefined;
      throw new IvsChatError('CORE_FAILED', `The WebAssembly core failed in ${name} (${error instanceof Error ? error.message : String(error)}); a fresh instance will serve the next call.`, { cause: error });
    }
  }
}

/**
 * @param {Uint8Array} heap
 * @param {number} at
 * @param {string} text
 * @returns {number} bytes written
 */
function writeText(heap, at, text) {
  // Short ASCII text is cheaper to copy by hand than through encodeInto's call.
  if (text.length < 32) {
    let i = 0;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 127) break;
      heap[at + i] = code;
    }
    if (i === text.length) return i;
  }
  return encoder.encodeInto(text, heap.subarray(at, at + text.length * 3)).written;
}

/** @param {ValueTable} table @returns {number} the most bytes writeTable can write */
function tableBytesAtMost({ strings, records }) {
  let bytes = records.length * 4 + 8;
  for (const text of strings) bytes += text.length * 3;
  return bytes;
}

/**
 * Writes a table as src/core/value_table.hpp reads it: the strings (a key and a text per value)
 * in UTF-8, each lone surrogate as the three bytes of its code point (generalized UTF-8, so that
 * the core reports it where TextEncoder would write U+FFFD), padding to a word, the records with
 * the strings' byte lengths filled in, their count. (Exported for fuzz/make-seeds.mjs, which
 * writes seeds as the modules receive them.)
 * @param {Pick<RawModule, 'HEAPU8' | 'HEAP32'>} raw
 * @param {number} at a multiple of 4
 * @param {ValueTable} table
 * @returns {number} bytes written
 */
export function writeTable(raw, at, { strings, records }) {
  const heap = raw.HEAPU8;
  const words = raw.HEAP32;
  // One loop over one joined string: over the strings one by one (keys, values, of every kind
  // V8 makes) the same loop measured 3x slower than the join and it together.
  const text = strings.join('');
  const lengths = new Array(strings.length);
  let p = at;
  let i = 0;
  for (let k = 0; k < strings.length; k++) {
    const end = i + strings[k].length;
    const begin = p;
    for (; i < end; i++) {
      let code = text.charCodeAt(i);
      if (code < 0x80) {
        heap[p++] = code;
      } else if (code < 0x800) {
        heap[p++] = 0xc0 | (code >> 6);
        heap[p++] = 0x80 | (code & 0x3f);
      } else {
        // A surrogate pair within this string is one code point; any other surrogate is lone.
        const low = code >= 0xd800 && code <= 0xdbff && i + 1 < end ? text.charCodeAt(i + 1) : 0;
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          i++;
          heap[p++] = 0xf0 | (code >> 18);
          heap[p++] = 0x80 | ((code >> 12) & 0x3f);
        } else {
          heap[p++] = 0xe0 | (code >> 12);
        }
        heap[p++] = 0x80 | ((code >> 6) & 0x3f);
        heap[p++] = 0x80 | (code & 0x3f);
      }
    }
    lengths[k] = p - begin;
  }
  while ((p - at) & 3) heap[p++] = 0;
  let w = p >> 2;
  for (let r = 0; r < records.length; r += 4) {
    words[w++] = records[r];
    words[w++] = lengths[r >> 1];
    words[w++] = lengths[(r >> 1) + 1];
    words[w++] = records[r + 3];
  }
  words[w++] = records.length >> 2;
  return (w << 2) - at;
}

/** A result in the I/O area (layout: src/bindings/io_area.hpp), read as it is asked for. */
class Result {
  /**
   * @param {RawModule} raw
   * @param {number} base the I/O area's address
   * @param {number} resultOffset from the I/O area's start
   * @param {string} name the call, for messages
   * @param {string} input the call's first input, which strings with a start >= 0 index
   */
  constructor(raw, base, resultOffset, name, input) {
    const offset = base + resultOffset;
    const words = raw.HEAP32;
    const h = offset >> 2;
    this.raw = raw;
    this.base = base;
    this.words = words;
    this.name = name;
    this.input = input;
    this.status = words[h];
    this.header = h;
    this.numbersAt = (offset + HEADER_BYTES) >> 3;
    this.pairsAt = (offset + HEADER_BYTES + words[h + 1] * 8) >> 2;
    this.stringCount = words[h + 2];
    /** @type {string | undefined} the text area, decoded once when a string in it is read */
    this.text = undefined;
  }

  /** @param {number} i */
  number(i) {
    return this.raw.HEAPF64[this.numbersAt + i];
  }

  /** @param {number} i */
  string(i) {
    const start = this.words[this.pairsAt + 2 * i];
    const length = this.words[this.pairsAt + 2 * i + 1];
    if (length === 0) return '';
    if (start >= 0) return this.input.slice(start, start + length);
    if (this.text === undefined) {
      const h = this.header;
      const from = this.base + this.words[h + 3];
      const bytes = this.raw.HEAPU8.subarray(from, from + this.words[h + 4]);
      // One TextDecoder call: from 16 bytes on it is faster than String.fromCharCode.apply even for
      // ASCII (Node 20: 90 ns against 600 ns for 150 bytes).
      this.text = this.words[h + 5] === 1 && bytes.length < 16 ? String.fromCharCode.apply(null, /** @type {any} */ (bytes)) : decoder.decode(bytes);
    }
    return this.text.slice(~start, ~start + length);
  }

  /**
   * The records of a list whose (first string, count) are numbers `at` and `at + 1`.
   * @template {string} Field
   * @param {number} at
   * @param {readonly Field[]} fields
   * @returns {Record<Field, string>[]}
   */
  records(at, fields) {
    const records = [];
    const width = fields.length;
    for (let i = 0, first = this.number(at), count = this.number(at + 1); i < count; i++) {
      /** @type {Record<string, string>} */
      const record = {};
      for (let f = 0; f < width; f++) record[fields[f]] = this.string(first + i * width + f);
      records.push(/** @type {Record<Field, string>} */ (record));
    }
    return records;
  }

  /**
   * A list of (name, value) pairs as JSON.parse would make the object (the last of repeated
   * names wins; "__proto__" is an own property, not the prototype); undefined when empty.
   * @param {number} at
   * @returns {Record<string, string> | undefined}
   */
  map(at) {
    const count = this.number(at + 1);
    if (count === 0) return undefined;
    /** @type {Record<string, string>} */
    const map = {};
    for (let i = 0, first = this.number(at); i < count; i++) {
      const name = this.string(first + 2 * i);
      const value = this.string(first + 2 * i + 1);
      if (name === '__proto__') {
        Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
      } else {
        map[name] = value;
      }
    }
    return map;
  }

  /** The error for a status the call's declaration does not have. */
  unexpected() {
    return new IvsChatError('INTERNAL', `${this.name} answered status ${this.status}, which boundary/calls.js does not declare for it.`);
  }
}
