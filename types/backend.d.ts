/**
 * `ivschat-wasm/backend` — mint Amazon IVS Chat tokens server-side, in any runtime with
 * `fetch`: Cloudflare Workers (workerd), Vercel Edge, Deno, Bun and Node.
 *
 * Validation, the request body and the SigV4 signature are computed in WebAssembly; this module
 * only does I/O. Nothing it sends back to a caller or logs contains a credential, a signature or
 * a chat token.
 *
 * ```js
 * import { createTokenHandler, credentialsFromEnv, TokenHandlerError } from 'ivschat-wasm/backend';
 *
 * export default {
 *   fetch: createTokenHandler({
 *     credentials: credentialsFromEnv(),
 *     allowedHosts: ['chat.example.com'],                  // this handler's public host name
 *     allowedOrigins: ['https://app.example.com'],
 *     async authorize(request, body) {
 *       const user = await currentUser(request);           // your session check
 *       if (!user) throw new TokenHandlerError(401, 'Sign in to chat.');
 *       return { roomIdentifier: ROOM_ARN, userId: user.id, capabilities: ['SEND_MESSAGE'] };
 *     },
 *   }),
 * };
 * ```
 * @packageDocumentation
 */

import type { ChatMessage, CreateChatTokenRequest, FieldError, InitOptions } from './index.js';
import { IvsChatError, IvsChatRequestError, RequestValidationError } from './index.js';

export {
  init,
  IvsChatError,
  WasmLoadError,
  InvalidOptionError,
  RequestValidationError,
  ChatTokenValidationError,
  IvsChatRequestError,
  ChatTokenRequestError,
} from './index.js';
export type { CreateChatTokenRequest, ChatTokenCapability, FieldError, FieldErrorCode, WasmSource, InitOptions } from './index.js';

/** AWS credentials. Long-term (access key pair) or temporary (with a session token). */
export interface AwsCredentials {
  /** The access key id (`AKIA...` / `ASIA...`). */
  accessKeyId: string;
  /** The secret access key. Never logged or sent anywhere; only used to sign. */
  secretAccessKey: string;
  /** The session token of temporary credentials (STS, an IAM role); sent as `x-amz-security-token`. */
  sessionToken?: string;
}

/** Options of {@link signCreateChatTokenRequest}. */
export interface SigningOptions {
  /** The credentials to sign with. */
  credentials: AwsCredentials;
  /** The signing region, such as `us-east-1`. Default: the region in the room's ARN. */
  region?: string;
  /**
   * The IVS Chat control plane: an `http(s)://host[:port][/base]` URL without query or
   * fragment. Default: `https://ivschat.{region}.amazonaws.com`. Plain `http://` is accepted
   * for loopback only (`localhost`, `127.0.0.0/8`, `[::1]`: the local server, a test double);
   * to another host it throws {@link InvalidOptionError} naming `endpoint`, unless
   * `allowInsecureEndpoint`.
   */
  endpoint?: string | URL;
  /**
   * Allow a plain `http://` endpoint that is not loopback. The signed request (and, with
   * temporary credentials, the session token) then crosses the network unencrypted, where it can
   * be read and replayed: only for a network you trust end to end. Default false.
   */
  allowInsecureEndpoint?: boolean;
  /** The signing time, a Date or milliseconds since 1970 (rounded down to the second). Default: now. */
  now?: Date | number;
}

/** A signed `POST /CreateChatToken` (or `/SendEvent`, ...), ready for `fetch(url, { method, headers, body })`. */
export interface SignedChatTokenRequest {
  /** Always `POST`. */
  method: 'POST';
  /** `{endpoint}/CreateChatToken` (or the other operation's name). */
  url: string;
  /**
   * `content-type`, `x-amz-date`, `x-amz-security-token` (temporary credentials only) and
   * `authorization`, lower-case. `host` is signed but not listed: fetch derives it from `url`
   * (`new URL(url).host` is the value signed); add it yourself for clients that do not.
   */
  headers: Record<string, string>;
  /** The exact JSON body that was signed; send it unchanged. */
  body: string;
}

/**
 * Validates a CreateChatToken request (every rule of the service, in WebAssembly) and signs it
 * with SigV4 for the `ivschat` service.
 *
 * Rejects with {@link ChatTokenValidationError} (every broken rule, in `errors`) for a bad
 * request, and with {@link ChatTokenSigningError} (`field` names the input) for bad
 * credentials, region, endpoint or time.
 */
export function signCreateChatTokenRequest(input: CreateChatTokenRequest, options: SigningOptions): Promise<SignedChatTokenRequest>;

/** A SendEvent request: an event for every client of the room (an EVENT frame; `event` on a ChatRoom). */
export interface SendEventRequest {
  /** The room's ARN. */
  roomIdentifier: string;
  /** 1-100 characters, e.g. `app:DELETE_USER_MESSAGES`. */
  eventName: string;
  /** String map, at most 1 KB (UTF-8 bytes of all keys and values). */
  attributes?: Record<string, string>;
}

/** A DeleteMessage request: every client receives `aws:DELETE_MESSAGE` (`messageDelete` on a ChatRoom). */
export interface DeleteMessageRequest {
  /** The room's ARN. */
  roomIdentifier: string;
  /** The message's id: exactly 12 letters and digits. */
  id: string;
  /** 1-256 characters. */
  reason?: string;
}

/** A DisconnectUser request: every connection of the user is closed after `aws:DISCONNECT_USER`. */
export interface DisconnectUserRequest {
  /** The room's ARN. */
  roomIdentifier: string;
  /** 1-128 characters. */
  userId: string;
  /** 1-256 characters. */
  reason?: string;
}

/**
 * Options of the moderation calls: the signing options, plus how the call is made. Unknown
 * options are refused with `InvalidOptionError`.
 */
