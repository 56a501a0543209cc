// @ts-check
// The token backend as a standard fetch handler, `(request: Request) => Promise<Response>`:
// CORS and the origin allow-list, method / media type / size checks, the app's `authorize`
// hook, then validation and SigV4 in WebAssembly and the CreateChatToken call to IVS.
// Nothing this file sends or logs may contain a credential, a signature or a chat token.
import { ChatTokenRequestError, InvalidOptionError } from '../errors.js';
import { entryLogger, optionalFunction, positive, readOptions, wholeNumber } from '../option-table.js';
import { describeCause, postJson } from '../post-json.js';
import { readBodyWithin } from '../read-capped.js';
import { init } from './backend-core.js';
import { CREDENTIAL_OPTIONS, rememberCredentials } from './credential-options.js';
import { ChatTokenSigningError } from './errors.js';
import {
  answerOptions, authorizeCaller, backendFailed, configured, describeError, EarlyAnswer, errorAnswer, handlerWords, hostPolicy,
  originPolicy, serve, stopWith, within,
} from './handler-steps.js';
import { checkCredentials, SIGNING_OPTIONS } from './sign.js';

/**
 * @typedef {import('../../dist/ivschat-backend-calls.js').BackendCore} BackendCore
 * @typedef {import('./sign.js').AwsCredentials} AwsCredentials
 * @typedef {import('./sign.js').CheckedCredentials} CheckedCredentials
 * @typedef {import('../option-table.js').OptionContext} OptionContext
 * @typedef {import('./handler-steps.js').HandlerLogEntry} TokenHandlerLogEntry
 * @typedef {import('../api.js').CreateChatTokenRequest | null | undefined | false} AuthorizeResult
 * @typedef {(request: Request, body: Record<string, unknown>) => AuthorizeResult | Promise<AuthorizeResult>} AuthorizeHook
 * @typedef {import('./handler-steps.js').Answer} Answer
 * @typedef {import('../redact.js').Redactor} Redactor
 * @typedef {string[] | '*' | ((origin: string, request: Request) => boolean)} AllowedOrigins
 * @typedef {object} TokenHandlerOptions
 * @property {AwsCredentials} [credentials] fixed credentials (or give getCredentials)
 * @property {() => AwsCredentials | Promise<AwsCredentials>} [getCredentials] called for every request
 * @property {AuthorizeHook} authorize returns the CreateChatToken parameters this caller may have
 * @property {string | URL} [endpoint] the IVS Chat control plane; default: the region's
 * @property {boolean} [allowInsecureEndpoint] allow a plain http:// endpoint that is not loopback
 * @property {string} [region] signing region; default: the room ARN's
 * @property {AllowedOrigins} [allowedOrigins] browser origins allowed besides the handler's own
 * @property {string[] | '*'} [allowedHosts] host names (no port) the handler answers for besides
 *   loopback (`localhost`, `127.0.0.1`, `[::1]`): its public name once deployed. Others get 421,
 *   so a DNS-rebinding page cannot pass for the handler's own origin. `'*'`: any host (only where
 *   the platform routes requests by host name already)
 * @property {number} [maxBodyBytes] default 8192
 * @property {number} [timeoutMs] default 10000, for the call to IVS
 * @property {number} [bodyTimeoutMs] default 10000, for reading the request body (then 408)
 * @property {number} [authorizeTimeoutMs] default 10000, for `authorize` (then 503)
 * @property {number} [requestTimeoutMs] default 30000, for the whole request (then 503)
 * @property {typeof fetch} [fetch] default: the global fetch at call time
 * @property {((entry: TokenHandlerLogEntry) => void) | false} [logger] one entry per request. Default:
 *   the problems of the backend itself (IVS refusing or failing the signed request, the
 *   WebAssembly core not loading, credentials or authorize failing) are written with
 *   console.warn, scrubbed of credentials, signatures and tokens; the caller still gets a generic
 *   answer. `false`: nothing is written
 */

