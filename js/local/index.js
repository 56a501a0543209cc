// @ts-check
/**
 * Local Amazon IVS Chat: the control plane (rest-json over HTTP, SigV4-checked) and the
 * messaging API (WebSocket) on one loopback port, plus fault controls for tests.
 *
 * ```js
 * import { startLocalIvsChat } from 'ivschat-wasm/local';
 * const server = await startLocalIvsChat();            // 127.0.0.1, random port
 * const room = await server.createRoom({ name: 'demo' });
 * // ... point IvschatClient at server.controlPlaneUrl, the chat client at server.messagingUrl
 * await server.close();
 * ```
 * @module
 */
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LOGS_CONTENT_TYPE, LOGS_SIGNING_SERVICE, LogStore, logsOperationName, runLogsOperation } from './cloudwatch-logs.js';
import { operations, parseJsonBody, unknownOperation } from './control-plane.js';
import { ServiceError } from './errors.js';
import { Faults } from './faults.js';
import { isAllowedHost } from './host-allow-list.js';
import { LogDelivery } from './log-delivery.js';
import { LoggingConfigurations } from './logging.js';
import { loadWs } from './load-ws.js';
import { MessagingHub } from './messaging.js';
import { readLocalOptions } from './options.js';
import { LambdaFunctions } from './review.js';
import { ChatState, describeRoom } from './state.js';
import { SignatureError, verifyRequest } from './sigv4.js';

export { AWS_LOG_DELIVERY_DELAYS_MS } from './log-delivery.js';
// The server's Host check, for an app's own loopback server beside it (the web demo's).
export { hostAllowList, isAllowedHost } from './host-allow-list.js';
export { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, DEFAULT_TOKEN_LIFETIME_SECONDS } from './options.js';
/** Largest control-plane request body accepted. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
const SIGNING_SERVICE = 'ivschat';

/**
 * @typedef {object} LocalCredentials
 * @property {string} accessKeyId
 * @property {string} secretAccessKey
 * @property {string} [sessionToken] when set, requests must carry it as `x-amz-security-token`
 */

/**
 * @typedef {object} LocalIvsChatOptions
 * @property {string} [host] interface to bind, default `127.0.0.1`
 * @property {number} [port] TCP port, default 0 (a free port is picked)
 * @property {LocalCredentials} [credentials] the one identity accepted; default: random credentials made
 *   for this start (read them from `server.credentials`), so no page or program that has not been
 *   given them can sign a request
 * @property {string} [region] region of the credential scope and of room ARNs, default `us-east-1`
 * @property {string} [accountId] 12-digit account in room ARNs, default `123456789012`
 * @property {number} [tokenLifetimeSeconds] chat-token lifetime in service seconds, default 300
 * @property {number} [timeScale] service time runs this many times faster than real time for
 *   token lifetimes and session durations, default 1
 * @property {boolean} [adminRoutes] serve `/_local/*` (faults and stats), default true
 * @property {Record<string, import('./review.js').LambdaFunction>} [lambdas] Lambda ARN -> function, the review handlers rooms may name
 * @property {string[]} [allowedHosts] host names (no port) the server answers for besides the
 *   loopback names (`localhost`, `127.0.0.1`, `[::1]`) and the bound host; any other `Host`
 *   header is refused with 421, so a DNS-rebinding page cannot reach the server
 * @property {string[]} [allowedOrigins] browser origins (`http://localhost:5173`: scheme, host and
 *   port) whose pages may call the control plane directly: they get a CORS grant for their own
 *   origin. Every other `Origin`, and every request marked `Sec-Fetch-Site: cross-site` or
 *   `same-site`, is refused with 403 on every HTTP route. Default none: scripts, SDKs and
 *   servers (which send no `Origin`) are all that is served.
 * @property {(line: string) => void} [logger] receives one line per request / connection; never
 *   tokens, keys or signatures. Default: silent.
 * @property {number | { s3?: number, cloudWatchLogs?: number, firehose?: number }} [logDeliveryDelayMs]
 *   chat logs reach their destinations this long after the message or event, for every destination
 *   or by destination (AWS averages 10 s for CloudWatch Logs and Firehose, 5 min for S3:
 *   AWS_LOG_DELIVERY_DELAYS_MS), default 0
 * @property {string} [logFolder] S3 chat-log files are written under `{logFolder}/{bucketName}/{key}`;
 *   default none (S3 deliveries are only listed by `logDeliveries()`)
 */

