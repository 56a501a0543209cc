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
import { LogStore } from './cloudwatch-logs.js';
import { operations } from './control-plane.js';
import { Faults } from './faults.js';
import { HOST_REFUSAL, requestListener } from './http-api.js';
import { isAllowedHost } from './host-allow-list.js';
import { LogDelivery } from './log-delivery.js';
import { LoggingConfigurations } from './logging.js';
import { loadWs } from './load-ws.js';
import { MessagingHub } from './messaging.js';
import { readLocalOptions } from './options.js';
import { LambdaFunctions } from './review.js';
import { ChatState, describeRoom } from './state.js';

export { AWS_LOG_DELIVERY_DELAYS_MS } from './log-delivery.js';
// The server's Host check, for an app's own loopback server beside it (the web demo's).
export { hostAllowList, isAllowedHost } from './host-allow-list.js';
export { MAX_REQUEST_BODY_BYTES } from './http-api.js';
export { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, DEFAULT_TOKEN_LIFETIME_SECONDS } from './options.js';

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
 * @returns {Promise<import('../../types/local.js').LocalIvsChat>} the server's handle, as declared
 */
export async function startLocalIvsChat(options = {}) {
  const settings = readLocalOptions(options);
  const parts = await makeParts(settings);
  const { hub, counters } = parts;
  const server = createServer(requestListener(parts));
  server.on('upgrade', (request, socket, head) => {
    if (!isAllowedHost(request.headers.host, settings.allowedHosts)) {
      socket.on('error', () => {});
      counters.connectionsRefused += 1;
      settings.logger('ws refused 421 host not allowed');
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
  return serverHandle(settings, parts, server);
}

/**
 * The server's parts: the service's state, the messaging hub, chat logging, fault controls, and
 * the counters behind `stats()`.
 * @param {ReturnType<typeof readLocalOptions>} settings
 */
async function makeParts(settings) {
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
  return { settings, counters, hub, lambdas, logStore, logDelivery, faults, stats, hungResponses, context: { state, hub, logging } };
}

/**
 * What startLocalIvsChat resolves with: the URLs, settings and controls of a listening server.
 * @param {ReturnType<typeof readLocalOptions>} settings
 * @param {Awaited<ReturnType<typeof makeParts>>} parts
 * @param {import('node:http').Server} server listening
 */
function serverHandle(settings, { hub, lambdas, logDelivery, faults, stats, context }, server) {
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const urlHost = urlHostFor(settings.host);
  const port = address.port;
  /** @type {Promise<void> | undefined} */
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
      return /** @type {ReturnType<typeof describeRoom> & import('../../types/local.js').LocalRoom} */ (
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
 * A host usable in a URL that reaches the bound interface (wildcards become loopback).
 * @param {string} host
 */
function urlHostFor(host) {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