export const DEFAULT_MAX_BODY_BYTES = 8192;
export const DEFAULT_IVS_TIMEOUT_MS = 10_000;
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;
export const DEFAULT_AUTHORIZE_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const ALLOW = 'POST, OPTIONS';

/** How the token handler names itself in its answers and log lines. */
const WORDS = handlerWords({
  owner: 'createTokenHandler',
  backend: 'token backend',
  originRefused: 'This origin may not request chat tokens.',
  refused: 'You may not get a chat token.',
  parameters: 'the CreateChatToken parameters object',
});

/**
 * IVS error types whose message helps the browser's user and reveals nothing about the
 * backend's identity. Others (signature, credential, IAM errors: the backend's own problem,
 * whose AWS messages can echo the canonical request and so the session token) keep their
 * status and type but get a generic message.
 */
const CALLER_FACING_IVS_ERRORS = new Set([
  'ValidationException',
  'ResourceNotFoundException',
  'PendingVerification',
  'ThrottlingException',
  'ServiceQuotaExceededException',
  'ConflictException',
]);


/** Each option's check and default, in the order they are checked: the one list of createTokenHandler's options. */
const OPTIONS = {
  /** @param {unknown} value */
  authorize(value) {
    if (typeof value === 'function') return /** @type {AuthorizeHook} */ (value);
    throw new InvalidOptionError('authorize', 'createTokenHandler needs authorize(request, body): it returns the CreateChatToken parameters the caller may have (the server decides userId and capabilities), or null / throws TokenHandlerError to refuse.');
  },
  credentials: configured(CREDENTIAL_OPTIONS.credentials),
  getCredentials: CREDENTIAL_OPTIONS.getCredentials,
  region: configured(SIGNING_OPTIONS.region),
  allowInsecureEndpoint: SIGNING_OPTIONS.allowInsecureEndpoint,
  endpoint: configured(SIGNING_OPTIONS.endpoint),
  signer: SIGNING_OPTIONS.signer,
  allowedOrigins: originPolicy,
  allowedHosts: hostPolicy,
  maxBodyBytes: wholeNumber(DEFAULT_MAX_BODY_BYTES, { min: 1 }),
  timeoutMs: positive(DEFAULT_IVS_TIMEOUT_MS, 'milliseconds'),
  bodyTimeoutMs: positive(DEFAULT_BODY_TIMEOUT_MS, 'milliseconds'),
  authorizeTimeoutMs: positive(DEFAULT_AUTHORIZE_TIMEOUT_MS, 'milliseconds'),
  requestTimeoutMs: positive(DEFAULT_REQUEST_TIMEOUT_MS, 'milliseconds'),
  fetch: /** @type {(value: unknown, context: OptionContext) => typeof fetch | undefined} */ (optionalFunction('a fetch function (the default is the global fetch at call time)')),
  /** @type {(value: unknown, context: OptionContext) => ((entry: TokenHandlerLogEntry) => void) | false | undefined} */
  logger: entryLogger,
};

/**
 * @typedef {import('../option-table.js').OptionSettings<typeof OPTIONS>} HandlerSettings the handler's configuration, read once
 */

/**
 * Creates the token backend: a standard fetch handler for Workers, Deno.serve, Bun.serve,
 * Vercel Edge and (through toNodeListener) Node's http. The handler keeps only its
 * configuration; each request goes through the steps below.
 * @param {TokenHandlerOptions} options
 * @returns {(request: Request) => Promise<Response>}
 */
export function createTokenHandler(options) {
  const settings = readOptions(OPTIONS, options, { owner: 'createTokenHandler', notAnObject: 'createTokenHandler needs an options object with authorize and credentials (or getCredentials).' });
  return (request) => serve(settings, WORDS, request, answerFor);
}

