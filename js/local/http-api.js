// @ts-check
// The local server's HTTP side: the Host and origin checks, the /_local admin routes, CloudWatch
// Logs' operations and the control plane (SigV4-checked); each request answered and logged once.
import { randomUUID } from 'node:crypto';
import { LOGS_CONTENT_TYPE, LOGS_SIGNING_SERVICE, logsOperationName, runLogsOperation } from './cloudwatch-logs.js';
import { operations, parseJsonBody, unknownOperation } from './control-plane.js';
import { ServiceError } from './errors.js';
import { isAllowedHost } from './host-allow-list.js';
import { SignatureError, verifyRequest } from './sigv4.js';

/** Largest control-plane request body accepted. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
const SIGNING_SERVICE = 'ivschat';

/**
 * @typedef {ReturnType<typeof import('./options.js').readLocalOptions>} LocalSettings
 * @typedef {import('./index.js').LocalIvsChatStats} LocalIvsChatStats
 * @typedef {import('./faults.js').Faults} Faults
 *
 * @typedef {object} HttpParts what the HTTP routes use, from the server's parts
 * @property {LocalSettings} settings
 * @property {{ controlPlaneRequests: number, createChatTokenCalls: number }} counters
 * @property {Faults} faults
 * @property {() => LocalIvsChatStats} stats
 * @property {import('./cloudwatch-logs.js').LogStore} logStore
 * @property {Set<import('node:http').ServerResponse>} hungResponses CreateChatToken calls told to hang
 * @property {Parameters<typeof operations.CreateRoom>[1]} context what the control plane's operations act on
 *
 * @typedef {object} Exchange one request and its response
 * @property {import('node:http').IncomingMessage} request
 * @property {import('node:http').ServerResponse} response
 * @property {string} method
 * @property {string} rawTarget the request target, query included (it is signed)
 * @property {string} path
 * @property {(status: number, note?: string) => void} done logs the answer's line
 */

/**
 * The server's `request` listener.
 * @param {HttpParts} parts
 * @returns {(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void}
 */
export function requestListener(parts) {
  return (request, response) => {
    answerRequest(parts, request, response).catch(() => response.destroy());
  };
}

/**
 * @param {HttpParts} parts
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 */
async function answerRequest(parts, request, response) {
  const { settings } = parts;
  const started = Date.now();
  const method = request.method ?? 'GET';
  const rawTarget = request.url ?? '/';
  const path = rawTarget.split('?', 1)[0];
  response.setHeader('x-amzn-RequestId', randomUUID());
  const done = (/** @type {number} */ status, /** @type {string} */ note = '') =>
    settings.logger(`${method} ${path} ${status}${note ? ` ${note}` : ''} ${Date.now() - started}ms`);
  if (!isAllowedHost(request.headers.host, settings.allowedHosts)) {
    refuseHost(response);
    done(421, 'host not allowed');
    return;
  }
  /** @type {Exchange} */
  const exchange = { request, response, method, rawTarget, path, done };
  const isAdminRoute = settings.adminRoutes && path.startsWith('/_local/');
  // CloudWatch Logs calls (awsJson1_1, `X-Amz-Target: Logs_20140328.*`) share the port, signed for `logs`.
  const logsOperation = isAdminRoute ? undefined : logsOperationName(method, request.headers);
  // The admin routes change what every client sees, without a signature: they get no CORS
  // grant at all (a browser page elsewhere can neither read them nor pass a preflight).
  // The control plane grants CORS only to the configured origins (issue 18): a page on
  // another site could otherwise drive it with credentials it knows.
  const grantedOrigin = isAdminRoute ? undefined : configuredOrigin(settings, request);
  if (grantedOrigin !== undefined) setCorsHeaders(request, response, grantedOrigin);
  try {
    if (isAdminRoute) await answerAdminRoute(parts, exchange);
    else await answerApiRoute(parts, exchange, logsOperation, grantedOrigin !== undefined);
  } catch (error) {
    sendFailure(exchange, error, logsOperation !== undefined);
  }
}