export interface ModerationOptions extends Omit<SigningOptions, 'credentials'> {
  /** Fixed credentials. Give exactly one of `credentials` and `getCredentials`. */
  credentials?: AwsCredentials;
  /**
   * Called before each call for fresh credentials (roles, SSO, rotation). A provider from
   * `@aws-sdk/credential-providers`, such as `fromNodeProviderChain()`, fits as it is (it caches
   * and refreshes on its own).
   */
  getCredentials?: () => AwsCredentials | Promise<AwsCredentials>;
  /** How long to wait for IVS, in milliseconds. Default 10000; then `TIMEOUT`. */
  timeoutMs?: number;
  /** Aborts the call (`ABORTED`). */
  signal?: AbortSignal;
  /** The fetch to use. Default: the global one. */
  fetch?: typeof fetch;
}

/**
 * Sends an event to a room: validated and signed in WebAssembly, then POSTed to IVS. Rejects with
 * {@link RequestValidationError} for a bad request (nothing is sent), {@link ChatTokenSigningError}
 * for bad credentials, region, endpoint or time, and {@link IvsChatRequestError} when IVS answers
 * an error (`HTTP_ERROR` with `status`, `errorType` — `AccessDeniedException`,
 * `ResourceNotFoundException`, `ThrottlingException` with `limit`, `ValidationException` with
 * `fieldList`, `PendingVerification` — and `awsMessage`) or cannot be reached (`NETWORK_ERROR`,
 * `TIMEOUT`, `ABORTED`, `MALFORMED_RESPONSE`).
 */
export function sendEvent(input: SendEventRequest, options: ModerationOptions): Promise<{ id: string }>;
/** Deletes a message; errors as for {@link sendEvent}. Resolves with the id IVS gives the operation. */
export function deleteMessage(input: DeleteMessageRequest, options: ModerationOptions): Promise<{ id: string }>;
/** Disconnects every connection of a user; errors as for {@link sendEvent}. */
export function disconnectUser(input: DisconnectUserRequest, options: ModerationOptions): Promise<Record<string, never>>;
/** A room's message review handler: a Lambda function in the room's account and region. */
export interface RoomMessageReviewHandler {
  /** The Lambda function's ARN (`arn:aws:lambda:<region>:<account>:function:<name>`, at most 170 characters); `''` removes the handler (UpdateRoom). */
  uri?: string;
  /** What happens to a message when the handler fails or times out. The service's default: `ALLOW`. */
  fallbackResult?: 'ALLOW' | 'DENY';
}

/** The settings of a room (CreateRoom and UpdateRoom). Every member is optional. */
export interface RoomSettings {
  /** 0-128 ASCII letters, digits, `-` and `_`; names need not be unique. */
  name?: string;
  /** 1-500 code points per message; the service's default is 500. */
  maximumMessageLength?: number;
  /** 1-100 messages per second for all clients of the room together; the service's default is 10. */
  maximumMessageRatePerSecond?: number;
  messageReviewHandler?: RoomMessageReviewHandler;
  /** At most 3 logging-configuration ARNs (`arn:aws:ivschat:<region>:<account>:logging-configuration/<id>`); `[]` removes them (UpdateRoom). */
  loggingConfigurationIdentifiers?: string[];
}

/** A CreateRoom request. */
export interface CreateRoomInput extends RoomSettings {
  /** At most 50 tags; keys 1-128 characters, values 0-256. */
  tags?: Record<string, string>;
}

/** An UpdateRoom request: the members given are changed, the others kept. */
export interface UpdateRoomInput extends RoomSettings {
  /** The room's ARN. */
  identifier: string;
}

/** A ListRooms request: the filters and the page. */
export interface ListRoomsInput {
  /** Only the rooms of this name. */
  name?: string;
  /** Only the rooms with this message review handler uri. */
  messageReviewHandlerUri?: string;
  /** Only the rooms that log to this logging configuration. */
  loggingConfigurationIdentifier?: string;
  /** 1-50 rooms per page; the service's default is 50. */
  maxResults?: number;
  /** The `nextToken` of the previous page. */
  nextToken?: string;
}

/** A room as GetRoom, CreateRoom and UpdateRoom answer it (the service's JSON, as it is). */
export interface Room {
  /** The room's ARN: the `identifier` of the other calls and the `roomIdentifier` of tokens and moderation. */
  arn: string;
  /** The room's id (the ARN's last part). */
  id: string;
  name?: string;
  /** ISO 8601 times. */
  createTime: string;
  updateTime: string;
  maximumMessageLength: number;
  maximumMessageRatePerSecond: number;
  messageReviewHandler?: RoomMessageReviewHandler;
  loggingConfigurationIdentifiers?: string[];
  tags?: Record<string, string>;
  [member: string]: unknown;
}

/** A room as ListRooms summarises it. */
export interface RoomSummary {
  arn: string;
  id: string;
  name?: string;
  createTime: string;
  updateTime: string;
  messageReviewHandler?: RoomMessageReviewHandler;
  loggingConfigurationIdentifiers?: string[];
  tags?: Record<string, string>;
  [member: string]: unknown;
}

/** A page of ListRooms. */
export interface ListRoomsOutput {
  rooms: RoomSummary[];
  /** Present when there are more rooms: pass it as the next call's `nextToken`. */
  nextToken?: string;
}

/**
 * Creates a room in `options.region` (required: there is no room ARN to take it from). The
 * request is validated and signed in WebAssembly; errors as for {@link sendEvent} (a bad field
 * rejects with {@link RequestValidationError} naming it, before anything is sent). Resolves with
 * the service's answer: the room, its `arn` included.
 */
export function createRoom(input: CreateRoomInput, options: ModerationOptions): Promise<Room>;
/** Reads a room (`identifier`: its ARN; the region is the ARN's unless `options.region` is given). Errors as for {@link sendEvent}; a room that does not exist is `ResourceNotFoundException`. */
export function getRoom(input: { identifier: string }, options: ModerationOptions): Promise<Room>;
/** Lists the rooms of `options.region` (required), newest update first, a page at a time. Errors as for {@link sendEvent}. */
export function listRooms(input: ListRoomsInput, options: ModerationOptions): Promise<ListRoomsOutput>;
/** Changes a room's settings and resolves with the room as it now is. Errors as for {@link sendEvent}. */
export function updateRoom(input: UpdateRoomInput, options: ModerationOptions): Promise<Room>;
/** Deletes a room; its clients are disconnected. Errors as for {@link sendEvent}. */
export function deleteRoom(input: { identifier: string }, options: ModerationOptions): Promise<Record<string, never>>;
/**
 * Where a logging configuration records: exactly one of an S3 bucket (`bucketName`: 3-63 of
 * `[a-z0-9-.]`), a CloudWatch Logs log group (`logGroupName`: 1-512 of `[.\-_/#A-Za-z0-9]`) or
 * a Firehose delivery stream (`deliveryStreamName`: 1-64 of `[a-zA-Z0-9_.-]`).
 */
