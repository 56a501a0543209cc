// @ts-check
// Room history (issue 22): chatHistory({ provider }), given to ChatRoom as its `history` option:
// the app's provider (the room's recent messages, e.g. from the edge's readRoomHistory over the
// room's chat log) merged with the live messages of the socket. A module of its own that ChatRoom
// never imports (it calls what `history.attach()` gives it): a page without history does not
// carry it.
//
// A history session starts whenever the room starts connecting (connect(), or an outage): read 1
// runs in parallel with the token fetch, so the first live message is not delayed by it (after
// an outage: once connected again); read 2 runs delayMs after the room connected, and closes the
// gap between what the log held at read 1 and what the socket delivered (chat logging lags:
// about 10 s for CloudWatch Logs).
//
// THE MERGE. Every message reaches the app once, by its Id, either as a live `message` event or
// in a `history` event (the messages of one read not delivered before, oldest first: older than
// live ones already shown, so the app inserts them by sendTime). Deletions apply whenever they
// arrive: an aws:DELETE_MESSAGE, or a removal event of the app (`removalEvents`: the user named by
// an attribute loses every message sent up to the event), seen live or in a read's `events`,
// removes the message from every later read; one from a read that hits a message already
// delivered is emitted as its usual event (`messageDelete`, `event`), once. A read that fails is
// an `error` event (HISTORY_FAILED) and nothing else: the chat goes on.
import { Deadline } from '../deadline.js';
import { InvalidOptionError } from '../errors.js';
import { atLeast, fetchFunction, positive, readOptions } from '../option-table.js';
import { readCappedText } from '../read-capped.js';
import { removalEventsOption } from '../removal-events.js';
import { ChatError } from './chat-error.js';
import { RecentIds } from './recent-ids.js';

/**
 * @typedef {import('./frame-events.js').ChatMessage} ChatMessage
 * @typedef {import('./frame-events.js').ChatEvent} ChatEvent
 * @typedef {import('./frame-events.js').DeleteMessageEvent} DeleteMessageEvent
 * @typedef {import('./frame-events.js').FrameEvent} FrameEvent
 * @typedef {import('./timers.js').Timers} Timers
 *
 * @typedef {Date | string | number} HistoryTime a Date, an ISO 8601 string (JSON) or ms since the epoch
 * @typedef {Omit<ChatMessage, 'sendTime'> & { sendTime: HistoryTime }} ChatHistoryMessage
 * @typedef {(Omit<DeleteMessageEvent, 'sendTime'> & { sendTime: HistoryTime })
 *   | (Omit<ChatEvent, 'sendTime'> & { sendTime: HistoryTime })} ChatHistoryEvent
 * @typedef {ChatHistoryMessage[] | { messages: ChatHistoryMessage[], events?: ChatHistoryEvent[] }} ChatHistorySource
 *   what a provider gives (see types/chat-room.d.ts)
 * @typedef {{ read: 1 | 2, signal: AbortSignal }} ChatHistoryRequest
 * @typedef {(request: ChatHistoryRequest) => Promise<ChatHistorySource> | ChatHistorySource} ChatHistoryProvider
 * @typedef {{ messages: ChatMessage[], read: 1 | 2, final: boolean }} ChatHistoryBatch the `history` event
 * @typedef {{ readonly removalEvents: Readonly<Record<string, string>>, attach(host: unknown): unknown }} ChatHistory
 *   what chatHistory() makes (a HistoryFactory), as ChatRoom's `history` option sees it
 *
 * @typedef {object} ChatHistoryOptions (documented in types/chat-room.d.ts)
 * @property {ChatHistoryProvider} [provider]
 * @property {string | URL} [url]
 * @property {typeof fetch} [fetch]
 * @property {number} [delayMs]
 * @property {number} [timeoutMs]
 * @property {Record<string, string>} [removalEvents]
 *
 * @typedef {object} HistoryHost what the room gives its history
 * @property {Timers} timers
 * @property {(name: 'history' | 'messageDelete' | 'event', payload: unknown) => void} emit
 * @property {(error: ChatError) => void} report
 * @property {(level: 'debug' | 'warn', message: string) => void} log
 * @property {(error: unknown) => string} describe an error as text, redacted
 *
 * @typedef {object} Session one connection's reads
 * @property {AbortController} controller aborts the read under way when the session ends
 * @property {number | undefined} connectedAt
 * @property {boolean} firstSettled
 * @property {boolean} afterOutage read 1 waits for the connection (a read during an outage would fail)
 * @property {unknown} timer read 2's
 */

