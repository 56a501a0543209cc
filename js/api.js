// @ts-check
// The public CreateChatToken API: validation in WebAssembly, then the HTTP call to the app's
// token backend, whose answer is read in WebAssembly too.
import { init } from './client-core.js';
import { ChatTokenRequestError, ChatTokenValidationError, InvalidOptionError } from './errors.js';
import { httpError } from './http-error.js';
import { abortSignal, fetchFunction, positive, readOwnOptions } from './option-table.js';
import { postJson } from './post-json.js';
import { requestTable } from './value-table.js';

/**
 * @typedef {import('./errors.js').FieldError} FieldError
 * @typedef {import('../dist/ivschat-client-calls.js').ClientCore} ClientCore
 * @typedef {{ ok: boolean, errors: FieldError[] }} ValidationReport
 * @typedef {{ token: string, tokenExpirationTime: Date, sessionExpirationTime: Date }} ChatToken
 * @typedef {'SEND_MESSAGE' | 'DISCONNECT_USER' | 'DELETE_MESSAGE'} ChatTokenCapability
 * @typedef {{ roomIdentifier: string, userId: string, capabilities?: ChatTokenCapability[],
 *   sessionDurationInMinutes?: number, attributes?: Record<string, string> }} CreateChatTokenRequest
 */

export const DEFAULT_TOKEN_TIMEOUT_MS = 10_000;

/**
 * Runs the core's validation; returns the body and region when the request is valid.
 * @param {ClientCore} core
 * @param {unknown} input
 * @returns {import('../dist/ivschat-client-calls.js').ValidateCreateChatTokenRequestResult}
 */
function validateWithCore(core, input) {
  const request = requestTable(input);
  if (!request.ok) return { ok: false, errors: [request.error] };
  return core.validateCreateChatTokenRequest({ request: request.table });
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

/** createChatToken's own options, each with its check and default; the others are the CreateChatToken request. */
const OPTIONS = {
  /**
   * @param {unknown} value
   * @param {import('./option-table.js').OptionContext} context
   * @returns {string | URL}
   */
  endpoint(value, { given }) {
    if (typeof value !== 'string' && !(value instanceof URL)) {
      throw new InvalidOptionError('endpoint', 'createChatToken needs `endpoint`, the URL of your token backend.');
    }
    // The global fetch resolves a relative URL against the page; with no page (Node, Deno, Bun,
    // workers) it fails as a network error, which reads like a backend that is down. A fetch the
    // caller brings may accept relative URLs (frameworks' server-side fetch does): its call.
    if (given.fetch === undefined) checkTokenEndpoint(value);
    return value;
  },
  fetch: fetchFunction,
  /** @param {unknown} value */
  headers: (value) => /** @type {Record<string, string> | undefined} */ (value), // fetch's to check
  signal: abortSignal,
  timeoutMs: positive(DEFAULT_TOKEN_TIMEOUT_MS, 'milliseconds'),
};

/**
 * Gets a chat token from the app's token backend: validates the request in WebAssembly (a bad
 * request never leaves the process), POSTs it as JSON to `endpoint` and reads the answer.
 * @param {CreateChatTokenRequest & { endpoint: string | URL,
 *   fetch?: typeof fetch, headers?: Record<string, string>, signal?: AbortSignal, timeoutMs?: number }} options
 * @returns {Promise<ChatToken>}
 */
export async function createChatToken(options) {
  const { settings, others: request } = readOwnOptions(OPTIONS, options, {
    owner: 'createChatToken',
    notAnObject: 'createChatToken needs an options object with endpoint, roomIdentifier and userId.',
  });
  const { endpoint, fetch: fetchImpl, headers, signal, timeoutMs } = settings;
  const core = await init();
  const validation = validateWithCore(core, request);
  if (!validation.ok) throw new ChatTokenValidationError(validation.errors);

  const { text, response } = await postJson(fetchImpl, endpoint, validation.body, { headers, signal, timeoutMs, peer: 'the token backend' });
  if (!response.ok) throw httpError(core, response, text, { peer: 'the token backend', endpoint, ErrorClass: ChatTokenRequestError });
  const parsed = core.parseChatTokenResponse({ body: text });
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
 * @param {string | URL} endpoint
 */
function checkTokenEndpoint(endpoint) {
  const page = /** @type {{ location?: { href?: string } }} */ (globalThis).location?.href;
  let url;
  try {
    url = new URL(endpoint, page);
  } catch {
    throw new InvalidOptionError('endpoint', `createChatToken: endpoint ${JSON.stringify(String(endpoint).split(/[?#]/)[0].slice(0, 200))} is not an absolute URL, and there is no page to resolve it against here: give the full URL of your token backend (e.g. https://app.example.com/api/chat-token).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidOptionError('endpoint', `createChatToken: endpoint must be an http:// or https:// URL, not ${url.protocol.slice(0, -1)}:.`);
  }
}
