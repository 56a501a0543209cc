// @ts-check
// useChatRoom: a ChatRoom as React state. One ChatRoom per mounted component (a new one when
// regionOrUrl or key changes), created and connected in an effect and disconnected in its
// cleanup, so StrictMode's mount, unmount, mount leaves one room and one connection. The
// room's events go into a small store read with useSyncExternalStore (no tearing in concurrent
// renders, no update after unmount); the request functions belong to that store, so their
// identities never change. Only `react` is imported (the app's copy). Types: types/react.d.ts.
import { useDebugValue, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';

import { InvalidOptionError } from '../errors.js';
import { flag, readOwnOptions, wholeNumber } from '../option-table.js';
import { ChatError } from '../chat/chat-error.js';
import { ChatRoom, EVENT_NAMES } from '../chat/chat-room.js';
import { removalOf } from '../chat/history.js';

/**
 * @typedef {import('../chat/chat-room.js').ChatRoomListeners} ChatRoomListeners
 * @typedef {import('../chat/chat-room.js').ChatMessage} ChatMessage
 * @typedef {import('../chat/chat-room.js').ChatEvent} ChatEvent
 * @typedef {import('../chat/chat-room.js').DisconnectReason} DisconnectReason
 * @typedef {import('../chat/chat-room.js').ConnectionState} ConnectionState
 * @typedef {import('../chat/options.js').ChatRoomOptions} ChatRoomOptions
 * @typedef {{ signal?: AbortSignal }} CallOptions
 *
 * @typedef {ChatRoomOptions & {
 *   key?: string | number,
 *   autoConnect?: boolean,
 *   maxMessages?: number,
 *   maxEvents?: number,
 *   listeners?: Partial<ChatRoomListeners>,
 * }} UseChatRoomOptions
 *
 * @typedef {object} ChatRoomSnapshot what the hook renders from (replaced, never changed)
 * @property {ChatRoom | undefined} room
 * @property {ConnectionState} state
 * @property {readonly ChatMessage[]} messages
 * @property {readonly ChatEvent[]} events
 * @property {ChatError | InvalidOptionError | undefined} error
 * @property {DisconnectReason | undefined} disconnectReason
 */

/** Messages kept by default (the oldest go first). */
export const DEFAULT_MAX_MESSAGES = 500;
/** Events kept by default (the oldest go first). */
export const DEFAULT_MAX_EVENTS = 100;

/** The hook's own options, each with its check and default; the others are ChatRoom's, passed on to it (it refuses unknown ones). */
const HOOK_OPTIONS = {
  /** @param {unknown} value */
  key: (value) => /** @type {string | number | undefined} */ (value), // any value: only its changes matter
  autoConnect: flag(true),
  maxMessages: wholeNumber(DEFAULT_MAX_MESSAGES, { min: 0, infinity: true }),
  maxEvents: wholeNumber(DEFAULT_MAX_EVENTS, { min: 0, infinity: true }),
  /** @param {unknown} value */
  listeners(value) {
    if (value === undefined || (value !== null && typeof value === 'object')) return /** @type {Partial<ChatRoomListeners> | undefined} */ (value);
    throw new InvalidOptionError('listeners', '`listeners` must be an object of ChatRoom event listeners, such as { message: (message) => ... }.');
  },
};
/** @typedef {{ settings: import('../option-table.js').OptionSettings<typeof HOOK_OPTIONS>, others: Record<string, unknown> }} ReadOptions */
/** @type {readonly never[]} */
const NONE = Object.freeze([]);
/** @type {ChatRoomSnapshot} */
const INITIAL = Object.freeze({ room: undefined, state: 'disconnected', messages: NONE, events: NONE, error: undefined, disconnectReason: undefined });

/**
 * The hook's options read, and ChatRoom's set apart.
 * @param {unknown} options
 * @returns {ReadOptions}
 */
function readHookOptions(options) {
  return readOwnOptions(HOOK_OPTIONS, options, { owner: 'useChatRoom', notAnObject: 'useChatRoom needs an options object: { regionOrUrl, tokenProvider, ... }.' });
}

/**
 * `list` with `item` appended, keeping the last `cap` items.
 * @template T
 * @param {readonly T[]} list
 * @param {T} item
 * @param {number} cap
 * @returns {readonly T[]}
 */
function appendCapped(list, item, cap) {
  if (cap === 0) return list.length === 0 ? list : NONE;
  const next = list.length >= cap ? list.slice(list.length - cap + 1) : list.slice();
  next.push(item);
  return next;
}

/**
 * `list` with the messages of a history read inserted by sendTime (each before the first message
 * of `list` with a later or equal one: a message a read adds was sent before the live ones of its
 * millisecond; `list` keeps its order), keeping the last `cap`.
 * @param {readonly ChatMessage[]} list
 * @param {readonly ChatMessage[]} older oldest first
 * @param {number} cap
 * @returns {readonly ChatMessage[]}
 */
function insertByTime(list, older, cap) {
  if (older.length === 0) return list;
  /** @type {ChatMessage[]} */
  const merged = [];
  let next = 0;
  for (const message of list) {
    while (next < older.length && older[next].sendTime.getTime() <= message.sendTime.getTime()) merged.push(older[next++]);
    merged.push(message);
  }
  while (next < older.length) merged.push(older[next++]);
  if (cap === 0) return list.length === 0 ? list : NONE;
  return merged.length > cap ? merged.slice(merged.length - cap) : merged;
}

/**
 * @param {string} method
 * @param {unknown} failure why there is no room, if its options were refused
 */
function noRoom(method, failure) {
  if (failure instanceof Error) return failure;
  return new ChatError('DISCONNECTED', `useChatRoom: ${method} was called while no room exists (before the component mounted, or after it unmounted).`, { disconnectReason: 'clientDisconnect' });
}

/** The state of one hook instance: its current room and what it has seen. */
class ChatRoomStore {
  /** @type {ChatRoomSnapshot} */
  snapshot = INITIAL;
  /** @type {Set<() => void>} */
  #subscribers = new Set();
  /** @type {ChatRoom | undefined} */
  #room;
  /** @type {(() => void)[]} removes this store's listeners from the room */
  #unlisten = [];
  /** @type {unknown} the room's options were refused */
  #failure;
  /** @type {{ current: ReadOptions }} the options of the last commit */
  #latest;

  /** @param {{ current: ReadOptions }} latest */
  constructor(latest) {
    this.#latest = latest;
  }

  /** @param {() => void} callback */
  subscribe = (callback) => {
    this.#subscribers.add(callback);
    return () => {
      this.#subscribers.delete(callback);
    };
  };

  getSnapshot = () => this.snapshot;

  /** @param {Partial<ChatRoomSnapshot>} patch */
  #set(patch) {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const callback of [...this.#subscribers]) callback();
  }

  /**
   * Creates the room (not connected) and listens to it. Invalid options leave no room and
   * are reported as `error`.
   * @returns {ChatRoom | undefined}
   */
  attach() {
    const roomOptions = { ...this.#latest.current.others };
    // The provider of the latest render is the one called, so an inline function does not make a new room.
    if (typeof roomOptions.tokenProvider === 'function') {
      roomOptions.tokenProvider = () => /** @type {ChatRoomOptions} */ (this.#latest.current.others).tokenProvider();
    }
    let room;
    try {
      room = new ChatRoom(/** @type {ChatRoomOptions} */ (roomOptions));
    } catch (error) {
      this.#failure = error;
      this.#set({ ...INITIAL, error: /** @type {InvalidOptionError} */ (error) });
      return undefined;
    }
    this.#failure = undefined;
    this.#room = room;
    // The app's removal events, when the room has history (chatHistory's removalEvents).
    const removalEvents = /** @type {import('../chat/history.js').ChatHistory | undefined} */ (roomOptions.history)?.removalEvents ?? {};
    const on = /** @type {ChatRoom['addListener']} */ ((name, listener) => room.addListener(name, listener));
    this.#unlisten = [
      on('connecting', () => this.#set({ state: 'connecting', disconnectReason: undefined })),
      on('connect', () => this.#set({ state: 'connected', error: undefined })),
      on('disconnect', (reason) => this.#set({ state: 'disconnected', disconnectReason: reason })),
      on('message', (message) => this.#set({ messages: appendCapped(this.snapshot.messages, message, this.#cap('maxMessages')) })),
      on('history', ({ messages }) => {
        const merged = insertByTime(this.snapshot.messages, messages, this.#cap('maxMessages'));
        if (merged !== this.snapshot.messages) this.#set({ messages: merged });
      }),
      on('event', (event) => {
        // A removal event of the app (removalEvents): that user's messages up to it go.
        const removal = removalOf(event, removalEvents);
        const { messages } = this.snapshot;
        const kept = removal ? messages.filter((m) => m.sender.userId !== removal.userId || m.sendTime.getTime() > removal.until) : messages;
        this.#set({ events: appendCapped(this.snapshot.events, event, this.#cap('maxEvents')), ...(kept.length !== messages.length ? { messages: kept } : {}) });
      }),
      on('messageDelete', ({ messageId }) => {
        const { messages } = this.snapshot;
        if (messages.some((m) => m.id === messageId)) this.#set({ messages: messages.filter((m) => m.id !== messageId) });
      }),
      on('error', (error) => this.#set({ error })),
      // The app's listeners, after the store's (so a listener that throws does not skip an update).
      ...EVENT_NAMES.map((name) => on(name, (/** @type {any} */ payload) => {
        const listener = /** @type {((payload?: unknown) => unknown) | undefined} */ (this.#latest.current.settings.listeners?.[name]);
        return listener?.(payload);
      })),
    ];
    this.#set({ ...INITIAL, room, state: room.state });
    return room;
  }

  /**
   * Stops listening to `room`, then disconnects it (closing its sockets and timers; its pending
   * requests reject with DISCONNECTED). Nothing from it reaches the store afterwards.
   * @param {ChatRoom | undefined} room
   */
  detach(room) {
    if (!room || room !== this.#room) return;
    for (const unlisten of this.#unlisten) unlisten();
    this.#unlisten = [];
    this.#room = undefined;
    room.disconnect();
    this.#set({ room: undefined, state: 'disconnected', disconnectReason: 'clientDisconnect' });
  }

  /** @param {'maxMessages' | 'maxEvents'} name */
  #cap(name) {
    return this.#latest.current.settings[name];
  }

  /** @param {CallOptions} [options] */
  connect = (options) => {
    if (this.#room) return this.#room.connect(options);
    const promise = Promise.reject(noRoom('connect', this.#failure));
    promise.catch(() => {}); // as ChatRoom#connect: ignoring it is safe
    return promise;
  };

  disconnect = () => {
    this.#room?.disconnect();
  };

  /** @type {ChatRoom['sendMessage']} */
  sendMessage = (request, options) => this.#room ? this.#room.sendMessage(request, options) : Promise.reject(noRoom('sendMessage', this.#failure));

  /** @type {ChatRoom['deleteMessage']} */
  deleteMessage = (request, options) => this.#room ? this.#room.deleteMessage(request, options) : Promise.reject(noRoom('deleteMessage', this.#failure));

  /** @type {ChatRoom['disconnectUser']} */
  disconnectUser = (request, options) => this.#room ? this.#room.disconnectUser(request, options) : Promise.reject(noRoom('disconnectUser', this.#failure));
}

/**
 * A chat room for a React component. See types/react.d.ts for the documented API.
 * @param {UseChatRoomOptions} options
 * @returns {import('../../types/react.js').UseChatRoomResult} the snapshot, read-only, and the store's functions
 */
export function useChatRoom(options) {
  // The hook's own options are checked while rendering: a bad value is a bug in the component,
  // not in the room's config (ChatRoom's are checked when the room is made, and reported as `error`).
  const read = readHookOptions(options);
  const { key, autoConnect } = read.settings;
  const { regionOrUrl } = read.others;

  const latest = useRef(read);
  const [store] = useState(() => new ChatRoomStore(latest));
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  useDebugValue(snapshot.state);

  // Declared first, so it runs before the effects below in every commit.
  useEffect(() => {
    latest.current = read;
  });
  // A room per mount, and per regionOrUrl or key; the other options are read when it is made.
  useEffect(() => {
    const room = store.attach();
    return () => store.detach(room);
  }, [store, regionOrUrl, key]);
  useEffect(() => {
    if (autoConnect) void store.connect();
  }, [store, regionOrUrl, key, autoConnect]);

  return useMemo(() => ({
    ...snapshot,
    connect: store.connect,
    disconnect: store.disconnect,
    sendMessage: store.sendMessage,
    deleteMessage: store.deleteMessage,
    disconnectUser: store.disconnectUser,
  }), [snapshot, store]);
}
