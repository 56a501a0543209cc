/**
 * The chat client of `ivschat-wasm`: a WebSocket connection to an Amazon IVS Chat room, with
 * every action frame checked and built, and every server frame read, by the WebAssembly core.
 *
 * Option, method and event names follow the official `amazon-ivs-chat-messaging` client, so
 * switching is mostly a change of import.
 * @packageDocumentation
 */
import type { CreateChatTokenRequest, FieldError, IvsChatError } from './index.js';

/** Connection state of a {@link ChatRoom}. */
export type ConnectionState =
  /** Not connected and not trying to (initial state; after `disconnect()`, a kick, or failed attempts). */
  | 'disconnected'
  /** Opening a connection: after `connect()`, or reconnecting after the connection was lost. */
  | 'connecting'
  /** Connected: requests can be sent. (Stays so while a session is renewed.) */
  | 'connected';

/** Why a {@link ChatRoom} ended up `disconnected` (the payload of the `disconnect` event). */
export type DisconnectReason =
  /** `disconnect()` was called. */
  | 'clientDisconnect'
  /** Our user was disconnected by a moderator (DisconnectUser); the room does not reconnect. */
  | 'serverDisconnect'
  /** The WebSocket could not be opened (or the core loaded) in `1 + maxReconnectAttempts` attempts. */
  | 'socketError'
  /** The `tokenProvider` failed on the last of the `1 + maxReconnectAttempts` attempts. */
  | 'fetchTokenError'
  /** The session reached its `sessionExpirationTime` and could not be renewed (causes were reported on `error`). */
  | 'sessionExpired';

/** What a token provider returns: CreateChatToken's answer (as `createChatToken` gives it). */
export interface ChatTokenLike {
  /** The chat token. Opens one connection; secret — the room never logs it or puts it in an error. */
  token: string;
  /** The token must be used to connect before this instant. Not used to schedule anything. */
  tokenExpirationTime?: Date | string;
  /**
   * The service closes the connection at this instant; the room opens the next one shortly
   * before (at most 60 s, and at most a quarter of the session, ahead) so there is no gap.
   */
  sessionExpirationTime?: Date | string;
  /**
   * The token's user, when known ({@link fetchTokenProvider} sets it): lets the room recognise that
   * it is its own user who was disconnected by a moderator. Without it the room learns its user
   * from the echo of its first message, and otherwise treats a clean close right after an
   * `aws:DISCONNECT_USER` as a kick.
   */
  userId?: string;
}

/** Called for every connection attempt; must return a fresh token each time (tokens are single-use). */
export type ChatTokenProvider = () => Promise<ChatTokenLike> | ChatTokenLike;

/** Capped exponential backoff with full jitter, for reconnection attempts. */
export interface BackoffOptions {
  /** Ceiling of the first delay, in ms. Default 1000. */
  initialDelayMs?: number;
  /** No ceiling grows beyond this, in ms. Default 30000. */
  maxDelayMs?: number;
  /** Growth of the ceiling per attempt (at least 1). Default 2. */
  multiplier?: number;
  /**
   * A connection that stayed open this long (ms) resets the growth; shorter-lived ones do not, so
   * a server that accepts and drops connections at once gets ever-slower retries. Default 10000.
   */
  resetAfterMs?: number;
}

/** Something with the methods of `console` (each optional). The token is never logged. */
export interface ChatLogger {
  debug?(...args: unknown[]): void;
  info?(...args: unknown[]): void;
  warn?(...args: unknown[]): void;
  error?(...args: unknown[]): void;
}

