// Load, bounded and on loopback only, in one Node process (clients, token handler and local
// server share it):
// - chatLoad: N ChatRoom clients in rooms of `clientsPerRoom`, each sending M messages at a steady
//   pace under the room's limit (maximumMessageRatePerSecond 100); every message must reach every
//   member of its room exactly once (0 lost, 0 duplicates), every send must resolve.
// - handlerLoad: the token handler (createTokenHandler through toNodeListener, in front of the
//   local server) taking R requests at concurrency C over keep-alive connections; 0 failures,
//   every token distinct; latency percentiles reported.
// Figures are reported, never asserted on speed. Used by tests/reliability/load.test.js (short)
// and reliability/run.js (full).
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';

import { startLocalIvsChat } from 'ivschat-wasm/local';

import { percentile, round1, sleep, startChat, startTokenBackend, waitFor } from '../tests/reliability/helpers.js';

/**
 * Runs `task(i)` for i in [0, count) with at most `concurrency` at a time.
 * @param {number} count
 * @param {number} concurrency
 * @param {(index: number) => Promise<void>} task
 */
async function pool(count, concurrency, task) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const index = next;
      next += 1;
      await task(index);
    }
  });
  await Promise.all(workers);
}

/**
 * @param {object} [options]
 * @param {number} [options.clients]
 * @param {number} [options.messagesPerClient]
 * @param {number} [options.clientsPerRoom]
 * @param {number} [options.messagesPerSecondPerClient] steady pace; clientsPerRoom × this stays well under 100
 * @param {number} [options.timeLimitMs]
 */
export async function chatLoad({ clients = 50, messagesPerClient = 10, clientsPerRoom = 10, messagesPerSecondPerClient = 5, timeLimitMs = 300_000 } = {}) {
  assert.ok(clientsPerRoom * messagesPerSecondPerClient <= 60, 'stay well under the room limit of 100 messages/s');
  const started = Date.now();
  const chat = await startChat();
  try {
    const roomCount = Math.ceil(clients / clientsPerRoom);
    const arns = [];
    for (let r = 0; r < roomCount; r += 1) arns.push((await chat.server.createRoom({ maximumMessageRatePerSecond: 100 })).arn);
    /** @type {{ userId: string, roomIndex: number, room: any, received: Map<string, number>, contents: Set<string>, errors: any[] }[]} */
    const members = [];
    for (let c = 0; c < clients; c += 1) {
      const roomIndex = Math.floor(c / clientsPerRoom);
      const userId = `load-${roomIndex}-${c % clientsPerRoom}`;
      const room = chat.room({
        tokenProvider: chat.tokens({ roomArn: arns[roomIndex], userId, capabilities: ['SEND_MESSAGE'] }),
        maxMessagesPerSecond: messagesPerSecondPerClient * 2,
        requestTimeoutMs: 60_000,
        connectTimeoutMs: 60_000,
        tokenTimeoutMs: 60_000,
      });
      const member = { userId, roomIndex, room, received: new Map(), contents: new Set(), errors: [] };
      room.addListener('message', (/** @type {any} */ message) => {
        member.received.set(message.id, (member.received.get(message.id) ?? 0) + 1);
        member.contents.add(message.content);
      });
      room.addListener('error', (/** @type {any} */ error) => member.errors.push(error));
      members.push(member);
    }
    const connectStarted = Date.now();
    await pool(members.length, 20, async (index) => members[index].room.connect());
    const connectMs = Date.now() - connectStarted;

    // Every client sends at a steady pace (a random phase, so rooms do not get bursts).
    const intervalMs = 1000 / messagesPerSecondPerClient;
    /** @type {number[]} */
    const echoLatencies = [];
    let rateLimitedRetries = 0;
    const sendStarted = Date.now();
    await Promise.all(members.map(async (member) => {
      await sleep(Math.random() * intervalMs);
      for (let n = 0; n < messagesPerClient; n += 1) {
        const due = Date.now() + intervalMs;
        for (;;) {
          const sentAt = performance.now();
          try {
            await member.room.sendMessage({ content: `${member.userId} #${n}` });
            echoLatencies.push(performance.now() - sentAt);
            break;
          } catch (error) {
            // A 429 from the room means it was refused (never delivered): sending again is safe.
            if (/** @type {any} */ (error).code !== 'RATE_LIMITED') throw error;
            rateLimitedRetries += 1;
            await sleep(1000);
          }
        }
        await sleep(Math.max(0, due - Date.now()));
      }
    }));
    const sendMs = Date.now() - sendStarted;

    // Every member of a room gets every message of the room, once.
    const perRoomMessages = (/** @type {number} */ roomIndex) => members.filter((m) => m.roomIndex === roomIndex).length * messagesPerClient;
    await waitFor(() => members.every((m) => m.received.size >= perRoomMessages(m.roomIndex)), 'every member to get every message of its room', Math.max(1000, timeLimitMs - (Date.now() - started)));
    let expectedDeliveries = 0;
    let deliveries = 0;
    let duplicates = 0;
    let lost = 0;
    for (const member of members) {
      const expected = perRoomMessages(member.roomIndex);
      expectedDeliveries += expected;
      for (const times of member.received.values()) {
        deliveries += times;
        duplicates += times - 1;
      }
      lost += Math.max(0, expected - member.received.size);
      const roomMates = members.filter((m) => m.roomIndex === member.roomIndex);
      for (const mate of roomMates) {
        for (let n = 0; n < messagesPerClient; n += 1) assert.ok(member.contents.has(`${mate.userId} #${n}`), `${member.userId} missed ${mate.userId} #${n}`);
      }
      assert.equal(member.received.size, expected, `${member.userId} got messages from elsewhere`);
      assert.deepEqual(member.errors.map((e) => e.code), [], `${member.userId} reported errors`);
      assert.equal(member.room.state, 'connected');
    }
    assert.equal(duplicates, 0);
    assert.equal(lost, 0);
    const stats = chat.server.stats();
    for (const member of members) member.room.disconnect();
    await waitFor(() => chat.server.stats().openConnections === 0, 'every connection to close');
    return {
      clients,
      rooms: roomCount,
      messagesPerClient,
      messagesSent: clients * messagesPerClient,
      messagesBroadcast: stats.messagesSent,
      expectedDeliveries,
      deliveries,
      lost,
      duplicates,
      rateLimitedRetries,
      connectMs,
      sendMs,
      deliveriesPerSecond: Math.round(deliveries / (sendMs / 1000)),
      echoLatencyMs: { p50: round1(percentile(echoLatencies, 50)), p99: round1(percentile(echoLatencies, 99)), max: round1(Math.max(...echoLatencies)) },
      totalMs: Date.now() - started,
    };
  } finally {
    await chat.close();
  }
}

