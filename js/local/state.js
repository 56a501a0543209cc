// @ts-check
/**
 * Rooms and chat tokens: the service's data, independent of HTTP and WebSocket.
 * @module
 */
import { isoTime, newChatToken, randomAlphanumeric } from './ids.js';

const DEFAULT_MAXIMUM_MESSAGE_LENGTH = 500;
const DEFAULT_MAXIMUM_MESSAGE_RATE_PER_SECOND = 10;

/**
 * @typedef {object} MessageReviewHandler
 * @property {string} [uri]
 * @property {'ALLOW' | 'DENY'} [fallbackResult]
 */

/**
 * @typedef {object} Room
 * @property {string} arn
 * @property {string} id
 * @property {string} name
 * @property {number} createTimeMs
 * @property {number} updateTimeMs
 * @property {number} maximumMessageLength
 * @property {number} maximumMessageRatePerSecond
 * @property {MessageReviewHandler | undefined} messageReviewHandler
 * @property {Record<string, string>} tags
 * @property {string[]} loggingConfigurationIdentifiers
 * @property {number[]} recentMessageTimesMs real times of accepted SEND_MESSAGE in the last second
 */

/**
 * @typedef {object} RoomSettings
 * @property {string} [name]
 * @property {number} [maximumMessageLength]
 * @property {number} [maximumMessageRatePerSecond]
 * @property {MessageReviewHandler} [messageReviewHandler]
 * @property {Record<string, string>} [tags]
 * @property {string[]} [loggingConfigurationIdentifiers]
 */

/**
 * @typedef {object} ChatSession what a token grants, fixed when the token is created
 * @property {string} token
 * @property {string} roomArn
 * @property {string} userId
 * @property {Set<string>} capabilities
 * @property {Record<string, string>} attributes
 * @property {number} tokenExpiresAtMs real wall-clock instant the token stops being accepted
 * @property {number} sessionExpiresAtMs real wall-clock instant the connection is closed
 * @property {boolean} used a token opens one connection only
 */

/**
 * The room description (GetRoom) or summary (ListRooms) members the control plane returns.
 * @param {Room} room
 * @param {{ summary?: boolean }} [options]
 */
export function describeRoom(room, { summary = false } = {}) {
  /** @type {Record<string, unknown>} */
  const description = {
    arn: room.arn,
    id: room.id,
    name: room.name,
    createTime: isoTime(room.createTimeMs),
    updateTime: isoTime(room.updateTimeMs),
  };
  if (!summary) {
    description.maximumMessageLength = room.maximumMessageLength;
    description.maximumMessageRatePerSecond = room.maximumMessageRatePerSecond;
  }
  if (room.messageReviewHandler) description.messageReviewHandler = { ...room.messageReviewHandler };
  description.tags = { ...room.tags };
  description.loggingConfigurationIdentifiers = [...room.loggingConfigurationIdentifiers];
  return description;
}

/** Rooms and tokens of one local "account" in one region. */
export class ChatState {
  /**
   * @param {{ region: string, accountId: string, tokenLifetimeMs: number, timeScale: number }} options
   *   `tokenLifetimeMs` is already in real time; `timeScale` shortens session durations.
   */
  constructor({ region, accountId, tokenLifetimeMs, timeScale }) {
    this.region = region;
    this.accountId = accountId;
    this.tokenLifetimeMs = tokenLifetimeMs;
    this.timeScale = timeScale;
    /** @type {Map<string, Room>} by ARN */
    this.rooms = new Map();
    /** @type {Map<string, ChatSession>} by token */
    this.sessions = new Map();
    this.tokensIssued = 0;
  }

  /**
   * Creates a room; settings are assumed valid (the control plane checks them).
   * @param {RoomSettings} settings
   * @returns {Room}
   */
  createRoom(settings = {}) {
    let id = randomAlphanumeric(12);
    while (this.rooms.has(this.roomArn(id))) id = randomAlphanumeric(12);
    const now = Date.now();
    /** @type {Room} */
    const room = {
      arn: this.roomArn(id),
      id,
      name: settings.name ?? '',
      createTimeMs: now,
      updateTimeMs: now,
      maximumMessageLength: settings.maximumMessageLength ?? DEFAULT_MAXIMUM_MESSAGE_LENGTH,
      maximumMessageRatePerSecond: settings.maximumMessageRatePerSecond ?? DEFAULT_MAXIMUM_MESSAGE_RATE_PER_SECOND,
      messageReviewHandler: settings.messageReviewHandler
        ? { uri: settings.messageReviewHandler.uri ?? '', fallbackResult: settings.messageReviewHandler.fallbackResult ?? 'ALLOW' }
        : undefined,
      tags: { ...(settings.tags ?? {}) },
      loggingConfigurationIdentifiers: [...(settings.loggingConfigurationIdentifiers ?? [])],
      recentMessageTimesMs: [],
    };
    this.rooms.set(room.arn, room);
    return room;
  }

  /** @param {string} id */
  roomArn(id) {
    return `arn:aws:ivschat:${this.region}:${this.accountId}:room/${id}`;
  }

  /** @param {string} arn @returns {Room | undefined} */
  getRoom(arn) {
    return this.rooms.get(arn);
  }

  /** @param {string} arn */
  deleteRoom(arn) {
    // Its unused tokens stay until they expire, so a late connect is told the room is gone (404).
    this.rooms.delete(arn);
  }

  /**
   * Issues a chat token. Lifetimes: the token for `tokenLifetimeMs` of real time, the session for
   * `sessionDurationInMinutes` of service time (divided by `timeScale`), both from now.
   * @param {{ room: Room, userId: string, capabilities: string[], attributes: Record<string, string>, sessionDurationInMinutes: number }} request
   * @returns {ChatSession}
   */
  issueToken({ room, userId, capabilities, attributes, sessionDurationInMinutes }) {
    this.forgetExpiredTokens();
    const now = Date.now();
    /** @type {ChatSession} */
    const session = {
      token: newChatToken(),
      roomArn: room.arn,
      userId,
      capabilities: new Set(capabilities),
      attributes: { ...attributes },
      tokenExpiresAtMs: now + this.tokenLifetimeMs,
      sessionExpiresAtMs: now + Math.round((sessionDurationInMinutes * 60_000) / this.timeScale),
      used: false,
    };
    this.sessions.set(session.token, session);
    this.tokensIssued += 1;
    return session;
  }

  /**
   * Takes a token for a new connection. Returns the session, or why it is refused.
   * The token is spent even when the handshake later fails: tokens are single-use.
   * @param {string} token
   * @returns {{ session: ChatSession, room: Room } | { refusal: { status: number, message: string } }}
   */
  consumeToken(token) {
    const session = this.sessions.get(token);
    if (!session) return { refusal: { status: 401, message: 'Unknown chat token' } };
    if (session.used) return { refusal: { status: 401, message: 'Chat token already used: a token opens one connection only' } };
    if (Date.now() >= session.tokenExpiresAtMs) {
      this.sessions.delete(token);
      return { refusal: { status: 401, message: 'Chat token expired' } };
    }
    const room = this.rooms.get(session.roomArn);
    if (!room) return { refusal: { status: 404, message: 'Room not found (it was deleted)' } };
    session.used = true;
    return { session, room };
  }

  /** Drops expired tokens so the table does not grow without bound. Used tokens stay until they expire, so a reuse is reported as such. */
  forgetExpiredTokens() {
    const now = Date.now();
    for (const [token, session] of this.sessions) {
      if (now >= session.tokenExpiresAtMs) this.sessions.delete(token);
    }
  }
}
