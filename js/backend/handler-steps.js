// @ts-check
// The steps every fetch handler of the backend shares (the token handler, handler.js; the
// history handler, history-handler.js): who calls (the host allow-list against DNS rebinding, the
// origin allow-list and CORS), the whole request within requestTimeoutMs, the app's `authorize`
// within authorizeTimeoutMs, and the Response with its one log entry, scrubbed of secrets. Each
// handler names itself in its answers and log lines through its HandlerWords.
import { Deadline } from '../deadline.js';
import { InvalidOptionError } from '../errors.js';
import { originSet } from '../option-table.js';
import { Redactor } from '../redact.js';
import { hostAllowList, hostNameOf } from '../local/host-allow-list.js';
import { rememberCredentials } from './credential-options.js';
import { ChatTokenSigningError, isRefusalStatus, refusalErrorType, TokenHandlerError } from './errors.js';
import { kindOf } from './sign.js';

/**
 * @typedef {import('./sign.js').CheckedCredentials} CheckedCredentials
 * @typedef {import('../option-table.js').OptionContext} OptionContext
 * @typedef {'info' | 'warn' | 'error'} LogLevel
 * @typedef {{ level: LogLevel, message: string, method: string, status: number, durationMs: number,
 *   errorType?: string, field?: string }} HandlerLogEntry
 * @typedef {(request: Request, body: Record<string, unknown>) => unknown} AuthorizeHook
 */

/**
 * How a handler names itself.
 * @typedef {object} HandlerWords
 * @property {string} owner the function that made it, e.g. `createTokenHandler`
 * @property {string} backend what it is, e.g. `token backend`
 * @property {string} originRefused the answer to an origin it does not serve
 * @property {string} refused the answer when `authorize` refuses
 * @property {string} parameters what `authorize` returns, e.g. `the CreateChatToken parameters object`
 * @property {(entry: HandlerLogEntry) => void} log the default logger (the backend's own problems)
 */

/**
 * What the handler needs of its settings here.
 * @typedef {object} StepSettings
 * @property {(hostname: string) => boolean} allowedHosts
 * @property {(origin: string, request: Request) => boolean} allowedOrigins
 * @property {((entry: HandlerLogEntry) => void) | false | undefined} logger
 * @property {number} requestTimeoutMs
 * @property {CheckedCredentials | undefined} credentials
 */

/**
 * One answer of a handler, before it becomes a Response.
 * @typedef {object} Answer
 * @property {number} status
 * @property {string} body '' for no body
 * @property {string} [errorType] X-Amzn-ErrorType
 * @property {Record<string, string>} [headers] extra headers (cache-control replaces no-store)
 * @property {LogLevel} level
 * @property {string} log what happened, for the logger (never secrets; scrubbed anyway)
 * @property {string} [field]
 * @property {boolean} [backendProblem] the default logger writes it (the backend's own problem,
 *   which the caller's answer does not explain)
 */