export type LoggingDestinationConfiguration =
  | { s3: { bucketName: string }; cloudWatchLogs?: never; firehose?: never }
  | { cloudWatchLogs: { logGroupName: string }; s3?: never; firehose?: never }
  | { firehose: { deliveryStreamName: string }; s3?: never; cloudWatchLogs?: never };

/** A CreateLoggingConfiguration request. */
export interface CreateLoggingConfigurationInput {
  /** 0-128 ASCII letters, digits, `-` and `_`; names need not be unique. */
  name?: string;
  destinationConfiguration: LoggingDestinationConfiguration;
  /** At most 50 tags; keys 1-128 characters, values 0-256. */
  tags?: Record<string, string>;
}

/** An UpdateLoggingConfiguration request: the members given are changed, the others kept. */
export interface UpdateLoggingConfigurationInput {
  /** The logging configuration's ARN (`arn:aws:ivschat:<region>:<account>:logging-configuration/<id>`). */
  identifier: string;
  name?: string;
  destinationConfiguration?: LoggingDestinationConfiguration;
}

/** A ListLoggingConfigurations request: the page. */
export interface ListLoggingConfigurationsInput {
  /** 1-50 configurations per page; the service's default is 50. */
  maxResults?: number;
  /** The `nextToken` of the previous page. */
  nextToken?: string;
}

/** A logging configuration as the service answers it (its JSON, as it is). */
export interface LoggingConfiguration {
  /** The configuration's ARN: what rooms name in `loggingConfigurationIdentifiers`. */
  arn: string;
  id: string;
  name?: string;
  /** ISO 8601 times. */
  createTime: string;
  updateTime: string;
  destinationConfiguration: LoggingDestinationConfiguration;
  /** `ACTIVE` once usable; `CREATING`, `UPDATING`, `DELETING` and the `*_FAILED` states otherwise. */
  state: 'CREATING' | 'CREATE_FAILED' | 'DELETING' | 'DELETE_FAILED' | 'UPDATING' | 'UPDATE_FAILED' | 'ACTIVE';
  tags?: Record<string, string>;
  [member: string]: unknown;
}

/** A page of ListLoggingConfigurations. */
export interface ListLoggingConfigurationsOutput {
  loggingConfigurations: LoggingConfiguration[];
  /** Present when there are more: pass it as the next call's `nextToken`. */
  nextToken?: string;
}

/**
 * Creates a logging configuration in `options.region` (required). Validated and signed in
 * WebAssembly (the admin module, as the room calls); errors as for {@link sendEvent}. Resolves
 * with the service's answer, its `arn` included: name it in a room's
 * `loggingConfigurationIdentifiers` to record the room's messages and events.
 */
export function createLoggingConfiguration(input: CreateLoggingConfigurationInput, options: ModerationOptions): Promise<LoggingConfiguration>;
/** Reads a logging configuration (`identifier`: its ARN; the region is the ARN's unless `options.region` is given). Errors as for {@link sendEvent}. */
export function getLoggingConfiguration(input: { identifier: string }, options: ModerationOptions): Promise<LoggingConfiguration>;
/** Lists the logging configurations of `options.region` (required), a page at a time. Errors as for {@link sendEvent}. */
export function listLoggingConfigurations(input: ListLoggingConfigurationsInput, options: ModerationOptions): Promise<ListLoggingConfigurationsOutput>;
/** Changes a logging configuration's name or destination and resolves with it as it now is. Errors as for {@link sendEvent}. */
export function updateLoggingConfiguration(input: UpdateLoggingConfigurationInput, options: ModerationOptions): Promise<LoggingConfiguration>;
/** Deletes a logging configuration; IVS refuses (`ConflictException`) while a room names it. Errors as for {@link sendEvent}. */
export function deleteLoggingConfiguration(input: { identifier: string }, options: ModerationOptions): Promise<Record<string, never>>;
/**
 * Loads the room calls' WebAssembly module (`ivschat-admin.wasm`, apart from the token backend's
 * so that a token handler never bundles it). The room functions call it themselves on Node, Deno,
 * Bun and in browsers. On Cloudflare Workers and Vercel Edge, whose entries do not import it, call
 * it once before a room call with the module: `initAdmin({ wasm: adminWasm })` after
 * `import adminWasm from 'ivschat-wasm/ivschat-admin.wasm'` (`'...wasm?module'` on Vercel Edge);
 * without it a room call rejects with {@link WasmLoadError} saying so.
 */
export function initAdmin(options?: InitOptions): Promise<unknown>;
/** A message IVS asks a review handler about, as the app's review function gets it. */
export interface ReviewedMessage {
  content: string;
  /** The id IVS gave the message. */
  messageId: string;
  roomArn: string;
  /** The message's attributes ({} when none). */
  attributes: Record<string, string>;
  /** Who sent it: the token's user id and attributes, and the client's IP address. */
  sender: { userId: string; ip: string; attributes: Record<string, string> };
}

/** What a review function decides. */
export interface ReviewDecision {
  /** `true` delivers the message (as rewritten), `false` refuses it: the sender gets an ERROR 406. */
  allow: boolean;
  /** The content to deliver: 1-500 characters. Default: the message's own. */
  content?: string;
  /** The attributes to deliver (string map, 1 KB total). Default: none. */
  attributes?: Record<string, string>;
  /** Why (1-256 characters): sent as `Attributes.Reason` when refused, and logged. */
  reason?: string;
}

/** IVS's message review answer. */
export interface ReviewAnswer {
  Content: string;
  ReviewResult: 'ALLOW' | 'DENY';
  Attributes: Record<string, string>;
}

