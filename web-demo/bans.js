// @ts-check
// Bans, decided on the server: which browser session each userId belongs to (learnt when its
// tokens are minted), the sessions banned from new tokens, and the POST /api/ban handler that a
// moderator's page calls: it bans the session, disconnects the user (DisconnectUser) and tells
// every page to remove the user's messages (SendEvent app:DELETE_USER_MESSAGES).
//
// A ban is of a browser session (its cookie): a visitor who clears cookies or opens another
// browser comes back as someone new. That is the demo's notion of identity; an app with
// accounts would ban the account.
import { disconnectUser, readCapped, sendEvent, TokenHandlerError } from 'ivschat-wasm/backend';

import { identify } from './identity.js';
import { decideRole } from './roles.js';

/** The event every page applies: remove the messages of `attributes.userId`. */
export const DELETE_USER_MESSAGES = 'app:DELETE_USER_MESSAGES';
/** The reason given to DisconnectUser (pages show it). */
export const BAN_REASON = 'Banned by a moderator';
/** The X-Amzn-ErrorType of a banned session's refusals (the page tells it apart from a wrong moderator code). */
export const BANNED_ERROR_TYPE = 'SessionBannedException';
export const BANNED_MESSAGE = 'A moderator banned this browser from the chat: it cannot join again.';
/** The demo's userIds (identity.js issues them). */
const USER_ID_PATTERN = /^u-[A-Za-z0-9_-]{12}$/;
/** Largest /api/ban body, in bytes (`{"userId":"u-…"}` is 29). */
const MAX_BODY_BYTES = 1024;
const BODY_TIMEOUT_MS = 10_000;

/** Why a banned session's messages are refused by the room's review (web-demo/server.js). */
export const BANNED_REVIEW_REASON = 'A moderator banned this browser from the chat.';

/**
 * The caller of a token or history request: the session and userId this server gave its page;
 * refused (a TokenHandlerError the handler answers) without one (401) or when its browser session
 * is banned (403).
 * @param {import('./identity.js').SessionKeys} sessions
 * @param {BanList} bans
 * @param {Request} request
 * @returns {{ session: string, userId: string }}
 */
export function unbannedCaller(sessions, bans, request) {
  const caller = identify(sessions, request);
  if ('refused' in caller) throw new TokenHandlerError(401, caller.refused);
  if (bans.isBanned(caller.session)) throw new TokenHandlerError(403, BANNED_MESSAGE, { errorType: BANNED_ERROR_TYPE });
  return caller;
}

/**
 * Sessions and bans, both bounded: past MAX entries the least recently used userId and the
 * oldest ban are forgotten (memory stays bounded whatever is sent; bans only come from
 * moderators, so 10 000 of them is far more than a demo sees).
 *
 * A ban is of a browser session, so of every userId it was given (one per page: three tabs are
 * three userIds), including the tokens minted for them before the ban: userIdsOf lists them,
 * isUserBanned tells the room's review to refuse their messages, and tokenValidUntil says how
 * long a pre-ban token could still open a connection.
 */
export class BanList {
  static MAX_USERS = 10_000;
  static MAX_BANS = 10_000;

  constructor() {
    /** userId → the browser session its tokens were minted for; least recently used first. @type {Map<string, string>} */
    this.sessionOfUser = new Map();
    /** session → its userIds (those in sessionOfUser). @type {Map<string, Set<string>>} */
    this.usersOfSession = new Map();
    /** session → when the last token minted for it stops opening connections (ms). @type {Map<string, number>} */
    this.tokensValidUntil = new Map();
    /** @type {Set<string>} */
    this.banned = new Set();
    /** The userIds of banned sessions, kept even when sessionOfUser forgets them. @type {Set<string>} */
    this.bannedUsers = new Set();
  }

