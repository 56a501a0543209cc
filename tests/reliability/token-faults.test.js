// CreateChatToken failing (429, 500) and hanging, at connect and during an outage, through the
// whole token chain a browser uses: ChatRoom -> fetchTokenProvider (createChatToken) -> the token
// handler (createTokenHandler, Node http) -> the local IVS Chat server. For each case: the exact
// number of token fetches (and of IVS calls: nothing retries behind the room's back), every
// backoff delay exactly as specified, the typed error of each failed attempt with its cause, a
// pending send settled, and recovery or a clean fetchTokenError.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';

import { ChatError, ChatRoom, ChatTokenRequestError, fetchTokenProvider } from 'ivschat-wasm';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { backoffProbe, record, settled, specifiedDelay, startTokenBackend, waitFor } from './helpers.js';

const BACKOFF = { initialDelayMs: 10, maxDelayMs: 1000, multiplier: 3, resetAfterMs: 0 };
/**
 * What gives up on a hung call: the deadline of the layer under test (the room, createChatToken
 * or the handler). It only ever guards calls that the IVS fault makes hang (see `hangs` in the
 * test), so it cannot pass too early however slow the machine is: a hung call never answers.
 * Hangs are tested with maxReconnectAttempts 1 to keep the time down.
 */
const HANG_TIMEOUT_MS = 600;
/**
 * The deadlines of calls that are meant to succeed, each layer's above the one inside it so the
 * inner one gives up first: the handler's call to IVS, createChatToken, the room's tokenProvider.
 * A good token fetch through the whole chain takes ~10-50 ms on a quiet machine; these are over
 * 100x that, so a slow, loaded machine does not turn a good fetch into a failed attempt (which
 * would change the exact counts of fetches and errors checked below).
 */
const GOOD_CALL_TIMEOUT_MS = { handler: 10_000, provider: 20_000, room: 30_000 };

/**
 * How each fault looks from the room: the IVS fault, and what the `error` event's cause must be.
 * The three hangs differ in who gives up first: the room, createChatToken, or the handler.
 */
const FAULTS = {
  '429 ThrottlingException': {
    ivs: { status: 429, errorType: 'ThrottlingException' },
    maxReconnectAttempts: 3,
    check: (error) => assert.deepEqual([error.cause?.code, error.cause?.status, error.cause?.errorType], ['HTTP_ERROR', 429, 'ThrottlingException']),
  },
  '500 InternalServerException': {
    ivs: { status: 500, errorType: 'InternalServerException' },
    maxReconnectAttempts: 3,
    check: (error) => assert.deepEqual([error.cause?.code, error.cause?.status, error.cause?.errorType], ['HTTP_ERROR', 502, 'BadGatewayException']),
  },
  'a hang (the room gives up after tokenTimeoutMs)': {
    ivs: { hang: true },
    maxReconnectAttempts: 1,
    roomTokenTimeoutMs: HANG_TIMEOUT_MS,
    check: (error) => assert.match(error.message, new RegExp(`did not answer within ${HANG_TIMEOUT_MS} ms`)),
  },
  'a hang (createChatToken gives up: TIMEOUT)': {
    ivs: { hang: true },
    maxReconnectAttempts: 1,
    providerTimeoutMs: HANG_TIMEOUT_MS,
    check: (error) => assert.equal(error.cause?.code, 'TIMEOUT'),
  },
  'a hang (the handler gives up: 504)': {
    ivs: { hang: true },
    maxReconnectAttempts: 1,
    handlerTimeoutMs: HANG_TIMEOUT_MS,
    check: (error) => assert.deepEqual([error.cause?.code, error.cause?.status, error.cause?.errorType], ['HTTP_ERROR', 504, 'GatewayTimeoutException']),
  },
};

/** [fault, phase, failures]: maxReconnectAttempts failures are survived, one more is not. */
const CASES = [
  ...['429 ThrottlingException', '500 InternalServerException'].flatMap((fault) => [
    [fault, 'connect', 3],
    [fault, 'connect', 4],
    [fault, 'outage', 3],
    [fault, 'outage', 4],
  ]),
  ['a hang (the room gives up after tokenTimeoutMs)', 'connect', 2],
  ['a hang (the room gives up after tokenTimeoutMs)', 'outage', 1],
  ['a hang (createChatToken gives up: TIMEOUT)', 'connect', 1],
  ['a hang (createChatToken gives up: TIMEOUT)', 'outage', 2],
  ['a hang (the handler gives up: 504)', 'connect', 2],
  ['a hang (the handler gives up: 504)', 'outage', 1],
];

