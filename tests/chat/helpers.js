// Shared by the ChatRoom tests: the local IVS Chat server with tokens minted by the AWS SDK,
// recorders for a room's events, a fake clock, and a scriptable in-memory WebSocket for the
// protocol details the local server cannot be made to produce. Every wait is bounded.
import assert from 'node:assert/strict';
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { WebSocket } from 'ws';

import { ChatRoom } from 'ivschat-wasm';
import { startLocalIvsChat } from '../../js/local/index.js';

/** Generous bound for anything that should happen "soon" on a slow, loaded 2-core machine. */
export const SOON_MS = 15_000;

/**
 * Waits until `condition()` is truthy, polling; fails after `timeoutMs`.
 * @template T
 * @param {() => T} condition
 * @param {string} what
 * @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
export async function waitFor(condition, what, timeoutMs = SOON_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The local server, an SDK client for it, and every ChatRoom made through `room()`, all closed by `close()`.
 * @param {Parameters<typeof startLocalIvsChat>[0]} [options]
 */
export async function startChat(options) {
  const server = await startLocalIvsChat(options);
  // maxAttempts 1: the SDK must not retry behind our back, so token fetches can be counted.
  const sdk = new IvschatClient({ endpoint: server.controlPlaneUrl, region: server.region, credentials: server.credentials, maxAttempts: 1 });
  /** @type {ChatRoom[]} */
  const rooms = [];
  return {
    server,
    sdk,
    /**
     * A token provider minting real tokens; `calls` counts its calls, `tokens` keeps what it gave.
     * @param {object} options
     * @param {string} options.roomArn
     * @param {string} options.userId
     * @param {string[]} [options.capabilities]
     * @param {Record<string, string>} [options.attributes]
     * @param {(call: number) => number | undefined} [options.sessionMinutes] sessionDurationInMinutes of the n-th token (1-based)
     * @param {boolean} [options.withUserId] attach userId to the token, as fetchTokenProvider does
     * @param {boolean} [options.withSessionExpiration] default true
     * @param {(call: number) => void} [options.before] may throw to fail the n-th call
     */
    tokens({ roomArn, userId, capabilities = [], attributes, sessionMinutes = () => undefined, withUserId = false, withSessionExpiration = true, before }) {
      const provider = async () => {
        provider.calls += 1;
        provider.callTimes.push(Date.now());
        before?.(provider.calls);
        const response = await sdk.send(new CreateChatTokenCommand({
          roomIdentifier: roomArn,
          userId,
          capabilities,
          attributes,
          sessionDurationInMinutes: sessionMinutes(provider.calls),
        }));
        const token = /** @type {string} */ (response.token);
        provider.tokens.push(token);
        return {
          token,
          tokenExpirationTime: response.tokenExpirationTime,
          ...(withSessionExpiration ? { sessionExpirationTime: response.sessionExpirationTime } : {}),
          ...(withUserId ? { userId } : {}),
        };
      };
      provider.calls = 0;
      /** @type {number[]} */
      provider.callTimes = [];
      /** @type {string[]} */
      provider.tokens = [];
      return provider;
    },
    /**
     * A ChatRoom on the local server, with `ws` as its WebSocket (Node 20 has no global one).
     * @param {Partial<import('../../types/chat-room.d.ts').ChatRoomOptions> & { tokenProvider: any }} options
     */
    room(options) {
      const room = new ChatRoom({ regionOrUrl: server.messagingUrl, WebSocket, backoff: { initialDelayMs: 20, maxDelayMs: 200 }, ...options });
      rooms.push(room);
      return room;
    },
    async close() {
      for (const room of rooms) room.disconnect();
      sdk.destroy();
      await server.close();
    },
  };
}

/**
 * Records everything a room emits.
 * @param {ChatRoom} room
 */
