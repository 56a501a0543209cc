// @ts-check
/**
 * The control-plane operations (rest-json: `POST /<Operation>` with a JSON body), with input
 * checks from the service model. Transport-free: each takes the parsed body and returns
 * `{ status, body }` or throws a {@link ServiceError}.
 * @module
 */
import { otherValidationError, roomNotFound, ServiceError } from './errors.js';
import { describeRoom } from './state.js';
import { isoTime } from './ids.js';
import { loggingOperations, requireLoggingConfigurations } from './logging.js';
import {
  CAPABILITIES,
  LAMBDA_ARN_PATTERN,
  LOGGING_CONFIGURATION_PATTERN,
  MAX_ATTRIBUTES_BYTES,
  MESSAGE_ID,
  REASON,
  RequestChecker,
  ROOM_ARN_PATTERN,
  ROOM_NAME_PATTERN,
  USER_ID,
} from './validation.js';

/**
 * @typedef {object} OperationResult
 * @property {number} status 200, or 204 without a body
 * @property {Record<string, unknown>} [body]
 */

/**
 * @typedef {object} OperationContext
 * @property {import('./state.js').ChatState} state
 * @property {import('./messaging.js').MessagingHub} hub
 * @property {import('./logging.js').LoggingConfigurations} logging
 */

/** @param {RequestChecker} check @param {string} name */
function roomIdentifier(check, name) {
  return check.string(name, { required: true, min: 1, max: 128, pattern: ROOM_ARN_PATTERN });
}

/**
 * The settable room members (CreateRoom and UpdateRoom).
 * @param {RequestChecker} check
 * @returns {import('./state.js').RoomSettings}
 */
function roomSettings(check) {
  /** @type {import('./state.js').RoomSettings} */
  const settings = {};
  const name = check.string('name', { min: 0, max: 128, pattern: ROOM_NAME_PATTERN });
  if (name !== undefined) settings.name = name;
  const length = check.integer('maximumMessageLength', { min: 1, max: 500 });
  if (length !== undefined) settings.maximumMessageLength = length;
  const rate = check.integer('maximumMessageRatePerSecond', { min: 1, max: 100 });
  if (rate !== undefined) settings.maximumMessageRatePerSecond = rate;
  const handler = check.structure('messageReviewHandler', (inner) => {
    inner.string('uri', { min: 0, max: 170, pattern: LAMBDA_ARN_PATTERN });
    inner.string('fallbackResult', { pattern: /^(ALLOW|DENY)$/, patternText: 'ALLOW | DENY' });
  });
  if (handler !== undefined) {
    settings.messageReviewHandler = /** @type {import('./state.js').MessageReviewHandler} */ ({
      uri: handler.uri ?? '',
      fallbackResult: handler.fallbackResult ?? 'ALLOW',
    });
  }
  const identifiers = check.stringList('loggingConfigurationIdentifiers', {
    max: 3,
    check: (item) =>
      item.length < 1 || item.length > 128 || !LOGGING_CONFIGURATION_PATTERN.test(item)
        ? 'must be a logging-configuration ARN of 1 to 128 characters'
        : undefined,
  });
  if (identifiers !== undefined) settings.loggingConfigurationIdentifiers = identifiers;
  return settings;
}

/** @param {OperationContext} context @param {string} arn */
function findRoom({ state }, arn) {
  const room = state.getRoom(arn);
  if (!room) throw roomNotFound(arn);
  return room;
}

/**
 * The operations by name. Each validates everything first (400), then looks up the room (404).
 * @type {Record<string, (body: Record<string, unknown>, context: OperationContext) => OperationResult>}
 */