/** Time and timers, replaceable so that tests can drive backoff and timeouts deterministically. */
export interface ChatClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` once after `ms`; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a `setTimeout`. */
  clearTimeout(handle: any): void;
}

/**
 * The part of the standard WebSocket interface the room uses: the classes of browsers, Deno,
 * Bun, workerd and the `ws` package all have it.
 */
export interface WebSocketLike {
  addEventListener(type: 'open' | 'message' | 'error' | 'close', listener: (event: any) => void): void;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: `new WebSocket(url, token)` opens a socket with the token as its single subprotocol. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** Options of {@link ChatRoom}. Unknown options are refused with `InvalidOptionError`. */
export interface ChatRoomOptions {
  /** An AWS region such as `us-east-1` (→ `wss://edge.ivschat.us-east-1.amazonaws.com`) or a `ws://` / `wss://` URL. */
  regionOrUrl: string;
  /** Gives a fresh token for every connection attempt. See {@link fetchTokenProvider}. */
  tokenProvider: ChatTokenProvider;
  /**
   * How many times a failed connection attempt is retried (after the first one), for `connect()`,
   * after the connection ended (a drop, the session's end, an ERROR 401) and for a session
   * renewal. Every attempt fetches one token, so an outage costs at most
   * `maxReconnectAttempts + 1` token fetches; an ERROR 401 before the connection is stable
   * (`backoff.resetAfterMs`) counts as its attempt failing, so a server that refuses every
   * session after the upgrade costs no more. Whole number or `Infinity`. Default 3.
   */
  maxReconnectAttempts?: number;
  /** Delays between attempts. Default `{ initialDelayMs: 1000, maxDelayMs: 30000, multiplier: 2, resetAfterMs: 10000 }`. */
  backoff?: BackoffOptions;
  /**
   * A request with no answer after this many ms (from when it is sent) rejects with `TIMEOUT`:
   * not confirmed, not failed (an answer arriving later is its `delivered` event). Default 10000.
   */
  requestTimeoutMs?: number;
  /** The room's `maximumMessageLength` (1-500 code points): longer messages fail with `VALIDATION` before sending. Default 500. */
  maxMessageLength?: number;
  /**
   * Client-side limit on `sendMessage` per second (sliding window), so the room's limit
   * (`maximumMessageRatePerSecond`, shared by all its clients) is not hit. Whole number or `Infinity`. Default 10.
   */
  maxMessagesPerSecond?: number;
  /** A message over the client-side limit waits at most this long (ms) for its turn; beyond, it fails with `RATE_LIMITED` at once. Default 2000 (a burst of twice the limit goes through, paced). */
  maxRateLimitWaitMs?: number;
  /** A `tokenProvider` call with no answer after this many ms counts as a failed attempt. Default 10000. */
  tokenTimeoutMs?: number;
  /** A WebSocket handshake not done after this many ms counts as a failed attempt. Default 10000. */
  connectTimeoutMs?: number;
  /**
   * While the room waits to reconnect, the network coming back (`online`) or the page becoming
   * visible again makes it try at once instead of waiting out the backoff delay (where the
   * runtime has those events: browsers). `false` to always wait. Default `true`.
   */
  reconnectOnNetworkChange?: boolean;
  /** The WebSocket class. Default: the global one (browsers, Deno, Bun, workerd, Node 22+); in Node 20 pass `WebSocket` from `ws`. */
  WebSocket?: WebSocketConstructor;
  /** Where log lines go. Default: nowhere. Lines never contain the token. */
  logger?: ChatLogger;
  /** Names this room in log lines. Default: a random UUID. */
  id?: string;
  /** Advanced (tests): the clock and timers used for backoff, timeouts, rate limit and renewal. */
  clock?: ChatClock;
  /** Advanced (tests): the random source in [0, 1) of the backoff jitter. Default `Math.random`. */
  random?: () => number;
  /**
   * The room's recent messages, so that a joiner does not see an empty chat: what
   * {@link chatHistory} makes from your provider (IVS Chat has no history API: read the room's chat
   * log, e.g. with `readRoomHistory` of `ivschat-wasm/backend` behind your edge). Its provider is
   * called when the room starts connecting, in parallel with the `tokenProvider` (live messages
   * are never held for it), and once more `delayMs` after the room connected; after an outage,
   * once connected again and `delayMs` later. What it gives is merged with the live messages and delivered on the `history` event:
   * each message once, deletions applied. A read that fails is an `error` event
   * (`HISTORY_FAILED`) and the chat goes on. Default: none. (A separate function so that a page
   * without history does not carry its code.)
   */
  history?: ChatHistory;
}