  /** A token is minted for `userId` in `session`. @param {string} userId @param {string} session */
  remember(userId, session) {
    this.forget(userId);
    this.sessionOfUser.set(userId, session);
    let users = this.usersOfSession.get(session);
    if (!users) this.usersOfSession.set(session, (users = new Set()));
    users.add(userId);
    for (const [oldest] of this.sessionOfUser) {
      if (this.sessionOfUser.size <= BanList.MAX_USERS) break;
      this.forget(oldest);
    }
  }

  /** @param {string} userId */
  forget(userId) {
    const session = this.sessionOfUser.get(userId);
    if (session === undefined) return;
    this.sessionOfUser.delete(userId);
    const users = this.usersOfSession.get(session);
    users?.delete(userId);
    if (users?.size === 0) {
      this.usersOfSession.delete(session);
      this.tokensValidUntil.delete(session);
    }
  }

  /** @param {string} userId */
  sessionOf(userId) {
    return this.sessionOfUser.get(userId);
  }

  /** Every userId a token was minted for in `session`. @param {string} session */
  userIdsOf(session) {
    return [...(this.usersOfSession.get(session) ?? [])];
  }

  /**
   * A token minted for `session` opens connections until `untilMs` (its tokenExpirationTime).
   * @param {string} session @param {number} untilMs
   */
  tokenIssued(session, untilMs) {
    if (!this.usersOfSession.has(session) || !Number.isFinite(untilMs)) return;
    this.tokensValidUntil.set(session, Math.max(untilMs, this.tokensValidUntil.get(session) ?? 0));
  }

  /** Until when (ms) a token minted for `session` may still open a connection; 0 when none. @param {string} session */
  tokenValidUntil(session) {
    return this.tokensValidUntil.get(session) ?? 0;
  }

  /**
   * Bans a session (when known) and the userIds given. @param {string | undefined} session
   * @param {string[]} userIds
   */
  ban(session, userIds = []) {
    if (session !== undefined) this.banned.add(session);
    for (const userId of userIds) this.bannedUsers.add(userId);
    for (const oldest of this.banned) {
      if (this.banned.size <= BanList.MAX_BANS) break;
      this.banned.delete(oldest);
    }
    for (const oldest of this.bannedUsers) {
      if (this.bannedUsers.size <= BanList.MAX_BANS * 4) break;
      this.bannedUsers.delete(oldest);
    }
  }

  /** @param {string} session */
  isBanned(session) {
    return this.banned.has(session);
  }

  /** Whether `userId` belongs to a banned session (its messages are refused). @param {string} userId */
  isUserBanned(userId) {
    if (this.bannedUsers.has(userId)) return true;
    const session = this.sessionOfUser.get(userId);
    return session !== undefined && this.banned.has(session);
  }
}

/**
 * Whether a caller may ban, decided exactly as the moderator role is for a token: a session
 * cookie and this page's identity ticket (401 without), a session that is not itself banned,
 * and decideRole with 'moderator' asked (the operator's code when one is configured; open on
 * the local server without one; nobody against Amazon IVS without one) (403).
 * @param {{ caller: { session: string, userId: string } | { refused: string }, sessionBanned: boolean,
 *   mode: 'aws' | 'local', configuredCode?: string, givenCode?: string }} request
 * @returns {{ session: string, userId: string } | { status: 401 | 403, message: string, errorType?: string }}
 */
export function decideBan({ caller, sessionBanned, mode, configuredCode, givenCode }) {
  if ('refused' in caller) return { status: 401, message: caller.refused };
  if (sessionBanned) return { status: 403, message: BANNED_MESSAGE, errorType: BANNED_ERROR_TYPE };
  const decision = decideRole({ asked: 'moderator', mode, configuredCode, givenCode });
  if ('refused' in decision) return { status: 403, message: decision.refused };
  return caller;
}

/**
 * @typedef {object} BanHandlerOptions
 * @property {import('./identity.js').SessionKeys} sessions
 * @property {BanList} bans
 * @property {'aws' | 'local'} mode
 * @property {string} [configuredCode]
 * @property {string} moderatorCodeHeader
 * @property {string} roomArn
 * @property {import('ivschat-wasm/backend').ModerationOptions} ivs credentials, endpoint, region (and fetch) of the IVS calls
 * @property {number} [sweepMarginMs] how long after the last pre-ban token stops opening
 *   connections the sweep runs (default 2000)
 */

