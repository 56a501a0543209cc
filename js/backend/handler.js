// @ts-check
// The token backend as a standard fetch handler, `(request: Request) => Promise<Response>`:
// CORS and the origin allow-list, method / media type / size checks, the app's `authorize`
// hook, then validation and SigV4 in WebAssembly and the CreateChatToken call to IVS.
// Nothing this file sends or logs may contain a credential, a signature or a chat token.
import { Deadline } from '../deadline.js';
import { ChatTokenRequestError, InvalidOptionError } from '../errors.js';
import { entryLogger, optionalFunction, originSet, positive, readOptions, wholeNumber } from '../option-table.js';
import { describeCause, postJson } from '../post-json.js';
import { Redactor } from '../redact.js';
import { readBodyWithin } from '../read-capped.js';
import { hostAllowList, hostNameOf } from '../local/host-allow-list.js';
import { init } from './backend-core.js';
import { CREDENTIAL_OPTIONS } from './credential-options.js';
import { ChatTokenSigningError, isRefusalStatus, refusalErrorType, TokenHandlerError } from './errors.js';
import { checkCredentials, kindOf, signWithCore, SIGNING_OPTIONS } from './sign.js';

/**
 * @typedef {import('../../dist/ivschat-backend-calls.js').BackendCore} BackendCore
 * @typedef {import('./sign.js').AwsCredentials} AwsCredentials
 * @typedef {import('./sign.js').CheckedCredentials} CheckedCredentials
 * @typedef {import('../option-table.js').OptionContext} OptionContext
 * @typedef {'info' | 'warn' | 'error'} LogLevel
 * @typedef {{ level: LogLevel, message: string, method: string, status: number, durationMs: number,
 *   errorType?: string, field?: string }} TokenHandlerLogEntry
 * @typedef {import('../api.js').CreateChatTokenRequest | null | undefined | false} AuthorizeResult
 * @typedef {(request: Request, body: Record<string, unknown>) => AuthorizeResult | Promise<AuthorizeResult>} AuthorizeHook
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
const PREFLIGHT_MAX_AGE_SECONDS = '600';

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

/**
 * One answer of the handler, before it becomes a Response.
 * @typedef {object} Answer
 * @property {number} status
 * @property {string} body '' for no body
 * @property {string} [errorType] X-Amzn-ErrorType
 * @property {Record<string, string>} [headers] extra headers
 * @property {LogLevel} level
 * @property {string} log what happened, for the logger (never secrets; scrubbed anyway)
 * @property {string} [field]
 * @property {boolean} [backendProblem] the default logger writes it (the backend's own problem,
 *   which the caller's answer does not explain)
 */

/**
 * An AWS-shaped error answer: `X-Amzn-ErrorType` plus a JSON body with `message`, which is
 * what the browser's `createChatToken` reads into `ChatTokenRequestError`.
 * @param {number} status
 * @param {string} errorType
 * @param {string} message sent to the caller
 * @param {{ level?: LogLevel, log?: string, field?: string, headers?: Record<string, string>, extra?: Record<string, unknown> }} [details]
 * @returns {Answer}
 */
function errorAnswer(status, errorType, message, details = {}) {
  return {
    status,
    errorType,
    body: JSON.stringify({ message, ...details.extra }),
    headers: details.headers,
    level: details.level ?? (status >= 500 ? 'error' : 'warn'),
    log: details.log ?? message,
    field: details.field,
  };
}

/**
 * The 500 of the backend's own failure: the caller learns nothing more, the log says what.
 * @param {string} log
 */
function backendFailed(log) {
  return errorAnswer(500, 'InternalServerException', 'The token backend failed.', { log });
}

/**
 * @param {unknown} error
 * @returns {string}
 */
function describeError(error) {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `a thrown ${kindOf(error)}`;
}

/**
 * @param {unknown} allowedOrigins
 * @returns {(origin: string, request: Request) => boolean}
 */
function originPolicy(allowedOrigins) {
  if (allowedOrigins === undefined) return () => false;
  if (allowedOrigins === '*') return () => true;
  if (typeof allowedOrigins === 'function') return (origin, request) => allowedOrigins(origin, request) === true;
  if (!Array.isArray(allowedOrigins)) {
    throw new InvalidOptionError('allowedOrigins', "allowedOrigins must be an array of origins such as 'https://app.example.com', '*', or a function (origin, request) => boolean.");
  }
  const allowed = originSet(allowedOrigins, 'allowedOrigins', 'https://app.example.com');
  return (origin) => allowed.has(origin);
}

