// Model-based test of ChatRoom's connection life (fast-check): random sequences of what a server,
// a network and an app can do — drops, clean closes, ERROR 401s, refused and stalled handshakes,
// failing and hanging token fetches, kicks, leaked tokens in server texts, the network coming
// back, connect()/disconnect() calls, sends (some never answered, some aborted) and the passing
// of time — against a scripted WebSocket and a fake clock. After every step it checks:
//   - never more than two sockets alive at once;
//   - token fetches per outage <= maxReconnectAttempts + 1 (an outage ends when a socket opens for
//     the room, or at a connect() call; the rule that a 401 soon after opening continues the
//     outage has its own test in protocol.test.js);
//   - no event after disconnect() until the next connect();
//   - no token in any text: errors, rejections, log lines;
// and at the end of each sequence (after disconnect()): every request settled exactly once (an
// aborted one with ABORTED), nothing pending, no timer left, every socket closed.
// Used by tests/chat/model.test.js (short) and reliability/run.js (long). A failure throws with
// fast-check's seed and path, so `runChatModel({ seed, path })` replays it.
import assert from 'node:assert/strict';
import fc from 'fast-check';

import { ChatError, ChatRoom } from 'ivschat-wasm';
import { echoOf, FakeClock, FakeService, fakeId, flush } from './helpers.js';

const MAX_RECONNECT_ATTEMPTS = 2;
const BACKOFF = { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, resetAfterMs: 5000 };
const USER_ID = 'me';

/** What can happen, as data (so fast-check can shrink a failing sequence). */
const commandArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('advance'), ms: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 8000 })) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('drop'), leak: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ t: 'cleanClose' }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('error401'), soon: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ t: 'refuseNext' }) },
  { weight: 1, arbitrary: fc.constant({ t: 'stallNext' }) },
  { weight: 1, arbitrary: fc.constant({ t: 'tokenFail' }) },
  { weight: 1, arbitrary: fc.constant({ t: 'tokenStall' }) },
  { weight: 1, arbitrary: fc.constant({ t: 'kick' }) },
  { weight: 1, arbitrary: fc.constant({ t: 'leakyError' }) },
  { weight: 1, arbitrary: fc.constant({ t: 'online' }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('connect'), abort: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ t: 'disconnect' }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('send'), silent: fc.boolean(), abortAfterMs: fc.option(fc.integer({ min: 0, max: 400 })) }) },
);

/** An EventTarget standing in for the page's `online` events (Node has none). */
const page = new EventTarget();

/**
 * Runs one sequence; throws an AssertionError at the first broken invariant.
 * @param {any[]} commands
 * @param {{ steps: number }} figures
 */
