// @ts-check
// Errors of the token backend. Like every error of this package they carry a stable `code`
// and never quote a secret key, a session token, a signature or a chat token.
import { IvsChatError } from '../errors.js';

/**
 * Where a signing problem lies: a credentials member, the region, the endpoint, the signing
 * time, or the environment variable it was read from.
 * @typedef {'credentials' | 'credentials.accessKeyId' | 'credentials.secretAccessKey' | 'credentials.sessionToken'
 *   | 'region' | 'endpoint' | 'now' | 'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY' | 'AWS_SESSION_TOKEN' | 'AWS_REGION' | 'AWS_DEFAULT_REGION'} SigningField
 */

/**
 * The request could not be signed because of the credentials, the region, the endpoint or the
 * signing time (the CreateChatToken request itself was valid). `field` names the input at fault.
 * @extends {IvsChatError<'SIGNING_INPUT'>}
 */
export class ChatTokenSigningError extends IvsChatError {
  /**
   * @param {SigningField} field
   * @param {string} message must not quote a secret
   * @param {{ cause?: unknown }} [options]
   */
  constructor(field, message, options) {
    super('SIGNING_INPUT', message, options);
    this.name = 'ChatTokenSigningError';
    /** @readonly @type {SigningField} */
    this.field = field;
  }
}

/** Error types the handler puts in `X-Amzn-ErrorType` for its own answers, by status. */
const DEFAULT_ERROR_TYPES = /** @type {Record<number, string>} */ ({
  400: 'BadRequestException',
  401: 'UnauthorizedException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  409: 'ConflictException',
  429: 'ThrottlingException',
  503: 'ServiceUnavailableException',
});

/** An `X-Amzn-ErrorType` value: a name, so it can never break a header line. */
const ERROR_TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * Whether `status` is one a refusal may answer with: 400-599.
 * @param {unknown} status
 * @returns {status is number}
 */
export function isRefusalStatus(status) {
  return Number.isInteger(status) && /** @type {number} */ (status) >= 400 && /** @type {number} */ (status) <= 599;
}

/**
 * The error type to send for a refusal: the given one when it is a plain name, else the
 * default for the status.
 * @param {number} status
 * @param {unknown} [errorType]
 */
export function refusalErrorType(status, errorType) {
  if (typeof errorType === 'string' && ERROR_TYPE_PATTERN.test(errorType)) return errorType;
  return DEFAULT_ERROR_TYPES[status] ?? (status >= 500 ? 'ServiceException' : 'ClientException');
}

/**
 * Thrown by an `authorize` hook to refuse a caller with a chosen 4xx status (typically 401 when
 * the caller is not signed in, 403 when they may not chat in that room). `message` is sent to
 * the caller as the body's `message`, `errorType` as `X-Amzn-ErrorType`.
 * @extends {IvsChatError<'REFUSED'>}
 */
export class TokenHandlerError extends IvsChatError {
  /**
   * @param {number} status an HTTP status from 400 to 599
   * @param {string} message shown to the caller
   * @param {{ errorType?: string }} [options] defaults by status: 401 UnauthorizedException,
   *   403 AccessDeniedException, 429 ThrottlingException, ...; else ClientException (4xx) or
   *   ServiceException (5xx)
   */
  constructor(status, message, options = {}) {
    if (!isRefusalStatus(status)) {
      throw new RangeError(`TokenHandlerError: status must be an integer from 400 to 599, got ${String(status)}`);
    }
    if (options.errorType !== undefined && refusalErrorType(status, options.errorType) !== options.errorType) {
      throw new TypeError(`TokenHandlerError: errorType must be a name such as AccessDeniedException (letters and digits), got ${JSON.stringify(options.errorType)}`);
    }
    const errorType = refusalErrorType(status, options.errorType);
    super('REFUSED', String(message));
    this.name = 'TokenHandlerError';
    /** @readonly @type {number} */
    this.status = status;
    /** @readonly @type {string} */
    this.errorType = errorType;
  }
}