/** One entry per reviewed message. */
export interface ReviewLogEntry {
  level: 'info' | 'warn' | 'error';
  /** What was answered. */
  result: 'ALLOW' | 'DENY';
  /** `reviewed`: the app's decision; otherwise the handler's own answer, and why. */
  outcome: 'reviewed' | 'timeout' | 'error' | 'invalid';
  message: string;
  messageId: string;
  roomArn: string;
  durationMs: number;
  /** For `invalid`: what was wrong with the decision. */
  errors?: FieldError[];
}

/** Options of {@link createMessageReviewHandler}. */
export interface MessageReviewOptions {
  /** How long the review function may take, in ms; then the handler answers `onTimeout` itself. Default 150 (IVS waits 200). */
  budgetMs?: number;
  /** The answer when the review is late. Default `'ALLOW'` (IVS's own default fallbackResult). */
  onTimeout?: 'ALLOW' | 'DENY';
  /** The answer when the review throws or decides something invalid. Default: `onTimeout`. */
  onError?: 'ALLOW' | 'DENY';
  /**
   * Receives one entry per message. Default: the handler's own failures (level `'error'`: the
   * WebAssembly core not loading, with what to do; an event that is not IVS's; the review
   * throwing or deciding something invalid) are written with `console.warn` (CloudWatch Logs in
   * a Lambda). `false`: nothing is written.
   */
  logger?: ((entry: ReviewLogEntry) => void) | false;
}

/** A message review handler: a Lambda handler for IVS's contract, with a fetch form. */
export interface MessageReviewHandler {
  /**
   * IVS's event (the object a Lambda gets, or its JSON text) → IVS's answer. Never rejects, and
   * logs one entry per event. An event that is not IVS's (another shape, over 64 KiB of JSON:
   * IVS's are far smaller) is answered DENY unread; a message whose Content no answer may carry
   * (empty, over 500 code points) gets `onError` / `onTimeout` as DENY, and DENY however those
   * are set, since there is nothing to deliver.
   */
  (event: unknown): Promise<ReviewAnswer>;
  /**
   * The same as a fetch handler: POST the event as JSON, get the answer as JSON. The body is
   * read up to 64 KiB and for 1 s at most; a larger, slower or unreadable one is answered DENY.
   */
  fetch(request: Request): Promise<Response>;
}

/**
 * Turns an app's review function into an IVS Chat message review handler. The event is read
 * and the decision checked in WebAssembly, so an invalid answer never reaches IVS (which would
 * silently apply the room's `fallbackResult`): a decision that breaks a rule, an error, or no
 * decision within `budgetMs` is answered by the handler itself (`onError`, `onTimeout`) and
 * logged. For a Lambda: `export const handler = createMessageReviewHandler(review);`.
 */
export function createMessageReviewHandler(
  review: (message: ReviewedMessage) => ReviewDecision | Promise<ReviewDecision>,
  options?: MessageReviewOptions,
): MessageReviewHandler;
/** Default of {@link MessageReviewOptions.budgetMs}: 150. */
export declare const DEFAULT_REVIEW_BUDGET_MS: 150;

/**
 * Loads the message review module (`ivschat-review.wasm`, its own module: a token handler never
 * loads it) once; later calls return the same promise. Optional in Node, Deno, Bun and browsers,
 * where a handler reads or fetches it from the package as soon as it is created. On Cloudflare
 * Workers and Vercel Edge the backend entry does not import it (every token handler's worker
 * would carry it): `import reviewWasm from 'ivschat-wasm/ivschat-review.wasm'` and call
 * `initMessageReview({ wasm: reviewWasm })`; without it, each review answers DENY and logs a
 * {@link WasmLoadError} saying so. A failed load rejects with `WasmLoadError` and is retried by
 * the next call.
 */
export function initMessageReview(options?: InitOptions): Promise<unknown>;

/** Default of {@link ModerationOptions.timeoutMs}: 10000. */
export declare const DEFAULT_MODERATION_TIMEOUT_MS: 10000;

/** SendEvent validated and signed, for your own fetch (as {@link signCreateChatTokenRequest}). */
export function signSendEventRequest(input: SendEventRequest, options: SigningOptions): Promise<SignedChatTokenRequest>;
/** DeleteMessage validated and signed, for your own fetch. */
export function signDeleteMessageRequest(input: DeleteMessageRequest, options: SigningOptions): Promise<SignedChatTokenRequest>;
/** DisconnectUser validated and signed, for your own fetch. */
export function signDisconnectUserRequest(input: DisconnectUserRequest, options: SigningOptions): Promise<SignedChatTokenRequest>;

/** Severity of a {@link TokenHandlerLogEntry}: `info` for success and OPTIONS, `warn` for a caller's mistake, `error` for the backend's or IVS's failure. */
export type TokenHandlerLogLevel = 'info' | 'warn' | 'error';

/** What the handler logs: exactly one entry per request. Never a credential, a signature or a token. */
export interface TokenHandlerLogEntry {
  /** Severity. */
  level: TokenHandlerLogLevel;
  /** What happened, such as `issued a chat token`, `refused origin https://x.example`, `IVS answered HTTP 403 AccessDeniedException: ...`. */
  message: string;
  /** The request's method. */
  method: string;
  /** The status answered. */
  status: number;
  /** `X-Amzn-ErrorType` of the answer, for errors. */
  errorType?: string;
  /** The option at fault when the backend is misconfigured (`credentials.secretAccessKey`, `region`, `endpoint`, ...). */
  field?: string;
  /** Time spent answering, in milliseconds. */
  durationMs: number;
}