async function runSequence(commands, figures, verbose = false) {
  const clock = new FakeClock();
  const start = clock.now();
  const service = new FakeService();
  const texts = [];
  const tokens = [];
  const plan = { refuse: 0, stall: 0, tokenFail: 0, tokenStall: 0, silent: new Set() };
  /** Broken invariants seen inside the room's callbacks (a throw there would be the room's to handle). */
  const problems = [];
  /** Sequence numbers of fetches since the last end of an outage. */
  let fetchesInOutage = 0;
  let mostFetches = 0;
  let mostSockets = 0;
  const alive = () => service.sockets.filter((socket) => socket.readyState < 2).length;
  const checkSockets = () => {
    mostSockets = Math.max(mostSockets, alive());
    if (alive() > 2) problems.push(`${alive()} sockets alive at once`);
  };
  /** The test's own timers (the service's echoes, aborts), kept apart from the room's. */
  const ours = new Set();
  const later = (/** @type {() => void} */ callback, /** @type {number} */ ms) => {
    const id = clock.setTimeout(() => {
      ours.delete(id);
      callback();
    }, ms);
    ours.add(id);
  };
  /** Sockets accepted. */
  const accepted = new Map();

  const tokenProvider = async () => {
    // A socket opened (and not closed at once as superseded or failed) since the last fetch: the room took it, the outage was over.
    for (const socket of service.sockets) {
      if (socket.counted || !accepted.has(socket)) continue;
      socket.counted = true;
      if (!['superseded', 'connect failed'].includes(socket.closedByClient?.reason)) fetchesInOutage = 0;
    }
    fetchesInOutage += 1;
    if (verbose) console.log(`${clock.now() - start} fetch ${fetchesInOutage} in this outage`);
    mostFetches = Math.max(mostFetches, fetchesInOutage);
    if (fetchesInOutage > MAX_RECONNECT_ATTEMPTS + 1) problems.push(`${fetchesInOutage} token fetches in one outage`);
    if (plan.tokenStall > 0) {
      plan.tokenStall -= 1;
      return new Promise(() => {});
    }
    if (plan.tokenFail > 0) {
      plan.tokenFail -= 1;
      throw new Error(`backend down (the last token was ${tokens.at(-1) ?? 'none'})`);
    }
    const token = `SECRET${tokens.length}TOKEN${'Q'.repeat(12)}`;
    tokens.push(token);
    return { token, userId: USER_ID };
  };
  service.onSocket = (socket) => {
    checkSockets();
    if (plan.refuse > 0) {
      plan.refuse -= 1;
      socket.refuse(`Unexpected server response: 401 for ${socket.protocol}`);
      return;
    }
    if (plan.stall > 0) {
      plan.stall -= 1;
      return;
    }
    socket.accept();
    accepted.set(socket, clock.now());
  };
  service.onRequest = (socket, request) => {
    if (plan.silent.has(request.RequestId)) return;
    later(() => {
      if (socket.readyState === 1) socket.deliver(echoOf(request, USER_ID));
    }, 10);
  };

  const logger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((level) => [level, (line) => {
    texts.push(String(line));
    if (verbose) console.log(`${clock.now() - start} ${level} ${line}`);
  }]));
  globalThis.addEventListener = page.addEventListener.bind(page);
  globalThis.removeEventListener = page.removeEventListener.bind(page);
  const room = new ChatRoom({
    regionOrUrl: 'ws://chat.invalid',
    tokenProvider,
    WebSocket: service.WebSocket,
    clock,
    random: () => 0.5,
    logger,
    maxReconnectAttempts: MAX_RECONNECT_ATTEMPTS,
    backoff: BACKOFF,
    requestTimeoutMs: 3000,
    tokenTimeoutMs: 2000,
    connectTimeoutMs: 2000,
    maxMessagesPerSecond: 5,
    maxRateLimitWaitMs: 1000,
  });
  let disconnectedByUs = false;
  for (const name of ['connecting', 'connect', 'disconnect', 'message', 'event', 'messageDelete', 'userDisconnect', 'delivered', 'error']) {
    room.addListener(name, (payload) => {
      if (disconnectedByUs) problems.push(`a \`${name}\` event after disconnect()`);
      if (payload instanceof ChatError) texts.push(payload.message, String(payload.stack));
    });
  }
  /** @type {{ promise: Promise<unknown>, settled: number, outcome?: any, abortedAt?: number }[]} */
  const sends = [];
  const current = () => [...service.sockets].reverse().find((socket) => socket.readyState === 1);

  for (const command of commands) {
    figures.steps += 1;
    if (verbose) console.log(`${clock.now() - start} step ${JSON.stringify(command)}`);
    const socket = current();
    switch (command.t) {
      case 'advance':
        await clock.advance(command.ms);
        break;
      case 'drop':
        socket?.drop(1006, false, command.leak ? `going away, ${socket.protocol}` : '');
        break;
      case 'cleanClose':
        socket?.drop(1000, true, 'bye');
        break;
      case 'error401':
        socket?.deliver({ Type: 'ERROR', Id: fakeId(), RequestId: '', ErrorCode: 401, ErrorMessage: `Session expired for ${socket.protocol}` });
        break;
      case 'refuseNext':
        plan.refuse += 1;
        break;
      case 'stallNext':
        plan.stall += 1;
        break;
      case 'tokenFail':
        plan.tokenFail += 1;
        break;
      case 'tokenStall':
        plan.tokenStall += 1;
        break;
      case 'kick':
        if (socket) {
          socket.deliver({ Type: 'EVENT', Id: fakeId(), EventName: 'aws:DISCONNECT_USER', Attributes: { UserId: USER_ID, Reason: 'spam' }, SendTime: '2030-01-01T00:00:00Z' });
          later(() => socket.drop(1000, true, 'Disconnected by a moderator'), 10);
        }
        break;
      case 'leakyError':
        socket?.deliver({ Type: 'ERROR', Id: fakeId(), RequestId: '', ErrorCode: 500, ErrorMessage: `internal error near ${socket.protocol}` });
        break;
      case 'online':
        page.dispatchEvent(new Event('online'));
        break;
      case 'connect': {
        if (room.state === 'disconnected') fetchesInOutage = 0;
        disconnectedByUs = false;
        const controller = new AbortController();
        const connecting = room.connect({ signal: controller.signal });
        connecting.catch((error) => texts.push(error.message));
        if (command.abort) controller.abort();
        break;
      }
      case 'disconnect':
        room.disconnect();
        disconnectedByUs = true;
        break;
      case 'send': {
        const requestId = `r${sends.length}`;
        if (command.silent) plan.silent.add(requestId);
        const controller = new AbortController();
        const entry = { promise: /** @type {Promise<unknown>} */ (Promise.resolve()), settled: 0, outcome: undefined, abortedAt: undefined };
        entry.promise = room.sendMessage({ content: `message ${requestId}`, requestId }, { signal: controller.signal }).then(
          (value) => Object.assign(entry, { settled: entry.settled + 1, outcome: { ok: true, value } }),
          (error) => {
            texts.push(error.message);
            Object.assign(entry, { settled: entry.settled + 1, outcome: { ok: false, error } });
          },
        );
        if (command.abortAfterMs !== null) {
          later(() => {
            if (entry.settled === 0) entry.abortedAt = clock.now();
            controller.abort();
          }, command.abortAfterMs);
        }
        sends.push(entry);
        break;
      }
      default:
        throw new Error(`unknown command ${command.t}`);
    }
    await flush();
    checkSockets();
    assert.deepEqual(problems, [], `after step ${command.t}`);
  }

  // The end: everything settles, nothing is left.
  room.disconnect();
  disconnectedByUs = true;
  await flush();
  await Promise.all(sends.map((entry) => entry.promise));
  assert.deepEqual(problems, []);
  for (const entry of sends) {
    assert.equal(entry.settled, 1, 'a request settled once');
    if (entry.abortedAt !== undefined) assert.equal(entry.outcome.error?.code, 'ABORTED', `an aborted request: ${entry.outcome.error?.message}`);
  }
  assert.equal(room.pendingRequestCount, 0);
  for (const id of ours) clock.clearTimeout(id);
  assert.equal(clock.pending, 0, 'no timer left after disconnect()');
  assert.equal(alive(), 0, 'every socket closed');
  for (const text of texts) {
    for (const token of tokens) assert.ok(!text.includes(token), `a token in a text: ${text}`);
  }
  return { mostFetches, mostSockets, sends: sends.length, fetches: tokens.length + 0, sockets: service.sockets.length };
}

