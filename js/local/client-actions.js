// @ts-check
// The three client actions of the messaging API (SEND_MESSAGE, DELETE_MESSAGE, DISCONNECT_USER):
// a client's frame read, checked in the service's order and answered (an ERROR frame to the
// sender, or the hub's broadcast).
import { newId, sendTimeNow } from './ids.js';
import { reviewMessage } from './review.js';
import { codePointLength, isPlainObject, MESSAGE_ID, textProblems, USER_ID } from './validation.js';

/**
 * @typedef {import('./messaging.js').MessagingHub} MessagingHub
 * @typedef {import('./messaging.js').ChatConnection} ChatConnection
 */

/** The rate limit counts SEND_MESSAGE over a sliding window of one real second. */
const RATE_WINDOW_MS = 1000;

/**
 * @param {MessagingHub} hub
 * @param {ChatConnection} connection
 * @param {Buffer} data
 * @param {boolean} isBinary
 */
export function answerClientFrame(hub, connection, data, isBinary) {
  if (connection.ended) return;
  const reply = (/** @type {string} */ requestId, /** @type {number} */ code, /** @type {string} */ message) =>
    connection.enqueue({ kind: 'text', text: hub.errorFrame(requestId, code, message) });
  if (isBinary) {
    reply('', 400, 'Binary frames are not supported: send JSON text frames.');
    return;
  }
  /** @type {unknown} */
  let request;
  try {
    request = JSON.parse(data.toString('utf8'));
  } catch {
    reply('', 400, 'Malformed request: the frame is not valid JSON.');
    return;
  }
  if (!isPlainObject(request)) {
    reply('', 400, 'Malformed request: the frame must be a JSON object.');
    return;
  }
  const fields = /** @type {Record<string, unknown>} */ (request);
  if (fields.RequestId !== undefined && fields.RequestId !== null && typeof fields.RequestId !== 'string') {
    reply('', 400, 'RequestId must be a string.');
    return;
  }
  const requestId = typeof fields.RequestId === 'string' ? fields.RequestId : '';
  switch (fields.Action) {
    case 'SEND_MESSAGE':
      sendMessage(hub, connection, fields, requestId, reply);
      return;
    case 'DELETE_MESSAGE':
      deleteMessage(hub, connection, fields, requestId, reply);
      return;
    case 'DISCONNECT_USER':
      disconnectUser(hub, connection, fields, requestId, reply);
      return;
    default:
      reply(
        requestId,
        400,
        fields.Action === undefined
          ? 'Action is required: SEND_MESSAGE, DELETE_MESSAGE or DISCONNECT_USER.'
          : `Unknown Action ${JSON.stringify(fields.Action)}: expected SEND_MESSAGE, DELETE_MESSAGE or DISCONNECT_USER.`,
      );
  }
}

/**
 * @callback Reply
 * @param {string} requestId
 * @param {number} code
 * @param {string} message
 * @returns {void}
 */

/**
 * SEND_MESSAGE. Checks, in order: capability (403), Content/Attributes (400), length in code
 * points against the room's maximumMessageLength (413), room-wide rate (429).
 * @param {MessagingHub} hub
 * @param {ChatConnection} connection
 * @param {Record<string, unknown>} fields
 * @param {string} requestId
 * @param {Reply} reply
 */
function sendMessage(hub, connection, fields, requestId, reply) {
  if (!connection.session.capabilities.has('SEND_MESSAGE')) {
    reply(requestId, 403, 'Forbidden: the chat token does not have the SEND_MESSAGE capability.');
    return;
  }
  const content = fields.Content;
  if (typeof content !== 'string') {
    reply(requestId, 400, 'Content is required and must be a string.');
    return;
  }
  if (content.length === 0) {
    reply(requestId, 400, 'Content must not be empty.');
    return;
  }
  if (!content.isWellFormed()) {
    reply(requestId, 400, 'Content must be valid Unicode text (it contains a lone surrogate).');
    return;
  }
  const attributes = checkAttributes(fields.Attributes);
  if (typeof attributes === 'string') {
    reply(requestId, 400, attributes);
    return;
  }
  const room = connection.room;
  const length = codePointLength(content);
  if (length > room.maximumMessageLength) {
    reply(
      requestId,
      413,
      `Content is too long: ${length} characters (code points), the room allows at most ${room.maximumMessageLength}.`,
    );
    return;
  }
  const now = Date.now();
  room.recentMessageTimesMs = room.recentMessageTimesMs.filter((t) => now - t < RATE_WINDOW_MS);
  if (room.recentMessageTimesMs.length >= room.maximumMessageRatePerSecond) {
    reply(
      requestId,
      429,
      `Rate exceeded: the room accepts at most ${room.maximumMessageRatePerSecond} messages per second from all clients.`,
    );
    return;
  }
  room.recentMessageTimesMs.push(now);
  deliverOrReview(hub, connection, content, attributes, requestId, reply);
}

/**
 * A SEND_MESSAGE that passed the checks: broadcast, or first reviewed by the room's review
 * handler (which may change it, or refuse it with a 406 to the sender).
 * @param {MessagingHub} hub
 * @param {ChatConnection} connection
 * @param {string} content
 * @param {Record<string, string>} attributes
 * @param {string} requestId
 * @param {Reply} reply
 */