export const operations = {
  CreateChatToken(body, context) {
    const check = new RequestChecker(body);
    const arn = roomIdentifier(check, 'roomIdentifier');
    const userId = check.string('userId', { required: true, ...USER_ID });
    const capabilities = check.stringList('capabilities', {
      check: (item) =>
        /** @type {readonly string[]} */ (CAPABILITIES).includes(item)
          ? undefined
          : `must be one of ${CAPABILITIES.join(', ')}, got ${JSON.stringify(item)}`,
    });
    const minutes = check.integer('sessionDurationInMinutes', { min: 1, max: 180 });
    const attributes = check.stringMap('attributes', { maxTotalBytes: MAX_ATTRIBUTES_BYTES });
    check.throwIfInvalid();
    const room = findRoom(context, /** @type {string} */ (arn));
    const session = context.state.issueToken({
      room,
      userId: /** @type {string} */ (userId),
      capabilities: capabilities ?? [],
      attributes: attributes ?? {},
      sessionDurationInMinutes: minutes ?? 60,
    });
    return {
      status: 200,
      body: {
        token: session.token,
        tokenExpirationTime: isoTime(session.tokenExpiresAtMs),
        sessionExpirationTime: isoTime(session.sessionExpiresAtMs),
      },
    };
  },

  CreateRoom(body, context) {
    const check = new RequestChecker(body);
    const settings = roomSettings(check);
    const tags = check.stringMap('tags', { maxEntries: 50, keyLength: [1, 128], valueLength: [0, 256] });
    check.throwIfInvalid();
    requireLoggingConfigurations(context.logging, settings.loggingConfigurationIdentifiers);
    const room = context.state.createRoom({ ...settings, tags });
    return { status: 200, body: describeRoom(room) };
  },

  GetRoom(body, context) {
    const check = new RequestChecker(body);
    const arn = roomIdentifier(check, 'identifier');
    check.throwIfInvalid();
    return { status: 200, body: describeRoom(findRoom(context, /** @type {string} */ (arn))) };
  },

  UpdateRoom(body, context) {
    const check = new RequestChecker(body);
    const arn = roomIdentifier(check, 'identifier');
    const settings = roomSettings(check);
    check.throwIfInvalid();
    const room = findRoom(context, /** @type {string} */ (arn));
    requireLoggingConfigurations(context.logging, settings.loggingConfigurationIdentifiers);
    Object.assign(room, settings, { updateTimeMs: Date.now() });
    // An empty uri detaches the review handler.
    if (settings.messageReviewHandler?.uri === '') room.messageReviewHandler = undefined;
    return { status: 200, body: describeRoom(room) };
  },

  ListRooms(body, context) {
    const check = new RequestChecker(body);
    const name = check.string('name', { min: 0, max: 128, pattern: ROOM_NAME_PATTERN });
    const nextToken = check.string('nextToken', { min: 0, max: 1024 });
    const maxResults = check.integer('maxResults', { min: 1, max: 50 }) ?? 50;
    const reviewUri = check.string('messageReviewHandlerUri', { min: 0, max: 170, pattern: LAMBDA_ARN_PATTERN });
    const loggingIdentifier = check.string('loggingConfigurationIdentifier', {
      min: 1,
      max: 128,
      pattern: LOGGING_CONFIGURATION_PATTERN,
    });
    check.throwIfInvalid();
    let start = 0;
    if (nextToken) {
      start = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
      if (!Number.isInteger(start) || start < 0) {
        throw otherValidationError('nextToken is not a token returned by ListRooms.');
      }
    }
    const matching = [...context.state.rooms.values()]
      .filter((room) => name === undefined || room.name === name)
      .filter((room) => reviewUri === undefined || room.messageReviewHandler?.uri === reviewUri)
      .filter((room) => loggingIdentifier === undefined || room.loggingConfigurationIdentifiers.includes(loggingIdentifier))
      // Newest update first, as the service documents.
      .sort((a, b) => b.updateTimeMs - a.updateTimeMs || (a.arn < b.arn ? -1 : 1));
    const page = matching.slice(start, start + maxResults);
    /** @type {Record<string, unknown>} */
    const result = { rooms: page.map((room) => describeRoom(room, { summary: true })) };
    if (start + maxResults < matching.length) {
      result.nextToken = Buffer.from(String(start + maxResults), 'utf8').toString('base64url');
    }
    return { status: 200, body: result };
  },

  DeleteRoom(body, context) {
    const check = new RequestChecker(body);
    const arn = /** @type {string} */ (roomIdentifier(check, 'identifier'));
    check.throwIfInvalid();
    findRoom(context, arn);
    context.state.deleteRoom(arn);
    context.hub.closeRoom(arn);
    return { status: 204 };
  },

  DeleteMessage(body, context) {
    const check = new RequestChecker(body);
    const arn = roomIdentifier(check, 'roomIdentifier');
    const id = check.string('id', { required: true, ...MESSAGE_ID });
    const reason = check.string('reason', REASON);
    check.throwIfInvalid();
    const room = findRoom(context, /** @type {string} */ (arn));
    const eventId = context.hub.deleteMessage(room.arn, /** @type {string} */ (id), reason ?? '');
    return { status: 200, body: { id: eventId } };
  },

  DisconnectUser(body, context) {
    const check = new RequestChecker(body);
    const arn = roomIdentifier(check, 'roomIdentifier');
    const userId = check.string('userId', { required: true, ...USER_ID });
    const reason = check.string('reason', REASON);
    check.throwIfInvalid();
    const room = findRoom(context, /** @type {string} */ (arn));
    context.hub.disconnectUser(room.arn, /** @type {string} */ (userId), reason ?? '');
    return { status: 200, body: {} };
  },

  SendEvent(body, context) {
    const check = new RequestChecker(body);
    const arn = roomIdentifier(check, 'roomIdentifier');
    const eventName = check.string('eventName', { required: true, min: 1, max: 100 });
    const attributes = check.stringMap('attributes', { maxTotalBytes: MAX_ATTRIBUTES_BYTES });
    check.throwIfInvalid();
    const room = findRoom(context, /** @type {string} */ (arn));
    const id = context.hub.sendEvent(room.arn, /** @type {string} */ (eventName), attributes ?? {});
    return { status: 200, body: { id } };
  },

  ...loggingOperations,
};

/**
 * Parses a rest-json request body: empty means `{}`; anything but a JSON object is a 400.
 * @param {Buffer} raw
 * @returns {Record<string, unknown>}
 */
export function parseJsonBody(raw) {
  if (raw.length === 0) return {};
  /** @type {unknown} */
  let parsed;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw otherValidationError('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw otherValidationError('The request body must be a JSON object.');
  }
  return /** @type {Record<string, unknown>} */ (parsed);
}

/**
 * The 400 for a path that is not an operation.
 * @param {string} method
 * @param {string} path
 */
export function unknownOperation(method, path) {
  return new ServiceError(400, 'ValidationException', `Unknown operation: ${method} ${path}`, { reason: 'UNKNOWN_OPERATION' });
}