/**
 * The app's decision on a token request. Receives the request (headers, cookies: your session)
 * and the JSON object the caller sent (what it asks for; `createChatToken` sends the
 * CreateChatToken request). Returns — or resolves to — the CreateChatToken parameters this
 * caller may have: the server, not the browser, decides `userId`, `capabilities` and
 * `attributes`. They are then validated; invalid parameters answer 400 `ValidationException`.
 *
 * To refuse: throw a {@link TokenHandlerError} (its status — 401 for "not signed in", 403 for
 * "not allowed" — error type and message are answered), or return `null`/`undefined`/`false`
 * (answered 403 `AccessDeniedException`). An error with a numeric `status` or `statusCode` from
 * 400 to 599 (http-errors, Hono's `HTTPException`) is answered with that status and a generic
 * message (its own message only when it has `expose: true`). Any other thrown error answers 500
 * `InternalServerException` with a generic message (the error is logged). Unanswered after
 * `authorizeTimeoutMs`: 503 `ServiceUnavailableException`.
 */
export type AuthorizeHook = (
  request: Request,
  body: Record<string, unknown>,
) => CreateChatTokenRequest | null | undefined | false | Promise<CreateChatTokenRequest | null | undefined | false>;

/** Options of {@link createTokenHandler}. */
export interface TokenHandlerOptions {
  /** Fixed credentials. Give exactly one of `credentials` and `getCredentials`. */
  credentials?: AwsCredentials;
  /** Called for every token request (cache inside it if fetching credentials is slow). Its failures answer 500. */
  getCredentials?: () => AwsCredentials | Promise<AwsCredentials>;
  /** Decides what each caller may have; see {@link AuthorizeHook}. Required. */
  authorize: AuthorizeHook;
  /**
   * The IVS Chat control plane URL. Default: `https://ivschat.{region}.amazonaws.com`. Plain
   * `http://` only to loopback, unless `allowInsecureEndpoint` (see {@link SigningOptions.endpoint}).
   */
  endpoint?: string | URL;
  /** Allow a plain `http://` endpoint that is not loopback; see {@link SigningOptions.allowInsecureEndpoint}. Default false. */
  allowInsecureEndpoint?: boolean;
  /** The signing region. Default: the region of the room ARN that `authorize` returns. */
  region?: string;
  /**
   * The host names this handler answers for (as in `request.url`, i.e. the `Host` header, or
   * `X-Forwarded-Host` behind `toNodeListener(handler, { trustProxy: true })`), without scheme or
   * port: `['chat.example.com']`. Loopback names (`localhost`, `127.0.0.1`, `[::1]`) are always
   * answered. Any other host gets 421 `MisdirectedRequestException` ("This token backend does not
   * answer for the host name …: add it to createTokenHandler's allowedHosts option") before
   * anything else is looked at, so a DNS-rebinding page (its own name resolving to your server's
   * address, Host and Origin both its own) cannot pass for a same-origin page and reach `authorize`.
   *
   * Once deployed, list the public name(s) your pages and apps use. `'*'` answers for any host:
   * only where the platform delivers nothing but requests for your own names (Cloudflare Workers
   * routes, Vercel, Deno Deploy) or a proxy in front checks `Host`. Default: loopback names only.
   */
  allowedHosts?: string[] | '*';
  /**
   * Browser origins that may call the handler besides its own (same-origin requests and
   * requests without an `Origin` header, such as server-to-server calls, are always allowed):
   * exact origins such as `'https://app.example.com'`, `'*'` for any, or a predicate. A request
   * from any other origin — preflight included — is answered 403. Default: none.
   */
  allowedOrigins?: string[] | '*' | ((origin: string, request: Request) => boolean);
  /** Largest request body accepted, in bytes, counted while reading (not trusted from Content-Length). Default 8192; larger answers 413. */
  maxBodyBytes?: number;
  /** How long to wait for IVS, in milliseconds. Default 10000; then 504. */
  timeoutMs?: number;
  /** How long reading the request body may take, in milliseconds. Default 10000; then 408 `RequestTimeoutException`. */
  bodyTimeoutMs?: number;
  /** How long `authorize` may take, in milliseconds. Default 10000; then 503 `ServiceUnavailableException`. */
  authorizeTimeoutMs?: number;
  /** How long a whole request may take, in milliseconds. Default 30000; then 503 `ServiceUnavailableException`. */
  requestTimeoutMs?: number;
  /** The fetch used to call IVS. Default: the global fetch. */
  fetch?: typeof fetch;
  /**
   * Receives one entry per request (messages scrubbed of credentials, signatures and tokens).
   * Default: the backend's own problems are written with `console.warn`, one line each: IVS
   * refusing or failing the signed request (with IVS's reason: wrong region, wrong secret,
   * clock skew), IVS unreachable, the WebAssembly core not loading (with the hint to fix it,
   * e.g. Deno's `--allow-read`), credentials or `authorize` failing. Callers' bad requests and
   * `authorize`'s refusals are not written. The caller's answer stays generic either way.
   * `false`: nothing is written.
   */
  logger?: ((entry: TokenHandlerLogEntry) => void) | false;
}