/** CloudWatch Logs delivers a room's records about 10 s late (the IVS Chat user guide): read 2 comes a little after. */
const DEFAULT_HISTORY_DELAY_MS = 12_000;
export const DEFAULT_HISTORY_TIMEOUT_MS = 10_000;
/** How many delivered message ids (and event ids, and deleted ids) are remembered, so a read delivers none twice. */
const REMEMBERED = 2000;
/** How many removals (user, time) are remembered. */
const REMEMBERED_REMOVALS = 200;

/**
 * The user whose messages a removal event removes, and up to when (ms), if it is one.
 * @param {{ eventName?: unknown, attributes?: Record<string, string>, sendTime?: Date }} event
 * @param {Readonly<Record<string, string>>} removalEvents
 * @returns {{ userId: string, until: number } | undefined}
 */
export function removalOf(event, removalEvents) {
  const name = event.eventName;
  if (typeof name !== 'string' || !Object.hasOwn(removalEvents, name)) return undefined;
  const userId = event.attributes?.[removalEvents[name]];
  const until = event.sendTime instanceof Date ? event.sendTime.getTime() : NaN;
  return typeof userId === 'string' && userId !== '' && Number.isFinite(until) ? { userId, until } : undefined;
}

/**
 * A time as ms: a Date, an ISO 8601 string (IVS's SendTime, nanoseconds and all) or a number.
 * @param {unknown} value
 */
function timeOf(value) {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? Date.parse(value) : NaN;
}

/** @param {unknown} value */
function stringMap(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const map = /** @type {Record<string, unknown>} */ (value);
  return Object.values(map).every((v) => typeof v === 'string') ? /** @type {Record<string, string>} */ (map) : undefined;
}

/**
 * A message of a history source in ChatRoom's shape (sendTime made a Date), or undefined when it
 * is not one.
 * @param {any} value
 * @returns {ChatMessage | undefined}
 */
function readMessage(value) {
  if (value === null || typeof value !== 'object') return undefined;
  const { id, content, sender } = value;
  const time = timeOf(value.sendTime);
  if (typeof id !== 'string' || id === '' || typeof content !== 'string' || !Number.isFinite(time)) return undefined;
  if (sender === null || typeof sender !== 'object' || typeof sender.userId !== 'string') return undefined;
  /** @type {ChatMessage} */
  const message = { id, content, sendTime: new Date(time), sender: { userId: sender.userId } };
  const senderAttributes = stringMap(sender.attributes);
  if (senderAttributes) message.sender.attributes = senderAttributes;
  if (typeof value.requestId === 'string' && value.requestId !== '') message.requestId = value.requestId;
  const attributes = stringMap(value.attributes);
  if (attributes) message.attributes = attributes;
  return message;
}

/**
 * An event of a history source: a deletion (a DeleteMessageEvent, `messageId`; or a raw
 * aws:DELETE_MESSAGE ChatEvent, its `MessageID` attribute) or another ChatEvent.
 * @param {any} value
 * @returns {{ deletion: DeleteMessageEvent } | { event: ChatEvent } | undefined}
 */
function readEvent(value) {
  if (value === null || typeof value !== 'object' || typeof value.id !== 'string') return undefined;
  const time = timeOf(value.sendTime);
  if (!Number.isFinite(time)) return undefined;
  const attributes = stringMap(value.attributes);
  const common = { id: value.id, sendTime: new Date(time), ...(attributes ? { attributes } : {}) };
  const messageId = typeof value.messageId === 'string' ? value.messageId
    : value.eventName === 'aws:DELETE_MESSAGE' ? attributes?.MessageID ?? attributes?.MessageId : undefined;
  if (typeof messageId === 'string') {
    return { deletion: { ...common, messageId, ...(typeof value.reason === 'string' ? { reason: value.reason } : attributes?.Reason ? { reason: attributes.Reason } : {}) } };
  }
  return typeof value.eventName === 'string' ? { event: { ...common, eventName: value.eventName } } : undefined;
}

