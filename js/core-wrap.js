// @ts-check
// What the loader adds to the raw embind module: JavaScript views of results that the core
// returns packed in one string (one crossing and one decode instead of one getter call, string
// copy and decode per field of an embind value_object). The views have the shapes documented in
// core-types.js, so callers do not know the difference.

/**
 * @typedef {import('./core-types.js').IvsChatCore} IvsChatCore
 * @typedef {import('./core-types.js').RawIvsChatCore} RawIvsChatCore
 * @typedef {import('./core-types.js').CoreServerFrame} CoreServerFrame
 * @typedef {import('./core-types.js').CoreSignedRequest} CoreSignedRequest
 * @typedef {import('./core-types.js').CoreFrameBuild} CoreFrameBuild
 */

/** @type {Record<string, CoreServerFrame['kind']>} */
const KIND_BY_LETTER = { M: 'MESSAGE', E: 'EVENT', R: 'ERROR', U: 'UNKNOWN' };
const COMMA = 44;
const SEMICOLON = 59;
const MINUS = 45;
const ZERO = 48;

/**
 * Reads parseServerFramePacked's string (format: src/bindings/embind.cpp, packServerFrame).
 * @param {string} packed
 * @returns {CoreServerFrame}
 */
export function unpackServerFrame(packed) {
  if (packed.charCodeAt(0) === 33 /* ! */) {
    return {
      ok: false, error: packed.slice(1), kind: '', type: '', id: '', requestId: '', content: '', attributesJson: '',
      sendTimeMillis: 0, senderUserId: '', senderAttributesJson: '', eventName: '', errorCode: 0, errorMessage: '',
      deletedMessageId: '', disconnectedUserId: '', reason: '',
    };
  }
  /** sendTimeMillis, errorCode, then the 12 lengths. */
  const numbers = new Array(14);
  let count = 0;
  let value = 0;
  let negative = false;
  let at = 1;
  for (;;) {
    const c = packed.charCodeAt(at++);
    if (c === COMMA) {
      numbers[count++] = negative ? -value : value;
      value = 0;
      negative = false;
    } else if (c === SEMICOLON) {
      break;
    } else if (c === MINUS) {
      negative = true;
    } else {
      value = value * 10 + (c - ZERO);
    }
  }
  const texts = new Array(12);
  for (let k = 0; k < 12; k++) {
    const end = at + numbers[k + 2];
    texts[k] = packed.slice(at, end);
    at = end;
  }
  return {
    ok: true,
    error: '',
    kind: KIND_BY_LETTER[packed[0]],
    type: texts[0],
    id: texts[1],
    requestId: texts[2],
    content: texts[3],
    attributesJson: texts[4],
    sendTimeMillis: numbers[0],
    senderUserId: texts[5],
    senderAttributesJson: texts[6],
    eventName: texts[7],
    errorCode: numbers[1],
    errorMessage: texts[8],
    deletedMessageId: texts[9],
    disconnectedUserId: texts[10],
    reason: texts[11],
  };
}

/**
 * Reads signCreateChatTokenRequestPacked's string (format: src/bindings/embind.cpp).
 * @param {string} packed
 * @returns {CoreSignedRequest}
 */
export function unpackSignedRequest(packed) {
  const result = { ok: false, errorsJson: '[]', error: '', errorField: '', url: '', body: '', host: '', amzDate: '', securityToken: '', authorization: '' };
  const tag = packed[0];
  if (tag === 'V') {
    result.errorsJson = packed.slice(1);
  } else if (tag === 'E') {
    const newline = packed.indexOf('\n');
    result.errorField = packed.slice(1, newline);
    result.error = packed.slice(newline + 1);
  } else {
    result.ok = true;
    let at = 1;
    const next = () => {
      const end = packed.indexOf('\n', at);
      const part = packed.slice(at, end);
      at = end + 1;
      return part;
    };
    result.url = next();
    result.host = next();
    result.amzDate = next();
    result.securityToken = next();
    result.authorization = next();
    result.body = packed.slice(at);
  }
  return result;
}

/**
 * Reads an action frame build's packed string: "1" + frame, or "0" + errors as JSON.
 * @param {string} packed
 * @returns {CoreFrameBuild}
 */
export function unpackFrameBuild(packed) {
  return packed[0] === '1' ? { ok: true, errorsJson: '[]', frame: packed.slice(1) } : { ok: false, errorsJson: packed.slice(1), frame: '' };
}

/**
 * Completes the raw module into the core the rest of the package uses.
 * @param {RawIvsChatCore} raw
 * @returns {IvsChatCore}
 */
export function wrapCore(raw) {
  const core = /** @type {IvsChatCore} */ (/** @type {unknown} */ (raw));
  core.parseServerFrame = (text) => unpackServerFrame(raw.parseServerFramePacked(text));
  core.signCreateChatTokenRequest = (requestJson, region, endpoint, accessKeyId, secretAccessKey, sessionToken, epochMillis) =>
    unpackSignedRequest(raw.signCreateChatTokenRequestPacked(requestJson, region, endpoint, accessKeyId, secretAccessKey, sessionToken, epochMillis));
  core.buildSendMessageFrame = (requestJson, requestId, maxMessageLength) => unpackFrameBuild(raw.buildSendMessageFramePacked(requestJson, requestId, maxMessageLength));
  core.buildDeleteMessageFrame = (requestJson, requestId) => unpackFrameBuild(raw.buildDeleteMessageFramePacked(requestJson, requestId));
  core.buildDisconnectUserFrame = (requestJson, requestId) => unpackFrameBuild(raw.buildDisconnectUserFramePacked(requestJson, requestId));
  return core;
}