/** A standard fetch handler: Workers `fetch`, `Deno.serve`, `Bun.serve`, Vercel Edge functions. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Creates the token backend as a standard fetch handler. For each request:
 *
 * 0. A host name that is neither loopback nor in `allowedHosts`: 421 `MisdirectedRequestException`.
 * 1. An `Origin` that is neither the handler's own nor allowed: 403 `AccessDeniedException`.
 *    Allowed cross-origin answers carry `Access-Control-Allow-Origin` and expose
 *    `X-Amzn-ErrorType`; every answer has `Vary: Origin`.
 * 2. `OPTIONS`: 204 (a CORS preflight gets `Access-Control-Allow-Methods: POST, OPTIONS`, the
 *    requested headers, `Access-Control-Max-Age: 600`).
 * 3. Not `POST`: 405 `MethodNotAllowedException` with `Allow: POST, OPTIONS`.
 * 4. Not `application/json`: 415 `UnsupportedMediaTypeException`.
 * 5. Body over `maxBodyBytes`: 413 `PayloadTooLargeException`; not read within `bodyTimeoutMs`:
 *    408 `RequestTimeoutException`.
 * 6. Not UTF-8 JSON, or not an object: 400 `SerializationException`.
 * 7. `authorize` refuses: its 4xx (see {@link AuthorizeHook}); no answer within
 *    `authorizeTimeoutMs`: 503.
 * 8. Invalid parameters: 400 `ValidationException` with `reason` and `fieldList`, as IVS answers.
 * 9. Signed and sent to IVS (`timeoutMs`). Success: 200
 *    `{ token, tokenExpirationTime, sessionExpirationTime }` (RFC 3339 strings).
 *    IVS 4xx: the same status and `X-Amzn-ErrorType` (the message is kept for caller-facing
 *    types such as `ResourceNotFoundException`, replaced for credential and IAM errors).
 *    IVS 5xx, an unreachable IVS or an unusable answer: 502 `BadGatewayException`. No answer in
 *    time: 504 `GatewayTimeoutException`. Credentials that cannot sign (from `getCredentials`,
 *    or refused by the core): 500 `InternalServerException`, with the field in the log.
 *
 * The whole request has `requestTimeoutMs` (503 after). Every request gets exactly one log entry.
 *
 * Every answer has `Cache-Control: no-store`; error answers are AWS-shaped (`X-Amzn-ErrorType`
 * and a JSON body with `message`), so the browser's `createChatToken` reports them as
 * `ChatTokenRequestError` with `status`, `errorType`, `awsMessage` and `fieldList`.
 *
 * Throws {@link InvalidOptionError} at once for a bad option, naming it: an unknown option
 * (`allowOrigins`), a region that is not one, an endpoint that is not an absolute http(s) URL
 * (`'us-west-2'` given as `endpoint`), a plain `http://` endpoint that is not loopback (without
 * `allowInsecureEndpoint`), credentials of the wrong shape, a bad `allowedOrigins` or `allowedHosts`.
 */
export function createTokenHandler(options: TokenHandlerOptions): FetchHandler;

/** Default of {@link TokenHandlerOptions.maxBodyBytes}: 8192. */
export declare const DEFAULT_MAX_BODY_BYTES: 8192;
/** Default of {@link TokenHandlerOptions.timeoutMs}: 10000. */
export declare const DEFAULT_IVS_TIMEOUT_MS: 10000;
/** Default of {@link TokenHandlerOptions.bodyTimeoutMs}: 10000. */
export declare const DEFAULT_BODY_TIMEOUT_MS: 10000;
/** Default of {@link TokenHandlerOptions.authorizeTimeoutMs}: 10000. */
export declare const DEFAULT_AUTHORIZE_TIMEOUT_MS: 10000;
/** Default of {@link TokenHandlerOptions.requestTimeoutMs}: 30000. */
export declare const DEFAULT_REQUEST_TIMEOUT_MS: 30000;

/** Environment variables, such as a Cloudflare Worker's `env` (values other than strings are ignored). */
export type EnvironmentRecord = Record<string, unknown>;

/**
 * Reads a body stream to its end as the handlers do, counting bytes as they arrive, so a missing
 * or lying `Content-Length` cannot get more than `maxBytes` into memory: past that the stream is
 * cancelled and the result is `undefined`. Takes the reader (`request.body.getReader()`), not the
 * stream, so that a caller with a deadline can cancel it too (what was read by then is returned,
 * for that caller to ignore). For an app's own routes beside {@link createTokenHandler}.
 */
