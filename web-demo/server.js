// @ts-check
// The demo's server: a token backend (createTokenHandler with a demo `authorize`), the page, and
// the package files the page imports — in front of the local IVS Chat server, or of real
// Amazon IVS when AWS credentials and a room ARN are in the environment.
//
// What the server decides, never the browser (issue 14):
// - who the visitor is: a session cookie (HttpOnly, SameSite=Strict, signed) per browser, and a
//   userId per page load, issued by /api/config as a ticket bound to that session. The display
//   name the visitor types only becomes the `displayName` attribute; two visitors with the same
//   name are two users.
// - who moderates: only whoever gives the code in IVSCHAT_DEMO_MODERATOR_CODE. Without a code,
//   nobody moderates against Amazon IVS; on the local IVS Chat server (no AWS, nothing to abuse)
//   moderating stays open to anyone.
// - how often a token is minted: a token bucket per session and per remote address (429).
// - which host names it answers for (DNS rebinding), which paths it serves, and how.
// And moderation beyond what a moderator's token can do (issue 15): POST /api/ban bans a
// visitor's browser session from new tokens, disconnects them and has every page remove their
// messages (web-demo/bans.js); on the local server, a word filter reviews every message
// (web-demo/word-filter.js).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { extname } from 'node:path';

import { createMessageReviewHandler, createTokenHandler, credentialsFromEnv, TokenHandlerError, toNodeListener } from 'ivschat-wasm/backend';
import { hostAllowList, isAllowedHost, startLocalIvsChat } from 'ivschat-wasm/local';

import { BANNED_REVIEW_REASON, BanList, createBanHandler, unbannedCaller } from './bans.js';
import { identify, SessionKeys, startSession } from './identity.js';
import { addressBucketId, DEFAULT_RATE_LIMITS, takeToken, throttled, TokenBuckets } from './rate-limit.js';
import { createLocalLoggingConfiguration, demoHistoryRoute, LOCAL_LOG_GROUP } from './history.js';
import { CAPABILITIES_BY_ROLE, checkDisplayName, decideRole, moderatorAccess, roleOf } from './roles.js';
import { PageBundle } from './bundle.js';
import { BUNDLE_PATH, chooseEncoding, CONTENT_TYPES, normalisePath, staticFile, StaticFiles } from './static-files.js';
import { REFUSED_PHRASES, reviewMessage, STARRED_WORDS } from './word-filter.js';

export { decideRole, moderatorAccess } from './roles.js';
export { BAN_REASON, BANNED_ERROR_TYPE, BANNED_REVIEW_REASON, BanList, decideBan, DELETE_USER_MESSAGES } from './bans.js';
export { REFUSED_PHRASES, reviewMessage, STARRED_WORDS } from './word-filter.js';
export { DISPLAY_NAME_MAX } from './roles.js';
export { IDENTITY_HEADER } from './identity.js';
export { addressBucketId, DEFAULT_RATE_LIMITS, TokenBuckets } from './rate-limit.js';
export { chooseEncoding, normalisePath } from './static-files.js';
export { isAllowedHost } from 'ivschat-wasm/local';

/** The header the page sends a moderator code in (same-origin, so no preflight). */
export const MODERATOR_CODE_HEADER = 'x-ivschat-demo-moderator-code';
/** The Lambda ARN the local server knows the word filter by (the demo room's messageReviewHandler). */
export const WORD_FILTER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:ivschat-demo-word-filter';

/**
 * @typedef {import('./rate-limit.js').RateLimit} RateLimit
 *
 * @typedef {object} DemoOptions
 * @property {string} [host] default 127.0.0.1
 * @property {number} [port] default 0 (a free port)
 * @property {number} [timeScale] local server only: time runs this many times faster (sessions end sooner)
 * @property {number} [logDeliveryDelayMs] local server only: how late the room's chat log reaches
 *   its CloudWatch Logs group (default CloudWatch's, 10 s), so how old a joiner's history is
 * @property {number} [sessionDurationInMinutes] default 60
 * @property {Record<string, string | undefined>} [env] where to look for AWS settings,
 *   IVSCHAT_DEMO_MODERATOR_CODE, IVSCHAT_DEMO_HOST and IVSCHAT_DEMO_TRUST_PROXY (default process.env)
 * @property {{ session?: RateLimit, address?: RateLimit }} [rateLimits] limits of token minting
 *   and bans together, default {@link DEFAULT_RATE_LIMITS}
 * @property {typeof fetch} [fetch] the fetch the server calls IVS with (CreateChatToken,
 *   DisconnectUser, SendEvent); default the global one
 * @property {(entry: import('ivschat-wasm/backend').ReviewLogEntry) => void} [reviewLogger] local
 *   server only: one entry per message the word filter reviewed
 */

