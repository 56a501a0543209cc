// @ts-check
// The one error class of the chat client. Every rejection of a ChatRoom request and every
// `error` event carries a ChatError with a stable `code`; messages never contain a chat token
// (every text from elsewhere goes through js/redact.js first).
import { IvsChatError } from '../errors.js';

/**
 * @typedef {import('../errors.js').FieldError} FieldError
 * @typedef {'clientDisconnect' | 'serverDisconnect' | 'socketError' | 'fetchTokenError' | 'sessionExpired'} DisconnectReason
 * @typedef {'VALIDATION' | 'DISCONNECTED' | 'TIMEOUT' | 'RATE_LIMITED' | 'BAD_REQUEST' | 'UNAUTHORIZED'
 *   | 'FORBIDDEN' | 'NOT_FOUND' | 'REJECTED' | 'PAYLOAD_TOO_LARGE' | 'SERVER_ERROR' | 'UNKNOWN_ERROR'
 *   | 'MALFORMED_FRAME' | 'TOKEN_FETCH_FAILED' | 'CONNECTION_FAILED' | 'LISTENER_FAILED' | 'CORE_UNAVAILABLE'
 *   | 'ABORTED' | 'HISTORY_FAILED'} ChatErrorCode
 */

/**
 * IVS Chat ErrorCode → our code. The numbers are the service's (Chat Messaging API reference).
 * @type {Readonly<Record<number, ChatErrorCode>>}
 */
const CODE_BY_STATUS = Object.freeze({
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  406: 'REJECTED',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  500: 'SERVER_ERROR',
});

/**
 * The code for an IVS ErrorCode; codes the service does not publish map by class.
 * @param {number} status
 * @returns {ChatErrorCode}
 */
export function codeForStatus(status) {
  return CODE_BY_STATUS[status] ?? (status >= 500 && status <= 599 ? 'SERVER_ERROR' : 'UNKNOWN_ERROR');
}

/**
 * A chat request failed, or the room reports a problem on its `error` event.
 * @extends {IvsChatError<ChatErrorCode>}
 */
export class ChatError extends IvsChatError {
  /**
   * @param {ChatErrorCode} code
   * @param {string} message
   * @param {{ status?: number, requestId?: string, errors?: FieldError[],
   *   disconnectReason?: DisconnectReason, cause?: unknown }} [details]
   */
  constructor(code, message, details = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ChatError';
    /** The IVS ErrorCode of the ERROR frame, when the service sent one. @readonly @type {number | undefined} */
    this.status = details.status;
    /** The RequestId of the request concerned, when there is one. @readonly @type {string | undefined} */
    this.requestId = details.requestId;
    /** For VALIDATION: every broken rule, as the WebAssembly core reports them. @readonly @type {FieldError[]} */
    this.errors = details.errors ?? [];
    /** For DISCONNECTED: why the connection ended, when known. @readonly @type {DisconnectReason | undefined} */
    this.disconnectReason = details.disconnectReason;
  }
}

/**
 * A ChatError for an ERROR frame of the service.
 * @param {number} status the frame's ErrorCode
 * @param {string} serviceMessage the frame's ErrorMessage, redacted
 * @param {string} requestId '' when the frame has none
 */
export function errorFromFrame(status, serviceMessage, requestId) {
  const text = serviceMessage || 'no message';
  return new ChatError(codeForStatus(status), `IVS Chat answered ${status}: ${text}`, {
    status,
    requestId: requestId || undefined,
  });
}