/** Options of {@link chatHistory}: `provider` or `url`. Unknown options are refused with `InvalidOptionError`. */
export interface ChatHistoryOptions {
  /** Gives the room's recent messages; see {@link ChatHistorySource}. Called with `{ read, signal }`. */
  provider?: ChatHistoryProvider;
  /**
   * Instead of `provider`: your history endpoint (such as an edge function answering
   * `readRoomHistory`'s result), fetched with GET for each read; its JSON is the
   * {@link ChatHistorySource}. An answer that is not 2xx is `HISTORY_FAILED` naming its status.
   */
  url?: string | URL;
  /** With `url`: the fetch to use. Default: the global one. */
  fetch?: typeof fetch;
  /**
   * Chat logging's delay: the second read comes this long (ms) after the room connected, to pick
   * up the messages sent just before it connected that the log did not hold yet at the first
   * read (and the socket never delivered). CloudWatch Logs and Firehose deliver about 10 s late,
   * S3 about 5 minutes. `0`: no second read (a source with no lag). Default 12000.
   */
  delayMs?: number;
  /** A read with no answer after this many ms is given up (its `signal` aborts): `HISTORY_FAILED`. Default 10000. */
  timeoutMs?: number;
  /**
   * The app's own removal events: event name → the attribute naming the user whose messages it
   * removes (every message of that user sent up to the event's `sendTime`). Seen live or in a
   * read's `events`, such an event keeps that user's messages out of later reads, as
   * `aws:DELETE_MESSAGE` does for its message. (Removing the messages already shown is the app's
   * part, on the `event` event; `useChatRoom` does it.) `{}` for none. Default
   * `{ 'app:DELETE_USER_MESSAGES': 'userId' }` (the demo's ban; `readRoomHistory`'s default too).
   */
  removalEvents?: Record<string, string>;
}

/** A room's history source, for {@link ChatRoomOptions.history}; made by {@link chatHistory}. One may serve several rooms (each keeps its own state). */
export interface ChatHistory {
  /** The removal events it applies ({@link ChatHistoryOptions.removalEvents}, defaults filled in). */
  readonly removalEvents: Readonly<Record<string, string>>;
  /** Used by the ChatRoom it is given to. */
  attach(host: unknown): unknown;
}

/**
 * A history source for {@link ChatRoomOptions.history}. Throws `InvalidOptionError` naming the
 * option at fault.
 *
 * ```js
 * const room = new ChatRoom({
 *   regionOrUrl: 'us-west-2',
 *   tokenProvider,
 *   history: chatHistory({ provider: async ({ signal }) => (await fetch('/chat-history', { signal })).json() }),
 * });
 * ```
 */
export function chatHistory(options: ChatHistoryOptions): ChatHistory;

/** What a {@link ChatHistoryProvider} is called with. */
export interface ChatHistoryRequest {
  /** 1 for the read made with the token fetch, 2 for the read `delayMs` after the room connected. */
  read: 1 | 2;
  /** Aborts when `timeoutMs` passes or the room disconnects: pass it to `fetch`. */
  signal: AbortSignal;
}

/** A message as a history source gives it: a {@link ChatMessage}, whose `sendTime` may also be an ISO 8601 string (JSON) or ms since the epoch. */
export interface ChatHistoryMessage extends Omit<ChatMessage, 'sendTime'> {
  sendTime: Date | string | number;
}

/** An event as a history source gives it: a {@link DeleteMessageEvent} or a {@link ChatEvent}, `sendTime` as for {@link ChatHistoryMessage}. */
export type ChatHistoryEvent =
  | (Omit<DeleteMessageEvent, 'sendTime'> & { sendTime: Date | string | number })
  | (Omit<ChatEvent, 'sendTime'> & { sendTime: Date | string | number });

/**
 * What a {@link ChatHistoryProvider} gives: the room's recent messages, in any order (they are
 * sorted by `sendTime`, equal times kept in the given order), or those and the deletions it did
 * not apply itself. `readRoomHistory`'s answer (`{ messages, ... }`, deletions applied) fits as
 * it is, also as JSON. `events` may hold `aws:DELETE_MESSAGE` deletions (as a
 * {@link DeleteMessageEvent}, or as a ChatEvent with the `MessageID` attribute, as the chat log
 * has it) and removal events ({@link ChatHistoryOptions.removalEvents}); other events are ignored.
 * Entries that are not of these shapes are skipped (and logged at `warn`).
 */
export type ChatHistorySource = ChatHistoryMessage[] | { messages: ChatHistoryMessage[]; events?: ChatHistoryEvent[] };

/** Gives the room's recent messages; see {@link ChatHistoryOptions.provider}. */
export type ChatHistoryProvider = (request: ChatHistoryRequest) => Promise<ChatHistorySource> | ChatHistorySource;

