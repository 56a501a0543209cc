/**
 * `ivschat-wasm/react`: {@link useChatRoom}, a {@link ChatRoom} as React state (React 18 and 19;
 * `react` is an optional peer dependency, imported only by this entry).
 *
 * ```js
 * import { fetchTokenProvider } from 'ivschat-wasm';
 * import { useChatRoom } from 'ivschat-wasm/react';
 *
 * function Chat({ roomIdentifier, userId }) {
 *   const { state, messages, error, sendMessage } = useChatRoom({
 *     regionOrUrl: 'us-west-2',
 *     key: roomIdentifier, // another room: another connection
 *     tokenProvider: () => fetchTokenProvider('/chat-token', { roomIdentifier, userId, capabilities: ['SEND_MESSAGE'] })(),
 *   });
 *   // ...
 * }
 * ```
 * @packageDocumentation
 */
import type {
  chatHistory,
  ChatCallOptions,
  ChatError,
  ChatEvent,
  ChatMessage,
  ChatRoom,
  ChatRoomListeners,
  ChatRoomOptions,
  ConnectionState,
  DeleteMessageEvent,
  DeleteMessageRequest,
  DisconnectReason,
  DisconnectUserEvent,
  DisconnectUserRequest,
  SendMessageRequest,
} from './chat-room.js';
import type { InvalidOptionError } from './index.js';

/** How many messages {@link useChatRoom} keeps unless told otherwise ({@link UseChatRoomOptions.maxMessages}): 500. */
export declare const DEFAULT_MAX_MESSAGES: 500;
/** How many events {@link useChatRoom} keeps unless told otherwise ({@link UseChatRoomOptions.maxEvents}): 100. */
export declare const DEFAULT_MAX_EVENTS: 100;

/**
 * Options of {@link useChatRoom}: every {@link ChatRoomOptions} option, and the hook's own.
 *
 * The room is made when the component mounts, and made again (a new connection, the kept
 * messages and events cleared) when `regionOrUrl` or `key` changes; the other room options are
 * read when it is made, so a new value of them (say, `maxReconnectAttempts`) applies from the
 * next room: change `key` to apply it at once. `tokenProvider` and `listeners` are the
 * exception: the ones of the latest render are always the ones called, so inline functions,
 * new on every render, never cause a reconnection.
 */
export interface UseChatRoomOptions extends ChatRoomOptions {
  /**
   * Names the room: a new value makes a new room (the old one disconnects, the new one connects
   * when `autoConnect`), as `regionOrUrl` does. Use the room's ARN when the component can move to
   * another room with the same `regionOrUrl`, since a new `tokenProvider` alone does not reconnect.
   * Compared with `Object.is`. Default: none.
   */
  key?: string | number;
  /**
   * Connect when the component mounts, when `regionOrUrl` or `key` changes, and when this becomes
   * `true`. It does not reconnect after `disconnect()` or a kick, and turning it `false` does not
   * disconnect (call `disconnect()`). `false` to connect only with `connect()`. Default `true`.
   */
  autoConnect?: boolean;
  /**
   * How many messages `messages` keeps: beyond, the oldest are dropped, so a long chat does not
   * grow memory without bound. A whole number ≥ 0 or `Infinity` (anything else throws
   * `InvalidOptionError` while rendering); a new value applies from the next message.
   * Default {@link DEFAULT_MAX_MESSAGES} (500).
   */
  maxMessages?: number;
  /**
   * How many events `events` keeps, as {@link UseChatRoomOptions.maxMessages} does for messages.
   * `0` to keep none (use `listeners.event` instead). Default {@link DEFAULT_MAX_EVENTS} (100).
   */
  maxEvents?: number;
  /**
   * Listeners of the room's events, under ChatRoom's event names (`message`, `event`,
   * `messageDelete`, `userDisconnect`, `history`, `connecting`, `connect`, `disconnect`, `error`), called
   * after the hook's state has taken the event in. Those of the latest render are called (an
   * inline object is fine). One that throws is reported on `error` as `LISTENER_FAILED`, as
   * ChatRoom does. Events of a room the hook has let go of (after unmount, or a new `key`) are
   * never delivered.
   */
  listeners?: Partial<ChatRoomListeners>;
}

/**
 * What {@link useChatRoom} returns. A new object whenever one of its values changes; the functions
 * keep their identities for the component's whole life (safe in dependency arrays and `memo`
 * props), and always act on the current room.
 */
