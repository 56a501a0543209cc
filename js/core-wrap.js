// @ts-check
// The one reader of the boundary between JavaScript and the core, whose contract is the top
// comment of src/bindings/embind.cpp: texts go into the module's I/O area with
// TextEncoder.encodeInto, each function is called with byte lengths and numbers, and its result
// is read back from the area (numbers, and strings as slices of the input or of one decoded text
// area). A call that traps discards the instance; the next call gets a fresh one.
import { IvsChatError } from './errors.js';

/**
 * @typedef {import('./errors.js').FieldError} FieldError
 * @typedef {{ text: string, markers: boolean }} RequestText a request as js/request-json.js writes it
 * @typedef {Record<string, (...args: number[]) => number>} RawFunctions
 * @typedef {RawFunctions & { HEAPU8: Uint8Array, HEAP32: Int32Array, HEAPF64: Float64Array }} RawModule
 *   an instance of a module: the embind functions and the heap views Emscripten keeps current
 *
 * @typedef {{ ok: true, body: string, region: string } | { ok: false, errors: FieldError[] }} CoreValidation
 * @typedef {{ ok: true, frame: string } | { ok: false, errors: FieldError[] }} CoreActionFrame
 * @typedef {'SEND_MESSAGE' | 'DELETE_MESSAGE' | 'DISCONNECT_USER'} ActionName
 * @typedef {{ ok: true, token: string, tokenExpirationMillis: number, sessionExpirationMillis: number }
 *   | { ok: false, error: string }} CoreTokenResponse
 * @typedef {{ type: string, message: string, reason: string, resourceId: string, resourceType: string,
 *   fieldList: { name: string, message: string }[], limit: number | undefined }} CoreAwsError
 * @typedef {'CreateChatToken' | 'SendEvent' | 'DeleteMessage' | 'DisconnectUser'} ControlPlaneCall
 * @typedef {{ ok: false, error: string } | { ok: true, content: string, messageId: string, roomArn: string,
 *   senderUserId: string, senderIp: string, attributes: Record<string, string>, senderAttributes: Record<string, string> }} CoreReviewInput
 * @typedef {{ ok: false, error: string } | {
 *   ok: true, kind: 'MESSAGE' | 'EVENT' | 'ERROR' | 'UNKNOWN', type: string, id: string, requestId: string,
 *   content: string, attributes: Record<string, string> | undefined, sendTimeMillis: number, senderUserId: string,
 *   senderAttributes: Record<string, string> | undefined, eventName: string, errorCode: number, errorMessage: string,
 *   deletedMessageId: string, disconnectedUserId: string, reason: string }} CoreServerFrame
 * @typedef {{ ok: true, host: string, path: string, amzDate: string, authorization: string, body: string }
 *   | { ok: false, errors: FieldError[], validationExceptionBody: string }
 *   | { ok: false, errors?: undefined, field: string, error: string }} CoreSignedRequest
 */