/**
 * Starts the demo. With AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) and
 * IVSCHAT_ROOM_ARN set it talks to Amazon IVS; otherwise it starts the local IVS Chat server.
 * IVSCHAT_DEMO_MODERATOR_CODE is the code that makes a visitor a moderator; IVSCHAT_DEMO_HOST
 * (comma-separated) adds host names the demo answers for besides loopback and the bound host.
 * @param {DemoOptions} [options]
 */
export async function startDemo({ host = '127.0.0.1', port = 0, timeScale, logDeliveryDelayMs, sessionDurationInMinutes = 60, env = process.env, rateLimits = {}, fetch, reviewLogger } = {}) {
  const roomArnFromEnv = env.IVSCHAT_ROOM_ARN;
  const useAws = Boolean(roomArnFromEnv && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
  /** @type {'aws' | 'local'} */
  const mode = useAws ? 'aws' : 'local';
  const configuredCode = env.IVSCHAT_DEMO_MODERATOR_CODE || undefined;
  // Behind a TLS-terminating proxy that always sets X-Forwarded-Proto/-Host: the page's origin is
  // the one the proxy saw (session cookie __Host- and Secure over https). Never without such a
  // proxy: anyone can send those headers.
  const trustProxy = /^(?:1|true|yes)$/i.test(env.IVSCHAT_DEMO_TRUST_PROXY ?? '');
  const allowedHostNames = hostAllowList(host, (env.IVSCHAT_DEMO_HOST ?? '').split(',').map((name) => name.trim()).filter((name) => name !== ''),
    (_index, name) => `IVSCHAT_DEMO_HOST: ${name} is not a host name (give names without scheme or port, comma-separated, e.g. chat.example.com)`);
  const sessionLimiter = new TokenBuckets(rateLimits.session ?? DEFAULT_RATE_LIMITS.session, 'rateLimits.session');
  const addressLimiter = new TokenBuckets(rateLimits.address ?? DEFAULT_RATE_LIMITS.address, 'rateLimits.address');
  // Signs session cookies and identity tickets; new at every start, so a restart ends every session.
  const sessions = new SessionKeys(randomBytes(32));
  // Which session each userId's tokens were minted for, and the banned sessions (so, like the
  // sessions, a restart lifts every ban).
  const bans = new BanList();
  // The page's script as one file (web-demo/bundle.js), made before anything starts.
  const pageBundle = new PageBundle();
  await pageBundle.fresh();

  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>> | undefined} */
  let local;
  /** @type {string} */
  let roomArn;
  /** @type {string} */
  let messagingUrl;
  /** @type {number} */
  let maximumMessageLength;
  let credentials;
  let endpoint;
  /** @type {string} */
  let region;
  /** The log group the room's chat log goes to (room history), if there is one. */
  let historyLogGroup;
  if (useAws) {
    roomArn = /** @type {string} */ (roomArnFromEnv);
    region = roomArn.split(':')[3];
    credentials = credentialsFromEnv(env);
    messagingUrl = `wss://edge.ivschat.${region}.amazonaws.com`;
    maximumMessageLength = Number(env.IVSCHAT_MAX_MESSAGE_LENGTH ?? 500);
    historyLogGroup = env.IVSCHAT_HISTORY_LOG_GROUP || undefined;
    // No word filter against Amazon IVS: message review is the room's messageReviewHandler, a
    // Lambda its operator attaches in AWS; the demo neither deploys one nor changes the room.
  } else {
    // On the local server the demo room's messages are reviewed by the word filter, registered
    // as the Lambda function the room names (as IVS would invoke it). A filter that fails or is
    // late lets the message through, as the room's fallbackResult would: the chat never stops.
    // A banned session's messages are refused first, whatever token they come with (one minted
    // before the ban still connects until it expires).
    const wordFilter = createMessageReviewHandler((message) => (bans.isUserBanned(message.sender.userId) ? { allow: false, reason: BANNED_REVIEW_REASON } : reviewMessage(message)), {
      budgetMs: 100,
      onTimeout: 'ALLOW',
      onError: 'ALLOW',
      ...(reviewLogger ? { logger: reviewLogger } : {}),
    });
    local = await startLocalIvsChat({ timeScale, lambdas: { [WORD_FILTER_ARN]: wordFilter }, ...(logDeliveryDelayMs === undefined ? {} : { logDeliveryDelayMs }) });
    // Its chat log goes to a CloudWatch Logs group, from which a joiner's history is read.
    const loggingConfigurationArn = await createLocalLoggingConfiguration(local);
    const room = await local.createRoom({
      name: 'demo',
      messageReviewHandler: { uri: WORD_FILTER_ARN, fallbackResult: 'ALLOW' },
      loggingConfigurationIdentifiers: [loggingConfigurationArn],
    });
    historyLogGroup = LOCAL_LOG_GROUP;
    roomArn = room.arn;
    region = local.region;
    credentials = local.credentials;
    endpoint = local.controlPlaneUrl;
    messagingUrl = local.messagingUrl;
    maximumMessageLength = room.maximumMessageLength;
  }

  const mintToken = createTokenHandler({
    credentials,
    // The names the demo answers for: loopback, the bound host, IVSCHAT_DEMO_HOST (it refuses
    // other Host headers itself, 421, before this handler; behind a trusted proxy the handler
    // checks the X-Forwarded-Host name against the same list).
    allowedHosts: [...allowedHostNames],
    endpoint,
    ...(fetch ? { fetch } : {}),
    // Everything that matters comes from the server: the userId from the session's ticket, the
    // capabilities from the role this visitor may have. From the body only the role asked for
    // and the display name and colour (as attributes, after their checks).
    authorize: (request, body) => {
      const { session, userId } = unbannedCaller(sessions, bans, request);
      const attributes = /** @type {Record<string, unknown>} */ (body.attributes !== null && typeof body.attributes === 'object' && !Array.isArray(body.attributes) ? body.attributes : {});
      const displayName = checkDisplayName(attributes.displayName);
      if ('refused' in displayName) throw new TokenHandlerError(400, displayName.refused, { errorType: 'ValidationException' });
      const decision = decideRole({ asked: roleOf(body.capabilities), mode, configuredCode, givenCode: request.headers.get(MODERATOR_CODE_HEADER) ?? undefined });
      if ('refused' in decision) throw new TokenHandlerError(403, decision.refused);
      /** @type {Record<string, string>} */
      const tokenAttributes = { displayName: displayName.name };
      if (typeof attributes.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(attributes.color)) tokenAttributes.color = attributes.color;
      // How a ban finds the session behind a userId (bounded; renewals keep it fresh).
      bans.remember(userId, session);
      return {
        roomIdentifier: roomArn,
        userId,
        capabilities: CAPABILITIES_BY_ROLE[decision.role],
        attributes: tokenAttributes,
        sessionDurationInMinutes,
      };
    },
  });
  // Each token minted: until when it opens connections, for the session it was minted for (a
  // ban sweeps again once a pre-ban token has expired).
  const tokenHandler = toNodeListener(async (/** @type {Request} */ request) => {
    const response = await mintToken(request);
    if (response.status !== 200) return response;
    const caller = identify(sessions, request);
    const answer = await response.clone().json().catch(() => ({}));
    if ('session' in caller) bans.tokenIssued(caller.session, Date.parse(answer?.tokenExpirationTime));
    return response;
  }, { trustProxy });

  // The IVS calls of a ban: the local server's credentials and control plane, or (AWS) the
  // credentials from the environment and the region's default endpoint.
  /** @type {import('ivschat-wasm/backend').ModerationOptions} */
  const ivs = { credentials, region, ...(endpoint ? { endpoint } : {}), ...(fetch ? { fetch } : {}) };
  const banRequests = createBanHandler({ sessions, bans, mode, configuredCode, moderatorCodeHeader: MODERATOR_CODE_HEADER, roomArn, ivs });
  const banHandler = toNodeListener(banRequests, { trustProxy });

  const historyHandler = historyLogGroup === undefined ? undefined : demoHistoryRoute({
    logGroupName: historyLogGroup, roomArn, credentials, endpoint, fetch, allowedHosts: [...allowedHostNames], sessions, bans, trustProxy,
  });

  const moderators = moderatorAccess(mode, configuredCode);
  const contentSecurityPolicy = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    `connect-src 'self' ${new URL(messagingUrl).origin.replace(/^http/, 'ws')}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const files = new StaticFiles();

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function onRequest(req, res) {
    // On every answer, the token handler's included (it sets its own on top).
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    if (!isAllowedHost(req.headers.host, allowedHostNames)) {
      text(res, 421, 'Misdirected request: this demo does not answer for that host name (IVSCHAT_DEMO_HOST adds names).');
      return;
    }
    const path = normalisePath(req.url ?? '/');
    // Token requests and bans share the buckets, and are counted before anything is checked:
    // a moderator code cannot be guessed any faster through /api/ban than through tokens.
    if (path === '/api/chat-token') {
      if (req.method === 'POST' && isThrottled(req, res, 'chat token requests')) return;
      tokenHandler(req, res);
      return;
    }
    if (path === '/api/ban') {
      if (req.method === 'POST' && isThrottled(req, res, 'ban requests')) return;
      banHandler(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed');
      return;
    }
    // Not counted in the token buckets: reads are shared per room and kept (createHistoryHandler),
    // so a flood of them costs CloudWatch Logs nothing more.
    if (path === '/api/history' && historyHandler) {
      historyHandler(req, res);
      return;
    }
    if (path === '/api/config') {
      const secure = isSecure(req);
      const session = sessions.readCookie(req.headers.cookie, { secure }) ?? startSession(res, sessions, { secure });
      const userId = `u-${randomBytes(9).toString('base64url')}`;
      const config = JSON.stringify({
        mode, roomArn, region, messagingUrl, maximumMessageLength, moderators,
        // Where a joiner reads the room's recent messages (null: no chat log to read).
        history: historyHandler ? '/api/history' : null,
        // What the local server's word filter does, for the page's hint (null: no filter).
        wordFilter: local ? { starred: STARRED_WORDS, refused: REFUSED_PHRASES } : null,
        identity: { userId, ticket: sessions.ticket(session, userId) },
      });
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : config);
      return;
    }
    if (path === BUNDLE_PATH) {
      // Bundled again after an edit; an edit that does not build is told where it was made.
      try {
        await pageBundle.fresh();
      } catch (error) {
        console.error(error instanceof Error ? error.message : error);
        text(res, 500, 'The page could not be bundled: see the demo server\'s output.');
        return;
      }
    }
    const file = path === undefined ? undefined : staticFile(path);
    const found = file ? await files.read(file) : undefined;
    if (!file || !found) {
      text(res, 404, 'Not found');
      return;
    }
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    /** @type {Record<string, string | number>} */
    const headers = { 'content-type': type, 'cache-control': 'no-cache', vary: 'Accept-Encoding' };
    if (type.startsWith('text/html')) {
      headers['content-security-policy'] = contentSecurityPolicy;
      // The page is where a visitor arrives: it starts the browser session the tokens need.
      const secure = isSecure(req);
      if (!sessions.readCookie(req.headers.cookie, { secure })) startSession(res, sessions, { secure });
    }
    const encoding = chooseEncoding(req.headers['accept-encoding']);
    const body = encoding === 'identity' ? found.bytes : await files.encoded(file, found, encoding);
    if (encoding !== 'identity') headers['content-encoding'] = encoding;
    headers['content-length'] = body.length;
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
  }

  /**
   * Whether the page's public origin is https: a TLS socket, or (IVSCHAT_DEMO_TRUST_PROXY) the
   * scheme a TLS-terminating proxy in front says in X-Forwarded-Proto — the rule toNodeListener's
   * trustProxy builds the handlers' request URLs by, so the cookie and the origin checks agree.
   * @param {import('node:http').IncomingMessage} req
   */
  function isSecure(req) {
    let scheme = /** @type {{ encrypted?: boolean }} */ (req.socket).encrypted ? 'https' : 'http';
    if (trustProxy) {
      const header = req.headers['x-forwarded-proto'];
      const proto = (Array.isArray(header) ? header[0] : header)?.split(',')[0].trim().toLowerCase();
      if (proto === 'http' || proto === 'https') scheme = proto;
    }
    return scheme === 'https';
  }

  /**
   * Takes a token from the request's address and session buckets; when one is empty, answers
   * 429 and returns true.
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} what for the message
   */
  function isThrottled(req, res, what) {
    const session = sessions.readCookie(req.headers.cookie, { secure: isSecure(req) });
    const keys = [addressLimiter.key(addressBucketId(req.socket.remoteAddress ?? 'unknown'))];
    if (session) keys.push(sessionLimiter.key(session));
    const waitSeconds = takeToken([addressLimiter, ...(session ? [sessionLimiter] : [])], keys);
    if (waitSeconds === undefined) return false;
    throttled(res, waitSeconds, what);
    return true;
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) text(res, 500, 'The demo server failed.');
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`;
  return {
    url,
    mode,
    roomArn,
    /** 'code': moderating needs IVSCHAT_DEMO_MODERATOR_CODE; 'open': anyone (local only); 'off': nobody. */
    moderators,
    local,
    /** How long bundling the page took at start (ms), and where the bundle is. */
    pageBundle: { ms: pageBundle.lastBuildMs, file: staticFile(BUNDLE_PATH) },
    async close() {
      banRequests.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      await local?.close();
    },
  };
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} message
 */
function text(res, status, message) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(message);
}
