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
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { extname } from 'node:path';

import { createTokenHandler, credentialsFromEnv, TokenHandlerError, toNodeListener } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { hostAllowList, isAllowedHost } from '../js/local/host-allow-list.js';
import { IDENTITY_HEADER, SessionKeys, startSession } from './identity.js';
import { DEFAULT_RATE_LIMITS, takeToken, throttled, TokenBuckets } from './rate-limit.js';
import { CAPABILITIES_BY_ROLE, checkDisplayName, decideRole, moderatorAccess, roleOf } from './roles.js';
import { chooseEncoding, CONTENT_TYPES, normalisePath, staticFile, StaticFiles } from './static-files.js';

export { decideRole, moderatorAccess } from './roles.js';
export { DISPLAY_NAME_MAX } from './roles.js';
export { IDENTITY_HEADER } from './identity.js';
export { DEFAULT_RATE_LIMITS, TokenBuckets } from './rate-limit.js';
export { chooseEncoding, normalisePath } from './static-files.js';
export { isAllowedHost } from '../js/local/host-allow-list.js';

/** The header the page sends a moderator code in (same-origin, so no preflight). */
export const MODERATOR_CODE_HEADER = 'x-ivschat-demo-moderator-code';

/**
 * @typedef {import('./rate-limit.js').RateLimit} RateLimit
 *
 * @typedef {object} DemoOptions
 * @property {string} [host] default 127.0.0.1
 * @property {number} [port] default 0 (a free port)
 * @property {number} [timeScale] local server only: time runs this many times faster (sessions end sooner)
 * @property {number} [sessionDurationInMinutes] default 60
 * @property {Record<string, string | undefined>} [env] where to look for AWS settings,
 *   IVSCHAT_DEMO_MODERATOR_CODE and IVSCHAT_DEMO_HOST (default process.env)
 * @property {{ session?: RateLimit, address?: RateLimit }} [rateLimits] token minting limits,
 *   default {@link DEFAULT_RATE_LIMITS}
 */

/**
 * Starts the demo. With AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) and
 * IVSCHAT_ROOM_ARN set it talks to Amazon IVS; otherwise it starts the local IVS Chat server.
 * IVSCHAT_DEMO_MODERATOR_CODE is the code that makes a visitor a moderator; IVSCHAT_DEMO_HOST
 * (comma-separated) adds host names the demo answers for besides loopback and the bound host.
 * @param {DemoOptions} [options]
 */
export async function startDemo({ host = '127.0.0.1', port = 0, timeScale, sessionDurationInMinutes = 60, env = process.env, rateLimits = {} } = {}) {
  const roomArnFromEnv = env.IVSCHAT_ROOM_ARN;
  const useAws = Boolean(roomArnFromEnv && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
  /** @type {'aws' | 'local'} */
  const mode = useAws ? 'aws' : 'local';
  const configuredCode = env.IVSCHAT_DEMO_MODERATOR_CODE || undefined;
  const allowedHostNames = hostAllowList(host, (env.IVSCHAT_DEMO_HOST ?? '').split(',').map((name) => name.trim()).filter((name) => name !== ''),
    (_index, name) => `IVSCHAT_DEMO_HOST: ${name} is not a host name (give names without scheme or port, comma-separated, e.g. chat.example.com)`);
  const sessionLimiter = new TokenBuckets(rateLimits.session ?? DEFAULT_RATE_LIMITS.session, 'rateLimits.session');
  const addressLimiter = new TokenBuckets(rateLimits.address ?? DEFAULT_RATE_LIMITS.address, 'rateLimits.address');
  // Signs session cookies and identity tickets; new at every start, so a restart ends every session.
  const sessions = new SessionKeys(randomBytes(32));

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
  if (useAws) {
    roomArn = /** @type {string} */ (roomArnFromEnv);
    region = roomArn.split(':')[3];
    credentials = credentialsFromEnv(env);
    messagingUrl = `wss://edge.ivschat.${region}.amazonaws.com`;
    maximumMessageLength = Number(env.IVSCHAT_MAX_MESSAGE_LENGTH ?? 500);
  } else {
    local = await startLocalIvsChat({ timeScale });
    const room = await local.createRoom({ name: 'demo' });
    roomArn = room.arn;
    region = local.region;
    credentials = local.credentials;
    endpoint = local.controlPlaneUrl;
    messagingUrl = local.messagingUrl;
    maximumMessageLength = room.maximumMessageLength;
  }

  const tokenHandler = toNodeListener(createTokenHandler({
    credentials,
    endpoint,
    // Everything that matters comes from the server: the userId from the session's ticket, the
    // capabilities from the role this visitor may have. From the body only the role asked for
    // and the display name and colour (as attributes, after their checks).
    authorize: (request, body) => {
      const session = sessions.readCookie(request.headers.get('cookie'));
      if (!session) throw new TokenHandlerError(401, 'This browser has no demo session: reload the page (the demo needs its cookie).');
      const userId = sessions.readTicket(request.headers.get(IDENTITY_HEADER), session);
      if (!userId) throw new TokenHandlerError(401, 'This page has no demo identity for this browser session: reload the page.');
      const attributes = /** @type {Record<string, unknown>} */ (body.attributes !== null && typeof body.attributes === 'object' && !Array.isArray(body.attributes) ? body.attributes : {});
      const displayName = checkDisplayName(attributes.displayName);
      if ('refused' in displayName) throw new TokenHandlerError(400, displayName.refused, { errorType: 'ValidationException' });
      const decision = decideRole({ asked: roleOf(body.capabilities), mode, configuredCode, givenCode: request.headers.get(MODERATOR_CODE_HEADER) ?? undefined });
      if ('refused' in decision) throw new TokenHandlerError(403, decision.refused);
      /** @type {Record<string, string>} */
      const tokenAttributes = { displayName: displayName.name };
      if (typeof attributes.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(attributes.color)) tokenAttributes.color = attributes.color;
      return {
        roomIdentifier: roomArn,
        userId,
        capabilities: CAPABILITIES_BY_ROLE[decision.role],
        attributes: tokenAttributes,
        sessionDurationInMinutes,
      };
    },
  }));

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
    if (path === '/api/chat-token') {
      if (req.method === 'POST') {
        const session = sessions.readCookie(req.headers.cookie);
        const keys = [addressLimiter.key(req.socket.remoteAddress ?? 'unknown')];
        if (session) keys.push(sessionLimiter.key(session));
        const waitSeconds = takeToken([addressLimiter, ...(session ? [sessionLimiter] : [])], keys);
        if (waitSeconds !== undefined) {
          throttled(res, waitSeconds);
          return;
        }
      }
      tokenHandler(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed');
      return;
    }
    if (path === '/api/config') {
      const session = sessions.readCookie(req.headers.cookie) ?? startSession(res, sessions);
      const userId = `u-${randomBytes(9).toString('base64url')}`;
      const config = JSON.stringify({
        mode, roomArn, region, messagingUrl, maximumMessageLength, moderators,
        identity: { userId, ticket: sessions.ticket(session, userId) },
      });
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : config);
      return;
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
      if (!sessions.readCookie(req.headers.cookie)) startSession(res, sessions);
    }
    const encoding = chooseEncoding(req.headers['accept-encoding']);
    const body = encoding === 'identity' ? found.bytes : await files.encoded(file, found, encoding);
    if (encoding !== 'identity') headers['content-encoding'] = encoding;
    headers['content-length'] = body.length;
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
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
    async close() {
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