function deliverOrReview(hub, connection, content, attributes, requestId, reply) {
  const room = connection.room;
  const id = newId();
  const deliver = (/** @type {string} */ finalContent, /** @type {Record<string, string> | null} */ finalAttributes) => {
    hub.stats.messagesSent += 1;
    hub.broadcast(room.arn, {
      Type: 'MESSAGE',
      Id: id,
      RequestId: requestId,
      Attributes: finalAttributes,
      Content: finalContent,
      SendTime: sendTimeNow(),
      Sender: { UserId: connection.userId, Attributes: { ...connection.session.attributes } },
    });
  };
  const handlerArn = room.messageReviewHandler?.uri;
  if (!handlerArn) {
    deliver(content, attributes);
    return;
  }
  // A function nobody registered is an invocation that fails, as at IVS: the fallbackResult applies.
  const review = hub.lambdas.get(handlerArn) ?? (() => {
    throw new Error(`no Lambda function is registered for ${handlerArn} (startLocalIvsChat({ lambdas }) or setLambda)`);
  });
  // As IVS: the room's review handler decides, within 200 ms, or its fallbackResult does.
  const event = {
    Content: content,
    MessageId: id,
    RoomArn: room.arn,
    Attributes: attributes ?? {},
    Sender: { Attributes: { ...connection.session.attributes }, UserId: connection.userId, Ip: connection.ip },
  };
  hub.stats.messagesReviewed += 1;
  void reviewMessage(review, event, room.messageReviewHandler?.fallbackResult ?? 'ALLOW').then((outcome) => {
    hub.log(`review ${outcome.allow ? 'ALLOW' : 'DENY'} ${outcome.outcome}${outcome.why ? ` (${outcome.why})` : ''} room=${room.id}`);
    if (hub.closing) return;
    if (outcome.allow) {
      deliver(outcome.content, Object.keys(outcome.attributes).length > 0 ? outcome.attributes : null);
    } else {
      reply(requestId, 406, `The request was rejected during message review.${outcome.reason ? ` Reason: ${outcome.reason}` : ''}`);
    }
  });
}

/**
 * DELETE_MESSAGE: needs the DELETE_MESSAGE capability and an `Id` of 12 letters/digits.
 * @param {MessagingHub} hub
 * @param {ChatConnection} connection
 * @param {Record<string, unknown>} fields
 * @param {string} requestId
 * @param {Reply} reply
 */
function deleteMessage(hub, connection, fields, requestId, reply) {
  if (!connection.session.capabilities.has('DELETE_MESSAGE')) {
    reply(requestId, 403, 'Forbidden: the chat token does not have the DELETE_MESSAGE capability.');
    return;
  }
  if (typeof fields.Id !== 'string' || textProblems(fields.Id, MESSAGE_ID).length > 0) {
    reply(requestId, 400, 'Id is required: the 12-character id of the message to delete.');
    return;
  }
  const reason = checkReason(fields.Reason);
  if (reason === undefined) {
    reply(requestId, 400, 'Reason must be a string of valid Unicode text.');
    return;
  }
  hub.deleteMessage(connection.room.arn, fields.Id, reason, requestId);
}

/**
 * DISCONNECT_USER: needs the DISCONNECT_USER capability and a non-empty `UserId` (1-128).
 * @param {MessagingHub} hub
 * @param {ChatConnection} connection
 * @param {Record<string, unknown>} fields
 * @param {string} requestId
 * @param {Reply} reply
 */
function disconnectUser(hub, connection, fields, requestId, reply) {
  if (!connection.session.capabilities.has('DISCONNECT_USER')) {
    reply(requestId, 403, 'Forbidden: the chat token does not have the DISCONNECT_USER capability.');
    return;
  }
  const userId = fields.UserId;
  if (typeof userId !== 'string' || textProblems(userId, USER_ID).length > 0) {
    reply(requestId, 400, 'UserId is required: 1 to 128 characters of valid Unicode text.');
    return;
  }
  const reason = checkReason(fields.Reason);
  if (reason === undefined) {
    reply(requestId, 400, 'Reason must be a string of valid Unicode text.');
    return;
  }
  hub.disconnectUser(connection.room.arn, userId, reason, requestId);
}

/**
 * @param {unknown} value
 * @returns {Record<string, string> | string} the attributes, or an error message
 */
function checkAttributes(value) {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) return 'Attributes must be a map of string to string.';
  for (const [key, item] of Object.entries(/** @type {Record<string, unknown>} */ (value))) {
    if (typeof item !== 'string') return `Attributes must be a map of string to string: '${key}' is not a string.`;
    if (textProblems(key, {}).length > 0 || textProblems(item, {}).length > 0) {
      return 'Attributes must be valid Unicode text (a name or value contains a lone surrogate).';
    }
  }
  return { .../** @type {Record<string, string>} */ (value) };
}

/**
 * @param {unknown} value
 * @returns {string | undefined} the reason ('' when absent), undefined when invalid
 */
function checkReason(value) {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' && textProblems(value, {}).length === 0 ? value : undefined;
}
