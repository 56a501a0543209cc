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
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';

import { createTokenHandler, credentialsFromEnv, TokenHandlerError, toNodeListener } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

const demoDir = fileURLToPath(new URL('.', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** @typedef {'viewer' | 'chatter' | 'moderator'} Role */
/** @type {Record<Role, Array<'SEND_MESSAGE' | 'DELETE_MESSAGE' | 'DISCONNECT_USER'>>} */
const CAPABILITIES_BY_ROLE = {
  viewer: [],
  chatter: ['SEND_MESSAGE'],
  moderator: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'],
};
/** @type {Record<string, string>} */
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};
/** The page's own files; everything else it loads is under /ivschat-wasm/. */
const PAGE_FILES = ['index.html', 'app.js', 'style.css'];

const SESSION_COOKIE = 'ivschat_demo_session';
/** Headers the page sends with each token request (same-origin, so no preflight). */
export const IDENTITY_HEADER = 'x-ivschat-demo-identity';
export const MODERATOR_CODE_HEADER = 'x-ivschat-demo-moderator-code';
/** The display name's rule (the page checks the same): 1-128 code points after trimming. */
export const DISPLAY_NAME_MAX = 128;
/**
 * Token minting allowed per browser session and per remote address (one address can hold
 * several visitors). The address is the socket's: X-Forwarded-For is not trusted (anyone can
 * send it), so behind a proxy every visitor shares the proxy's bucket; raise `address` there.
 */
export const DEFAULT_RATE_LIMITS = Object.freeze({
  session: Object.freeze({ perMinute: 10, burst: 5 }),
  address: Object.freeze({ perMinute: 30, burst: 15 }),
});
const LOOPBACK_HOST_NAMES = ['localhost', '127.0.0.1', '::1'];

/**
 * @typedef {object} RateLimit
 * @property {number} perMinute tokens added per minute
 * @property {number} burst most tokens held (and so the most requests at once)
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
  const allowedHostNames = hostAllowList(host, env.IVSCHAT_DEMO_HOST);
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
      const attributes = /** @type {Record<string, unknown>} */ (isObject(body.attributes) ? body.attributes : {});
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
 * The role a token request gets, decided on the server. Viewer and chatter are anyone's. A
 * moderator (who may kick anyone and delete anything) needs the operator's code when one is
 * configured; without one, nobody moderates against Amazon IVS, and on the local IVS Chat
 * server (a development stand-in with nothing to abuse) anyone may.
 * @param {{ asked: Role, mode: 'aws' | 'local', configuredCode?: string, givenCode?: string }} request
 * @returns {{ role: Role } | { refused: string }}
 */
export function decideRole({ asked, mode, configuredCode, givenCode }) {
  if (asked !== 'moderator') return { role: asked };
  if (configuredCode) {
    return codesMatch(givenCode ?? '', configuredCode) ? { role: 'moderator' } : { refused: 'That moderator code is not right.' };
  }
  if (mode === 'local') return { role: 'moderator' };
  return { refused: 'Moderators are not enabled on this demo: its operator has not set IVSCHAT_DEMO_MODERATOR_CODE.' };
}

/**
 * How visitors become moderators, for the page and the start-up line.
 * @param {'aws' | 'local'} mode
 * @param {string | undefined} configuredCode
 * @returns {'code' | 'open' | 'off'}
 */
export function moderatorAccess(mode, configuredCode) {
  if (configuredCode) return 'code';
  return mode === 'local' ? 'open' : 'off';
}

/**
 * Compares codes in constant time: both are hashed first, so neither their content nor their
 * length shows in how long the comparison takes.
 * @param {string} given
 * @param {string} expected
 */
function codesMatch(given, expected) {
  const digest = (/** @type {string} */ value) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The role whose capabilities the request asked for (unknown sets fall back to chatter).
 * @param {unknown} capabilities
 * @returns {Role}
 */
function roleOf(capabilities) {
  const asked = Array.isArray(capabilities) ? capabilities.length : 1;
  if (asked === 0) return 'viewer';
  if (Array.isArray(capabilities) && capabilities.includes('DISCONNECT_USER')) return 'moderator';
  return 'chatter';
}

/**
 * @param {unknown} value
 * @returns {{ name: string } | { refused: string }}
 */
function checkDisplayName(value) {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '') return { refused: 'Enter a display name.' };
  const length = Array.from(name).length;
  if (length > DISPLAY_NAME_MAX) return { refused: `The display name must have at most ${DISPLAY_NAME_MAX} characters; it has ${length}.` };
  return { name };
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Signed session cookies and identity tickets. A cookie is `<id>.<mac>`, so only sessions this
 * server started are sessions; a ticket is `<userId>.<mac of session and userId>`, so a page can
 * only present a userId this server gave to its own browser session (the cookie is HttpOnly:
 * a ticket seen elsewhere is useless without it).
 */
class SessionKeys {
  /** @param {Buffer} key */
  constructor(key) {
    this.key = key;
  }

  /** @param {string} purpose @param {string} text */
  mac(purpose, text) {
    return createHmac('sha256', this.key).update(`${purpose}\n${text}`).digest('base64url');
  }

  /** A new session: its id and the cookie's value. */
  create() {
    const id = randomBytes(16).toString('base64url');
    return { id, cookie: `${id}.${this.mac('session', id)}` };
  }

  /**
   * The session id in a Cookie header, when its cookie is one this server signed.
   * @param {string | null | undefined} header
   */
  readCookie(header) {
    for (const part of (header ?? '').split(';')) {
      const [name, value] = part.trim().split('=', 2);
      if (name !== SESSION_COOKIE || !value) continue;
      const [id, mac] = value.split('.', 2);
      if (/^[A-Za-z0-9_-]{22}$/.test(id) && mac && safeEqual(mac, this.mac('session', id))) return id;
    }
    return undefined;
  }

  /** @param {string} session @param {string} userId */
  ticket(session, userId) {
    return `${userId}.${this.mac('identity', `${session}\n${userId}`)}`;
  }

  /**
   * The userId of a ticket issued to `session`, or undefined.
   * @param {string | null} ticket
   * @param {string} session
   */
  readTicket(ticket, session) {
    if (!ticket) return undefined;
    const dot = ticket.lastIndexOf('.');
    const userId = ticket.slice(0, dot);
    if (dot < 1 || !/^u-[A-Za-z0-9_-]{12}$/.test(userId)) return undefined;
    return safeEqual(ticket.slice(dot + 1), this.mac('identity', `${session}\n${userId}`)) ? userId : undefined;
  }
}

/** @param {string} a @param {string} b */
function safeEqual(a, b) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Sets the cookie of a new browser session on `res`; returns its id.
 * @param {import('node:http').ServerResponse} res
 * @param {SessionKeys} sessions
 */
function startSession(res, sessions) {
  const { id, cookie } = sessions.create();
  // No Max-Age: it ends with the browser session. No Secure: the demo is plain http on
  // loopback (a TLS proxy in front may add it).
  res.setHeader('set-cookie', `${SESSION_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Strict`);
  return id;
}

/**
 * Token buckets by key (a session, an address): `burst` tokens at most, refilled at
 * `perMinute`. Bounded: past MAX_KEYS keys, full buckets (which hold no information) and then
 * the least recently used ones are forgotten.
 */
export class TokenBuckets {
  static MAX_KEYS = 10_000;

  /** @param {RateLimit} limit @param {string} name for errors */
  constructor({ perMinute, burst }, name) {
    if (!(perMinute > 0) || !Number.isFinite(perMinute)) throw new TypeError(`${name}.perMinute must be a positive number, got ${JSON.stringify(perMinute)}`);
    if (!Number.isInteger(burst) || burst < 1) throw new TypeError(`${name}.burst must be a positive integer, got ${JSON.stringify(burst)}`);
    this.perMs = perMinute / 60_000;
    this.burst = burst;
    /** @type {Map<string, { tokens: number, at: number }>} */
    this.buckets = new Map();
    this.prefix = name;
  }

  /** @param {string} id */
  key(id) {
    return `${this.prefix}:${id}`;
  }

  /** Tokens in a bucket now (refilled since it was last looked at). @param {string} key @param {number} now */
  level(key, now) {
    const bucket = this.buckets.get(key);
    return bucket ? Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs) : this.burst;
  }

  /** @param {string} key @param {number} tokens @param {number} now */
  store(key, tokens, now) {
    this.buckets.delete(key); // re-inserted last: the Map's order is least recently used first
    this.buckets.set(key, { tokens, at: now });
    if (this.buckets.size <= TokenBuckets.MAX_KEYS) return;
    for (const [k] of this.buckets) if (this.level(k, now) >= this.burst) this.buckets.delete(k);
    for (const [k] of this.buckets) {
      if (this.buckets.size <= TokenBuckets.MAX_KEYS) break;
      this.buckets.delete(k);
    }
  }

  /** Seconds until `key` has a token again. @param {string} key @param {number} now */
  waitSeconds(key, now) {
    return Math.max(1, Math.ceil((1 - this.level(key, now)) / this.perMs / 1000));
  }
}

/**
 * Takes one token from each bucket, or none when any is empty (then: seconds to wait).
 * @param {TokenBuckets[]} limiters
 * @param {string[]} keys one per limiter
 * @param {number} [now]
 * @returns {number | undefined}
 */
function takeToken(limiters, keys, now = Date.now()) {
  const levels = limiters.map((limiter, i) => limiter.level(keys[i], now));
  const empty = levels.findIndex((level) => level < 1);
  if (empty !== -1) return limiters[empty].waitSeconds(keys[empty], now);
  limiters.forEach((limiter, i) => limiter.store(keys[i], levels[i] - 1, now));
  return undefined;
}

/**
 * 429 in the shape the token handler answers its own errors (X-Amzn-ErrorType and a JSON
 * `message`), so the page's createChatToken reads it as ThrottlingException.
 * @param {import('node:http').ServerResponse} res
 * @param {number} waitSeconds
 */
function throttled(res, waitSeconds) {
  const body = JSON.stringify({ message: `Too many chat token requests: try again in ${waitSeconds} s.` });
  res.writeHead(429, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-amzn-errortype': 'ThrottlingException',
    'retry-after': String(waitSeconds),
  }).end(body);
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} message
 */
