/**
 * ivschat-wasm — Amazon IVS Chat, with the rules of the service checked in WebAssembly.
 *
 * Main entry: token requests from the browser (or any runtime) to your app's token backend.
 * @packageDocumentation
 */

/** Where the WebAssembly module comes from. */
export type WasmSource =
  /** Already compiled; the only choice on Cloudflare Workers and Vercel Edge. */
  | WebAssembly.Module
  /** The bytes of the module: `ivschat-wasm/ivschat-client.wasm` for this entry, `ivschat-wasm/ivschat-backend.wasm` for `ivschat-wasm/backend`. */
  | ArrayBuffer
  | ArrayBufferView
  /** Where to fetch it from (`file:` URLs are read from disk in Node, Deno and Bun). */
  | URL
  | string
  /** A fetch response for it (compiled while streaming when served as `application/wasm`). */
  | Response;

export interface InitOptions {
  /** Overrides where the wasm comes from; by default it is read or fetched from the package. */
  wasm?: WasmSource;
}

/**
 * Loads the WebAssembly core once; later calls return the same promise (their options are then
 * ignored). Every other function calls it on first use, so call it yourself only to choose the
 * wasm source or to load early. A failed load rejects with {@link WasmLoadError} and is retried
 * by the next call.
 */
export function init(options?: InitOptions): Promise<unknown>;

/** The capabilities a chat token can grant. Absent or empty: the user can only read. */
export type ChatTokenCapability = 'SEND_MESSAGE' | 'DISCONNECT_USER' | 'DELETE_MESSAGE';

/** The CreateChatToken request, as the service defines it. */
export interface CreateChatTokenRequest {
  /** The room's ARN, `arn:aws:ivschat:{region}:{account}:room/{id}`; 1-128 characters. */
  roomIdentifier: string;
  /** Who the user is in the room; 1-128 characters (code points) of any Unicode text. */
  userId: string;
  /** What the user may do; each at most once. */
  capabilities?: ChatTokenCapability[];
  /** How long the chat session lasts, 1-180 minutes; the service's default is 60. */
  sessionDurationInMinutes?: number;
  /**
   * Attributes attached to the user's messages (`Sender.Attributes`), such as a display name.
   * The service allows "1 KB total"; this package counts the UTF-8 bytes of every key plus every
   * value and allows at most 1024.
   */
  attributes?: Record<string, string>;
}

/** Stable codes of field errors. */
export type FieldErrorCode =
  | 'REQUIRED'
  | 'TYPE'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'PATTERN'
  | 'ENUM'
  | 'DUPLICATE'
  | 'RANGE'
  | 'INVALID_UTF8'
  | 'TOO_LARGE'
  | 'UNKNOWN_FIELD'
  /** The list was cut at 64 entries: this 65th one (field `request`) counts the problems left out. */
  | 'TOO_MANY_ERRORS';

/** One broken rule. */
export interface FieldError {
  /** Path of the field: `userId`, `capabilities[2]`, `attributes.color`, `attributes["a b"]`, or `request` for the whole request. */
  field: string;
  /** What is wrong, as a stable code. */
  code: FieldErrorCode;
  /** What is wrong, as a sentence for people. */
  message: string;
}

/** The result of {@link validateCreateChatTokenRequest}. */
export interface ValidationReport {
  /** True when the request breaks no rule. */
  ok: boolean;
  /** Every broken rule, in field order; empty when `ok`. */
  errors: FieldError[];
}

/**
 * Checks a CreateChatToken request against every rule of the service and reports all problems
 * at once. Never throws for bad input (anything not a plain JSON object is a `TYPE` error).
 */
export function validateCreateChatTokenRequest(input: unknown): Promise<ValidationReport>;

/** A chat token as returned by CreateChatToken. */
export interface ChatToken {
  /** Opens ONE WebSocket connection; secret — never log it. */
  token: string;
  /** The token must be used (connected with) before this instant. */
  tokenExpirationTime: Date;
  /** The service closes the connection at this instant. */
  sessionExpirationTime: Date;
}

/** Options of {@link createChatToken}: the request plus how to reach your token backend. */
export interface CreateChatTokenOptions extends CreateChatTokenRequest {
  /** Your token backend (for example one made with `createTokenHandler`); it receives the request as JSON. */
  endpoint: string | URL;
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** Extra request headers, such as your app's own authorization. */
  headers?: Record<string, string>;
  /** Aborts the request; the promise then rejects with code `ABORTED`. */
  signal?: AbortSignal;
  /** Gives up after this many milliseconds (default 10000) with code `TIMEOUT`. */
  timeoutMs?: number;
}

