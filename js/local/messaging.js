// @ts-check
/**
 * The messaging API over WebSocket (`ws`): token-authenticated upgrades on the control plane's
 * port, the three client actions, and MESSAGE / EVENT / ERROR frames in the service's shape.
 *
 * Every outbound frame goes through a per-connection queue so the fault controls can delay or
 * hold frames (and pongs) without reordering them; with no fault set and nothing queued, a frame
 * is written at once.
 *
 * A broadcast is built once: the JSON text and its WebSocket frame (header and UTF-8 payload in
 * one Buffer) are made once per MESSAGE or EVENT, and the same Buffer is written to each
 * connection of the room (connections are indexed by room). Those writes go to the connection's
 * own TCP socket, corked until the end of the event-loop turn, so frames that reach one socket in
 * the same turn leave in one write.
 * @module
 */
import { within } from '../deadline.js';
import { newId, sendTimeNow } from './ids.js';
import { answerClientFrame } from './client-actions.js';

/** Largest inbound frame accepted; `ws` closes the connection with 1009 above it. */
const MAX_INBOUND_FRAME_BYTES = 1024 * 1024;
/** Close code for closes the service initiates on purpose (session expiry, kick, room deleted). */
const CLOSE_NORMAL = 1000;
/** Close code when the local server shuts down. */
const CLOSE_GOING_AWAY = 1001;
/** How long close() waits for clients to answer the close handshake before cutting them off. */
const SHUTDOWN_GRACE_MS = 500;
/** A WebSocket's readyState when open (the standard's value, ws's WebSocket.OPEN). */
const OPEN = 1;

/**
 * @typedef {object} OutboundControl shared fault settings for outbound frames
 * @property {number} delayMs every frame is held this long before it is sent
 * @property {boolean} stalled while true nothing is sent (frames and pongs wait in order)
 */

/**
 * @typedef {{ kind: 'text', text: string } | { kind: 'frame', frame: Buffer } | { kind: 'pong', data: Buffer } | { kind: 'close', code: number, reason: string }} OutboundItem
 * `frame`: a complete server text frame (textFrame), shared by every connection it goes to.
 */

/**
 * A complete unmasked text frame (FIN set, opcode 1) for `text`: header and payload in one Buffer,
 * to be written as it is to any number of sockets.
 * @param {string} text
 * @returns {Buffer}
 */
function textFrame(text) {
  const length = Buffer.byteLength(text, 'utf8');
  // RFC 6455 5.2: FIN + opcode 1, then the payload length in 7 bits, or 126 + 16 bits, or 127 + 64 bits.
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (headerLength === 2) {
    frame[1] = length;
  } else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, headerLength, 'utf8');
  return frame;
}

/** Sockets corked this event-loop turn, uncorked together at its end. */
/** @type {Set<import('node:stream').Duplex>} */
const corkedSockets = new Set();

function uncorkAll() {
  for (const socket of corkedSockets) socket.uncork();
  corkedSockets.clear();
}

/**
 * @typedef {object} HubStats counters the hub updates
 * @property {number} connectionsOpened
 * @property {number} connectionsRefused
 * @property {number} messagesSent MESSAGE frames broadcast (once per message, not per recipient)
 * @property {number} messagesReviewed messages given to a room's review handler
 * @property {number} eventsSent EVENT frames broadcast (once per event)
 * @property {number} errorsSent ERROR frames sent
 */

let nextConnectionNumber = 1;

/** One open WebSocket and the chat session it was opened with. */
export class ChatConnection {
  /**
   * @param {import('ws').WebSocket} ws
   * @param {import('./state.js').ChatSession} session
   * @param {import('./state.js').Room} room
   * @param {OutboundControl} outbound
   * @param {import('node:stream').Duplex} [socket] the TCP socket under `ws`, for writing prebuilt frames
   */
  constructor(ws, session, room, outbound, socket) {
    this.number = nextConnectionNumber++;
    this.ws = ws;
    this.socket = socket;
    this.session = session;
    this.room = room;
    this.outbound = outbound;
    /** Once true the session is over: no more broadcasts to it, its requests are ignored. */
    this.ended = false;
    /** True once the socket is closed. */
    this.closed = false;
    /** @type {Array<OutboundItem & { releaseAtMs: number }>} */
    this.queue = [];
    /** @type {NodeJS.Timeout | undefined} */
    this.pumpTimer = undefined;
    /** @type {NodeJS.Timeout | undefined} */
    this.sessionTimer = undefined;
    /** The client's address, as a review handler's event has it. */
    this.ip = '';
  }

  get userId() {
    return this.session.userId;
  }