/**
 * Which host names the handler answers for (DNS rebinding: a page on rebind.evil.example whose
 * name resolves to the handler's address sends Host and Origin both rebind.evil.example, and so
 * would pass for same-origin). Loopback always; the configured names; or any with '*'.
 * @param {unknown} allowedHosts
 * @returns {(hostname: string) => boolean} takes `URL.hostname`
 */
function hostPolicy(allowedHosts) {
  if (allowedHosts === '*') return () => true;
  if (allowedHosts !== undefined && !Array.isArray(allowedHosts)) {
    throw new InvalidOptionError('allowedHosts', "allowedHosts must be an array of host names such as ['chat.example.com'] (no scheme, no port), or '*'.");
  }
  // 'localhost' as the bound host: loopback names only, plus the configured ones.
  const names = hostAllowList('localhost', allowedHosts ?? [], (index, name) => {
    throw new InvalidOptionError(`allowedHosts[${index}]`, `allowedHosts[${index}] must be a host name without scheme or port, such as 'chat.example.com', got ${name}.`);
  });
  return (hostname) => names.has(hostNameOf(hostname));
}

/**
 * A signing option's entry whose errors are option errors: a configuration error is thrown when
 * the handler is made, rather than a 500 at every request.
 * @template T
 * @param {(value: unknown, context: OptionContext) => T} read
 * @returns {(value: unknown, context: OptionContext) => T}
 */