const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * A handler's words, with its default logger: one line per answer about the backend's own
 * problems (never a caller's bad request or a refusal by `authorize`). The entry's message is
 * scrubbed already.
 * @param {Omit<HandlerWords, 'log'>} words
 * @returns {HandlerWords}
 */
export function handlerWords(words) {
  const name = `ivschat-wasm ${words.backend.replace(/ backend$/, '')} handler`;
  return {
    ...words,
    log(entry) {
      const type = entry.errorType ? ` ${entry.errorType}` : '';
      console.warn(`${name}: answered ${entry.status}${type} to a ${entry.method}: ${entry.message} ` +
        `(${words.owner}'s \`logger\` option replaces this output; \`logger: false\` silences it)`);
    },
  };
}

/**
 * An AWS-shaped error answer: `X-Amzn-ErrorType` plus a JSON body with `message`, which is
 * what the browser's `createChatToken` reads into `ChatTokenRequestError`.
 * @param {number} status
 * @param {string} errorType
 * @param {string} message sent to the caller
 * @param {{ level?: LogLevel, log?: string, field?: string, headers?: Record<string, string>, extra?: Record<string, unknown> }} [details]
 * @returns {Answer}
 */
export function errorAnswer(status, errorType, message, details = {}) {
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
 * @param {HandlerWords} words
 * @param {string} log
 */
export function backendFailed(words, log) {
  return errorAnswer(500, 'InternalServerException', `The ${words.backend} failed.`, { log });
}

/**
 * @param {unknown} error
 * @returns {string}
 */
export function describeError(error) {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `a thrown ${kindOf(error)}`;
}

/**
 * The allowedOrigins option.
 * @param {unknown} allowedOrigins
 * @returns {(origin: string, request: Request) => boolean}
 */
export function originPolicy(allowedOrigins) {
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
 * The allowedHosts option: which host names the handler answers for (DNS rebinding: a page on
 * rebind.evil.example whose name resolves to the handler's address sends Host and Origin both
 * rebind.evil.example, and so would pass for same-origin). Loopback always; the configured
 * names; or any with '*'.
 * @param {unknown} allowedHosts
 * @returns {(hostname: string) => boolean} takes `URL.hostname`
 */
export function hostPolicy(allowedHosts) {
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
export const configured = (read) => (value, context) => {
  try {
    return read(value, context);
  } catch (error) {
    if (error instanceof ChatTokenSigningError) throw new InvalidOptionError(error.field, error.message);
    throw error;
  }
};

/**
 * What an error thrown by `authorize` answers, when it is a refusal: a TokenHandlerError (its
 * status, type and message, read again now: its fields may have been changed since it was
 * made), or any error with a numeric `status` or `statusCode` from 400 to 599 (the convention of
 * http-errors and Hono's HTTPException), with a generic message unless it is marked `expose`.
 * @param {unknown} error
 * @param {HandlerWords} words
 * @returns {Answer | undefined}
 */
function refusalAnswer(error, words) {
  if (error === null || typeof error !== 'object') return undefined;
  const fields = /** @type {{ status?: unknown, statusCode?: unknown, errorType?: unknown, message?: unknown, expose?: unknown }} */ (error);
  const status = fields.status ?? fields.statusCode;
  if (!isRefusalStatus(status)) return undefined;
  const own = error instanceof TokenHandlerError || fields.expose === true;
  const message = own && typeof fields.message === 'string' ? fields.message : status >= 500 ? `The ${words.backend} cannot answer now.` : words.refused;
  const errorType = refusalErrorType(status, error instanceof TokenHandlerError ? fields.errorType : undefined);
  return errorAnswer(status, errorType, message, { level: status >= 500 ? 'error' : 'warn', log: `authorize refused the caller (${status} ${errorType}): ${String(fields.message)}` });
}

/**
 * A step's early answer: the pipeline stops, and this is the request's answer.
 * (Thrown, so that each step of a request reads as one line.)
 */
export class EarlyAnswer {
  /** @param {Answer} answer */
  constructor(answer) {
    this.answer = answer;
  }
}

/**
 * The EarlyAnswer of an error answer, to throw.
 * @param {Parameters<typeof errorAnswer>} args
 */
export const stopWith = (...args) => new EarlyAnswer(errorAnswer(...args));

/**
 * One request: who calls (host, origin, CORS), then `answerFor`'s answer, then the Response and
 * its log entry.
 * @template {StepSettings} Settings
 * @param {Settings} settings
 * @param {HandlerWords} words
 * @param {Request} request
 * @param {(settings: Settings, request: Request, corsOrigin: string | undefined, redactor: Redactor) => Promise<Answer>} answerFor
 * @returns {Promise<Response>}
 */
export async function serve(settings, words, request, answerFor) {
  const startedAt = Date.now();
  /** Secrets seen while answering this request; every outgoing text is scrubbed of them. */
  const redactor = new Redactor();
  if (settings.credentials) rememberCredentials(redactor, settings.credentials);
  const caller = admitCaller(settings, words, request);
  /** @type {Answer} */
  let answer;
  try {
    answer = caller.refusal ?? await answerFor(settings, request, caller.corsOrigin, redactor);
  } catch (error) {
    answer = error instanceof EarlyAnswer ? error.answer : backendFailed(words, `unexpected ${describeError(error)}`);
  }
  return respond(settings, words, request, answer, caller.corsOrigin, redactor, startedAt);
}

/**
 * Whether the handler serves the request's host name and origin (DNS rebinding, the origin allow-list).
 * @param {StepSettings} settings
 * @param {HandlerWords} words
 * @param {Request} request
 * @returns {{ refusal?: Answer, corsOrigin?: string }} the answer to a host or an origin the
 *   handler does not serve; an allowed origin other than the handler's own (CORS)
 */
function admitCaller(settings, words, request) {
  const url = parsedUrl(request.url);
  const hostname = url?.hostname;
  if (hostname === undefined || !settings.allowedHosts(hostname)) {
    const named = JSON.stringify((hostname ?? '').slice(0, 100));
    // A DNS-rebinding page, or a deployed handler whose public name is not configured.
    return { refusal: errorAnswer(421, 'MisdirectedRequestException', `This ${words.backend} does not answer for the host name ${named}: add it to ${words.owner}'s allowedHosts option.`) };
  }
  const origin = request.headers.get('origin');
  if (origin === null || origin === url?.origin) return {};
  if (settings.allowedOrigins(origin, request)) return { corsOrigin: origin };
  return { refusal: errorAnswer(403, 'AccessDeniedException', words.originRefused, { log: `refused origin ${origin}` }) };
}

/**
 * `answer` within requestTimeoutMs, else a 503.
 * @param {StepSettings} settings
 * @param {HandlerWords} words
 * @param {Promise<Answer>} answer
 * @returns {Promise<Answer>}
 */
export function within({ requestTimeoutMs }, words, answer) {
  const deadline = new Deadline(requestTimeoutMs);
  return deadline.race(answer).catch((error) => {
    if (!deadline.expired) throw error;
    return errorAnswer(503, 'ServiceUnavailableException', `The ${words.backend} cannot answer now.`, { log: `the request took longer than ${requestTimeoutMs} ms` });
  });
}

/**
 * The app's `authorize`, within authorizeTimeoutMs: what this caller may have (an object), or
 * an EarlyAnswer when it refuses, fails or is late.
 * @param {{ authorize: AuthorizeHook, authorizeTimeoutMs: number }} settings
 * @param {HandlerWords} words
 * @param {Request} request
 * @param {Record<string, unknown>} input the request's body (or its query)
 * @returns {Promise<object>}
 */
export async function authorizeCaller({ authorize, authorizeTimeoutMs }, words, request, input) {
  let parameters;
  const authorizing = new Deadline(authorizeTimeoutMs);
  try {
    parameters = await authorizing.race(Promise.resolve().then(() => authorize(request, input)));
  } catch (error) {
    if (authorizing.expired) {
      throw stopWith(503, 'ServiceUnavailableException', `The ${words.backend} cannot answer now.`, { log: `authorize did not answer within ${authorizeTimeoutMs} ms` });
    }
    throw new EarlyAnswer(refusalAnswer(error, words) ?? backendFailed(words, `authorize threw ${describeError(error)}`));
  }
  if (parameters === null || parameters === undefined || parameters === false) {
    throw stopWith(403, 'AccessDeniedException', words.refused, { log: 'authorize refused the caller (returned no parameters)' });
  }
  if (typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw new EarlyAnswer(backendFailed(words, `authorize returned ${kindOf(parameters)}; it must return ${words.parameters}, or null to refuse`));
  }
  return parameters;
}

/**
 * The Response, and the request's log entry when the logger takes it (the default one only the
 * backend's own problems). Its headers are never expected to fail (every value is checked); if
 * they do, the answer becomes a 500 with plain headers, and is still logged.
 * @param {StepSettings} settings
 * @param {HandlerWords} words
 * @param {Request} request
 * @param {Answer} answer
 * @param {string | undefined} corsOrigin
 * @param {Redactor} redactor
 * @param {number} startedAt
 * @returns {Response}
 */
function respond({ logger }, words, request, answer, corsOrigin, redactor, startedAt) {
  // An AWS error type is passed on: scrub it like every other text that came from elsewhere,
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
    answer = backendFailed(words, `could not write the answer's headers: ${describeError(error)}`);
    headers = new Headers({ 'cache-control': 'no-store', 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' });
  }
  const writeLog = logger ?? words.log;
  if (writeLog && (writeLog !== words.log || answer.backendProblem || answer.level === 'error')) {
    /** @type {HandlerLogEntry} */
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
 * OPTIONS: a CORS preflight from an allowed origin, or a plain OPTIONS.
 * @param {Request} request
 * @param {string | undefined} corsOrigin an allowed origin other than the handler's own
 * @param {string} allow the methods, e.g. `POST, OPTIONS`
 * @returns {Answer}
 */
export function answerOptions(request, corsOrigin, allow) {
  const preflight = corsOrigin !== undefined && request.headers.has('access-control-request-method');
  /** @type {Record<string, string>} */
  const headers = { allow };
  if (preflight) {
    headers['access-control-allow-methods'] = allow;
    // The origin is allowed and `authorize` checks every request, so any requested header
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