  /** @param {OutboundItem} item */
  enqueue(item) {
    if (this.closed) return;
    if (this.queue.length === 0 && this.outbound.delayMs === 0 && !this.outbound.stalled) {
      // Nothing waits and no fault holds frames: what pump() would do at once, without the queue.
      this.deliver(item);
      return;
    }
    this.queue.push({ ...item, releaseAtMs: Date.now() + this.outbound.delayMs });
    this.pump();
  }

  /** Sends what is due, in order; re-arms a timer for the next delayed item. */
  pump() {
    if (this.pumpTimer) {
      clearTimeout(this.pumpTimer);
      this.pumpTimer = undefined;
    }
    while (this.queue.length > 0 && !this.outbound.stalled && !this.closed) {
      const waitMs = this.queue[0].releaseAtMs - Date.now();
      if (waitMs > 0) {
        this.pumpTimer = setTimeout(() => this.pump(), waitMs);
        return;
      }
      const item = /** @type {OutboundItem} */ (this.queue.shift());
      this.deliver(item);
    }
  }

  /** @param {OutboundItem} item */
  deliver(item) {
    if (this.ws.readyState !== OPEN) return;
    if (item.kind === 'frame') this.writeFrame(item.frame);
    else if (item.kind === 'text') this.ws.send(item.text);
    else if (item.kind === 'pong') this.ws.pong(item.data);
    else {
      this.queue.length = 0;
      this.ws.close(item.code, item.reason);
    }
  }

  /**
   * Writes a prebuilt frame straight to the socket. `ws` writes each of its own frames to the same
   * socket whole and at once (the server negotiates no compression, so its sender never queues),
   * so frames stay whole and in order. The socket stays corked until the end of this event-loop
   * turn: everything written to it in the turn leaves in one write.
   * @param {Buffer} frame
   */
  writeFrame(frame) {
    const socket = this.socket;
    if (!socket) {
      this.ws.send(frame.subarray(frame[1] === 126 ? 4 : frame[1] === 127 ? 10 : 2), { binary: false });
      return;
    }
    if (!corkedSockets.has(socket)) {
      if (corkedSockets.size === 0) setImmediate(uncorkAll);
      socket.cork();
      corkedSockets.add(socket);
    }
    socket.write(frame);
  }

  /**
   * Ends the session: optionally one last frame, then a clean close, both in queue order.
   * @param {{ code: number, reason: string, lastFrame?: string }} how
   */
  finish({ code, reason, lastFrame }) {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.sessionTimer);
    if (lastFrame !== undefined) this.enqueue({ kind: 'text', text: lastFrame });
    this.enqueue({ kind: 'close', code, reason });
  }

  /** Abrupt end: the TCP connection is destroyed without a close frame. */
  terminate() {
    this.ended = true;
    // What was written before the cut still goes out, as it did when every frame was written at once.
    if (this.socket && corkedSockets.delete(this.socket)) this.socket.uncork();
    this.ws.terminate();
  }

  /** Clears timers once the socket is closed. */
  dispose() {
    this.closed = true;
    this.ended = true;
    this.queue.length = 0;
    clearTimeout(this.pumpTimer);
    clearTimeout(this.sessionTimer);
  }
}

/**
 * @typedef {object} ConnectionFilter which connections a fault applies to (all when empty)
 * @property {string} [userId]
 * @property {string} [roomIdentifier] room ARN
 */

/**
 * The WebSocket side of the local service. (Somewhat long: it owns the index of connections by
 * room, which upgrades, broadcasts, the moderation calls and the fault hooks all read and
 * change; the client actions are in client-actions.js.)
 */