function text(res, status, message) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(message);
}

/**
 * The host names served: loopback, the bound host, and IVSCHAT_DEMO_HOST's.
 * @param {string} boundHost
 * @param {string | undefined} configured comma-separated
 */
function hostAllowList(boundHost, configured) {
  const names = new Set(LOOPBACK_HOST_NAMES);
  if (boundHost !== '0.0.0.0' && boundHost !== '::') names.add(hostNameOf(boundHost));
  for (const entry of (configured ?? '').split(',')) {
    const name = entry.trim();
    if (name === '') continue;
    if (!/^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[?[0-9A-Fa-f:.]+\]?)$/.test(name)) {
      throw new TypeError(`IVSCHAT_DEMO_HOST: ${JSON.stringify(name)} is not a host name (give names without scheme or port, comma-separated, e.g. chat.example.com)`);
    }
    names.add(hostNameOf(name));
  }
  return names;
}

/** Lower case, IPv6 without brackets. @param {string} host */
function hostNameOf(host) {
  const name = host.toLowerCase();
  return name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
}

/**
 * Whether a Host header names this demo. A DNS-rebinding page reaches loopback under its own
 * name (evil.example resolving to 127.0.0.1), and is refused here.
 * @param {string | undefined} host
 * @param {Set<string>} allowed
 */
