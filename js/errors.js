// @ts-check
// Typed errors with stable `code` strings. Messages never contain a token, a secret key or a
// signature.

/** Base class of every error this package throws. */
export class IvsChatError extends Error {
  /**
   * @param {string} code stable machine-readable code
   * @param {string} message
   * @param {{ cause?: unknown }} [options]
   */
  constructor(code, message, options) {
    super(message, options);
    // A literal, not new.target.name: minifiers rename classes.
    this.name = 'IvsChatError';
    /** @type {string} */
    this.code = code;
  }
}

/** The WebAssembly module could not be fetched, compiled or instantiated. */
export class WasmLoadError extends IvsChatError {
  /** @param {string} message @param {{ cause?: unknown }} [options] */
  constructor(message, options) {
    super('WASM_LOAD_FAILED', message, options);
    this.name = 'WasmLoadError';
  }
}

/** An option passed to a function of this package is missing or of the wrong kind. */
export class InvalidOptionError extends IvsChatError {
  /** @param {string} option @param {string} message */
  constructor(option, message) {
    super('INVALID_OPTION', message);
    this.name = 'InvalidOptionError';
    /** @type {string} */
    this.option = option;
  }
}

/**
 * @typedef {{ field: string, code: string, message: string }} FieldError
 */

/** A CreateChatToken request broke one or more of the service's rules; nothing was sent. */
export class ChatTokenValidationError extends IvsChatError {
  /** @param {FieldError[]} errors */
  constructor(errors) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    super('VALIDATION', `Invalid CreateChatToken request: ${first ? first.message : 'unknown problem'}${more}`);
    this.name = 'ChatTokenValidationError';
    /** @type {FieldError[]} */
    this.errors = errors;
  }
}

/**
 * @typedef {'HTTP_ERROR' | 'NETWORK_ERROR' | 'TIMEOUT' | 'ABORTED' | 'MALFORMED_RESPONSE'} ChatTokenRequestErrorCode
 * @typedef {{ name: string, message: string }} AwsFieldProblem
 */

/** Getting a token failed: an HTTP error, the network, a timeout, or an unusable answer. */
export class ChatTokenRequestError extends IvsChatError {
  /**
   * @param {ChatTokenRequestErrorCode} code
   * @param {string} message
   * @param {{ status?: number, errorType?: string, awsMessage?: string, reason?: string,
   *   fieldList?: AwsFieldProblem[], resourceId?: string, cause?: unknown }} [details]
   */
  constructor(code, message, details = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ChatTokenRequestError';
    /** HTTP status, when an answer arrived. @type {number | undefined} */
    this.status = details.status;
    /** AWS error type such as `AccessDeniedException`, for HTTP errors. @type {string | undefined} */
    this.errorType = details.errorType;
    /** The `message` of the AWS error body, when there is one. @type {string | undefined} */
    this.awsMessage = details.awsMessage;
    /** ValidationException reason. @type {string | undefined} */
    this.reason = details.reason;
    /** ValidationException fieldList. @type {AwsFieldProblem[]} */
    this.fieldList = details.fieldList ?? [];
    /** ResourceNotFoundException resourceId. @type {string | undefined} */
    this.resourceId = details.resourceId;
  }
}