/**
 * The /_local routes: refused to browsers of other origins and to preflights, then answered.
 * @param {HttpParts} parts
 * @param {Exchange} exchange
 */
async function answerAdminRoute({ faults, stats }, { request, response, method, path, done }) {
  const refusal = adminRefusal(request, method);
  if (refusal) {
    sendJson(response, 403, { message: refusal }, 'AccessDeniedException');
    done(403, 'admin route refused');
    return;
  }
  // A body is read (and its JSON checked) before the marker check, so a malformed request is a
  // 400 whoever sends it; nothing has happened yet either way.
  const body = await readBody(request);
  const { status, payload } = handleAdminRoute(method, path, body, faults, stats, hasAdminMarker(request));
  sendJson(response, status, payload, status === 403 ? 'AccessDeniedException' : undefined);
  done(status);
}

/**
 * The signed routes: CloudWatch Logs' operations and the control plane's (CreateChatToken with
 * its injected faults).
 * @param {HttpParts} parts
 * @param {Exchange} exchange
 * @param {string | undefined} logsOperation
 * @param {boolean} corsGranted the Origin is one of allowedOrigins
 */
async function answerApiRoute({ settings, counters, faults, logStore, hungResponses, context }, exchange, logsOperation, corsGranted) {
  const { request, response, method, rawTarget, path, done } = exchange;
  if (!corsGranted) {
    const refusal = crossSiteRefusal(request, 'The control plane refuses');
    if (refusal) {
      sendJson(response, 403, { message: `${refusal} Pages of an origin listed in the allowedOrigins option may call it.` }, 'AccessDeniedException');
      done(403, 'cross-site request refused');
      return;
    }
  }
  if (method === 'OPTIONS') {
    response.writeHead(204).end();
    done(204);
    return;
  }
  counters.controlPlaneRequests += 1;
  const isCreateChatToken = method === 'POST' && path === '/CreateChatToken';
  if (isCreateChatToken) counters.createChatTokenCalls += 1;
  const body = await readBody(request);
  verifyRequest({
    method,
    rawTarget,
    headers: /** @type {Record<string, string[]>} */ (request.headersDistinct),
    body,
    credentials: settings.credentials,
    region: settings.region,
    service: logsOperation === undefined ? SIGNING_SERVICE : LOGS_SIGNING_SERVICE,
    nowMs: Date.now(),
  });
  if (logsOperation !== undefined) {
    sendJson(response, 200, runLogsOperation(logsOperation, parseJsonBody(body), logStore), undefined, LOGS_CONTENT_TYPE);
    done(200);
    return;
  }
  const operationName = path.slice(1);
  const operation = method === 'POST' && Object.hasOwn(operations, operationName) ? operations[operationName] : undefined;
  if (!operation) throw unknownOperation(method, path);
  if (isCreateChatToken) {
    const failure = faults.takeCreateChatTokenFailure();
    if (failure?.hang) {
      hungResponses.add(response);
      response.on('close', () => hungResponses.delete(response));
      done(0, 'hanging (injected fault)');
      return;
    }
    if (failure) throw new ServiceError(failure.status, failure.errorType, failure.message);
  }
  const result = operation(parseJsonBody(body), context);
  if (result.status === 204) response.writeHead(204).end();
  else sendJson(response, result.status, result.body ?? {});
  done(result.status);
}

/**
 * A route's error as the service answers it (in the Logs protocol's shape for a Logs
 * operation), or a 500 for anything unexpected.
 * @param {Exchange} exchange
 * @param {unknown} error
 * @param {boolean} isLogsOperation
 */