/**
 * @typedef {object} LocalIvsChatStats
 * @property {number} createChatTokenCalls every `POST /CreateChatToken` received, whatever its outcome
 * @property {number} tokensIssued tokens actually issued
 * @property {number} controlPlaneRequests every control-plane request (not admin routes)
 * @property {number} connectionsOpened WebSocket connections accepted since start
 * @property {number} connectionsRefused WebSocket upgrades refused (bad, used or expired token, ...)
 * @property {number} openConnections WebSocket connections open now
 * @property {number} messagesSent MESSAGE broadcasts
 * @property {number} messagesReviewed messages given to a room's review handler
 * @property {number} eventsSent EVENT broadcasts
 * @property {number} errorsSent ERROR frames sent
 * @property {number} rooms rooms that exist now
 * @property {number} logRecordsPending chat-log records waiting for the delivery delay
 * @property {number} logRecordsDelivered chat-log records delivered (one per destination)
 */

/**
 * Starts the local IVS Chat server. Resolves once it listens.
 * @param {LocalIvsChatOptions} [options]
 */
export async function startLocalIvsChat(options = {}) {
  const settings = readLocalOptions(options);
  const log = settings.logger;
  const state = new ChatState({
    region: settings.region,
    accountId: settings.accountId,
    tokenLifetimeMs: Math.round((settings.tokenLifetimeSeconds * 1000) / settings.timeScale),
    timeScale: settings.timeScale,
  });
  const counters = {
    createChatTokenCalls: 0,
    controlPlaneRequests: 0,
    connectionsOpened: 0,
    connectionsRefused: 0,
    messagesSent: 0,
    messagesReviewed: 0,
    eventsSent: 0,
    errorsSent: 0,
  };
  /** @type {import('./messaging.js').OutboundControl} */
  const outbound = { delayMs: 0, stalled: false };
  const lambdas = new LambdaFunctions();
  for (const [arn, fn] of Object.entries(settings.lambdas)) lambdas.set(arn, fn);
  const logStore = new LogStore({ region: settings.region, accountId: settings.accountId });
  const logging = new LoggingConfigurations({
    region: settings.region,
    accountId: settings.accountId,
    // A configuration's log group exists from then on (the group is the app's, made out of band at AWS).
    onDestination: (destination) => {
      if ('cloudWatchLogs' in destination) logStore.ensureGroup(destination.cloudWatchLogs.logGroupName);
    },
  });
  const logDelivery = new LogDelivery({ state, logging, store: logStore, delays: settings.logDeliveryDelayMs, folder: settings.logFolder, log });
  const { WebSocketServer } = await loadWs();
  const hub = new MessagingHub({ state, outbound, stats: counters, log, lambdas, onBroadcast: (room, text, frame) => logDelivery.record(room, text, frame), WebSocketServer });
  /** @type {Set<import('node:http').ServerResponse>} CreateChatToken calls told to hang */
  const hungResponses = new Set();
  const faults = new Faults({
    hub,
    outbound,
    releaseHungRequests: () => {
      for (const response of hungResponses) response.socket?.destroy();
      hungResponses.clear();
    },
    logDelivery,
    logging,
  });
  const context = { state, hub, logging };

  /** @returns {LocalIvsChatStats} */
  const stats = () => ({
    createChatTokenCalls: counters.createChatTokenCalls,
    tokensIssued: state.tokensIssued,
    controlPlaneRequests: counters.controlPlaneRequests,
    connectionsOpened: counters.connectionsOpened,
    connectionsRefused: counters.connectionsRefused,
    openConnections: hub.openConnectionCount,
    messagesSent: counters.messagesSent,
    messagesReviewed: counters.messagesReviewed,
    eventsSent: counters.eventsSent,
    errorsSent: counters.errorsSent,
    rooms: state.rooms.size,
    logRecordsPending: logDelivery.pendingCount,
    logRecordsDelivered: logDelivery.delivered,
  });

  /**
   * @param {import('node:http').IncomingMessage} request
   * @param {import('node:http').ServerResponse} response
   */
  async function onRequest(request, response) {
    const started = Date.now();
    const method = request.method ?? 'GET';
    const rawTarget = request.url ?? '/';
    const path = rawTarget.split('?', 1)[0];
    response.setHeader('x-amzn-RequestId', randomUUID());
    const done = (/** @type {number} */ status, /** @type {string} */ note = '') =>
      log(`${method} ${path} ${status}${note ? ` ${note}` : ''} ${Date.now() - started}ms`);
    if (!isAllowed(request.headers.host)) {
      refuseHost(response);
      done(421, 'host not allowed');
      return;
    }
    const isAdminRoute = settings.adminRoutes && path.startsWith('/_local/');
    // CloudWatch Logs calls (awsJson1_1, `X-Amz-Target: Logs_20140328.*`) share the port, signed for `logs`.
    const logsOperation = isAdminRoute ? undefined : logsOperationName(method, request.headers);
    // The admin routes change what every client sees, without a signature: they get no CORS
    // grant at all (a browser page elsewhere can neither read them nor pass a preflight).
    // The control plane grants CORS only to the configured origins (issue 18): a page on
    // another site could otherwise drive it with credentials it knows.
    const grantedOrigin = isAdminRoute ? undefined : configuredOrigin(request);
    if (grantedOrigin !== undefined) setCorsHeaders(request, response, grantedOrigin);
    try {
      if (!isAdminRoute && grantedOrigin === undefined) {
        const refusal = crossSiteRefusal(request, 'The control plane refuses');
        if (refusal) {
          sendJson(response, 403, { message: `${refusal} Pages of an origin listed in the allowedOrigins option may call it.` }, 'AccessDeniedException');
          done(403, 'cross-site request refused');
          return;
        }
      }
      if (isAdminRoute) {
        const refusal = adminRefusal(request, method);
        if (refusal) {
          sendJson(response, 403, { message: refusal }, 'AccessDeniedException');
          done(403, 'admin route refused');
          return;
        }
        // A body is read (and its JSON checked) before the marker check below, so a malformed
        // request is a 400 whoever sends it; nothing has happened yet either way.
        const body = await readBody(request);
        const { status, payload } = handleAdminRoute(method, path, body, faults, stats, hasAdminMarker(request));
        sendJson(response, status, payload, status === 403 ? 'AccessDeniedException' : undefined);
        done(status);
        return;
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
    } catch (error) {
      if (error instanceof ServiceError || error instanceof SignatureError) {
        const payload = error instanceof ServiceError ? error.body() : { message: error.message };
        if (logsOperation !== undefined) {
          sendJson(response, error.status, { __type: error.type, ...payload }, error.type, LOGS_CONTENT_TYPE);
          done(error.status, error.type);
          return;
        }
        sendJson(response, error.status, payload, error.type);
        done(error.status, error.type);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      sendJson(response, 500, { message: `Internal error in the local IVS Chat server: ${message}` }, 'InternalServerException');
      done(500, 'InternalServerException');
    }
  }

  /** Whether this server answers for a Host header (see host-allow-list.js). */
  const isAllowed = (/** @type {string | undefined} */ host) => isAllowedHost(host, settings.allowedHosts);

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
   * @param {import('node:http').IncomingMessage} request
   */
  function configuredOrigin(request) {
    const origin = request.headers.origin;
    return origin !== undefined && settings.allowedOrigins.has(origin) ? origin : undefined;
  }

  const server = createServer((request, response) => {
    onRequest(request, response).catch(() => response.destroy());
  });
  server.on('upgrade', (request, socket, head) => {
    if (!isAllowed(request.headers.host)) {
      socket.on('error', () => {});
      counters.connectionsRefused += 1;
      log('ws refused 421 host not allowed');
      socket.end(`HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${HOST_REFUSAL.length}\r\n\r\n${HOST_REFUSAL}`);
      return;
    }
    hub.handleUpgrade(request, socket, head);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const urlHost = urlHostFor(settings.host);
  const port = address.port;

  let closing;
  return {
    /** `http://host:port`: the endpoint for IvschatClient. */
    controlPlaneUrl: `http://${urlHost}:${port}`,
    /** `ws://host:port`: the chat client's WebSocket URL (token as the subprotocol). */
    messagingUrl: `ws://${urlHost}:${port}`,
    host: settings.host,
    port,
    region: settings.region,
    accountId: settings.accountId,
    tokenLifetimeSeconds: settings.tokenLifetimeSeconds,
    timeScale: settings.timeScale,
    /** The credentials requests must be signed with. */
    credentials: { ...settings.credentials },
    /**
     * Creates a room without going through HTTP; same checks and result as CreateRoom.
     * @param {import('./state.js').RoomSettings} [roomOptions]
     */
    async createRoom(roomOptions = {}) {
      return /** @type {ReturnType<typeof describeRoom> & { arn: string, id: string, name: string, maximumMessageLength: number, maximumMessageRatePerSecond: number }} */ (
        operations.CreateRoom({ ...roomOptions }, context).body
      );
    },
    faults,
    stats,
    /**
     * Registers the function behind a Lambda ARN (undefined removes it): a room whose
     * messageReviewHandler.uri is that ARN has every message reviewed by it, as IVS would.
     * @param {string} arn
     * @param {import('./review.js').LambdaFunction | undefined} fn
     */
    setLambda(arn, fn) {
      lambdas.set(arn, fn);
    },
    /** What chat logging delivered, one entry per batch (S3 keys and files, Firehose records, ...). */
    logDeliveries() {
      return logDelivery.deliveries();
    },
    /** Closes every socket, timer and the listener; safe to call more than once. */
    close() {
      closing ??= (async () => {
        faults.releaseHungRequests();
        await hub.close();
        logDelivery.close();
        await new Promise((resolve) => {
          server.close(() => resolve(undefined));
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
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

const HOST_REFUSAL = 'Misdirected request: this local IVS Chat server does not answer for that host name (see the allowedHosts option).';


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
 * A host usable in a URL that reaches the bound interface (wildcards become loopback).
 * @param {string} host
 */
function urlHostFor(host) {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
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