export function record(room) {
  const log = {
    connecting: 0,
    connect: 0,
    /** @type {string[]} */ disconnects: [],
    /** @type {any[]} */ messages: [],
    /** @type {any[]} */ events: [],
    /** @type {any[]} */ deletes: [],
    /** @type {any[]} */ userDisconnects: [],
    /** @type {any[]} */ errors: [],
  };
  room.addListener('connecting', () => (log.connecting += 1));
  room.addListener('connect', () => (log.connect += 1));
  room.addListener('disconnect', (reason) => log.disconnects.push(reason));
  room.addListener('message', (m) => log.messages.push(m));
  room.addListener('event', (e) => log.events.push(e));
  room.addListener('messageDelete', (e) => log.deletes.push(e));
  room.addListener('userDisconnect', (e) => log.userDisconnects.push(e));
  room.addListener('error', (e) => log.errors.push(e));
  return log;
}

/**
 * Settles a promise into `{ ok, value }` / `{ ok: false, error }` (for counting outcomes).
 * @template T
 * @param {Promise<T>} promise
 */
export function settled(promise) {
  return promise.then((value) => ({ ok: true, value }), (error) => ({ ok: false, error }));
}

/** Asserts that no item of `list` has the same `id` as another. */
export function assertUniqueIds(list, what) {
  const ids = list.map((item) => item.id);
  assert.equal(new Set(ids).size, ids.length, `${what}: an id was delivered twice`);
}