/**
 * What a provider gave, read: its messages and events in ChatRoom's shapes, and how many
 * entries were not (skipped). Throws when it is not a history at all.
 * @param {unknown} source
 */
export function readHistorySource(source) {
  const isList = Array.isArray(source);
  const body = /** @type {{ messages?: unknown, events?: unknown } | null} */ (isList ? { messages: source } : source);
  if (body === null || typeof body !== 'object' || !Array.isArray(body.messages) || (body.events !== undefined && !Array.isArray(body.events))) {
    throw new TypeError('the history provider must give ChatMessage[] or { messages: ChatMessage[], events?: [...] }');
  }
  let skipped = 0;
  /** @type {ChatMessage[]} */
  const messages = [];
  for (const entry of body.messages) {
    const message = readMessage(entry);
    if (message) messages.push(message);
    else skipped += 1;
  }
  /** @type {DeleteMessageEvent[]} */
  const deletions = [];
  /** @type {ChatEvent[]} */
  const events = [];
  for (const entry of /** @type {unknown[]} */ (body.events ?? [])) {
    const read = readEvent(entry);
    if (!read) skipped += 1;
    else if ('deletion' in read) deletions.push(read.deletion);
    else events.push(read.event);
  }
  return { messages, deletions, events, skipped };
}

/** chatHistory's options, each with its check and default. */
const OPTIONS = {
  /** @param {unknown} value @param {import('../option-table.js').OptionContext} context */
  provider(value, { given }) {
    if (value === undefined && given.url !== undefined) return undefined; // (url's)
    if (typeof value !== 'function') throw new InvalidOptionError('provider', '`provider` must be a function ({ read, signal }) returning (a promise of) the room\'s recent messages: ChatMessage[] or { messages, events? }; or give `url` instead.');
    if (given.url !== undefined) throw new InvalidOptionError('url', 'Give `provider` or `url`, not both.');
    return /** @type {ChatHistoryProvider} */ (value);
  },
  /** @param {unknown} value */
  url(value) {
    if (value === undefined || value instanceof URL || (typeof value === 'string' && value !== '')) return value === undefined ? undefined : String(value);
    throw new InvalidOptionError('url', '`url` must be the URL (a string or URL) of your history endpoint, answering the room\'s recent messages as JSON.');
  },
  /** @param {unknown} value @param {import('../option-table.js').OptionContext} context */
  fetch(value, { given }) {
    if (value === undefined && given.url === undefined) return undefined;
    return fetchFunction(value, { name: 'fetch', owner: 'chatHistory', given, settings: {} });
  },
  delayMs: atLeast(DEFAULT_HISTORY_DELAY_MS, 0),
  timeoutMs: positive(DEFAULT_HISTORY_TIMEOUT_MS, 'milliseconds'),
  removalEvents: removalEventsOption,
};

/** @typedef {import('../option-table.js').OptionSettings<typeof OPTIONS>} HistorySettings */

/**
 * The largest answer the `url` provider reads: the history handler answers at most 1000
 * messages (MAX_HISTORY_LIMIT), about 3.5 MB at their largest; past this the read fails
 * (HISTORY_FAILED) instead of holding an endless answer in memory.
 */
export const MAX_HISTORY_ANSWER_BYTES = 8 * 1024 * 1024;

/**
 * A provider that GETs `url` (with the read's signal) and gives its JSON.
 * @param {string} url
 * @param {typeof fetch} fetchImpl
 * @returns {ChatHistoryProvider}
 */
