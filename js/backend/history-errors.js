// @ts-check
// The error of room history (history.js): a read of a room's CloudWatch Logs destination that
// could not be done, with a code naming the cause. Like every error of this package it never
// quotes a secret key, a session token or a signature.
import { IvsChatError } from '../errors.js';

/**
 * @typedef {'LOG_GROUP_NOT_FOUND' | 'ACCESS_DENIED' | 'THROTTLED' | 'CLOUDWATCH_ERROR' | 'NETWORK_ERROR'
 *   | 'TIMEOUT' | 'ABORTED' | 'MALFORMED_RESPONSE'} ChatHistoryErrorCode
 */

/**
 * Reading a room's history failed: the log group does not exist (LOG_GROUP_NOT_FOUND), the
 * credentials may not read it (ACCESS_DENIED: logs:GetLogEvents on the group), CloudWatch Logs
 * kept throttling (THROTTLED), answered another error (CLOUDWATCH_ERROR) or an unusable body
 * (MALFORMED_RESPONSE), or could not be reached in time (NETWORK_ERROR, TIMEOUT, ABORTED).
 * @extends {IvsChatError<ChatHistoryErrorCode>}
 */
export class ChatHistoryError extends IvsChatError {
  /**
   * @param {ChatHistoryErrorCode} code
   * @param {string} message
   * @param {{ status?: number, errorType?: string, awsMessage?: string, logGroupName?: string, cause?: unknown }} [details]
   */
  constructor(code, message, details = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ChatHistoryError';
    /** HTTP status of CloudWatch Logs' answer, when one arrived. @readonly @type {number | undefined} */
    this.status = details.status;
    /** CloudWatch Logs' error type, such as `ResourceNotFoundException`. @readonly @type {string | undefined} */
    this.errorType = details.errorType;
    /** CloudWatch Logs' own message (scrubbed of secrets). @readonly @type {string | undefined} */
    this.awsMessage = details.awsMessage;
    /** The log group read. @readonly @type {string | undefined} */
    this.logGroupName = details.logGroupName;
  }
}