const OK = 0;
const INVALID = 1;
const HEADER_BYTES = 24;
const KINDS = /** @type {const} */ (['MESSAGE', 'EVENT', 'ERROR', 'UNKNOWN']);
const ACTIONS = { SEND_MESSAGE: 0, DELETE_MESSAGE: 1, DISCONNECT_USER: 2 };
const CALLS = { CreateChatToken: 0, SendEvent: 1, DeleteMessage: 2, DisconnectUser: 3 };
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Calls into one module: owns its instance, writes inputs, reads results. */
class Boundary {
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
   * @param {string[]} texts
   * @param {(raw: RawModule, lengths: number[], firstIsAscii: boolean) => number} invoke
   * @returns {Result}
   */
  call(name, texts, invoke) {
    let worst = 0;
    for (const text of texts) worst += text.length * 3;
    if (worst > (this.capacity || 256 * 1024)) {
      throw new IvsChatError('INPUT_TOO_LARGE', `The input of ${name} is too large for the WebAssembly core (${worst} bytes at most; it holds ${this.capacity || 'fewer'}).`);
    }
    const raw = this.instance();
    try {
      const heap = raw.HEAPU8;
      const lengths = new Array(texts.length);
      let at = this.base;
      for (let i = 0; i < texts.length; i++) {
        const written = writeText(heap, at, texts[i]);
        lengths[i] = written;
        at += written;
      }
      const offset = invoke(raw, lengths, texts.length > 0 && lengths[0] === texts[0].length);
      if (offset === -3) throw new IvsChatError('INTERNAL', `${name} was called with a selector the core does not know.`);
      if (offset < 0) {
        throw new IvsChatError('INPUT_TOO_LARGE', `The ${offset === -1 ? 'input' : 'result'} of ${name} does not fit the WebAssembly core's I/O area.`);
      }
      return new Result(raw, this.base, offset, texts[0] ?? '');
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

/** A result in the I/O area (layout: src/bindings/embind.cpp), read as it is asked for. */
class Result {
  /**
   * @param {RawModule} raw
   * @param {number} base the I/O area's address
   * @param {number} resultOffset from the I/O area's start
   * @param {string} input the call's first input, which strings with a start >= 0 index
   */
  constructor(raw, base, resultOffset, input) {
    const offset = base + resultOffset;
    const words = raw.HEAP32;
    const h = offset >> 2;
    this.raw = raw;
    this.base = base;
    this.words = words;
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
}

/**
 * The field errors of an invalid result: (field, code, message) from string 0.
 * @param {Result} result
 * @returns {FieldError[]}
 */
function fieldErrors(result) {
  const errors = [];
  for (let i = 0, count = result.number(0); i < count; i++) {
    errors.push({ field: result.string(3 * i), code: result.string(3 * i + 1), message: result.string(3 * i + 2) });
  }
  return errors;
}

/**
 * A string map from (name, value) pairs, as JSON.parse would make it (the last of repeated names
 * wins; "__proto__" is an own property, not the prototype).
 * @param {Result} result
 * @param {number} at the first name's string index
 * @param {number} count
 * @returns {Record<string, string> | undefined}
 */
function stringMap(result, at, count) {
  if (count === 0) return undefined;
  /** @type {Record<string, string>} */
  const map = {};
  for (let i = 0; i < count; i++) {
    const name = result.string(at + 2 * i);
    const value = result.string(at + 2 * i + 1);
    if (name === '__proto__') {
      Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
    } else {
      map[name] = value;
    }
  }
  return map;
}

/** The functions both modules have. @param {Boundary} boundary */
function sharedFunctions(boundary) {
  return {
    /**
     * @param {string} body
     * @returns {CoreTokenResponse}
     */
    parseChatTokenResponse(body) {
      const result = boundary.call('parseChatTokenResponse', [body], (raw, [length]) => raw.parseChatTokenResponse(length));
      if (result.status !== OK) return { ok: false, error: result.string(0) };
      return { ok: true, token: result.string(0), tokenExpirationMillis: result.number(0), sessionExpirationMillis: result.number(1) };
    },
    /**
     * @param {number} status
     * @param {string} errorTypeHeader
     * @param {string} body
     * @returns {CoreAwsError}
     */
    parseAwsError(status, errorTypeHeader, body) {
      const result = boundary.call('parseAwsError', [errorTypeHeader, body], (raw, [header, bodyLength]) => raw.parseAwsError(status, header, bodyLength));
      const fieldList = [];
      for (let i = 0, count = result.number(0); i < count; i++) fieldList.push({ name: result.string(5 + 2 * i), message: result.string(6 + 2 * i) });
      const limit = result.number(1);
      return { type: result.string(0), message: result.string(1), reason: result.string(2), resourceId: result.string(3), resourceType: result.string(4), fieldList, limit: limit >= 0 ? limit : undefined };
    },
  };
}

/**
 * The client module (pages): validation, request bodies, chat frames.
 * @param {() => RawModule} instantiate
 */
export function wrapClientCore(instantiate) {
  const boundary = new Boundary(instantiate);
  boundary.instance();
  return {
    ...sharedFunctions(boundary),
    /**
     * @param {RequestText} request
     * @returns {CoreValidation}
     */
    validateCreateChatTokenRequest({ text, markers }) {
      const result = boundary.call('validateCreateChatTokenRequest', [text], (raw, [length]) => raw.validateCreateChatTokenRequest(length, markers ? 1 : 0));
      if (result.status === INVALID) return { ok: false, errors: fieldErrors(result) };
      return { ok: true, body: result.string(0), region: result.string(1) };
    },
    /**
     * @param {ActionName} action
     * @param {RequestText} request the request with its requestId
     * @param {number} maxMessageLength the room's limit (SEND_MESSAGE)
     * @returns {CoreActionFrame}
     */
    buildActionFrame(action, { text, markers }, maxMessageLength) {
      const result = boundary.call('buildActionFrame', [text], (raw, [length]) => raw.buildActionFrame(ACTIONS[action], length, markers ? 1 : 0, maxMessageLength));
      if (result.status === INVALID) return { ok: false, errors: fieldErrors(result) };
      return { ok: true, frame: result.string(0) };
    },
    /**
     * @param {string} text a server frame
     * @returns {CoreServerFrame}
     */
    parseServerFrame(text) {
      const result = boundary.call('parseServerFrame', [text], (raw, [length], ascii) => raw.parseServerFrame(length, ascii ? 1 : 0));
      if (result.status !== OK) return { ok: false, error: result.string(0) };
      const attributeCount = result.number(3);
      return {
        ok: true,
        kind: KINDS[result.number(0)],
        type: result.string(0),
        id: result.string(1),
        requestId: result.string(2),
        content: result.string(3),
        senderUserId: result.string(4),
        eventName: result.string(5),
        errorMessage: result.string(6),
        deletedMessageId: result.string(7),
        disconnectedUserId: result.string(8),
        reason: result.string(9),
        sendTimeMillis: result.number(1),
        errorCode: result.number(2),
        attributes: stringMap(result, 10, attributeCount),
        senderAttributes: stringMap(result, 10 + 2 * attributeCount, result.number(4)),
      };
    },
  };
}

/**
 * The backend module (token backends): validation and SigV4.
 * @param {() => RawModule} instantiate
 */
export function wrapBackendCore(instantiate) {
  const boundary = new Boundary(instantiate);
  boundary.instance();
  return {
    ...sharedFunctions(boundary),
    /**
     * Validates, builds and signs one control-plane call.
     * @param {ControlPlaneCall} call
     * @param {RequestText} request
     * @param {{ region: string, host: string, basePath: string, accessKeyId: string, secretAccessKey: string,
     *   sessionToken: string, epochMillis: number }} signing region '' = the room's; host '' = the region's
     * @returns {CoreSignedRequest}
     */
    signRequest(call, { text, markers }, { region, host, basePath, accessKeyId, secretAccessKey, sessionToken, epochMillis }) {
      const result = boundary.call(
        'signRequest',
        [text, region, host, basePath, accessKeyId, secretAccessKey, sessionToken],
        (raw, lengths) => raw.signRequest(CALLS[call], ...lengths, markers ? 1 : 0, epochMillis),
      );
      if (result.status === INVALID) {
        return { ok: false, errors: fieldErrors(result), validationExceptionBody: result.string(result.stringCount - 1) };
      }
      if (result.status !== OK) return { ok: false, field: result.string(0), error: result.string(1) };
      return { ok: true, host: result.string(0), path: result.string(1), amzDate: result.string(2), authorization: result.string(3), body: result.string(4) };
    },
    /**
     * Reads a 2xx answer of SendEvent, DeleteMessage or DisconnectUser.
     * @param {Exclude<ControlPlaneCall, 'CreateChatToken'>} call
     * @param {string} body
     * @returns {{ ok: true, id: string } | { ok: false, error: string }}
     */
    parseModerationAnswer(call, body) {
      const result = boundary.call('parseModerationAnswer', [body], (raw, [length]) => raw.parseModerationAnswer(CALLS[call], length));
      if (result.status !== OK) return { ok: false, error: result.string(0) };
      return { ok: true, id: result.string(0) };
    },
    /**
     * Reads the event IVS sends a message review handler.
     * @param {string} event its JSON text
     * @returns {CoreReviewInput}
     */
    readReviewInput(event) {
      const result = boundary.call('readReviewInput', [event], (raw, [length], ascii) => raw.readReviewInput(length, ascii ? 1 : 0));
      if (result.status !== OK) return { ok: false, error: result.string(0) };
      const attributeCount = result.number(0);
      return {
        ok: true,
        content: result.string(0),
        messageId: result.string(1),
        roomArn: result.string(2),
        senderUserId: result.string(3),
        senderIp: result.string(4),
        attributes: stringMap(result, 5, attributeCount) ?? {},
        senderAttributes: stringMap(result, 5 + 2 * attributeCount, result.number(1)) ?? {},
      };
    },
    /**
     * Checks an app's review decision and writes IVS's answer.
     * @param {RequestText} decision `{ allow, content, attributes?, reason? }` as request JSON
     * @returns {{ ok: true, allow: boolean, answer: string } | { ok: false, errors: FieldError[] }}
     */
    buildReviewAnswer({ text, markers }) {
      const result = boundary.call('buildReviewAnswer', [text], (raw, [length]) => raw.buildReviewAnswer(length, markers ? 1 : 0));
      if (result.status === INVALID) return { ok: false, errors: fieldErrors(result) };
      return { ok: true, allow: result.number(0) === 1, answer: result.string(0) };
    },
  };
}

/** @typedef {ReturnType<typeof wrapClientCore>} ClientCore */
/** @typedef {ReturnType<typeof wrapBackendCore>} BackendCore */