export function readCapped(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<Uint8Array | undefined>;

/**
 * Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (optional) from
 * `env`, or from the process environment in Node, Bun and Deno (Deno needs `--allow-env`).
 * Throws {@link ChatTokenSigningError} whose `field` names the missing variable.
 */
export function credentialsFromEnv(env?: EnvironmentRecord): AwsCredentials;

/** Reads `AWS_REGION`, else `AWS_DEFAULT_REGION`; `undefined` when neither is set. */
export function regionFromEnv(env?: EnvironmentRecord): string | undefined;

/** The smallest shape of Node's `IncomingMessage` the adapter uses. */
export interface NodeIncomingMessage {
  method?: string;
  url?: string;
  /** `x-forwarded-*` are read only with {@link NodeListenerOptions.trustProxy}. */
  headers: { host?: string; 'x-forwarded-proto'?: string | string[]; 'x-forwarded-host'?: string | string[] };
  rawHeaders: string[];
  complete: boolean;
  socket: object;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  once(event: 'end', listener: () => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** The smallest shape of Node's `ServerResponse` the adapter uses. */
export interface NodeServerResponse {
  statusCode: number;
  headersSent: boolean;
  destroyed: boolean;
  writableFinished: boolean;
  setHeader(name: string, value: string | string[]): unknown;
  end(body?: Uint8Array): unknown;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * Adapts a fetch handler to a Node `http` request listener:
 * `http.createServer(toNodeListener(createTokenHandler({...}))).listen(8080)`.
 * The request body is streamed to the handler; when the handler answered without reading all
 * of it (413), the connection is closed after the answer.
 */
export function toNodeListener(
  handler: (request: Request) => Response | Promise<Response>,
  options?: NodeListenerOptions,
): (incoming: NodeIncomingMessage, outgoing: NodeServerResponse) => void;

/** Options of {@link toNodeListener}. */
export interface NodeListenerOptions {
  /**
   * Behind a TLS-terminating proxy (`X-Forwarded-Proto: https`, `X-Forwarded-Host`): build the
   * request URL from those headers (their first value), so that the page the proxy serves is
   * same-origin for the handler. Only when such a proxy is always in front: anyone can send
   * those headers to a server reached directly. Default `false`.
   */
  trustProxy?: boolean;
}

/** Where a signing problem lies. */
export type SigningField =
  | 'credentials'
  | 'credentials.accessKeyId'
  | 'credentials.secretAccessKey'
  | 'credentials.sessionToken'
  | 'region'
  | 'endpoint'
  | 'now'
  | 'AWS_ACCESS_KEY_ID'
  | 'AWS_SECRET_ACCESS_KEY'
  | 'AWS_SESSION_TOKEN'
  | 'AWS_REGION'
  | 'AWS_DEFAULT_REGION';

/**
 * The credentials, region, endpoint or signing time cannot be used (the request itself was
 * valid). The message says what is wrong without quoting any secret.
 */
export class ChatTokenSigningError extends IvsChatError<'SIGNING_INPUT'> {
  constructor(field: SigningField, message: string, options?: { cause?: unknown });
  readonly code: 'SIGNING_INPUT';
  /** The input at fault. */
  readonly field: SigningField;
}

/**
 * Thrown by an {@link AuthorizeHook} to refuse a caller: answered with `status`,
 * `X-Amzn-ErrorType: errorType` and `{ "message": message }`.
 */
export class TokenHandlerError extends IvsChatError<'REFUSED'> {
  /**
   * @param status 400-599 (otherwise a RangeError is thrown)
   * @param message shown to the caller
   * @param options.errorType letters and digits (otherwise a TypeError is thrown); default by
   *   status: 400 BadRequestException, 401 UnauthorizedException, 403 AccessDeniedException,
   *   404 ResourceNotFoundException, 409 ConflictException, 429 ThrottlingException,
   *   503 ServiceUnavailableException, else ClientException (4xx) or ServiceException (5xx).
   *   Both are checked again when the error is answered: changed afterwards to something else,
   *   they give way to the defaults.
   */
  constructor(status: number, message: string, options?: { errorType?: string });
  readonly code: 'REFUSED';
  /** The HTTP status answered. */
  readonly status: number;
  /** The error type answered in `X-Amzn-ErrorType`. */
  readonly errorType: string;
}

/**
 * Options of {@link readRoomHistory}: the room, its CloudWatch Logs log group, the credentials
 * that may read it, and the read's bounds.
 */
export interface RoomHistoryOptions extends HistoryReadOptions {
  /** The room's ARN: its log stream is `aws/IVSChatLogs/1.0/room_{roomId}` (and its region the default). */
  roomIdentifier: string;
  /** The log group of the room's logging configuration (its CloudWatch Logs destination). */
  logGroupName: string;
  /** Aborts the read: a {@link ChatHistoryError} `ABORTED`. */
  signal?: AbortSignal;
}

/** How a history read goes: shared by {@link readRoomHistory} and {@link createHistoryHandler}. */
export interface HistoryReadOptions {
  /** Fixed credentials that may call `logs:GetLogEvents` on the log group. Give exactly one of `credentials` and `getCredentials`. */
  credentials?: AwsCredentials;
  /** Called for every read. */
  getCredentials?: () => AwsCredentials | Promise<AwsCredentials>;
  /** The signing region. Default: the room ARN's. */
  region?: string;
  /**
   * The CloudWatch Logs endpoint. Default: `https://logs.{region}.amazonaws.com`. The local
   * server answers the CloudWatch Logs calls on its control-plane URL. Plain `http://` only to
   * loopback, unless `allowInsecureEndpoint`.
   */
  endpoint?: string | URL;
  /** Allow a plain `http://` endpoint that is not loopback. Default false. */
  allowInsecureEndpoint?: boolean;
  /** The signing time (tests). Default: now. */
  now?: Date | number;
  /** The newest messages returned, 1 to 1000. Default {@link DEFAULT_HISTORY_LIMIT} (50). */
  limit?: number;
  /** How far back to read, in milliseconds. Default one day. */
  maxAgeMs?: number;
  /** Log events asked for per GetLogEvents call, 1 to 10000. Default 100 (halved for a page too large for the core). */
  pageSize?: number;
  /** GetLogEvents calls per read at most, 1 to 100. Default 5. */
  maxPages?: number;
  /** Bytes of answers per read at most. Default 1 MiB. */
  maxBytes?: number;
  /**
   * The app's removal events: event name → the attribute naming the user whose earlier messages
   * go. Default {@link DEFAULT_REMOVAL_EVENTS}, the demo's `{ 'app:DELETE_USER_MESSAGES': 'userId' }`.
   */
  removalEvents?: Record<string, string>;
  /** The whole read (every page, backoffs included), in milliseconds. Default {@link DEFAULT_HISTORY_TIMEOUT_MS} (5000). */
  timeoutMs?: number;
  /** The fetch used to call CloudWatch Logs. Default: the global fetch. */
  fetch?: typeof fetch;
}

/** A room's recent messages, as {@link readRoomHistory} reads them. */
export interface RoomHistory {
  /** The newest `limit` messages left after deletions, oldest first, in ChatRoom's `message` shape. */
  messages: ChatMessage[];
  /** False when a bound (`maxPages`, `maxBytes`, the time, a failed later page) cut the read short. */
  complete: boolean;
  /** GetLogEvents calls made. */
  pages: number;
  /** Records that were not IVS's, by why: skipped, never returned. */
  skipped: { tooLarge: number; notJson: number; otherVersion: number; malformed: number };
  /** The room's log stream. */
  logStreamName: string;
}

/**
 * Reads a room's recent messages from the CloudWatch Logs destination of its chat logging.
 * GetLogEvents on the room's stream, newest first, page by page backwards; each request
 * validated, built and SigV4-signed in WebAssembly (`ivschat-history.wasm`), each record read and
 * checked there too. Deletions are applied: `aws:DELETE_MESSAGE`, and the app's removal events
 * (`removalEvents`). A room that has logged nothing yet has an empty history.
 *
 * Rejects with {@link RequestValidationError} (a bad room ARN or log group name: nothing is
 * sent), {@link ChatTokenSigningError} (credentials, region, endpoint) or {@link ChatHistoryError}.
 */
export function readRoomHistory(options: RoomHistoryOptions): Promise<RoomHistory>;

/** Default of {@link HistoryReadOptions.limit}: 50. */
export declare const DEFAULT_HISTORY_LIMIT: 50;
/** Default of {@link HistoryReadOptions.timeoutMs}: 5000. */
export declare const DEFAULT_HISTORY_TIMEOUT_MS: 5000;
/** Default of {@link HistoryReadOptions.removalEvents}: `{ 'app:DELETE_USER_MESSAGES': 'userId' }`. */
export declare const DEFAULT_REMOVAL_EVENTS: Readonly<{ 'app:DELETE_USER_MESSAGES': 'userId' }>;

/** Why a history read failed: {@link ChatHistoryError.code}. */
export type ChatHistoryErrorCode =
  | 'LOG_GROUP_NOT_FOUND'
  | 'ACCESS_DENIED'
  | 'THROTTLED'
  | 'CLOUDWATCH_ERROR'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'MALFORMED_RESPONSE';

/**
 * Reading a room's history failed: the log group does not exist (`LOG_GROUP_NOT_FOUND`), the
 * credentials may not read it (`ACCESS_DENIED`: they need `logs:GetLogEvents` on it), CloudWatch
 * Logs kept throttling after two backoffs (`THROTTLED`), answered another error
 * (`CLOUDWATCH_ERROR`) or an unusable body (`MALFORMED_RESPONSE`), or could not be reached in
 * time (`NETWORK_ERROR`, `TIMEOUT`, `ABORTED`). Never quotes a secret.
 */
export class ChatHistoryError extends IvsChatError<ChatHistoryErrorCode> {
  constructor(code: ChatHistoryErrorCode, message: string, details?: { status?: number; errorType?: string; awsMessage?: string; logGroupName?: string; cause?: unknown });
  readonly code: ChatHistoryErrorCode;
  /** HTTP status of CloudWatch Logs' answer, when one arrived. */
  readonly status: number | undefined;
  /** CloudWatch Logs' error type, such as `ResourceNotFoundException`, when it answered with an error. */
  readonly errorType: string | undefined;
  /** CloudWatch Logs' own message, scrubbed of secrets, when its error answer had one. */
  readonly awsMessage: string | undefined;
  /** The log group read. */
  readonly logGroupName: string | undefined;
}

/**
 * The app's decision on a history request: receives the request (your session) and its query
 * (`?roomIdentifier=...`); returns the room the caller may read, optionally with its log group
 * (default: the handler's `logGroupName`) and a smaller `limit`. Refusals as for
 * {@link AuthorizeHook}.
 */
export type HistoryAuthorizeHook = (
  request: Request,
  query: Record<string, string>,
) => HistoryGrant | null | undefined | false | Promise<HistoryGrant | null | undefined | false>;

/** What {@link HistoryAuthorizeHook} allows. */
export interface HistoryGrant {
  /** The room's ARN. */
  roomIdentifier: string;
  /** Its log group; default the handler's `logGroupName`. */
  logGroupName?: string;
  /** At most this many messages, 1 to 1000; default the handler's `limit`. */
  limit?: number;
}

/** Options of {@link createHistoryHandler}: a read's options, the handler's own, and the token handler's CORS, hosts, deadlines and logger. */
export interface HistoryHandlerOptions extends HistoryReadOptions {
  /** Decides which room each caller may read; see {@link HistoryAuthorizeHook}. Required. */
  authorize: HistoryAuthorizeHook;
  /** The log group when `authorize` names none. */
  logGroupName?: string;
  /** As {@link TokenHandlerOptions.allowedHosts}. */
  allowedHosts?: string[] | '*';
  /** As {@link TokenHandlerOptions.allowedOrigins}. */
  allowedOrigins?: string[] | '*' | ((origin: string, request: Request) => boolean);
  /** How long `authorize` may take, in milliseconds. Default 10000; then 503. */
  authorizeTimeoutMs?: number;
  /** How long a whole request may take, in milliseconds. Default 30000; then 503. */
  requestTimeoutMs?: number;
  /** How long a room's answer is kept and served again, in milliseconds. Default {@link DEFAULT_HISTORY_CACHE_TTL_MS} (5000). */
  cacheTtlMs?: number;
  /** How old a kept answer may be and still stand in for a throttled or failed read. Default {@link DEFAULT_HISTORY_STALE_TTL_MS} (300000). */
  staleTtlMs?: number;
  /** Rooms kept at most (the oldest go first). Default 1000. */
  maxCachedRooms?: number;
  /**
   * `Cache-Control` of a 200. Default `public, max-age=N, s-maxage=N` with N the seconds the
   * answer is still kept, so a CDN in front serves the repeats. When `authorize` decides per
   * user (not only per room), use `private, max-age=5`: a shared cache would skip `authorize`.
   */
  cacheControl?: string;
  /** One entry per request, as {@link TokenHandlerOptions.logger}. Default: the backend's own problems with `console.warn`. */
  logger?: ((entry: TokenHandlerLogEntry) => void) | false;
}

/**
 * Creates the history backend as a standard fetch handler: the token handler's host and origin
 * checks, CORS, deadlines and logging, then `GET ?roomIdentifier=...` → `authorize` → the room's
 * history, `200 { messages, complete, readAt }` (`sendTime` as RFC 3339 strings).
 *
 * CloudWatch Logs' read quotas are per account and region: concurrent requests for a room share
 * one read, its answer is kept `cacheTtlMs` and says so in `Cache-Control`. A throttled, late or
 * failed read answers 200 with the last answer kept (up to `staleTtlMs` old) or an empty history
 * (`complete: false`), kept `cacheTtlMs` too; `X-Ivschat-History` says which (`read`, `shared`,
 * `cache`, `stale`, `throttled`, `unavailable`). A log group that does not exist or may not be
 * read answers 502 `BadGatewayException` with `reason` `LOG_GROUP_NOT_FOUND` or `ACCESS_DENIED`
 * (logged). `OPTIONS`: 204; other methods: 405 with `Allow: GET, OPTIONS`.
 */
export function createHistoryHandler(options: HistoryHandlerOptions): FetchHandler;

/** Default of {@link HistoryHandlerOptions.cacheTtlMs}: 5000. */
export declare const DEFAULT_HISTORY_CACHE_TTL_MS: 5000;
/** Default of {@link HistoryHandlerOptions.staleTtlMs}: 300000. */
export declare const DEFAULT_HISTORY_STALE_TTL_MS: 300000;

/**
 * Loads room history's WebAssembly module (`ivschat-history.wasm`, apart from the token
 * backend's) once. Needed first on Cloudflare Workers and Vercel Edge, whose entries do not
 * bundle it: `initHistory({ wasm })` with `import historyWasm from 'ivschat-wasm/ivschat-history.wasm'`
 * (`'...wasm?module'` on Vercel Edge); elsewhere it is found as the backend's is.
 */
export function initHistory(options?: InitOptions): Promise<unknown>;