export function isAllowedHost(host, allowed) {
  if (typeof host !== 'string' || host === '') return false;
  return allowed.has(hostNameOf(host.replace(/:\d+$/, '')));
}

/**
 * The request target's path in one canonical form, or undefined when it cannot be one: the
 * query dropped, %-escapes decoded exactly once, empty and `.` segments removed, `..` applied.
 * Refused: a target not starting with `/`, bad escapes, encoded `/` or `\` (they would turn into
 * separators later), NUL, backslashes, and `..` above the root.
 * @param {string} target
 * @returns {string | undefined}
 */
export function normalisePath(target) {
  const raw = target.split(/[?#]/, 1)[0];
  if (!raw.startsWith('/') || raw.includes('\\') || /%(?:2f|5c|00)/i.test(raw)) return undefined;
  let decoded;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  /** @type {string[]} */
  const segments = [];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return undefined;
      segments.pop();
    } else {
      segments.push(segment);
    }
  }
  return `/${segments.join('/')}`;
}

/**
 * Maps a normalised path to a file: the page from web-demo/, the package's browser files under
 * /ivschat-wasm/ (as a bundler or CDN would serve them). Nothing else; never js/local or
 * js/backend (server code, no use to a page).
 * @param {string} path
 */
function staticFile(path) {
  let root = demoDir;
  let relative = path === '/' ? 'index.html' : path.slice(1);
  if (path.startsWith('/ivschat-wasm/')) {
    root = packageDir;
    relative = path.slice('/ivschat-wasm/'.length);
    if (!relative.startsWith('js/') && !relative.startsWith('dist/')) return undefined;
    if (relative.startsWith('js/local/') || relative.startsWith('js/backend/')) return undefined;
  } else if (!PAGE_FILES.includes(relative)) {
    return undefined;
  }
  // The path is already normalised (no `..`, no empty segment): this is a second fence.
  const file = join(root, relative);
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined;
}