/**
 * The `history` event of a {@link ChatRoom}: what one read of its history provider adds.
 * `messages` are the ones not delivered before (by a `message` event or an earlier `history`
 * event), deleted ones left out (an `aws:DELETE_MESSAGE` or removal event seen at any time
 * before, live or in the source), oldest first. They are usually older than the live messages
 * already delivered: insert them by `sendTime` (for a list kept in order: before the first message
 * with a later `sendTime`), do not append them.
 */
export interface ChatHistoryBatch {
  /** The messages this read adds, oldest first; may be empty. */
  messages: ChatMessage[];
  /** Which read: 1 (with the token), 2 (after `delayMs`). */
  read: 1 | 2;
  /** No more reads follow for this connection (read 2, or read 1 when `delayMs` is 0). */
  final: boolean;
}

/** A user of a chat room. */
export interface ChatUser {
  /** The user id of the sender's token. */
  userId: string;
  /** The attributes of the sender's token (e.g. a display name); absent when it had none. */
  attributes?: Record<string, string>;
}

/** A chat message. */
export interface ChatMessage {
  /** Id given by the service (12 letters and digits); use it to delete the message. */
  id: string;
  /** The RequestId of the send that made it (absent when empty). */
  requestId?: string;
  /** The text. */
  content: string;
  /** The message's attributes; absent when it had none. */
  attributes?: Record<string, string>;
  /** When the service accepted it. */
  sendTime: Date;
  /** Who sent it. */
  sender: ChatUser;
}

/** An event of the room other than the two system events (e.g. sent with the SendEvent API). */
export interface ChatEvent {
  /** Id given by the service. */
  id: string;
  /** The event's name. */
  eventName: string;
  /** When the service sent it. */
  sendTime: Date;
  /** The RequestId it answers, if any. */
  requestId?: string;
  /** The event's attributes; absent when it had none. */
  attributes?: Record<string, string>;
}

/** A message was deleted (`aws:DELETE_MESSAGE`). */
export interface DeleteMessageEvent {
  /** Id of the event. */
  id: string;
  /** Id of the deleted message (read from `MessageId`, or the older `MessageID`). */
  messageId: string;
  /** Why, when the moderator said. */
  reason?: string;
  /** When the service sent it. */
  sendTime: Date;
  /** The RequestId of the deleteMessage that made it, if any. */
  requestId?: string;
  /** The raw attributes of the event. */
  attributes?: Record<string, string>;
}

/** A user was disconnected by a moderator (`aws:DISCONNECT_USER`). */
export interface DisconnectUserEvent {
  /** Id of the event. */
  id: string;
  /** The user disconnected (every connection of that user leaves the room). */
  userId: string;
  /** Why, when the moderator said. */
  reason?: string;
  /** When the service sent it. */
  sendTime: Date;
  /** The RequestId of the disconnectUser that made it, if any. */
  requestId?: string;
  /** The raw attributes of the event. */
  attributes?: Record<string, string>;
}

/**
 * A request that settled without an answer (not confirmed: `TIMEOUT`, or `ABORTED` /
 * `DISCONNECTED` after it was sent) was answered after all: `result` is what its promise would
 * have resolved with, and has just been emitted as its usual event (`message`, `messageDelete`,
 * `userDisconnect`). For `sendMessage`: the message was delivered.
 */
export type ChatDelivery =
  | { kind: 'sendMessage'; requestId: string; result: ChatMessage }
  | { kind: 'deleteMessage'; requestId: string; result: DeleteMessageEvent }
  | { kind: 'disconnectUser'; requestId: string; result: DisconnectUserEvent };

/** What the `attempt` event of a {@link ChatRoom} tells. */
export interface ChatAttempt {
  /** The attempt of this outage or renewal, from 1 (at most `1 + maxReconnectAttempts`). */
  attempt: number;
  /** Whether it renews the session of a connection that is still open (the room stays `connected`). */
  renewal: boolean;
}

