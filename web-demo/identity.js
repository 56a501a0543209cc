// @ts-check
// Who a visitor is, decided on the server: a signed session cookie per browser, and a userId per
// page load handed out as a ticket bound to that session.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'ivschat_demo_session';
/** The header the page sends its ticket in with each token request (same-origin, so no preflight). */
export const IDENTITY_HEADER = 'x-ivschat-demo-identity';

/** The cookie's name over https: the __Host- prefix makes browsers take it only from this origin (Secure, Path=/, no Domain). */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/**
 * Signed session cookies and identity tickets, both with their issue time. A cookie is
 * `<id>.<issued>.<mac>`, so only sessions this server started are sessions, and only for
 * LIFETIME_MS; a ticket is `<userId>.<issued>.<mac of session, userId and issued>`, so a page can
 * only present a userId this server gave to its own browser session (the cookie is HttpOnly:
 * a ticket seen elsewhere is useless without it), for LIFETIME_MS. The browser is told the same
 * lifetime (Max-Age), but the server does not rely on it: an older cookie or ticket is refused
 * whatever the browser kept.
 */
export class SessionKeys {
  /** How long a session and a ticket last: 12 hours (then the page is reloaded: a new identity). */
  static LIFETIME_MS = 12 * 3600 * 1000;

  /** @param {Buffer} key @param {{ now?: () => number }} [options] the clock, for tests */
  constructor(key, { now = Date.now } = {}) {
    this.key = key;
    this.now = now;
  }

  /** @param {string} purpose @param {string} text */
  mac(purpose, text) {
    return createHmac('sha256', this.key).update(`${purpose}\n${text}`).digest('base64url');
  }

  /** Now, in whole seconds, base 36 (the `issued` field). */
  issuedNow() {
    return Math.floor(this.now() / 1000).toString(36);
  }

  /** Whether an `issued` field is a time this server could have written and is within LIFETIME_MS. @param {string} issued */
  fresh(issued) {
    if (!/^[0-9a-z]{1,10}$/.test(issued)) return false;
    const age = this.now() - parseInt(issued, 36) * 1000;
    return age >= -60_000 && age < SessionKeys.LIFETIME_MS;
  }

  /** A new session: its id and the cookie's value. */
  create() {
    const id = randomBytes(16).toString('base64url');
    const issued = this.issuedNow();
    return { id, cookie: `${id}.${issued}.${this.mac('session', `${id}\n${issued}`)}` };
  }

  /**
   * The session id in a Cookie header, when its cookie is one this server signed and it has not
   * expired. Over https only the __Host- cookie counts (a cookie without the prefix may have been
   * set by a sibling subdomain or a plain-http page).
   * @param {string | null | undefined} header
   * @param {{ secure?: boolean }} [options] whether the page is served over https
   */
  readCookie(header, { secure = false } = {}) {
    const wanted = secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
    for (const part of (header ?? '').split(';')) {
      const [name, value] = part.trim().split('=', 2);
      if (name !== wanted || !value) continue;
      const [id, issued, mac, extra] = value.split('.');
      if (extra !== undefined || !/^[A-Za-z0-9_-]{22}$/.test(id) || !mac || !this.fresh(issued)) continue;
      if (safeEqual(mac, this.mac('session', `${id}\n${issued}`))) return id;
    }
    return undefined;
  }

  /** @param {string} session @param {string} userId */
  ticket(session, userId) {
    const issued = this.issuedNow();
    return `${userId}.${issued}.${this.mac('identity', `${session}\n${userId}\n${issued}`)}`;
  }

  /**
   * The userId of an unexpired ticket issued to `session`, or undefined.
   * @param {string | null} ticket
   * @param {string} session
   */
  readTicket(ticket, session) {
    if (!ticket) return undefined;
    const [userId, issued, mac, extra] = ticket.split('.');
    if (extra !== undefined || !/^u-[A-Za-z0-9_-]{12}$/.test(userId) || !mac || !this.fresh(issued)) return undefined;
    return safeEqual(mac, this.mac('identity', `${session}\n${userId}\n${issued}`)) ? userId : undefined;
  }
}

/**
 * Who is asking, from a request's Cookie header and identity ticket (IDENTITY_HEADER): the
 * session and the userId this server gave that page, or why not (answered 401). The cookie is
 * the https one when the request's URL is https (the page's public origin).
 * @param {SessionKeys} sessions
 * @param {Request} request
 * @returns {{ session: string, userId: string } | { refused: string }}
 */
export function identify(sessions, request) {
  const ticket = request.headers.get(IDENTITY_HEADER);
  const session = sessions.readCookie(request.headers.get('cookie'), { secure: new URL(request.url).protocol === 'https:' });
  if (!session) return { refused: 'This browser has no demo session (or it expired): reload the page (the demo needs its cookie).' };
  const userId = sessions.readTicket(ticket, session);
  if (!userId) return { refused: 'This page has no demo identity for this browser session (or it expired): reload the page.' };
  return { session, userId };
}

/** @param {string} a @param {string} b */
function safeEqual(a, b) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Sets the cookie of a new browser session on `res`; returns its id. It lasts LIFETIME_MS
 * (Max-Age). Over https (the page's public origin: TLS here, or a trusted proxy's
 * X-Forwarded-Proto) it is `__Host-` and Secure; on plain http (loopback) neither is possible.
 * @param {import('node:http').ServerResponse} res
 * @param {SessionKeys} sessions
 * @param {{ secure?: boolean }} [options]
 */
export function startSession(res, sessions, { secure = false } = {}) {
  const { id, cookie } = sessions.create();
  const maxAge = Math.floor(SessionKeys.LIFETIME_MS / 1000);
  res.setHeader('set-cookie', secure
    ? `${SECURE_SESSION_COOKIE}=${cookie}; Path=/; Max-Age=${maxAge}; Secure; HttpOnly; SameSite=Strict`
    : `${SESSION_COOKIE}=${cookie}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict`);
  return id;
}
