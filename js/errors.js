// @ts-check
// Typed errors with stable `code` strings. Messages never contain a token, a secret key or a
// signature.
import { firstProblem } from './first-problem.js';

/**
 * Base class of every error this package throws.
 * @template {string} [Code=string] the codes of the class (a subclass narrows them)
 */
export class IvsChatError extends Error {
  /**
   * @param {Code} code stable machine-readable code
   * @param {string} message
   * @param {{ cause?: unknown }} [options]
   */
  constructor(code, message, options) {
    super(message, options);
    // A literal, not new.target.name: minifiers rename classes.
    this.name = 'IvsChatError';
    /** @readonly @type {Code} */
    this.code = code;
  }
}

/**
 * The WebAssembly module could not be fetched, compiled or instantiated.
 * @extends {IvsChatError<'WASM_LOAD_FAILED'>}
 */
export class WasmLoadError extends IvsChatError {
  /** @param {string} message @param {{ cause?: unknown }} [options] */
  constructor(message, options) {
    super('WASM_LOAD_FAILED', message, options);
    this.name = 'WasmLoadError';
  }
}

/**
 * An option passed to a function of this package is missing or of the wrong kind.
 * @extends {IvsChatError<'INVALID_OPTION'>}
 */
export class InvalidOptionError extends IvsChatError {
  /** @param {string} option @param {string} message */
  constructor(option, message) {
    super('INVALID_OPTION', message);
    this.name = 'InvalidOptionError';
    /** @readonly @type {string} */
    this.option = option;
  }
}

/**
 * The codes of src/core/field_checks.hpp (error_code).
 * @typedef {'REQUIRED' | 'TYPE' | 'TOO_SHORT' | 'TOO_LONG' | 'PATTERN' | 'ENUM' | 'DUPLICATE' | 'RANGE'
 *   | 'INVALID_UTF8' | 'TOO_LARGE' | 'UNKNOWN_FIELD' | 'TOO_MANY_ERRORS'} FieldErrorCode
 * @typedef {{ field: string, code: FieldErrorCode, message: string }} FieldError
 */

/**
 * A request to IVS Chat broke one or more of the service's rules; nothing was sent.
 * @template {string} [Operation=string] the operations of the class (a subclass names its own)
 * @extends {IvsChatError<'VALIDATION'>}
 */
export class RequestValidationError extends IvsChatError {
  /** @param {Operation} operation such as SendEvent @param {FieldError[]} errors */
  constructor(operation, errors) {
    super('VALIDATION', `Invalid ${operation} request: ${firstProblem(errors)}`);
    this.name = 'RequestValidationError';
    /** The operation whose request it was. @readonly @type {Operation} */
    this.operation = operation;
    /** Every broken rule, as the WebAssembly core reports them. @readonly @type {FieldError[]} */
    this.errors = errors;
  }
}

/**
 * A CreateChatToken request broke one or more of the service's rules; nothing was sent.
 * @extends {RequestValidationError<'CreateChatToken'>}
 */
export class ChatTokenValidationError extends RequestValidationError {
  /** @param {FieldError[]} errors */
  constructor(errors) {
    super('CreateChatToken', errors);
    this.name = 'ChatTokenValidationError';
  }
}

/**
 * @typedef {'HTTP_ERROR' | 'NETWORK_ERROR' | 'TIMEOUT' | 'ABORTED' | 'MALFORMED_RESPONSE'} ChatTokenRequestErrorCode
 * @typedef {ChatTokenRequestErrorCode} RequestErrorCode
 * @typedef {{ name: string, message: string }} AwsFieldProblem
 * @typedef {{ status?: number, errorType?: string, awsMessage?: string, reason?: string,
 *   fieldList?: AwsFieldProblem[], resourceId?: string, resourceType?: string, limit?: number,
 *   cause?: unknown }} RequestErrorDetails
 */

/**
 * A call over HTTP failed: an HTTP error (with the AWS error's members), the network, a timeout, an abort, or an unusable answer.
 * @extends {IvsChatError<RequestErrorCode>}
 */
export class IvsChatRequestError extends IvsChatError {
  /**
   * @param {RequestErrorCode} code
   * @param {string} message
   * @param {RequestErrorDetails} [details]
   */
  constructor(code, message, details = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'IvsChatRequestError';
    /** HTTP status, when an answer arrived. @readonly @type {number | undefined} */
    this.status = details.status;
    /** AWS error type such as `AccessDeniedException`, for HTTP errors. @readonly @type {string | undefined} */
    this.errorType = details.errorType;
    /** The `message` of the AWS error body, when there is one. @readonly @type {string | undefined} */
    this.awsMessage = details.awsMessage;
    /** ValidationException reason. @readonly @type {string | undefined} */
    this.reason = details.reason;
    /** ValidationException fieldList. @readonly @type {AwsFieldProblem[]} */
    this.fieldList = details.fieldList ?? [];
    /** ResourceNotFoundException and ThrottlingException resourceId. @readonly @type {string | undefined} */
    this.resourceId = details.resourceId;
    /** ResourceNotFoundException and ThrottlingException resourceType (e.g. ROOM). @readonly @type {string | undefined} */
    this.resourceType = details.resourceType;
    /** ThrottlingException limit: the quota that was hit, per second. @readonly @type {number | undefined} */
    this.limit = details.limit;
  }
}

/** Getting a token failed: an HTTP error, the network, a timeout, or an unusable answer. */
export class ChatTokenRequestError extends IvsChatRequestError {
  /**
   * @param {ChatTokenRequestErrorCode} code
   * @param {string} message
   * @param {RequestErrorDetails} [details]
   */
  constructor(code, message, details = {}) {
    super(code, message, details);
    this.name = 'ChatTokenRequestError';
  }
}