function urlProvider(url, fetchImpl) {
  return async ({ signal }) => {
    const response = await fetchImpl(url, { signal, headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    const text = await readCappedText(response, MAX_HISTORY_ANSWER_BYTES);
    if (text === undefined) throw new Error(`${url} answered more than ${MAX_HISTORY_ANSWER_BYTES} bytes; no history answer is near that size`);
    return JSON.parse(text);
  };
}

/** What chatHistory() makes: the settings, and a RoomHistory for each room it is given to. */
class HistoryFactory {
  /** @type {HistorySettings} */
  #settings;

  /** @param {HistorySettings} settings */
  constructor(settings) {
    const { url, fetch: fetchImpl } = settings;
    this.#settings = { ...settings, provider: settings.provider ?? urlProvider(/** @type {string} */ (url), /** @type {typeof fetch} */ (fetchImpl)) };
    /** Read by the React hook, which removes the messages of these events from its state. @readonly */
    this.removalEvents = settings.removalEvents;
  }

  /**
   * Called by the ChatRoom it is given to, once. (Typed as the declaration has it: what passes
   * between the two is internal.)
   * @param {unknown} host a {@link HistoryHost}
   * @returns {unknown} a {@link RoomHistory}
   */
  attach(host) {
    return new RoomHistory(this.#settings, /** @type {HistoryHost} */ (host));
  }
}

/**
 * A room's history source, for ChatRoom's `history` option (InvalidOptionError names the option
 * at fault).
 * @param {ChatHistoryOptions} options
 * @returns {ChatHistory}
 */
export function chatHistory(options) {
  return new HistoryFactory(readOptions(OPTIONS, options, { owner: 'chatHistory', notAnObject: 'chatHistory needs an options object: { provider or url, delayMs?, timeoutMs?, removalEvents? }.' }));
}

/** The history of a room, and its merge with the live messages. */
export class RoomHistory {
  /** @type {Session | undefined} */
  #session;
  /** Messages delivered to the app (live or by a read), by id: their sender and time. @type {Map<string, { userId: string, time: number }>} */
  #delivered = new Map();
  /** Events delivered to the app (live, or emitted for a read). */
  #events = new RecentIds(REMEMBERED);
  #deleted = new RecentIds(REMEMBERED);
  /** @type {{ userId: string, until: number }[]} */
  #removals = [];
  /** The room was connected since it last started connecting from `disconnected`. */
  #wasConnected = false;

  /**
   * @param {HistorySettings} settings
   * @param {HistoryHost} host
   */
  constructor(settings, host) {
    this.settings = settings;
    this.host = host;
  }

  /** The room started connecting: a new session, whose read 1 runs with the token fetch. */
  start() {
    // After an outage (the room was connected, and lost it), read 1 waits for the connection:
    // made while the network is down, it would only fail.
    const afterOutage = this.#wasConnected;
    this.#end();
    /** @type {Session} */
    const session = { controller: new AbortController(), connectedAt: undefined, firstSettled: false, afterOutage, timer: undefined };
    this.#session = session;
    if (!afterOutage) void this.#read(session, 1);
  }

  /** The room connected: read 2 is due delayMs from now (and, after an outage, read 1 now). */
  connected() {
    this.#wasConnected = true;
    const session = this.#session;
    if (!session) return;
    session.connectedAt = this.host.timers.now();
    if (session.afterOutage) {
      session.afterOutage = false;
      void this.#read(session, 1);
      return;
    }
    this.#scheduleSecond(session);
  }

  /** The room disconnected: the read under way is aborted, and nothing of it is delivered. */
  stop() {
    this.#wasConnected = false;
    this.#end();
  }

  #end() {
    const session = this.#session;
    if (!session) return;
    this.#session = undefined;
    this.host.timers.clear(session.timer);
    session.controller.abort(new Error('the room disconnected'));
  }

  /**
   * A frame's event, before the room emits it: recorded, and false when it must not be emitted
   * (a message a read delivered already).
   * @param {FrameEvent} frameEvent
   */
  live({ name, payload }) {
    if (name === 'message') {
      if (this.#delivered.has(payload.id)) return false;
      this.#remember(payload);
    } else if (name === 'messageDelete') {
      this.#events.add(payload.id);
      this.#deleted.add(payload.messageId);
    } else if (name === 'event') {
      this.#events.add(payload.id);
      this.#addRemoval(removalOf(payload, this.settings.removalEvents));
    }
    return true;
  }

  /** @param {ChatMessage} message */
  #remember(message) {
    if (this.#delivered.size >= REMEMBERED) this.#delivered.delete(/** @type {string} */ (this.#delivered.keys().next().value));
    this.#delivered.set(message.id, { userId: message.sender.userId, time: message.sendTime.getTime() });
  }

  /** @param {{ userId: string, until: number } | undefined} removal */
  #addRemoval(removal) {
    if (!removal) return;
    if (this.#removals.length >= REMEMBERED_REMOVALS) this.#removals.shift();
    this.#removals.push(removal);
  }

  /** @param {{ userId: string, time: number }} message */
  #removed({ userId, time }) {
    return this.#removals.some((removal) => removal.userId === userId && time <= removal.until);
  }

  /** @param {Session} session */
  #scheduleSecond(session) {
    const { delayMs } = this.settings;
    if (delayMs === 0 || !session.firstSettled || session.connectedAt === undefined || session.timer !== undefined) return;
    const { timers } = this.host;
    session.timer = timers.set(() => void this.#read(session, 2), Math.max(0, session.connectedAt + delayMs - timers.now()));
  }

  /**
   * @param {Session} session
   * @param {1 | 2} read
   */
  async #read(session, read) {
    const { host, settings } = this;
    const provider = /** @type {ChatHistoryProvider} */ (settings.provider);
    const final = read === 2 || settings.delayMs === 0;
    // A microtask later, as the token: a connect undone at once (StrictMode) never calls it.
    await undefined;
    if (session !== this.#session) return;
    const deadline = new Deadline(settings.timeoutMs, { signal: session.controller.signal, timers: host.timers });
    let source;
    try {
      source = readHistorySource(await deadline.race(Promise.resolve(provider({ read, signal: deadline.signal }))));
    } catch (error) {
      if (session !== this.#session) return; // stopped: nothing more from it
      const why = deadline.expired ? `no answer within timeoutMs (${settings.timeoutMs} ms)` : host.describe(error);
      host.report(new ChatError('HISTORY_FAILED', `Could not read the room's history (read ${read} of ${final ? read : 2}); the chat goes on without it: ${why}`, { cause: error }));
    } finally {
      deadline.clear();
    }
    if (session !== this.#session) return;
    if (source) this.#merge(source, read, final);
    if (read === 2 || final) {
      this.#session = undefined;
      return;
    }
    session.firstSettled = true;
    this.#scheduleSecond(session);
  }

  /**
   * @param {ReturnType<typeof readHistorySource>} source
   * @param {number} read
   * @param {boolean} final
   */
  #merge({ messages, deletions, events, skipped }, read, final) {
    const { host } = this;
    if (skipped > 0) host.log('warn', `history read ${read}: ${skipped} entries that are not ChatRoom messages or events were skipped`);
    for (const deletion of deletions) {
      this.#deleted.add(deletion.messageId);
      // A message already shown, deleted in the gap: its deletion is news.
      if (this.#delivered.has(deletion.messageId) && this.#events.add(deletion.id)) host.emit('messageDelete', deletion);
    }
    for (const event of events) {
      const removal = removalOf(event, this.settings.removalEvents);
      if (!removal) continue;
      this.#addRemoval(removal);
      const hits = [...this.#delivered.values()].some((m) => m.userId === removal.userId && m.time <= removal.until);
      if (hits && this.#events.add(event.id)) host.emit('event', event);
    }
    /** @type {Set<string>} */
    const ids = new Set();
    const fresh = messages.filter((message) => {
      if (ids.has(message.id) || this.#delivered.has(message.id) || this.#deleted.ids.has(message.id)) return false;
      ids.add(message.id);
      return !this.#removed({ userId: message.sender.userId, time: message.sendTime.getTime() });
    });
    fresh.sort((a, b) => a.sendTime.getTime() - b.sendTime.getTime()); // stable: the source's order for equal times
    for (const message of fresh) this.#remember(message);
    host.log('debug', `history read ${read}: ${fresh.length} new of ${messages.length}`);
    host.emit('history', /** @type {ChatHistoryBatch} */ ({ messages: fresh, read, final }));
  }
}