function sendFailure({ response, done }, error, isLogsOperation) {
  if (error instanceof ServiceError || error instanceof SignatureError) {
    const payload = error instanceof ServiceError ? error.body() : { message: error.message };
    if (isLogsOperation) sendJson(response, error.status, { __type: error.type, ...payload }, error.type, LOGS_CONTENT_TYPE);
    else sendJson(response, error.status, payload, error.type);
    done(error.status, error.type);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  sendJson(response, 500, { message: `Internal error in the local IVS Chat server: ${message}` }, 'InternalServerException');
  done(500, 'InternalServerException');
}

/**
 * Why an admin request is refused before anything else is looked at, or undefined: any
 * browser request from another origin or site (see crossSiteRefusal; allowedOrigins does not
 * apply here), and every preflight.
 * @param {import('node:http').IncomingMessage} request
 * @param {string} method
 */
function adminRefusal(request, method) {
  const refusal = crossSiteRefusal(request, 'The /_local admin routes refuse');
  if (refusal) return refusal;
  if (method === 'OPTIONS') {
    return 'The /_local admin routes grant no CORS preflight: call them from a test or a script, not from a web page.';
  }
  return undefined;
}

/**
 * The request's Origin when it is one of `allowedOrigins` (it gets a CORS grant), else undefined.
 * @param {LocalSettings} settings
 * @param {import('node:http').IncomingMessage} request
 */
function configuredOrigin(settings, request) {
  const origin = request.headers.origin;
  return origin !== undefined && settings.allowedOrigins.has(origin) ? origin : undefined;
}

/**
 * Why a browser request from another origin or site is refused, or undefined. A browser marks
 * what it sends: an `Origin` on every cross-origin fetch and form POST, and `Sec-Fetch-Site` on
 * every request in current browsers; the only origin allowed here is this server's own (which
 * serves no pages). Scripts and SDKs send neither header (Node's fetch sends no Sec-Fetch-Site).
 * @param {import('node:http').IncomingMessage} request
 * @param {string} refused the start of the message: which routes refuse
 */
function crossSiteRefusal(request, refused) {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${request.headers.host}`) {
    return `${refused} requests from other origins (got Origin ${JSON.stringify(origin.slice(0, 200))}).`;
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `${refused} browser requests from other sites (Sec-Fetch-Site: ${JSON.stringify(site.slice(0, 40))}).`;
  }
  return undefined;
}

export const HOST_REFUSAL = 'Misdirected request: this local IVS Chat server does not answer for that host name (see the allowedHosts option).';

/**
 * 421 for a Host this server does not answer for (RFC 9110: the request was sent to a server
 * that is not able to produce a response for it), as short text.
 * @param {import('node:http').ServerResponse} response
 */
function refuseHost(response) {
  response.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(HOST_REFUSAL) }).end(HOST_REFUSAL);
}

/**
 * Whether an admin request carries what a browser page cannot send without a CORS preflight
 * (which the admin routes never grant): the `x-ivschat-local: 1` header, or a JSON body type
 * (`application/json` is not one of the three media types a form or a simple fetch may use).
 * @param {import('node:http').IncomingMessage} request
 */
function hasAdminMarker(request) {
  if (request.headers['x-ivschat-local'] === '1') return true;
  const mediaType = (request.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();
  return mediaType === 'application/json';
}

/**
 * Reads the whole body, refusing more than {@link MAX_REQUEST_BODY_BYTES}.
 * @param {import('node:http').IncomingMessage} request
 * @returns {Promise<Buffer>}
 */
async function readBody(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY_BYTES) {
      throw new ServiceError(413, 'RequestEntityTooLargeException', `Request body exceeds ${MAX_REQUEST_BODY_BYTES} bytes.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * @param {import('node:http').ServerResponse} response
 * @param {number} status
 * @param {unknown} payload
 * @param {string} [errorType] sets `X-Amzn-ErrorType`
 * @param {string} [contentType] default `application/json`
 */
function sendJson(response, status, payload, errorType, contentType = 'application/json') {
  if (response.headersSent || response.destroyed) return;
  const body = JSON.stringify(payload);
  /** @type {Record<string, string | number>} */
  const headers = { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) };
  if (errorType) headers['X-Amzn-ErrorType'] = errorType;
  response.writeHead(status, headers).end(body);
}

/**
 * Lets pages of a configured origin (`allowedOrigins`) call the control plane directly; the real
 * service's CORS policy is not modelled. The grant names that origin, never `*`.
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 * @param {string} origin one of `allowedOrigins`
 */
function setCorsHeaders(request, response, origin) {
  response.setHeader('Access-Control-Allow-Origin', origin);
  response.setHeader('Vary', 'Origin');
  response.setHeader('Access-Control-Expose-Headers', 'x-amzn-errortype, x-amzn-requestid');
  if (request.method === 'OPTIONS') {
    response.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
    const asked = request.headers['access-control-request-headers'];
    response.setHeader('Access-Control-Allow-Headers', asked ?? 'authorization, content-type, x-amz-date, x-amz-security-token');
    response.setHeader('Access-Control-Max-Age', '600');
  }
}

/**
 * `GET /_local/stats` and `POST /_local/faults/<name>` (JSON body with the named arguments).
 * Faults need `marked` (see {@link hasAdminMarker}): a text/plain or form POST, which a page on
 * any site can send without asking, changes nothing. Stats only read, and no other origin can
 * read them (no CORS grant, foreign origins refused, Host checked).
 * @param {string} method
 * @param {string} path
 * @param {Buffer} rawBody
 * @param {Faults} faults
 * @param {() => LocalIvsChatStats} stats
 * @param {boolean} marked
 * @returns {{ status: number, payload: Record<string, unknown> }}
 */
function handleAdminRoute(method, path, rawBody, faults, stats, marked) {
  if (path === '/_local/stats') {
    return method === 'GET'
      ? { status: 200, payload: { ...stats() } }
      : { status: 405, payload: { message: 'Use GET /_local/stats' } };
  }
  const faultName = path.startsWith('/_local/faults/') ? path.slice('/_local/faults/'.length) : undefined;
  if (faultName === undefined) return { status: 404, payload: { message: `No local admin route ${path}` } };
  if (method !== 'POST') return { status: 405, payload: { message: `Use POST ${path}` } };
  /** @type {Record<string, any>} */
  let args;
  try {
    args = rawBody.length === 0 ? {} : JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { status: 400, payload: { message: 'The body must be JSON' } };
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    return { status: 400, payload: { message: 'The body must be a JSON object' } };
  }
  if (!marked) {
    return {
      status: 403,
      payload: { message: 'Fault routes need the header x-ivschat-local: 1 (or Content-Type: application/json), which a web page cannot send without a CORS preflight.' },
    };
  }
  try {
    switch (faultName) {
      case 'dropConnections':
        return { status: 200, payload: { count: faults.dropConnections({ userId: args.userId, roomIdentifier: args.roomIdentifier }) } };
      case 'delayFrames':
        faults.delayFrames(args.ms);
        return { status: 200, payload: {} };
      case 'stall':
        faults.stall(args.stalled);
        return { status: 200, payload: {} };
      case 'injectFrame':
        return {
          status: 200,
          payload: { count: faults.injectFrame(args.text, { userId: args.userId, roomIdentifier: args.roomIdentifier }) },
        };
      case 'failCreateChatToken':
        faults.failCreateChatToken(args);
        return { status: 200, payload: {} };
      case 'delayLogDelivery':
        faults.delayLogDelivery(args.ms);
        return { status: 200, payload: {} };
      case 'releaseLogDelivery':
        return { status: 200, payload: { count: faults.releaseLogDelivery() } };
      case 'setLoggingConfigurationState':
        faults.setLoggingConfigurationState(args.arn, args.state);
        return { status: 200, payload: {} };
      case 'reset':
        faults.reset();
        return { status: 200, payload: {} };
      default:
        return {
          status: 404,
          payload: {
            message: `Unknown fault '${faultName}': use dropConnections, delayFrames, stall, injectFrame, failCreateChatToken, delayLogDelivery, releaseLogDelivery, setLoggingConfigurationState or reset`,
          },
        };
    }
  } catch (error) {
    return { status: 400, payload: { message: error instanceof Error ? error.message : String(error) } };
  }
}