/**
 * Gets a chat token from your token backend. The request is validated in WebAssembly first — a
 * bad request never leaves the process and rejects with {@link ChatTokenValidationError} —
 * then POSTed as JSON to `endpoint`; the answer is checked in WebAssembly too. HTTP, network,
 * timeout and unusable answers reject with {@link ChatTokenRequestError}.
 */
export function createChatToken(options: CreateChatTokenOptions): Promise<ChatToken>;

/**
 * Base class of every error this package throws; `code` is stable.
 * @typeParam Code the codes of the class (each subclass narrows them)
 */
export class IvsChatError<Code extends string = string> extends Error {
  constructor(code: Code, message: string, options?: { cause?: unknown });
  readonly code: Code;
}

/** The WebAssembly module could not be fetched, compiled or instantiated. */
export class WasmLoadError extends IvsChatError<'WASM_LOAD_FAILED'> {
  constructor(message: string, options?: { cause?: unknown });
  readonly code: 'WASM_LOAD_FAILED';
}

/** An option is missing or of the wrong kind; `option` names it. */
export class InvalidOptionError extends IvsChatError<'INVALID_OPTION'> {
  /** @param option the option's name, such as `regionOrUrl` or `credentials.accessKeyId` */
  constructor(option: string, message: string);
  readonly code: 'INVALID_OPTION';
  readonly option: string;
}

/**
 * A request to IVS Chat broke the service's rules; nothing was sent.
 * @typeParam Operation the operations of the class (a subclass names its own)
 */
export class RequestValidationError<Operation extends string = string> extends IvsChatError<'VALIDATION'> {
  /** The message names the operation and the first problem (and how many more there are). */
  constructor(operation: Operation, errors: FieldError[]);
  readonly code: 'VALIDATION';
  /** The operation: `CreateChatToken`, `SendEvent`, `DeleteMessage`, `DisconnectUser`, ... */
  readonly operation: Operation;
  /** Every broken rule. */
  readonly errors: FieldError[];
}

/** A CreateChatToken request broke the service's rules; nothing was sent. */
export class ChatTokenValidationError extends RequestValidationError<'CreateChatToken'> {
  constructor(errors: FieldError[]);
  readonly operation: 'CreateChatToken';
}

/** Codes of {@link ChatTokenRequestError}. */
export type ChatTokenRequestErrorCode =
  /** The backend answered with an HTTP error; see `status` and `errorType`. */
  | 'HTTP_ERROR'
  /** The backend could not be reached. */
  | 'NETWORK_ERROR'
  /** No complete answer within `timeoutMs`. */
  | 'TIMEOUT'
  /** The caller's `signal` aborted the request. */
  | 'ABORTED'
  /** The answer is not `{ token, tokenExpirationTime, sessionExpirationTime }` with RFC 3339 times. */
  | 'MALFORMED_RESPONSE';

/** A problem with one field, as an AWS ValidationException lists it. */
export interface AwsFieldProblem {
  name: string;
  message: string;
}

/** What an {@link IvsChatRequestError} is made with: its members, and its `cause`. */
export interface RequestErrorDetails {
  status?: number;
  errorType?: string;
  awsMessage?: string;
  reason?: string;
  fieldList?: AwsFieldProblem[];
  resourceId?: string;
  resourceType?: string;
  limit?: number;
  cause?: unknown;
}

/** A call over HTTP failed (to a token backend, or to IVS for the moderation calls). Never contains a token or a secret. */
export class IvsChatRequestError extends IvsChatError<ChatTokenRequestErrorCode> {
  constructor(code: ChatTokenRequestErrorCode, message: string, details?: RequestErrorDetails);
  readonly code: ChatTokenRequestErrorCode;
  /** HTTP status, when an answer arrived. */
  readonly status: number | undefined;
  /** The AWS error type (`AccessDeniedException`, ...), read as the AWS SDKs do, for HTTP errors. */
  readonly errorType: string | undefined;
  /** The error body's `message`. */
  readonly awsMessage: string | undefined;
  /** A ValidationException's `reason`. */
  readonly reason: string | undefined;
  /** A ValidationException's `fieldList` (empty otherwise). */
  readonly fieldList: AwsFieldProblem[];
  /** A ResourceNotFoundException's or ThrottlingException's `resourceId`. */
  readonly resourceId: string | undefined;
  /** A ResourceNotFoundException's or ThrottlingException's `resourceType` (`ROOM`). */
  readonly resourceType: string | undefined;
  /** A ThrottlingException's `limit`: the quota that was hit, in calls per second. */
  readonly limit: number | undefined;
}

/** Getting a token failed. Never contains the token. */
export class ChatTokenRequestError extends IvsChatRequestError {
  constructor(code: ChatTokenRequestErrorCode, message: string, details?: RequestErrorDetails);
}
export * from './chat-room.js';