export interface UseChatRoomResult {
  /**
   * The connection state, as {@link ChatRoom.state}: `'disconnected'` until the room connects
   * (also during the server render, where no room is made), `'connecting'`, `'connected'`.
   */
  readonly state: ConnectionState;
  /**
   * The room's messages since it was made, oldest first, each once (your own too, when the room
   * echoes them), at most {@link UseChatRoomOptions.maxMessages}. With a `history` option
   * ({@link chatHistory}), the history's messages too: each read's inserted by `sendTime`,
   * before the live messages of the same or a later time. A deleted message
   * (`aws:DELETE_MESSAGE`) is removed, and so are a user's messages up to one of the history's
   * `removalEvents`; use `listeners.messageDelete` to show a mark instead. A new array on each
   * change; never mutated.
   */
  readonly messages: readonly ChatMessage[];
  /**
   * The room's events other than the two system ones (e.g. sent with SendEvent), oldest first, at
   * most {@link UseChatRoomOptions.maxEvents}. The deletions and kicks are on
   * `listeners.messageDelete` and `listeners.userDisconnect`.
   */
  readonly events: readonly ChatEvent[];
  /**
   * The last problem the room reported on its `error` event (`TOKEN_FETCH_FAILED`,
   * `CONNECTION_FAILED`, `MALFORMED_FRAME`, `LISTENER_FAILED`, ... as a {@link ChatError}), or an
   * `InvalidOptionError` when ChatRoom refused the options (no room is then made, and every call
   * rejects with that error). Cleared when the room connects, and when a new room is made.
   * Failures of your own requests are not here: their promises reject.
   */
  readonly error: ChatError | InvalidOptionError | undefined;
  /**
   * Why the room last became `disconnected` (the payload of its `disconnect` event:
   * `'serverDisconnect'` when our user was kicked, `'fetchTokenError'`, ...). `undefined` before
   * that and from the next `connecting`.
   */
  readonly disconnectReason: DisconnectReason | undefined;
  /**
   * The current room, for what the hook does not cover (e.g. `pendingRequestCount`). `undefined`
   * before the component mounts, after it unmounts, and when the options were refused. Listeners
   * added to it directly must be removed by you; prefer {@link UseChatRoomOptions.listeners}.
   */
  readonly room: ChatRoom | undefined;
  /**
   * Connects the current room ({@link ChatRoom.connect}): resolves once connected, rejects with
   * `DISCONNECTED` when the attempts end; ignoring the promise is safe. With no room (not
   * mounted yet, unmounted, or options refused) it rejects (`DISCONNECTED`, or the
   * `InvalidOptionError`).
   */
  connect(options?: ChatCallOptions): Promise<void>;
  /** Disconnects the current room ({@link ChatRoom.disconnect}); it stays so until `connect()`, or a new `regionOrUrl` or `key`. */
  disconnect(): void;
  /**
   * {@link ChatRoom.sendMessage} on the current room: resolves with the message as the room echoes
   * it (it is then in `messages` too). Rejects with a {@link ChatError} (`DISCONNECTED` with no
   * room, or when the component unmounts before the answer).
   */
  sendMessage(request: SendMessageRequest, options?: ChatCallOptions): Promise<ChatMessage>;
  /** {@link ChatRoom.deleteMessage} on the current room (needs DELETE_MESSAGE): the message leaves `messages` of every client in the room. */
  deleteMessage(request: DeleteMessageRequest, options?: ChatCallOptions): Promise<DeleteMessageEvent>;
  /** {@link ChatRoom.disconnectUser} on the current room (needs DISCONNECT_USER): kicks every connection of a user. */
  disconnectUser(request: DisconnectUserRequest, options?: ChatCallOptions): Promise<DisconnectUserEvent>;
}

/**
 * A {@link ChatRoom} for a React component: connected when it mounts (unless `autoConnect:
 * false`), disconnected when it unmounts, its messages, events, state and error as React state.
 *
 * Safe under StrictMode: the room is made in an effect and disconnected in its cleanup, so the
 * development double mount leaves one room and one connection (the first room's attempt is
 * cancelled before it opens a socket), and nothing from a room it let go of reaches the state.
 * Server rendering makes no room and renders the `'disconnected'` state.
 *
 * Throws `InvalidOptionError` while rendering, naming the option, for options that are not an
 * object and for a bad `autoConnect`, `maxMessages`, `maxEvents` or `listeners`; ChatRoom's own
 * checks (made when the room is made, in an effect; unknown options included) show as
 * {@link UseChatRoomResult.error}.
 */
export function useChatRoom(options: UseChatRoomOptions): UseChatRoomResult;