/**
 * One given sequence (after the connect() every sequence starts with), with the room's log lines
 * printed: to look at a counterexample step by step.
 * @param {any[]} commands
 */
export async function replayChatModel(commands) {
  return runSequence([{ t: 'connect', abort: false }, { t: 'advance', ms: 0 }, ...commands], { steps: 0 }, true);
}

/**
 * @param {{ runs?: number, maxCommands?: number, seed?: number, path?: string }} [options]
 */
export async function runChatModel({ runs = 100, maxCommands = 40, seed, path } = {}) {
  const figures = { sequences: 0, steps: 0, sends: 0, sockets: 0, mostFetchesPerOutage: 0, mostSocketsAtOnce: 0, violations: 0 };
  const property = fc.asyncProperty(fc.array(commandArbitrary, { minLength: 1, maxLength: maxCommands, size: 'max' }), async (commands) => {
    figures.sequences += 1;
    // Each sequence starts with a connect() (more of them, and disconnect()s, come at random).
    const result = await runSequence([{ t: 'connect', abort: false }, { t: 'advance', ms: 0 }, ...commands], figures);
    figures.sends += result.sends;
    figures.sockets += result.sockets;
    figures.mostFetchesPerOutage = Math.max(figures.mostFetchesPerOutage, result.mostFetches);
    figures.mostSocketsAtOnce = Math.max(figures.mostSocketsAtOnce, result.mostSockets);
  });
  const saved = { add: globalThis.addEventListener, remove: globalThis.removeEventListener };
  let details;
  try {
    details = await fc.check(property, { numRuns: runs, ...(seed === undefined ? {} : { seed }), ...(path === undefined ? {} : { path }) });
  } finally {
    globalThis.addEventListener = saved.add;
    globalThis.removeEventListener = saved.remove;
  }
  if (details.failed) {
    figures.violations += 1;
    const why = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`ChatRoom model: an invariant broke: ${why}\nReplay with runChatModel({ seed: ${details.seed}, path: ${JSON.stringify(details.counterexamplePath)} }).\n${fc.defaultReportMessage(details)}`);
  }
  return { ...figures, maxAllowedFetchesPerOutage: MAX_RECONNECT_ATTEMPTS + 1, seed: details.seed };
}
