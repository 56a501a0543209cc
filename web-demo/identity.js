// @ts-check
// Who a visitor is, decided on the server: a signed session cookie per browser, and a userId per
// page load handed out as a ticket bound to that session.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'ivschat_demo_session';
/** The header the page sends its ticket in with each token request (same-origin, so no preflight). */
export const IDENTITY_HEADER = 'x-ivschat-demo-identity';

/**
 * Signed session cookies and identity tickets. A cookie is `<id>.<mac>`, so only sessions this
 * server started are sessions; a ticket is `<userId>.<mac of session and userId>`, so a page can
 * only present a userId this server gave to its own browser session (the cookie is HttpOnly:
 * a ticket seen elsewhere is useless without it).
 */
export class SessionKeys {
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

/**
 * Who is asking, from a request's Cookie header and identity ticket: the session and the userId
 * this server gave that page, or why not (answered 401).
 * @param {SessionKeys} sessions
 * @param {string | null | undefined} cookieHeader
 * @param {string | null} ticket
 * @returns {{ session: string, userId: string } | { refused: string }}
 */
export function identify(sessions, cookieHeader, ticket) {
  const session = sessions.readCookie(cookieHeader);
  if (!session) return { refused: 'This browser has no demo session: reload the page (the demo needs its cookie).' };
  const userId = sessions.readTicket(ticket, session);
  if (!userId) return { refused: 'This page has no demo identity for this browser session: reload the page.' };
  return { session, userId };
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
export function startSession(res, sessions) {
  const { id, cookie } = sessions.create();
  // No Max-Age: it ends with the browser session. No Secure: the demo is plain http on
  // loopback (a TLS proxy in front may add it).
  res.setHeader('set-cookie', `${SESSION_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Strict`);
  return id;
}