describe('CreateChatToken failing or hanging, through the whole token chain', () => {
  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>>} */
  let ivs;
  /** @type {Record<string, Awaited<ReturnType<typeof startTokenBackend>>>} */
  const backends = {};
  /** @type {string} */
  let roomArn;
  /** @type {ChatRoom[]} */
  const rooms = [];
  before(async () => {
    ivs = await startLocalIvsChat();
    roomArn = (await ivs.createRoom({ maximumMessageRatePerSecond: 100 })).arn;
    backends.normal = await startTokenBackend(ivs, { timeoutMs: GOOD_CALL_TIMEOUT_MS.handler });
    backends.quick = await startTokenBackend(ivs, { timeoutMs: HANG_TIMEOUT_MS });
  });
  afterEach(() => {
    for (const room of rooms.splice(0)) room.disconnect();
    ivs.faults.reset(); // also cuts off the calls left hanging
  });
  after(async () => {
    await Promise.all(Object.values(backends).map((backend) => backend.close()));
    await ivs.close();
  });

  let user = 0;
  for (const [faultName, phase, failures] of CASES) {
    const { maxReconnectAttempts } = FAULTS[faultName];
    const survives = failures <= maxReconnectAttempts;
    test(`${faultName} ${phase === 'connect' ? 'at connect' : 'during an outage'}, ${failures === 1 ? 'once' : `${failures} times`}: ${survives ? 'recovers' : 'gives up with fetchTokenError'}`, async () => {
      const fault = FAULTS[faultName];
      const userId = `user-${(user += 1)}`;
      const parameters = { roomIdentifier: roomArn, userId, capabilities: ['SEND_MESSAGE'] };
      // Each fetch makes one IVS call (checked below), and the fault makes the first `failures`
      // calls after it is set fail or hang: so the n-th fetch from then on hangs iff n <= failures.
      // Those go through the short deadline of the layer under test; the others through generous
      // ones, so only a hang can run into HANG_TIMEOUT_MS.
      let faultSet = false;
      let fetches = 0;
      const hangs = (/** @type {number} */ n) => Boolean(fault.ivs.hang) && faultSet && n <= failures;
      const goodProvider = fetchTokenProvider(backends.normal.url, parameters, { timeoutMs: GOOD_CALL_TIMEOUT_MS.provider });
      const hangProvider = fetchTokenProvider(fault.handlerTimeoutMs ? backends.quick.url : backends.normal.url, parameters, { timeoutMs: fault.providerTimeoutMs ?? GOOD_CALL_TIMEOUT_MS.provider });
      const probe = backoffProbe(failures * 31 + user);
      // The room's clock: real time, except that the room's tokenTimeoutMs runs its course only
      // for a fetch that hangs; for a good one it is stretched to GOOD_CALL_TIMEOUT_MS.room. The
      // room sets that timer just before it calls the tokenProvider, so it guards fetch n + 1.
      const clock = {
        ...probe.clock,
        setTimeout: (/** @type {() => void} */ callback, /** @type {number} */ ms) =>
          probe.clock.setTimeout(callback, fault.roomTokenTimeoutMs && ms === fault.roomTokenTimeoutMs && !hangs(fetches + 1) ? GOOD_CALL_TIMEOUT_MS.room : ms),
      };
      const room = new ChatRoom({
        regionOrUrl: ivs.messagingUrl,
        WebSocket,
        tokenProvider: () => {
          fetches += 1;
          return (hangs(fetches) ? hangProvider : goodProvider)();
        },
        maxReconnectAttempts,
        backoff: BACKOFF,
        tokenTimeoutMs: fault.roomTokenTimeoutMs ?? GOOD_CALL_TIMEOUT_MS.room,
        clock,
        random: probe.random,
      });
      rooms.push(room);
      const log = record(room);

      /** @type {Promise<any> | undefined} */
      let inFlight;
      if (phase === 'outage') {
        await room.connect();
        fetches = 0;
        ivs.faults.stall(true); // the send gets no echo before the drop
        inFlight = settled(room.sendMessage({ content: 'caught in the outage' }));
        await waitFor(() => room.pendingRequestCount === 1, 'the send to be in flight');
      }
      const callsBefore = ivs.stats().createChatTokenCalls;
      ivs.faults.failCreateChatToken({ count: failures, ...fault.ivs });
      faultSet = true;
      let connecting;
      if (phase === 'connect') {
        connecting = settled(room.connect());
      } else {
        assert.equal(ivs.faults.dropConnections({ userId }), 1);
        const { error } = await inFlight;
        assert.ok(error instanceof ChatError);
        assert.deepEqual([error.code, error.disconnectReason], ['DISCONNECTED', 'socketError']);
        ivs.faults.stall(false);
      }
      await waitFor(() => (survives ? room.state === 'connected' && log.connect === (phase === 'connect' ? 1 : 2) : log.disconnects.length > 0), 'the room to recover or give up');
      if (connecting) {
        const outcome = await connecting;
        assert.equal(outcome.ok, survives);
        if (!survives) assert.deepEqual([outcome.error.code, outcome.error.disconnectReason, outcome.error.cause?.code], ['DISCONNECTED', 'fetchTokenError', 'TOKEN_FETCH_FAILED']);
      }

      // Token fetches: one per attempt, within 1 + maxReconnectAttempts; one IVS call each.
      const attempts = survives ? failures + 1 : maxReconnectAttempts + 1;
      assert.equal(fetches, attempts);
      assert.equal(ivs.stats().createChatTokenCalls - callsBefore, attempts, 'no retry behind the room’s back');
      // One typed error per failed attempt, with the chain's own error as cause.
      assert.equal(log.errors.length, Math.min(failures, attempts));
      for (const error of log.errors) {
        assert.ok(error instanceof ChatError);
        assert.equal(error.code, 'TOKEN_FETCH_FAILED');
        if (!fault.roomTokenTimeoutMs) assert.ok(error.cause instanceof ChatTokenRequestError, 'createChatToken’s typed error is the cause');
        fault.check(error);
      }
      // Backoff: the delays before attempts grow step by step, exactly as specified.
      const delayedAttempts = phase === 'connect' ? attempts - 1 : attempts;
      assert.equal(probe.delays.length, delayedAttempts);
      probe.delays.forEach((delay, step) => assert.equal(delay.ms, specifiedDelay(BACKOFF, step, delay.random), `delay ${step}`));

      if (survives) {
        const message = await room.sendMessage({ content: 'back again' });
        assert.equal(message.content, 'back again');
        assert.deepEqual(log.disconnects, []);
      } else {
        assert.deepEqual(log.disconnects, ['fetchTokenError']);
        assert.equal(room.state, 'disconnected');
        await assert.rejects(room.sendMessage({ content: 'too late' }), { code: 'DISCONNECTED' });
      }
      assert.equal(room.pendingRequestCount, 0);
    });
  }
});