/**
 * POST /api/ban `{ userId }` as a fetch handler. Answers 204 when done; errors in the token
 * handler's shape (JSON `message`, X-Amzn-ErrorType): 403 for a foreign Origin, 405 for another
 * method, 401/403 as {@link decideBan}, 415/413/400 for a bad body or userId, 502 when IVS did
 * not carry it out. Rate limiting is the caller's (server.js, before this handler).
 *
 * What a ban does: the userId's browser session is banned (no new token, its messages refused
 * by the room's review on the local server), every userId of that session (every tab) is
 * disconnected and has its messages removed on every page (one app:DELETE_USER_MESSAGES per
 * userId). A token minted before the ban may still open a connection until its
 * tokenExpirationTime: when the session holds one, the same disconnects and removals run again
 * once it has expired (the sweep), so nothing it connected with stays.
 * @param {BanHandlerOptions} options
 * @returns {((request: Request) => Promise<Response>) & { close: () => void }}
 */
export function createBanHandler({ sessions, bans, mode, configuredCode, moderatorCodeHeader, roomArn, ivs, sweepMarginMs = 2000 }) {
  /** @type {Set<ReturnType<typeof setTimeout>>} */
  const sweeps = new Set();
  /**
   * Disconnects each userId, then removes their messages; throws the first IVS failure, with what failed.
   * @param {string[]} userIds
   */
  async function disconnectAndRemove(userIds) {
    for (const userId of userIds) {
      try {
        await disconnectUser({ roomIdentifier: roomArn, userId, reason: BAN_REASON }, ivs);
      } catch (error) {
        throw Object.assign(new Error('disconnect'), { step: 'disconnect', cause: error });
      }
    }
    for (const userId of userIds) {
      try {
        await sendEvent({ roomIdentifier: roomArn, eventName: DELETE_USER_MESSAGES, attributes: { userId } }, ivs);
      } catch (error) {
        throw Object.assign(new Error('event'), { step: 'event', cause: error });
      }
    }
  }

  const handleBan = async function handleBan(/** @type {Request} */ request) {
    const origin = request.headers.get('origin');
    if (origin !== null && origin !== new URL(request.url).origin) return refuse(403, 'This origin may not ban anyone.');
    if (request.method !== 'POST') return refuse(405, 'Ban with POST.', { errorType: 'MethodNotAllowedException', headers: { allow: 'POST' } });
    const caller = identify(sessions, request);
    const decision = decideBan({
      caller,
      sessionBanned: 'session' in caller && bans.isBanned(caller.session),
      mode,
      configuredCode,
      givenCode: request.headers.get(moderatorCodeHeader) ?? undefined,
    });
    if ('status' in decision) return refuse(decision.status, decision.message, { errorType: decision.errorType });

    const mediaType = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (mediaType !== 'application/json') return refuse(415, 'Send the ban as JSON (Content-Type: application/json).', { errorType: 'UnsupportedMediaTypeException' });
    const read = await readBody(request);
    if ('tooLarge' in read) return refuse(413, `The ban request is larger than ${MAX_BODY_BYTES} bytes.`, { errorType: 'PayloadTooLargeException' });
    if ('tooSlow' in read) return refuse(408, 'The ban request was not sent in time.', { errorType: 'RequestTimeoutException' });
    /** @type {unknown} */
    let body;
    try {
      body = JSON.parse(read.text);
    } catch {
      body = undefined;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return refuse(400, 'The ban request must be a JSON object: { "userId": "…" }.', { errorType: 'SerializationException' });
    const userId = /** @type {{ userId?: unknown }} */ (body).userId;
    if (typeof userId !== 'string' || !USER_ID_PATTERN.test(userId)) {
      return refuse(400, 'userId must be one of this demo\'s userIds (u- and 12 letters, digits, - or _).', { errorType: 'ValidationException' });
    }
    const session = bans.sessionOf(userId);
    if (userId === decision.userId || session === decision.session) return refuse(400, 'You cannot ban yourself (or another page of your own browser).', { errorType: 'ValidationException' });

    // The session first: whatever IVS answers next, it gets no new token and its messages are
    // refused. A userId this server does not know (made up, or forgotten past BanList.MAX_USERS)
    // has no session to ban; it is still banned itself, disconnected and its messages removed.
    const userIds = [userId, ...(session ? bans.userIdsOf(session).filter((id) => id !== userId) : [])];
    bans.ban(session, userIds);
    // Disconnected before the events, so nothing they send after the ban reaches anyone, and
    // every page still in the room removes what they sent before.
    try {
      await disconnectAndRemove(userIds);
    } catch (error) {
      const { step, cause } = /** @type {{ step: string, cause: unknown }} */ (error);
      return refuse(502, step === 'disconnect'
        ? `${session ? 'The session is banned, but ' : ''}IVS Chat did not disconnect the user (${describe(cause)}). Try again.`
        : `The user is ${session ? 'banned and ' : ''}disconnected, but IVS Chat did not send the event that removes their messages (${describe(cause)}). Try again.`, { errorType: 'BadGatewayException' });
    }
    // A token minted before the ban may open a connection until it expires: then sweep again.
    const validUntil = session ? bans.tokenValidUntil(session) : 0;
    if (validUntil > Date.now()) {
      const timer = setTimeout(() => {
        sweeps.delete(timer);
        const all = [...new Set([...userIds, ...(session ? bans.userIdsOf(session) : [])])];
        disconnectAndRemove(all).catch(() => {}); // best effort: the review still refuses their messages
      }, validUntil - Date.now() + sweepMarginMs);
      timer.unref?.();
      sweeps.add(timer);
    }
    return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  };
  return Object.assign(handleBan, {
    /** Cancels the sweeps still to come (the server is closing). */
    close() {
      for (const timer of sweeps) clearTimeout(timer);
      sweeps.clear();
    },
  });
}

/**
 * What went wrong with an IVS call, as a name (never the AWS message, which may quote an
 * account or a role).
 * @param {unknown} error
 */
function describe(error) {
  const { errorType, code } = /** @type {{ errorType?: unknown, code?: unknown }} */ (error ?? {});
  return typeof errorType === 'string' ? errorType : typeof code === 'string' ? code : 'an unexpected error';
}

/**
 * The body as text, read up to MAX_BODY_BYTES within BODY_TIMEOUT_MS (bytes that are not UTF-8
 * give text that is not JSON).
 * @param {Request} request
 * @returns {Promise<{ text: string } | { tooLarge: true } | { tooSlow: true }>}
 */
async function readBody(request) {
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return { tooLarge: true };
  if (!request.body) return { text: '' };
  const reader = request.body.getReader();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => {});
  }, BODY_TIMEOUT_MS);
  let bytes;
  try {
    bytes = await readCapped(reader, MAX_BODY_BYTES);
  } catch {
    return { tooSlow: true };
  } finally {
    clearTimeout(timer);
  }
  if (timedOut) return { tooSlow: true };
  if (!bytes) return { tooLarge: true };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { text: '' };
  }
}

/**
 * An error answer in the token handler's shape.
 * @param {number} status
 * @param {string} message
 * @param {{ errorType?: string, headers?: Record<string, string> }} [options]
 */
function refuse(status, message, { errorType, headers = {} } = {}) {
  const defaults = /** @type {Record<number, string>} */ ({ 401: 'UnauthorizedException', 403: 'AccessDeniedException' });
  return new Response(JSON.stringify({ message }), {
    status,
    headers: {
      ...headers,
      'cache-control': 'no-store',
      'content-type': 'application/json',
      'x-amzn-errortype': errorType ?? defaults[status] ?? 'ClientException',
    },
  });
}