/**
 * The answer for an admitted request: a preflight, a refused method, or a POST answered within
 * requestTimeoutMs.
 * @param {HandlerSettings} settings
 * @param {Request} request
 * @param {string | undefined} corsOrigin
 * @param {Redactor} redactor
 * @returns {Promise<Answer>}
 */
async function answerFor(settings, request, corsOrigin, redactor) {
  if (request.method === 'OPTIONS') return answerOptions(request, corsOrigin, ALLOW);
  if (request.method !== 'POST') return errorAnswer(405, 'MethodNotAllowedException', 'Request chat tokens with POST.', { headers: { allow: ALLOW } });
  return within(settings, WORDS, answerPost(settings, request, redactor));
}

/**
 * A POST, step by step: read the body → authorize → sign → call IVS (which answers). A step
 * that cannot go on throws its EarlyAnswer.
 * @param {HandlerSettings} settings
 * @param {Request} request
 * @param {Redactor} redactor
 * @returns {Promise<Answer>}
 */
async function answerPost(settings, request, redactor) {
  const body = await readTokenRequestBody(settings, request);
  const parameters = await authorizeCaller(settings, WORDS, request, body);
  const [core, signed] = await signTokenRequest(settings, parameters, redactor);
  return callIvs(settings, core, signed, redactor);
}

/**
 * Step 1: the body, a JSON object, within maxBodyBytes and bodyTimeoutMs.
 * @param {HandlerSettings} settings
 * @param {Request} request
 * @returns {Promise<Record<string, unknown>>}
 */
async function readTokenRequestBody({ maxBodyBytes, bodyTimeoutMs }, request) {
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw stopWith(415, 'UnsupportedMediaTypeException', 'Send the token request as JSON (Content-Type: application/json).');
  }
  const tooLarge = () => stopWith(413, 'PayloadTooLargeException', `The token request is larger than ${maxBodyBytes} bytes.`);
  const declaredLength = Number(request.headers.get('content-length') ?? '0');
  if (declaredLength > maxBodyBytes) throw tooLarge();
  const read = await readBodyWithin(request, maxBodyBytes, bodyTimeoutMs);
  if (!read.ok) {
    if (read.problem === 'tooSlow') throw stopWith(408, 'RequestTimeoutException', `The token request body did not arrive within ${bodyTimeoutMs} ms.`, { level: 'warn' });
    throw read.problem === 'tooLarge' ? tooLarge() : stopWith(400, 'SerializationException', 'The token request body could not be read.');
  }
  let body;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(read.bytes));
  } catch {
    throw stopWith(400, 'SerializationException', 'The token request body is not valid UTF-8 JSON.');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw stopWith(400, 'SerializationException', 'The token request body must be a JSON object.');
  }
  return body;
}

/**
 * Step 3: the credentials (fixed, or from getCredentials), the core, and the CreateChatToken
 * request validated and signed by it.
 * @param {HandlerSettings} settings
 * @param {object} parameters
 * @param {Redactor} redactor
 * @returns {Promise<[BackendCore, import('./sign.js').SignedChatTokenRequest]>} the core signed it, and will read IVS's answer
 */
async function signTokenRequest({ credentials: fixedCredentials, getCredentials, signer }, parameters, redactor) {
  /** @type {CheckedCredentials} */
  let credentials;
  try {
    credentials = fixedCredentials ?? checkCredentials(await /** @type {NonNullable<typeof getCredentials>} */ (getCredentials)());
  } catch (error) {
    throw misconfigured('getCredentials failed', error);
  }
  rememberCredentials(redactor, credentials);
  /** @type {BackendCore} */
  let core;
  try {
    core = await init();
  } catch (error) {
    throw new EarlyAnswer(backendFailed(WORDS, `the WebAssembly core did not load: ${describeError(error)}`));
  }
  let signed;
  try {
    signed = signer((inputs) => core.signRequest(inputs), 'CreateChatToken', parameters, credentials);
  } catch (error) {
    throw misconfigured('cannot sign', error);
  }
  if (!signed.ok) {
    throw new EarlyAnswer({
      status: 400,
      errorType: 'ValidationException',
      body: signed.validationExceptionBody,
      level: 'warn',
      log: `invalid CreateChatToken parameters: ${signed.errors.map((e) => `${e.field} ${e.code}`).join(', ')}`,
    });
  }
  redactor.add(signed.signature);
  return [core, signed.request];
}