/**
 * @param {object} [options]
 * @param {number} [options.requests]
 * @param {number} [options.concurrency]
 */
export async function handlerLoad({ requests = 300, concurrency = 50 } = {}) {
  const ivs = await startLocalIvsChat();
  const room = await ivs.createRoom();
  const issuedBefore = ivs.stats().tokensIssued;
  let logEntries = 0;
  const backend = await startTokenBackend(ivs, {
    authorize: (_request, body) => ({ roomIdentifier: room.arn, userId: String(body.userId), capabilities: ['SEND_MESSAGE'], attributes: { displayName: 'Load Test' } }),
    logger: () => (logEntries += 1),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    /** @type {number[]} */
    const latencies = [];
    /** @type {string[]} */
    const failures = [];
    const tokens = new Set();
    /** @param {number} index */
    const one = (index) => new Promise((resolve) => {
      const body = JSON.stringify({ roomIdentifier: room.arn, userId: `user-${index}` });
      const started = performance.now();
      const req = httpRequest(backend.url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 60_000,
      }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          latencies.push(performance.now() - started);
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            const json = JSON.parse(text);
            if (res.statusCode !== 200 || typeof json.token !== 'string' || !json.tokenExpirationTime || !json.sessionExpirationTime) throw new Error(`HTTP ${res.statusCode} ${text.slice(0, 200)}`);
            tokens.add(json.token);
          } catch (error) {
            failures.push(String(error));
          }
          resolve(undefined);
        });
        res.on('error', (error) => {
          failures.push(String(error));
          resolve(undefined);
        });
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 60 s')));
      req.on('error', (error) => {
        failures.push(String(error));
        resolve(undefined);
      });
      req.end(body);
    });
    // Warm-up, not counted: the wasm compiled and optimised, the keep-alive connections open.
    const warmup = Math.max(200, concurrency);
    await pool(warmup, concurrency, async (i) => one(-1 - i));
    latencies.length = 0;
    tokens.clear();
    const warmupFailures = failures.splice(0);
    assert.deepEqual(warmupFailures, []);
    const started = performance.now();
    await pool(requests, concurrency, one);
    const elapsedMs = performance.now() - started;
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${requests} requests failed`);
    assert.equal(tokens.size, requests, 'every token is distinct');
    assert.equal(ivs.stats().tokensIssued - issuedBefore, requests + warmup);
    assert.equal(logEntries, requests + warmup, 'one log entry per request');
    return {
      requests,
      concurrency,
      warmupRequests: warmup,
      failures: failures.length,
      elapsedMs: Math.round(elapsedMs),
      requestsPerSecond: Math.round(requests / (elapsedMs / 1000)),
      latencyMs: {
        p50: round1(percentile(latencies, 50)),
        p90: round1(percentile(latencies, 90)),
        p99: round1(percentile(latencies, 99)),
        max: round1(Math.max(...latencies)),
      },
    };
  } finally {
    agent.destroy();
    await backend.close();
    await ivs.close();
  }
}
