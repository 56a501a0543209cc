// @ts-check
// The public CreateChatToken API: validation in WebAssembly, then the HTTP call to the app's
// token backend, whose answer is parsed in WebAssembly too.
import { ChatTokenRequestError, ChatTokenValidationError, InvalidOptionError } from './errors.js';
import { init } from './loader.js';

/**
 * @typedef {import('./errors.js').FieldError} FieldError
 * @typedef {import('./core-types.js').IvsChatCore} IvsChatCore
 * @typedef {{ ok: boolean, errors: FieldError[] }} ValidationReport
 * @typedef {{ token: string, tokenExpirationTime: Date, sessionExpirationTime: Date }} ChatToken
 */

export const DEFAULT_TOKEN_TIMEOUT_MS = 10_000;

/**
 * JSON has no NaN or Infinity (JSON.stringify would turn them into null, i.e. "absent"), so they
 * travel as a marker the core names in its TYPE errors; bigints travel as numbers.
 * @param {string} _key
 * @param {unknown} value
 */
function toJsonValue(_key, value) {
  if (typeof value === 'number' && !Number.isFinite(value)) return { $nonFinite: String(value) };
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/**
 * Serializes a request for the core. Lone surrogates survive as `\ud800` escapes, which the
 * core reports as INVALID_UTF8 at their field.
 * @param {unknown} input
 * @returns {string | FieldError}
 */
export function requestJson(input) {
  try {
    // Fast path: without a replacer function JSON.stringify is about twice as fast. It writes
    // NaN and Infinity as null and throws on bigints, so the replacer pass runs whenever the
    // text holds a null (or stringify threw); otherwise the two agree.
    try {
      const fast = JSON.stringify(input);
      if (fast !== undefined && !fast.includes('null')) return fast;
    } catch {
      // a bigint (or a failing toJSON): the replacer pass below decides
    }
    return JSON.stringify(input, toJsonValue) ?? 'null';
  } catch (error) {
    return {
      field: 'request',
      code: 'TYPE',
      message: `The request cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}.`,
    };
  }
}

/**
 * Runs the core's validation; returns the body and region when the request is valid.
 * @param {IvsChatCore} core
 * @param {unknown} input
 * @returns {{ ok: true, body: string, region: string } | { ok: false, errors: FieldError[] }}
 */
export function validateWithCore(core, input) {
  const json = requestJson(input);
  if (typeof json !== 'string') return { ok: false, errors: [json] };
  const result = core.validateCreateChatTokenRequest(json);
  if (!result.ok) return { ok: false, errors: JSON.parse(result.errorsJson) };
  return { ok: true, body: result.body, region: result.region };
}

/**
 * Checks a CreateChatToken request against every rule of the service and reports all
 * problems at once. Never throws for bad input.
 * @param {unknown} input
 * @returns {Promise<ValidationReport>}
 */
export async function validateCreateChatTokenRequest(input) {
  const result = validateWithCore(await init(), input);
  return result.ok ? { ok: true, errors: [] } : { ok: false, errors: result.errors };
}

/**
 * Gets a chat token from the app's token backend: validates the request in WebAssembly (a bad
 * request never leaves the process), POSTs it as JSON to `endpoint` and reads the answer.
 * @param {{ endpoint: string | URL, roomIdentifier: string, userId: string, capabilities?: string[],
 *   sessionDurationInMinutes?: number, attributes?: Record<string, string>,
 *   fetch?: typeof fetch, headers?: Record<string, string>, signal?: AbortSignal, timeoutMs?: number }} options
 * @returns {Promise<ChatToken>}
 */
export async function createChatToken(options) {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError('options', 'createChatToken needs an options object with endpoint, roomIdentifier and userId.');
  }
  const { endpoint, fetch: fetchOption, headers, signal, timeoutMs = DEFAULT_TOKEN_TIMEOUT_MS, ...request } = options;
  if (typeof endpoint !== 'string' && !(endpoint instanceof URL)) {
    throw new InvalidOptionError('endpoint', 'createChatToken needs `endpoint`, the URL of your token backend.');
  }
  const fetchImpl = fetchOption ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') {
    throw new InvalidOptionError('fetch', 'No fetch function: pass `fetch` or run where a global fetch exists.');
  }
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
    throw new InvalidOptionError('timeoutMs', '`timeoutMs` must be a positive number of milliseconds.');
  }
  const core = await init();
  const validation = validateWithCore(core, request);
  if (!validation.ok) throw new ChatTokenValidationError(validation.errors);

  const { text, response } = await postJson(fetchImpl, endpoint, validation.body, { headers, signal, timeoutMs });
  if (!response.ok) throw httpError(core, response, text);
  const parsed = core.parseCreateChatTokenResponse(text);
  if (!parsed.ok) {
    throw new ChatTokenRequestError('MALFORMED_RESPONSE', `The token backend's answer is unusable: ${parsed.error}.`, { status: response.status });
  }
  return {
    token: parsed.token,
    tokenExpirationTime: new Date(parsed.tokenExpirationMillis),
    sessionExpirationTime: new Date(parsed.sessionExpirationMillis),
  };
}

/**
 * POSTs JSON with a timeout and an optional caller signal; reads the whole body as text.
 * @param {typeof fetch} fetchImpl
 * @param {string | URL} endpoint
 * @param {string} body
 * @param {{ headers?: Record<string, string>, signal?: AbortSignal, timeoutMs: number }} options
 * @returns {Promise<{ response: Response, text: string }>}
 */
export async function postJson(fetchImpl, endpoint, body, { headers, signal, timeoutMs }) {
  if (signal?.aborted) {
    throw new ChatTokenRequestError('ABORTED', 'The token request was aborted before it started.', { cause: signal.reason });
  }
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forwardAbort = () => controller.abort();
  signal?.addEventListener('abort', forwardAbort, { once: true });
  try {
    const response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body,
      signal: controller.signal,
    });
    const text = await response.text();
    return { response, text };
  } catch (cause) {
    if (timedOut) {
      throw new ChatTokenRequestError('TIMEOUT', `The token backend did not answer within ${timeoutMs} ms.`, { cause });
    }
    if (signal?.aborted) {
      throw new ChatTokenRequestError('ABORTED', 'The token request was aborted.', { cause });
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ChatTokenRequestError('NETWORK_ERROR', `Could not reach the token backend: ${reason}.`, { cause });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forwardAbort);
  }
}

/**
 * @param {IvsChatCore} core
 * @param {Response} response
 * @param {string} text
 */
function httpError(core, response, text) {
  const error = core.parseAwsError(response.status, response.headers.get('x-amzn-errortype') ?? '', text);
  const detail = error.message ? `: ${error.message}` : '';
  return new ChatTokenRequestError('HTTP_ERROR', `The token backend answered HTTP ${response.status} ${error.type}${detail}`, {
    status: response.status,
    errorType: error.type,
    awsMessage: error.message || undefined,
    reason: error.reason || undefined,
    fieldList: JSON.parse(error.fieldListJson),
    resourceId: error.resourceId || undefined,
  });
}
