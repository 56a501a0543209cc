// @ts-check
// What a server frame means for the room, as plain data: the event to emit, and the request it
// answers. Pure (no socket, no state): the core has read and checked the frame already.

/**
 * @typedef {import('../../dist/ivschat-client-calls.js').ParseServerFrameResult} CoreServerFrame
 * @typedef {Extract<CoreServerFrame, { ok: true }>} ServerFrame
 * @typedef {'sendMessage' | 'deleteMessage' | 'disconnectUser'} RequestKind
 *
 * @typedef {object} ChatUser
 * @property {string} userId
 * @property {Record<string, string>} [attributes] the attributes of the sender's token
 *
 * @typedef {object} ChatMessage
 * @property {string} id
 * @property {string} [requestId]
 * @property {string} content
 * @property {Record<string, string>} [attributes]
 * @property {Date} sendTime
 * @property {ChatUser} sender
 *
 * @typedef {object} ChatEvent
 * @property {string} id
 * @property {string} eventName
 * @property {Date} sendTime
 * @property {string} [requestId]
 * @property {Record<string, string>} [attributes]
 *
 * @typedef {object} DeleteMessageEvent
 * @property {string} id
 * @property {string} messageId
 * @property {string} [reason]
 * @property {Date} sendTime
 * @property {string} [requestId]
 * @property {Record<string, string>} [attributes]
 *
 * @typedef {object} DisconnectUserEvent
 * @property {string} id
 * @property {string} userId
 * @property {string} [reason]
 * @property {Date} sendTime
 * @property {string} [requestId]
 * @property {Record<string, string>} [attributes]
 *
 * @typedef {{ name: 'message', payload: ChatMessage, answers: 'sendMessage' }
 *   | { name: 'messageDelete', payload: DeleteMessageEvent, answers: 'deleteMessage' }
 *   | { name: 'userDisconnect', payload: DisconnectUserEvent, answers: 'disconnectUser' }
 *   | { name: 'event', payload: ChatEvent, answers?: undefined }} FrameEvent
 */

/**
 * The event of a MESSAGE or EVENT frame. Members are set one by one, absent ones left out: this
 * runs for every frame received.
 * @param {ServerFrame} frame
 * @returns {FrameEvent}
 */
export function frameEvent(frame) {
  const sendTime = new Date(frame.sendTimeMillis);
  if (frame.kind === 'MESSAGE') {
    /** @type {ChatUser} */
    const sender = { userId: frame.senderUserId };
    if (frame.senderAttributes) sender.attributes = frame.senderAttributes;
    /** @type {ChatMessage} */
    const message = { id: frame.id, content: frame.content, sendTime, sender };
    if (frame.requestId) message.requestId = frame.requestId;
    if (frame.attributes) message.attributes = frame.attributes;
    return { name: 'message', payload: message, answers: 'sendMessage' };
  }
  /** @type {{ id: string, sendTime: Date, requestId?: string, attributes?: Record<string, string>, reason?: string }} */
  const common = { id: frame.id, sendTime };
  if (frame.requestId) common.requestId = frame.requestId;
  if (frame.attributes) common.attributes = frame.attributes;
  if (frame.eventName === 'aws:DELETE_MESSAGE') {
    const event = { ...common, messageId: frame.deletedMessageId };
    if (frame.reason) event.reason = frame.reason;
    return { name: 'messageDelete', payload: event, answers: 'deleteMessage' };
  }
  if (frame.eventName === 'aws:DISCONNECT_USER') {
    const event = { ...common, userId: frame.disconnectedUserId };
    if (frame.reason) event.reason = frame.reason;
    return { name: 'userDisconnect', payload: event, answers: 'disconnectUser' };
  }
  return { name: 'event', payload: { ...common, eventName: frame.eventName } };
}