/** Lets pending microtasks and immediates run (a few rounds: immediates may queue more). */
export async function flush() {
  for (let round = 0; round < 5; round += 1) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock whose time only moves when the test says; records every timer's delay.
 */
export class FakeClock {
  constructor(start = Date.UTC(2030, 0, 1)) {
    this.time = start;
    /** @type {{ id: number, at: number, ms: number, callback: () => void }[]} */
    this.tasks = [];
    this.nextId = 1;
    /** @type {number[]} every delay ever asked for, in order */
    this.requested = [];
    this.now = () => this.time;
    this.setTimeout = (/** @type {() => void} */ callback, /** @type {number} */ ms) => {
      const id = this.nextId++;
      this.requested.push(ms);
      this.tasks.push({ id, at: this.time + Math.max(0, ms), ms, callback });
      return id;
    };
    this.clearTimeout = (/** @type {number} */ id) => {
      this.tasks = this.tasks.filter((task) => task.id !== id);
    };
  }

  /** Timers that are set now. */
  get pending() {
    return this.tasks.length;
  }

  /** Moves time forward by `ms`, running due timers in order (and the promise work they cause). */
  async advance(ms) {
    const end = this.time + ms;
    for (;;) {
      await flush();
      this.tasks.sort((a, b) => a.at - b.at || a.id - b.id);
      const due = this.tasks[0];
      if (!due || due.at > end) break;
      this.tasks.shift();
      this.time = due.at;
      due.callback();
    }
    this.time = end;
    await flush();
  }

  /** Runs timers one by one until `condition()` holds (at most `maxSteps`). */
  async runUntil(condition, what, maxSteps = 1000) {
    for (let step = 0; step < maxSteps; step += 1) {
      await flush();
      if (condition()) return;
      this.tasks.sort((a, b) => a.at - b.at || a.id - b.id);
      const due = this.tasks.shift();
      if (!due) throw new Error(`no timer left while waiting for ${what}`);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    throw new Error(`${what} did not happen within ${maxSteps} timers`);
  }
}

/**
 * An in-memory stand-in for the messaging service, reached through the WebSocket option: the
 * test decides when sockets open, what frames arrive and how sockets close.
 */
export class FakeService {
  constructor() {
    /** @type {any[]} every socket ever made, in order */
    this.sockets = [];
    /** @type {((socket: any) => void) | undefined} called for each new socket (e.g. to accept it) */
    this.onSocket = undefined;
    /** @type {((socket: any, request: any) => void) | undefined} called for each frame a client sends */
    this.onRequest = undefined;
    const service = this;
    this.WebSocket = class FakeWebSocket extends EventTarget {
      /** @param {string} url @param {string} protocol */
      constructor(url, protocol) {
        super();
        this.url = url;
        this.protocol = protocol;
        this.readyState = 0;
        /** @type {any[]} */
        this.sent = [];
        this.closedByClient = undefined;
        service.sockets.push(this);
        queueMicrotask(() => service.onSocket?.(this));
      }
      /** @param {string} text */
      send(text) {
        if (this.readyState !== 1) throw new Error('send on a socket that is not open');
        const request = JSON.parse(text);
        this.sent.push(request);
        queueMicrotask(() => service.onRequest?.(this, request));
      }
      close(code = 1000, reason = '') {
        if (this.readyState >= 2) return;
        this.closedByClient = { code, reason };
        this.readyState = 3;
        queueMicrotask(() => this.dispatchEvent(Object.assign(new Event('close'), { code, reason, wasClean: true })));
      }
      // The service's side:
      accept() {
        this.readyState = 1;
        this.dispatchEvent(new Event('open'));
      }
      refuse(message = 'Unexpected server response: 401') {
        this.readyState = 3;
        this.dispatchEvent(Object.assign(new Event('error'), { message }));
        this.dispatchEvent(Object.assign(new Event('close'), { code: 1006, reason: '', wasClean: false }));
      }
      /** @param {string | object} frame */
      deliver(frame) {
        this.dispatchEvent(new MessageEvent('message', { data: typeof frame === 'string' ? frame : JSON.stringify(frame) }));
      }
      /** @param {number} code @param {boolean} wasClean */
      drop(code = 1006, wasClean = false, reason = '') {
        if (this.readyState === 3) return;
        this.readyState = 3;
        this.dispatchEvent(Object.assign(new Event('close'), { code, reason, wasClean }));
      }
      get isOpen() {
        return this.readyState === 1;
      }
    };
  }

  /** Sockets that are open now. */
  get open() {
    return this.sockets.filter((socket) => socket.readyState === 1);
  }
}

let nextFakeId = 0;
/** A 12-character id like the service's. */
export function fakeId() {
  nextFakeId += 1;
  return `Fake${String(nextFakeId).padStart(8, '0')}`;
}

/** The MESSAGE frame the service would broadcast for a SEND_MESSAGE. */
export function echoOf(request, userId = 'alice', extra = {}) {
  return {
    Type: 'MESSAGE',
    Id: fakeId(),
    RequestId: request.RequestId,
    Content: request.Content,
    Attributes: request.Attributes ?? null,
    SendTime: '2030-01-01T00:00:00.123456789Z',
    Sender: { UserId: userId, Attributes: null },
    ...extra,
  };
}

/**
 * What a page shows of a room with history: it appends `message`s, inserts each `history` batch
 * by sendTime (before the first message shown with a later or equal one, as the React hook
 * does), removes a message on `messageDelete` and a user's messages up to a removal event. Also
 * keeps every id delivered (`delivered`) and the batches.
 * @param {ChatRoom} room
 * @param {Record<string, string>} [removalEvents]
 */
export function historyPage(room, removalEvents = { 'app:DELETE_USER_MESSAGES': 'userId' }) {
  /** @type {any[]} */
  let shown = [];
  const page = {
    /** @type {any[]} */ batches: [],
    /** @type {string[]} every message id delivered, by `message` or `history`, in order */ delivered: [],
    shown: () => shown,
  };
  room.addListener('message', (message) => {
    page.delivered.push(message.id);
    shown.push(message);
  });
  room.addListener('history', (batch) => {
    page.batches.push(batch);
    // Merged: each before the first message shown with a later or equal sendTime, in the batch's order.
    const merged = [];
    let next = 0;
    for (const m of shown) {
      while (next < batch.messages.length && batch.messages[next].sendTime <= m.sendTime) merged.push(batch.messages[next++]);
      merged.push(m);
    }
    merged.push(...batch.messages.slice(next));
    page.delivered.push(...batch.messages.map((m) => m.id));
    shown = merged;
  });
  room.addListener('messageDelete', ({ messageId }) => {
    shown = shown.filter((m) => m.id !== messageId);
  });
  room.addListener('event', (event) => {
    const attribute = Object.hasOwn(removalEvents, event.eventName) ? removalEvents[event.eventName] : undefined;
    const userId = attribute && event.attributes?.[attribute];
    if (userId) shown = shown.filter((m) => m.sender.userId !== userId || m.sendTime > event.sendTime);
  });
  return page;
}