/** Events of a {@link ChatRoom} and their listeners. */
export interface ChatRoomListeners {
  /** The room started connecting: after `connect()`, or reconnecting after the connection was lost. */
  connecting: () => void;
  /** The room is connected (again). */
  connect: () => void;
  /**
   * An attempt to open a connection starts: a token is asked of the `tokenProvider`, then a
   * socket opened. Each attempt of an outage (the first right after `connecting`), counted from 1
   * up to `1 + maxReconnectAttempts`, and each attempt of a session renewal (`renewal: true`: the
   * room stays `connected` meanwhile, and `renewed` follows when it succeeds). A failed attempt is
   * an `error` event. `connecting` and `connect` are unchanged by it: once per outage and once
   * per connection.
   */
  attempt: (attempt: ChatAttempt) => void;
  /**
   * A session renewal's new connection replaced the old one before its session ended: there was
   * no gap, and the room stayed `connected` (so no `connect` comes).
   */
  renewed: () => void;
  /** The room is disconnected for good (no automatic reconnect); every pending request has settled. */
  disconnect: (reason: DisconnectReason) => void;
  /** A chat message (each one once, even while two sockets overlap during a session renewal). */
  message: (message: ChatMessage) => void;
  /** An event other than the delete and disconnect system events. */
  event: (event: ChatEvent) => void;
  /** A message was deleted. */
  messageDelete: (event: DeleteMessageEvent) => void;
  /** A user was disconnected by a moderator (when it is ours, the room disconnects with `serverDisconnect`). */
  userDisconnect: (event: DisconnectUserEvent) => void;
  /**
   * The answer to a request whose promise rejected as not confirmed (`TIMEOUT`, or `ABORTED` /
   * `DISCONNECTED` after it was sent) arrived after all, within the time the room remembers it
   * (5 minutes after it settled, and the last 1,000 such requests): emitted once, right after the
   * answer's own event. A late ERROR frame for such a request is an `error` event with its
   * `requestId` instead (it failed after all); past those limits, a late answer is only its event
   * (a message still carries its `requestId`).
   */
  delivered: (delivery: ChatDelivery) => void;
  /**
   * A read of the history provider (the `history` option) succeeded: the messages it adds (see {@link ChatHistoryBatch};
   * insert them by `sendTime`). Every message id reaches the app once, on `message` or here. A
   * deletion the read holds for a message already delivered is emitted as its `messageDelete` (and
   * a removal event that hits one as its `event`), once. A failed read is an `error` event
   * (`HISTORY_FAILED`) instead. None after `disconnect()`.
   */
  history: (batch: ChatHistoryBatch) => void;
  /**
   * Something went wrong that is not the answer to one of your requests; the room carries on:
   * `MALFORMED_FRAME` (skipped), an ERROR frame for no pending request (code from its status; with
   * the `requestId` of a request that settled without an answer, that request failed after all),
   * `TOKEN_FETCH_FAILED`, `CONNECTION_FAILED` and `CORE_UNAVAILABLE` (one per failed attempt),
   * `LISTENER_FAILED` (a listener threw or rejected; the other listeners still ran),
   * `HISTORY_FAILED` (a read of the history provider failed; the chat goes on).
   */
  error: (error: ChatError) => void;
}

/** Stable codes of {@link ChatError}. */
export type ChatErrorCode =
  /** The request breaks a rule (see `errors`); nothing was sent. Also a requestId already in use. */
  | 'VALIDATION'
  /**
   * The room was not connected (nothing was sent), or the connection ended before the answer (the
   * request was sent and is not confirmed: it may still take effect, see `delivered`); see `disconnectReason`.
   */
  | 'DISCONNECTED'
  /**
   * Not confirmed (not a failure): the request was sent and got no answer within
   * `requestTimeoutMs`. It may still take effect: its answer, if it comes, is its usual event
   * followed by `delivered` with this `requestId` (or an `error` with it, if refused). Do not
   * send it again blindly: that could deliver it twice.
   */
  | 'TIMEOUT'
  /** Over the client-side message rate (nothing was sent; `status` undefined), or the service's 429. */
  | 'RATE_LIMITED'
  /** The service answered 400: bad request. */
  | 'BAD_REQUEST'
  /** The service answered 401: the connection's session is over (the room renews it). */
  | 'UNAUTHORIZED'
  /** The service answered 403: the token lacks the capability (SEND_MESSAGE, DELETE_MESSAGE, DISCONNECT_USER). */
  | 'FORBIDDEN'
  /** The service answered 404: the room does not exist. */
  | 'NOT_FOUND'
  /** The service answered 406: refused by the room's message review handler. */
  | 'REJECTED'
  /** The service answered 413: too large (e.g. longer than the room's limit, when `maxMessageLength` is set higher). */
  | 'PAYLOAD_TOO_LARGE'
  /** The service answered 500 (or another 5xx). */
  | 'SERVER_ERROR'
  /** The service answered an ErrorCode it does not publish; see `status`. */
  | 'UNKNOWN_ERROR'
  /** `error` event: a server frame could not be read, or was longer than 65,536 characters (no frame of the service is); it was skipped. */
  | 'MALFORMED_FRAME'
  /** `error` event: the tokenProvider threw, timed out or returned no usable token (see `cause`). */
  | 'TOKEN_FETCH_FAILED'
  /** `error` event: a WebSocket could not be opened (refused, unreachable, timed out). */
  | 'CONNECTION_FAILED'
  /** The call's `signal` aborted: a request not sent yet is not sent; one already sent is not confirmed (it may still take effect, see `delivered`). */
  | 'ABORTED'
  /** A listener threw or rejected (see `cause`). */
  | 'LISTENER_FAILED'
  /** The WebAssembly core could not be loaded (see `cause`). */
  | 'CORE_UNAVAILABLE'
  /** `error` event: a read of the history provider threw, timed out (`chatHistory`'s `timeoutMs`) or gave no history (see `cause`); the chat goes on without it. */
  | 'HISTORY_FAILED';