const configured = (read) => (value, context) => {
  try {
    return read(value, context);
  } catch (error) {
    if (error instanceof ChatTokenSigningError) throw new InvalidOptionError(error.field, error.message);
    throw error;
  }
};

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
 * What an error thrown by `authorize` answers, when it is a refusal: a TokenHandlerError (its
 * status, type and message, read again now: its fields may have been changed since it was
 * made), or any error with a numeric `status` or `statusCode` from 400 to 599 (the convention of
 * http-errors and Hono's HTTPException), with a generic message unless it is marked `expose`.
 * @param {unknown} error
 * @returns {Answer | undefined}
 */
function refusalAnswer(error) {
  if (error === null || typeof error !== 'object') return undefined;
  const fields = /** @type {{ status?: unknown, statusCode?: unknown, errorType?: unknown, message?: unknown, expose?: unknown }} */ (error);
  const status = fields.status ?? fields.statusCode;
  if (!isRefusalStatus(status)) return undefined;
  const own = error instanceof TokenHandlerError || fields.expose === true;
  const message = own && typeof fields.message === 'string' ? fields.message : status >= 500 ? 'The token backend cannot answer now.' : 'You may not get a chat token.';
  const errorType = refusalErrorType(status, error instanceof TokenHandlerError ? fields.errorType : undefined);
  return errorAnswer(status, errorType, message, { level: status >= 500 ? 'error' : 'warn', log: `authorize refused the caller (${status} ${errorType}): ${String(fields.message)}` });
}


/**
 * @typedef {import('../option-table.js').OptionSettings<typeof OPTIONS>} HandlerSettings the handler's configuration, read once
 * @typedef {object} Caller what the host name and origin of a request allow
 * @property {Answer} [refusal] the answer to a host or an origin the handler does not serve
 * @property {string} [corsOrigin] an allowed origin other than the handler's own (CORS)
 */

/**
 * A step's early answer: the pipeline stops, and this is the request's answer.
 * (Thrown, so that each step of answerPost reads as one line.)
 */
class EarlyAnswer {
  /** @param {Answer} answer */
  constructor(answer) {
    this.answer = answer;
  }
}

/**
 * The EarlyAnswer of an error answer, to throw.
 * @param {Parameters<typeof errorAnswer>} args
 */
const stopWith = (...args) => new EarlyAnswer(errorAnswer(...args));

/**
 * Creates the token backend: a standard fetch handler for Workers, Deno.serve, Bun.serve,
 * Vercel Edge and (through toNodeListener) Node's http. The handler keeps only its
 * configuration; each request goes through the steps below.
 * @param {TokenHandlerOptions} options
 * @returns {(request: Request) => Promise<Response>}
 */
export function createTokenHandler(options) {
  const settings = readOptions(OPTIONS, options, { owner: 'createTokenHandler', notAnObject: 'createTokenHandler needs an options object with authorize and credentials (or getCredentials).' });
  return (request) => handleTokenRequest(settings, request);
}

/**
 * One request: who calls (host, origin, CORS), then the answer for its method, then the Response
 * and its log entry.
 * @param {HandlerSettings} settings
 * @param {Request} request
 * @returns {Promise<Response>}
 */
async function handleTokenRequest(settings, request) {
  const startedAt = Date.now();
  /** Secrets seen while answering this request; every outgoing text is scrubbed of them. */
  const redactor = new Redactor();
  if (settings.credentials) rememberCredentials(redactor, settings.credentials);
  const caller = admitCaller(settings, request);
  /** @type {Answer} */
  let answer;
  try {
    answer = caller.refusal ?? await answerFor(settings, request, caller.corsOrigin, redactor);
  } catch (error) {
    answer = error instanceof EarlyAnswer ? error.answer : backendFailed(`unexpected ${describeError(error)}`);
  }
  return respond(settings, request, answer, caller.corsOrigin, redactor, startedAt);
}

/**
 * Whether the handler serves the request's host name and origin (DNS rebinding, the origin allow-list).
 * @param {HandlerSettings} settings
 * @param {Request} request
 * @returns {Caller}
 */
function admitCaller(settings, request) {
  const url = parsedUrl(request.url);
  const hostname = url?.hostname;
  if (hostname === undefined || !settings.allowedHosts(hostname)) {
    const named = JSON.stringify((hostname ?? '').slice(0, 100));
    // A DNS-rebinding page, or a deployed handler whose public name is not configured.
    return { refusal: errorAnswer(421, 'MisdirectedRequestException', `This token backend does not answer for the host name ${named}: add it to createTokenHandler's allowedHosts option.`) };
  }
  const origin = request.headers.get('origin');
  if (origin === null || origin === url?.origin) return {};
  if (settings.allowedOrigins(origin, request)) return { corsOrigin: origin };
  return { refusal: errorAnswer(403, 'AccessDeniedException', 'This origin may not request chat tokens.', { log: `refused origin ${origin}` }) };
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
  if (request.method === 'OPTIONS') return answerOptions(request, corsOrigin);
  if (request.method !== 'POST') return errorAnswer(405, 'MethodNotAllowedException', 'Request chat tokens with POST.', { headers: { allow: ALLOW } });
  const { requestTimeoutMs } = settings;
  const deadline = new Deadline(requestTimeoutMs);
  return deadline.race(answerPost(settings, request, redactor)).catch((error) => {
    if (!deadline.expired) throw error;
    return errorAnswer(503, 'ServiceUnavailableException', 'The token backend cannot answer now.', { log: `the request took longer than ${requestTimeoutMs} ms` });
  });
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
  const parameters = await authorizeCaller(settings, request, body);
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
 * Step 2: the app's `authorize`, within authorizeTimeoutMs: the CreateChatToken parameters this
 * caller may have.
 * @param {HandlerSettings} settings
 * @param {Request} request
 * @param {Record<string, unknown>} body
 * @returns {Promise<object>}
 */
async function authorizeCaller({ authorize, authorizeTimeoutMs }, request, body) {
  let parameters;
  const authorizing = new Deadline(authorizeTimeoutMs);
  try {
    parameters = await authorizing.race(Promise.resolve().then(() => authorize(request, body)));
  } catch (error) {
    if (authorizing.expired) {
      throw stopWith(503, 'ServiceUnavailableException', 'The token backend cannot answer now.', { log: `authorize did not answer within ${authorizeTimeoutMs} ms` });
    }
    throw new EarlyAnswer(refusalAnswer(error) ?? backendFailed(`authorize threw ${describeError(error)}`));
  }
  if (parameters === null || parameters === undefined || parameters === false) {
    throw stopWith(403, 'AccessDeniedException', 'You may not get a chat token.', { log: 'authorize refused the caller (returned no parameters)' });
  }
  if (typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw new EarlyAnswer(backendFailed(`authorize returned ${kindOf(parameters)}; it must return the CreateChatToken parameters object, or null to refuse`));
  }
  return parameters;
}

/**
 * Step 3: the credentials (fixed, or from getCredentials), the core, and the CreateChatToken
 * request validated and signed by it.
 * @param {HandlerSettings} settings
 * @param {object} parameters
 * @param {Redactor} redactor
 * @returns {Promise<[BackendCore, import('./sign.js').SignedChatTokenRequest]>} the core signed it, and will read IVS's answer
 */
async function signTokenRequest({ credentials: fixedCredentials, getCredentials, region, endpoint }, parameters, redactor) {
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
    throw new EarlyAnswer(backendFailed(`the WebAssembly core did not load: ${describeError(error)}`));
  }
  let signed;
  try {
    signed = signWithCore(core, 'CreateChatToken', parameters, { credentials, region, endpoint, epochMillis: undefined });
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

/**
 * Step 5: the Response, and the request's log entry when the logger takes it (the default one
 * only the backend's own problems). Its headers are never expected to fail (every value is
 * checked); if they do, the answer becomes a 500 with plain headers, and is still logged.
 * @param {HandlerSettings} settings
 * @param {Request} request
 * @param {Answer} answer
 * @param {string | undefined} corsOrigin
 * @param {Redactor} redactor
 * @param {number} startedAt
 * @returns {Response}
 */
function respond({ logger }, request, answer, corsOrigin, redactor, startedAt) {
  // IVS's error type is passed on: scrub it like every other text that came from elsewhere,
  // and keep it a plain name (it goes into a header line).
  if (answer.errorType) answer.errorType = refusalErrorType(answer.status, redactor.redact(answer.errorType));
  let headers;
  try {
    headers = new Headers({
      'cache-control': 'no-store',
      vary: answer.status === 204 ? 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers' : 'Origin',
      'x-content-type-options': 'nosniff',
      ...(corsOrigin !== undefined && { 'access-control-allow-origin': corsOrigin, 'access-control-expose-headers': 'x-amzn-errortype' }),
      ...answer.headers,
    });
    if (answer.body) headers.set('content-type', 'application/json');
    if (answer.errorType) headers.set('x-amzn-errortype', answer.errorType);
  } catch (error) {
    answer = backendFailed(`could not write the answer's headers: ${describeError(error)}`);
    headers = new Headers({ 'cache-control': 'no-store', 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' });
  }
  const writeLog = logger ?? defaultLogger;
  if (writeLog && (writeLog !== defaultLogger || answer.backendProblem || answer.level === 'error')) {
    /** @type {TokenHandlerLogEntry} */
    const entry = {
      level: answer.level,
      message: redactor.redact(answer.log),
      method: request.method,
      status: answer.status,
      durationMs: Date.now() - startedAt,
    };
    if (answer.errorType) entry.errorType = answer.errorType;
    if (answer.field) entry.field = answer.field;
    try {
      writeLog(entry);
    } catch {
      // A failing logger must not turn an answer into an error.
    }
  }
  const body = answer.status === 200 ? answer.body : redactor.redact(answer.body);
  return new Response(answer.body ? body : null, { status: answer.status, headers });
}

/**
 * Secrets of the credentials used for one request: every outgoing text is scrubbed of them.
 * @param {Redactor} redactor
 * @param {CheckedCredentials} credentials
 */
function rememberCredentials(redactor, credentials) {
  redactor.add(credentials.accessKeyId);
  redactor.add(credentials.secretAccessKey);
  redactor.add(credentials.sessionToken);
}

/**
 * The logger when none is given: the backend's own problems only (never a caller's bad request
 * or a refusal by `authorize`), on one line each. The entry's message is scrubbed already.
 * @param {TokenHandlerLogEntry} entry
 */
function defaultLogger(entry) {
  const type = entry.errorType ? ` ${entry.errorType}` : '';
  console.warn(`ivschat-wasm token handler: answered ${entry.status}${type} to a ${entry.method}: ${entry.message} ` +
    "(createTokenHandler's `logger` option replaces this output; `logger: false` silences it)");
}

/**
 * OPTIONS: a CORS preflight from an allowed origin, or a plain OPTIONS.
 * @param {Request} request
 * @param {string | undefined} corsOrigin an allowed origin other than the handler's own
 * @returns {Answer}
 */
function answerOptions(request, corsOrigin) {
  const preflight = corsOrigin !== undefined && request.headers.has('access-control-request-method');
  /** @type {Record<string, string>} */
  const headers = { allow: ALLOW };
  if (preflight) {
    headers['access-control-allow-methods'] = ALLOW;
    // The origin is allowed and `authorize` checks every POST, so any requested header
    // (typically content-type and authorization) may be sent.
    const requested = request.headers.get('access-control-request-headers');
    if (requested) headers['access-control-allow-headers'] = requested;
    headers['access-control-max-age'] = PREFLIGHT_MAX_AGE_SECONDS;
  }
  return { status: 204, body: '', headers, level: 'info', log: preflight ? 'answered a CORS preflight' : 'answered OPTIONS' };
}

/**
 * @param {string} url
 * @returns {URL | undefined}
 */
function parsedUrl(url) {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