/**
 * The EarlyAnswer of credentials or signing settings that do not work (naming the option's field when known).
 * @param {string} what
 * @param {unknown} error
 */
function misconfigured(what, error) {
  const field = error instanceof ChatTokenSigningError ? error.field : undefined;
  return stopWith(500, 'InternalServerException', 'The token backend is misconfigured.', { log: `${what}: ${describeError(error)}`, field });
}

/**
 * Step 4: the signed request to IVS, within timeoutMs, and the answer its response makes.
 * @param {HandlerSettings} settings
 * @param {BackendCore} core
 * @param {import('./sign.js').SignedChatTokenRequest} signedRequest
 * @param {Redactor} redactor
 * @returns {Promise<Answer>}
 */
async function callIvs({ fetch: fetchOption, timeoutMs }, core, signedRequest, redactor) {
  const fetchImpl = fetchOption ?? globalThis.fetch;
  let response;
  let text;
  try {
    ({ response, text } = await postJson(fetchImpl, signedRequest.url, signedRequest.body, { headers: signedRequest.headers, timeoutMs, peer: 'IVS' }));
  } catch (error) {
    if (error instanceof ChatTokenRequestError && error.code === 'TIMEOUT') {
      return errorAnswer(504, 'GatewayTimeoutException', `IVS did not answer within ${timeoutMs} ms.`);
    }
    const reason = describeCause(error);
    return errorAnswer(502, 'BadGatewayException', 'Could not reach IVS.', { log: `could not reach IVS: ${reason}` });
  }
  if (response.status >= 200 && response.status < 300) {
    const parsed = core.parseChatTokenResponse({ body: text });
    if (!parsed.ok) {
      return errorAnswer(502, 'BadGatewayException', 'IVS answered with an unusable body.', { log: `IVS answered HTTP ${response.status} with an unusable body: ${parsed.error}` });
    }
    redactor.add(parsed.token);
    return {
      status: 200,
      body: JSON.stringify({
        token: parsed.token,
        tokenExpirationTime: new Date(parsed.tokenExpirationMillis).toISOString(),
        sessionExpirationTime: new Date(parsed.sessionExpirationMillis).toISOString(),
      }),
      level: 'info',
      log: 'issued a chat token',
    };
  }
  const awsError = core.parseAwsError({ status: response.status, errorTypeHeader: response.headers.get('x-amzn-errortype')?.slice(0, 1024) ?? '', body: text });
  const awsDetail = `IVS answered HTTP ${response.status} ${awsError.type}${awsError.message ? `: ${awsError.message}` : ''}`;
  if (response.status >= 400 && response.status < 500) {
    const callerFacing = CALLER_FACING_IVS_ERRORS.has(awsError.type);
    /** @type {Record<string, unknown>} */
    const extra = {};
    if (callerFacing) {
      if (awsError.reason) extra.reason = awsError.reason;
      if (awsError.fieldList.length > 0) extra.fieldList = awsError.fieldList;
      if (awsError.resourceId) extra.resourceId = awsError.resourceId;
      if (awsError.resourceType) extra.resourceType = awsError.resourceType;
    }
    const message = callerFacing && awsError.message ? awsError.message : `IVS refused the token request (${awsError.type}).`;
    return { ...errorAnswer(response.status, awsError.type, message, { extra, log: awsDetail, level: callerFacing ? 'warn' : 'error' }), backendProblem: true };
  }
  return errorAnswer(502, 'BadGatewayException', `IVS failed (HTTP ${response.status} ${awsError.type}).`, { log: awsDetail });
}