/**
 * Every rejection of a ChatRoom request, and every `error` event. Never contains the token: every
 * text from the service or elsewhere (ERROR messages, close reasons, WebSocket and token
 * provider errors) has the room's tokens and anything shaped like a credential (AWS access key
 * ids, runs of 40+ base64 characters) replaced with `[redacted]`, in errors and log lines alike.
 */
export class ChatError extends IvsChatError<ChatErrorCode> {
  constructor(
    code: ChatErrorCode,
    message: string,
    details?: { status?: number; requestId?: string; errors?: FieldError[]; disconnectReason?: DisconnectReason; cause?: unknown },
  );
  /** What went wrong, as a stable code. */
  readonly code: ChatErrorCode;
  /** The service's ErrorCode (400, 401, 403, 404, 406, 413, 429, 500, ...) when it sent an ERROR frame. */
  readonly status: number | undefined;
  /** The RequestId of the request concerned. */
  readonly requestId: string | undefined;
  /** For `VALIDATION`: every broken rule, as the WebAssembly core found them (empty otherwise). */
  readonly errors: FieldError[];
  /** For `DISCONNECTED`: why the connection ended, when known. */
  readonly disconnectReason: DisconnectReason | undefined;
}

/** What {@link ChatRoom.sendMessage} takes (an official `SendMessageRequest` works too). */
export interface SendMessageRequest {
  /** 1 to `maxMessageLength` code points of valid Unicode. */
  content: string;
  /** String map; at most 1 KB (UTF-8 bytes of all keys and values). */
  attributes?: Record<string, string>;
  /** Printable ASCII, 1-128 characters, unique among pending requests. Default: a random UUID. */
  requestId?: string;
}

/** What {@link ChatRoom.deleteMessage} takes (an official `DeleteMessageRequest` works too). */
export interface DeleteMessageRequest {
  /** The message's id: exactly 12 letters and digits. */
  id: string;
  /** 1-256 characters. */
  reason?: string;
  /** As for {@link SendMessageRequest.requestId}. */
  requestId?: string;
}

/** What {@link ChatRoom.disconnectUser} takes (an official `DisconnectUserRequest` works too). */
export interface DisconnectUserRequest {
  /** 1-128 characters. */
  userId: string;
  /** 1-256 characters. */
  reason?: string;
  /** As for {@link SendMessageRequest.requestId}. */
  requestId?: string;
}

/** Options of one call of a {@link ChatRoom} method. */
/** The options of one call; any other option is refused with `InvalidOptionError` naming it. */
export interface ChatCallOptions {
  /**
   * Aborts the call, as with `fetch`: it rejects with `ABORTED` at once. A request not sent yet
   * (waiting for the core or its rate-limit slot) is then never sent; one already sent may still
   * take effect (its echo still arrives as an event).
   */
  signal?: AbortSignal;
}