/**
 * The encoding to answer with for an Accept-Encoding header: br, else gzip, else identity;
 * `;q=0` refuses one.
 * @param {string | undefined} header
 * @returns {'br' | 'gzip' | 'identity'}
 */
export function chooseEncoding(header) {
  /** @type {Map<string, number>} */
  const accepted = new Map();
  for (const part of (header ?? '').split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  const wants = (/** @type {string} */ name) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (wants('br')) return 'br';
  if (wants('gzip')) return 'gzip';
  return 'identity';
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Static files, read on each request (edits show at once) and compressed once per version of
 * the file (brotli at its best quality costs ~0.1 s for the wasm: paid once, not per request).
 */
class StaticFiles {
  constructor() {
    /** @type {Map<string, { version: string, encoded: Map<string, Promise<Buffer>> }>} */
    this.cache = new Map();
  }

  /**
   * @param {string} file
   * @returns {Promise<{ bytes: Buffer, version: string } | undefined>}
   */
  async read(file) {
    try {
      const info = await stat(file);
      if (!info.isFile()) return undefined;
      return { bytes: await readFile(file), version: `${info.mtimeMs}:${info.size}` };
    } catch {
      return undefined;
    }
  }

  /**
   * @param {string} file
   * @param {{ bytes: Buffer, version: string }} found
   * @param {'br' | 'gzip'} encoding
   */
  encoded(file, found, encoding) {
    let entry = this.cache.get(file);
    if (!entry || entry.version !== found.version) {
      entry = { version: found.version, encoded: new Map() };
      this.cache.set(file, entry);
    }
    let result = entry.encoded.get(encoding);
    if (!result) {
      result = encoding === 'br'
        ? brotli(found.bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: found.bytes.length } })
        : gzipAsync(found.bytes, { level: 9 });
      entry.encoded.set(encoding, result);
      result.catch(() => entry?.encoded.delete(encoding));
    }
    return result;
  }
}