export class MessagingHub {
  /**
   * @param {object} options
   * @param {import('./state.js').ChatState} options.state
   * @param {OutboundControl} options.outbound
   * @param {HubStats} options.stats
   * @param {(line: string) => void} options.log
   * @param {import('./review.js').LambdaFunctions} options.lambdas
   * @param {(roomArn: string, text: string, frame: Record<string, unknown>) => void} [options.onBroadcast]
   *   sees every MESSAGE / EVENT a room is sent (its exact text), even when nobody is connected: chat logging
   * @param {typeof import('ws').WebSocketServer} options.WebSocketServer from `ws` (see load-ws.js)
   */
  constructor({ state, outbound, stats, log, lambdas, onBroadcast = () => {}, WebSocketServer }) {
    this.state = state;
    this.onBroadcast = onBroadcast;
    /** The review functions rooms may name. */
    this.lambdas = lambdas;
    this.outbound = outbound;
    this.stats = stats;
    this.log = log;
    /** @type {Set<ChatConnection>} */
    this.connections = new Set();
    /** The same connections by room ARN, so a broadcast visits only its room's. */
    /** @type {Map<string, Set<ChatConnection>>} */
    this.connectionsByRoom = new Map();
    this.closing = false;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_INBOUND_FRAME_BYTES,
      // Pongs go through the outbound queue so a stall silences them too.
      autoPong: false,
      // The token is the only subprotocol; selecting it back is what lets browsers accept the socket.
      handleProtocols: (protocols) => protocols.values().next().value ?? false,
    });
  }

  /** Open connections (including ones whose session is ending). */
  get openConnectionCount() {
    return this.connections.size;
  }

  /**
   * Handles the HTTP `upgrade` event: checks the token, then completes the handshake.
   * @param {import('node:http').IncomingMessage} request
   * @param {import('node:stream').Duplex} socket
   * @param {Buffer} head
   */
  handleUpgrade(request, socket, head) {
    socket.on('error', () => {}); // a client vanishing mid-handshake is not our error
    if (this.closing) {
      socket.destroy();
      return;
    }
    const header = request.headers['sec-websocket-protocol'];
    const protocols = (header ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    if (protocols.length === 0) {
      this.refuse(socket, 401, 'Missing chat token: pass it as the single WebSocket subprotocol (Sec-WebSocket-Protocol).');
      return;
    }
    if (protocols.length > 1) {
      this.refuse(socket, 400, `Expected exactly one WebSocket subprotocol (the chat token), got ${protocols.length}.`);
      return;
    }
    const result = this.state.consumeToken(protocols[0]);
    if ('refusal' in result) {
      this.refuse(socket, result.refusal.status, result.refusal.message);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, result.session, result.room, request.socket.remoteAddress ?? '', socket));
  }

  /**
   * Refuses the upgrade with a plain HTTP response (so clients see the status, e.g. 401).
   * @param {import('node:stream').Duplex} socket
   * @param {number} status
   * @param {string} message
   */
  refuse(socket, status, message) {
    this.stats.connectionsRefused += 1;
    this.log(`ws refused ${status} ${message}`);
    const body = JSON.stringify({ message });
    const statusText = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
    socket.end(
      `HTTP/1.1 ${status} ${statusText}\r\n` +
        'Connection: close\r\n' +
        'Content-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        '\r\n' +
        body,
    );
  }

  /**
   * @param {import('ws').WebSocket} ws
   * @param {import('./state.js').ChatSession} session
   * @param {import('./state.js').Room} room
   * @param {string} [ip]
   * @param {import('node:stream').Duplex} [socket] the socket `ws` was set up on
   */
  accept(ws, session, room, ip = '', socket = undefined) {
    const connection = new ChatConnection(ws, session, room, this.outbound, socket);
    connection.ip = ip;
    this.connections.add(connection);
    let inRoom = this.connectionsByRoom.get(room.arn);
    if (!inRoom) {
      inRoom = new Set();
      this.connectionsByRoom.set(room.arn, inRoom);
    }
    inRoom.add(connection);
    this.stats.connectionsOpened += 1;
    this.log(`ws open connection=${connection.number} room=${room.id}`);
    ws.on('message', (data, isBinary) => answerClientFrame(this, connection, /** @type {Buffer} */ (data), isBinary));
    ws.on('ping', (data) => connection.enqueue({ kind: 'pong', data }));
    ws.on('error', () => {}); // protocol errors: ws closes the socket itself, 'close' follows
    ws.on('close', (code) => {
      connection.dispose();
      this.connections.delete(connection);
      const roomConnections = this.connectionsByRoom.get(room.arn);
      roomConnections?.delete(connection);
      if (roomConnections?.size === 0) this.connectionsByRoom.delete(room.arn);
      this.log(`ws closed connection=${connection.number} code=${code}`);
    });
    if (this.closing) {
      ws.terminate();
      return;
    }
    if (!this.state.getRoom(room.arn)) {
      connection.finish({ code: CLOSE_NORMAL, reason: 'Room deleted' });
      return;
    }
    const untilExpiry = session.sessionExpiresAtMs - Date.now();
    const expire = () =>
      connection.finish({
        code: CLOSE_NORMAL,
        reason: 'Session expired',
        lastFrame: this.errorFrame('', 401, 'Session expired: the connection reached its sessionExpirationTime. Connect again with a new token.'),
      });
    if (untilExpiry <= 0) expire();
    else connection.sessionTimer = setTimeout(expire, untilExpiry);
  }

  /**
   * @param {string} requestId
   * @param {number} code
   * @param {string} message
   */
  errorFrame(requestId, code, message) {
    this.stats.errorsSent += 1;
    return JSON.stringify({ Type: 'ERROR', Id: newId(), RequestId: requestId, ErrorCode: code, ErrorMessage: message });
  }

  /**
   * The connections of a room (none: an empty list).
   * @param {string} roomArn
   * @returns {Iterable<ChatConnection>}
   */
  roomConnections(roomArn) {
    return this.connectionsByRoom.get(roomArn) ?? [];
  }

  /**
   * Sends a frame to every live connection of a room: encoded once, the same bytes to each.
   * @param {string} roomArn
   * @param {Record<string, unknown>} frame
   */
  broadcast(roomArn, frame) {
    const text = JSON.stringify(frame);
    this.onBroadcast(roomArn, text, frame);
    const connections = this.connectionsByRoom.get(roomArn);
    if (!connections) return;
    /** @type {OutboundItem} */
    const item = { kind: 'frame', frame: textFrame(text) };
    for (const connection of connections) {
      if (!connection.ended) connection.enqueue(item);
    }
  }

  /**
   * Broadcasts an EVENT to a room; returns its id.
   * @param {string} roomArn
   * @param {string} eventName
   * @param {Record<string, string>} attributes
   * @param {string} requestId '' for events that no client request asked for
   */
  sendEvent(roomArn, eventName, attributes, requestId = '') {
    const id = newId();
    this.stats.eventsSent += 1;
    this.broadcast(roomArn, {
      Type: 'EVENT',
      Id: id,
      RequestId: requestId,
      EventName: eventName,
      Attributes: { ...attributes },
      SendTime: sendTimeNow(),
    });
    return id;
  }

  /**
   * `aws:DELETE_MESSAGE` with both `MessageId` and the older `MessageID`.
   * @param {string} roomArn
   * @param {string} messageId
   * @param {string} reason
   * @param {string} [requestId]
   */
  deleteMessage(roomArn, messageId, reason, requestId = '') {
    return this.sendEvent(roomArn, 'aws:DELETE_MESSAGE', { MessageId: messageId, MessageID: messageId, Reason: reason }, requestId);
  }

  /**
   * `aws:DISCONNECT_USER` to the room, then every connection of that user in the room closes
   * (cleanly, after the event reached it).
   * @param {string} roomArn
   * @param {string} userId
   * @param {string} reason
   * @param {string} [requestId]
   */
  disconnectUser(roomArn, userId, reason, requestId = '') {
    const id = this.sendEvent(roomArn, 'aws:DISCONNECT_USER', { UserId: userId, Reason: reason }, requestId);
    for (const connection of this.roomConnections(roomArn)) {
      if (connection.userId === userId) {
        connection.finish({ code: CLOSE_NORMAL, reason: 'Disconnected by a moderator' });
      }
    }
    return id;
  }

  /**
   * Closes every connection of a deleted room.
   * @param {string} roomArn
   */
  closeRoom(roomArn) {
    for (const connection of this.roomConnections(roomArn)) connection.finish({ code: CLOSE_NORMAL, reason: 'Room deleted' });
  }

  /**
   * @param {ConnectionFilter} filter
   * @returns {ChatConnection[]}
   */
  matching({ userId, roomIdentifier } = {}) {
    return [...this.connections].filter(
      (c) => (userId === undefined || c.userId === userId) && (roomIdentifier === undefined || c.room.arn === roomIdentifier),
    );
  }

  /** Sends what a stall held back (delayed frames still wait for their release time). */
  flushAll() {
    for (const connection of this.connections) connection.pump();
  }

  /** Drops the pending delay of every queued frame, then sends what is not stalled. */
  releaseDelayed() {
    for (const connection of this.connections) {
      for (const item of connection.queue) item.releaseAtMs = 0;
      connection.pump();
    }
  }

  /** Closes every socket (1001, then cut off after a short grace) and the WebSocket server. */
  async close() {
    this.closing = true;
    const open = [...this.connections];
    for (const connection of open) {
      connection.dispose();
      if (connection.ws.readyState === OPEN) connection.ws.close(CLOSE_GOING_AWAY, 'Server shutting down');
    }
    if (open.length > 0) {
      const allClosed = new Promise((resolve) => {
        const check = () => {
          if (this.connections.size === 0) resolve(undefined);
        };
        for (const connection of open) connection.ws.once('close', check);
        check();
      });
      await within(allClosed, SHUTDOWN_GRACE_MS).catch(() => {}); // past the grace, the rest are cut off below
    }
    for (const connection of this.connections) connection.ws.terminate();
    for (const client of this.wss.clients) client.terminate();
    await new Promise((resolve) => this.wss.close(() => resolve(undefined)));
  }
}