/**
 * A connection to one IVS Chat room.
 *
 * Every request settles: with its echo (the MESSAGE/EVENT carrying its RequestId), the service's
 * ERROR for it, `TIMEOUT`, or `DISCONNECTED` when its connection ends first. Sends are never
 * retried by the room (a retry could deliver a message twice).
 *
 * A definite failure (`VALIDATION`, `RATE_LIMITED`, an ERROR code, or `DISCONNECTED` / `ABORTED`
 * before sending) means nothing happened. A request sent and settled without an answer (`TIMEOUT`;
 * `DISCONNECTED` or `ABORTED` after sending) is not confirmed: it may still take effect, and if
 * its answer arrives within 5 minutes (for the last 1,000 such requests) the room emits
 * `delivered` with its `requestId` (or reports a late refusal on `error` with it).
 */
export class ChatRoom {
  /**
   * Checks the options (throws `InvalidOptionError` naming the one at fault) and starts loading
   * the WebAssembly core. Does not connect.
   */
  constructor(options: ChatRoomOptions);
  /** Names the room in log lines. */
  readonly id: string;
  /** The connection state. */
  readonly state: ConnectionState;
  /** Requests sent (or waiting for the rate limit) and not settled yet. */
  readonly pendingRequestCount: number;
  /**
   * Starts connecting: one attempt at once, then up to `maxReconnectAttempts` more after backoff
   * delays. Resolves once connected; rejects with `DISCONNECTED` (see `disconnectReason` and
   * `cause`) when the attempts end in `disconnect`. Ignoring the promise is safe (it never causes
   * an unhandled rejection). Connected already: resolves at once; connecting: the same promise.
   * After `disconnect()` (or a kick) it connects again. An aborted `signal` rejects with `ABORTED`
   * and stops connecting (the room goes `disconnected` with `clientDisconnect`).
   */
  connect(options?: ChatCallOptions): Promise<void>;
  /**
   * Closes every socket, cancels every attempt and timer, rejects every pending request with
   * `DISCONNECTED`, then emits `disconnect` with `clientDisconnect`. No-op when disconnected.
   * No event follows it until the next `connect()`.
   */
  disconnect(): void;
  /**
   * Sends a message; resolves with it as the room echoes it back. Rejects with a {@link ChatError};
   * with `TIMEOUT` it is not confirmed, and may still be delivered (`delivered` event).
   */
  sendMessage(request: SendMessageRequest, options?: ChatCallOptions): Promise<ChatMessage>;
  /** Deletes a message (needs DELETE_MESSAGE); resolves with the resulting event. Rejects with a {@link ChatError}. */
  deleteMessage(request: DeleteMessageRequest, options?: ChatCallOptions): Promise<DeleteMessageEvent>;
  /** Disconnects every connection of a user (needs DISCONNECT_USER); resolves with the resulting event. Rejects with a {@link ChatError}. */
  disconnectUser(request: DisconnectUserRequest, options?: ChatCallOptions): Promise<DisconnectUserEvent>;
  /** Adds a listener (once, however often added); returns a function that removes it. */
  addListener<Name extends keyof ChatRoomListeners>(eventName: Name, listener: ChatRoomListeners[Name]): () => void;
  /** Removes a listener. */
  removeListener<Name extends keyof ChatRoomListeners>(eventName: Name, listener: ChatRoomListeners[Name]): void;
}

/** Options of {@link fetchTokenProvider}'s requests to the token backend. */
export interface FetchTokenInit {
  /** The fetch to use. Default: the global one. */
  fetch?: typeof fetch;
  /** Extra headers (your app's authorization), or a function giving fresh ones for each token. */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  /** Per token request, in ms. Default 10000. */
  timeoutMs?: number;
  /** Aborts every token request once aborted. */
  signal?: AbortSignal;
}

/**
 * A `tokenProvider` that POSTs `request` to your token backend with `createChatToken` for every
 * connection attempt: validated in WebAssembly first (a bad request is never sent), the answer
 * checked there too. The tokens carry `request.userId`, so the room recognises a kick of its own user.
 * Throws `InvalidOptionError` for a missing endpoint or request.
 */
export function fetchTokenProvider(
  endpoint: string | URL,
  request: CreateChatTokenRequest,
  init?: FetchTokenInit,
): () => Promise<{ token: string; tokenExpirationTime: Date; sessionExpirationTime: Date; userId: string }>;
