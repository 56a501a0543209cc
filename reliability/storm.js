// Fault injection at scale: forced disconnects spread over a long send loop by several ChatRoom
// clients on the local IVS Chat server, with CreateChatToken failures (429 and 500) injected
// into some of the outages. Checks, and throws an AssertionError when one fails:
// - every request settles (resolved, or a ChatError: DISCONNECTED here), none is left pending;
// - no listener gets a message twice; an observer that is never dropped gets every broadcast
//   exactly once (so nothing a sender was told was delivered is missing);
// - every drop causes exactly one outage, and each outage costs 1 to maxReconnectAttempts + 1
//   token fetches;
// - every backoff delay is exactly floor(random × min(maxDelayMs, initialDelayMs × multiplier^step)),
//   with the step counted per outage (resetAfterMs 0) or across the whole run (resetAfterMs 1 h).
// Returns the figures. Used by tests/reliability/fault-storm.test.js (short) and reliability/run.js (full).
import assert from 'node:assert/strict';

import { ChatError } from 'ivschat-wasm';

import { allWithin, backoffProbe, record, settled, sleep, specifiedDelay, startChat, waitFor } from '../tests/reliability/helpers.js';

/** Each outage starts again at step 0: growth shows in outages with failed token fetches. */
const PER_OUTAGE = { initialDelayMs: 2, maxDelayMs: 64, multiplier: 2, resetAfterMs: 0 };
/** Never reset (connections are short-lived): the step counts every delay of the run, up to the cap. */
const WHOLE_RUN = { initialDelayMs: 1, maxDelayMs: 40, multiplier: 2, resetAfterMs: 3_600_000 };

/**
 * @param {object} [options]
 * @param {number} [options.disconnects] forced disconnects in all
 * @param {number} [options.rooms]
 * @param {number} [options.sendersPerRoom] clients that send and get dropped (plus one observer per room)
 * @param {number} [options.maxReconnectAttempts]
 * @param {number} [options.sendEveryMs] each sender's pace (the room allows 100 messages/s in all)
 * @param {number} [options.dropEveryMs] pause after each drop
 * @param {number} [options.tokenFailureEvery] every this many drops, the next 2 CreateChatToken calls fail
 * @param {number} [options.seed] of the backoff jitter
 * @param {number} [options.timeLimitMs] the storm must be over by then
 */
export async function disconnectStorm({
  disconnects = 150,
  rooms = 2,
  sendersPerRoom = 3,
  maxReconnectAttempts = 3,
  sendEveryMs = 50,
  dropEveryMs = 20,
  tokenFailureEvery = 25,
  seed = 7,
  timeLimitMs = 120_000,
} = {}) {
  const started = Date.now();
  const chat = await startChat();
  try {
    const { server } = chat;
    /** @type {any[]} */
    const senders = [];
    /** @type {any[]} */
    const observers = [];
    for (let r = 0; r < rooms; r += 1) {
      const { arn } = await server.createRoom({ maximumMessageRatePerSecond: 100 });
      const observer = chat.room({ tokenProvider: chat.tokens({ roomArn: arn, userId: `observer-${r}` }) });
      observers.push({ room: observer, log: record(observer), arn });
      for (let s = 0; s < sendersPerRoom; s += 1) {
        const userId = `sender-${r}-${s}`;
        const backoff = (r * sendersPerRoom + s) % 2 === 0 ? PER_OUTAGE : WHOLE_RUN;
        const probe = backoffProbe(seed * 1000 + r * 100 + s);
        const tokens = chat.tokens({ roomArn: arn, userId, capabilities: ['SEND_MESSAGE'] });
        /** @type {Map<number, number>} outage (count of `connecting` events so far) -> token fetches */
        const fetchesPerOutage = new Map();
        const sender = { userId, arn, backoff, probe, fetchesPerOutage, awaitingReconnect: false, room: /** @type {any} */ (undefined), log: /** @type {any} */ (undefined) };
        sender.room = chat.room({
          tokenProvider: () => {
            const outage = sender.log.connecting;
            fetchesPerOutage.set(outage, (fetchesPerOutage.get(outage) ?? 0) + 1);
            return tokens();
          },
          maxReconnectAttempts,
          backoff,
          clock: probe.clock,
          random: probe.random,
          maxMessagesPerSecond: 25,
          requestTimeoutMs: 10_000,
        });
        sender.log = record(sender.room);
        probe.context = () => sender.log.connecting;
        sender.room.addListener('connect', () => (sender.awaitingReconnect = false));
        senders.push(sender);
      }
    }
    await Promise.all([...observers, ...senders].map(({ room }) => room.connect()));
    const messagesBefore = server.stats().messagesSent;

    // The send loops.
    /** @type {{ sender: any, outcome: Promise<{ ok: boolean, value?: any, error?: any }> }[]} */
    const sends = [];
    let sending = true;
    const loops = senders.map(async (sender) => {
      for (let n = 0; sending; n += 1) {
        sends.push({ sender, outcome: settled(sender.room.sendMessage({ content: `${sender.userId} #${n}` })) });
        await sleep(sendEveryMs);
      }
    });

    // The storm: drop a connected sender, round robin; now and then make token fetches fail.
    let dropped = 0;
    let failuresInjected = 0;
    let next = 0;
    let failureDue = false;
    const deadline = started + timeLimitMs;
    while (dropped < disconnects) {
      assert.ok(Date.now() < deadline, `only ${dropped} of ${disconnects} disconnects within ${timeLimitMs} ms`);
      if (failureDue) {
        // Two failures at a time, injected once the previous ones were used up and nobody is
        // between connections: one outage meets at most 2, so it needs at most 3 fetches.
        const stats = server.stats();
        const failuresUsed = stats.createChatTokenCalls - stats.tokensIssued;
        if (failuresUsed !== failuresInjected || !senders.every((s) => s.room.state === 'connected' && !s.awaitingReconnect)) {
          await sleep(1);
          continue;
        }
        const [status, errorType] = failuresInjected % 4 === 0 ? [429, 'ThrottlingException'] : [500, 'InternalServerException'];
        server.faults.failCreateChatToken({ count: 2, status, errorType });
        failuresInjected += 2;
        failureDue = false;
      }
      const sender = senders[next % senders.length];
      next += 1;
      if (sender.room.state !== 'connected' || sender.awaitingReconnect) {
        await sleep(1);
        continue;
      }
      const count = server.faults.dropConnections({ userId: sender.userId, roomIdentifier: sender.arn });
      assert.ok(count >= 1, `no connection of ${sender.userId} to drop`);
      sender.awaitingReconnect = true;
      dropped += 1;
      if (dropped % tokenFailureEvery === 0) failureDue = true;
      await sleep(dropEveryMs);
    }
    const stormMs = Date.now() - started;
    await waitFor(() => senders.every((s) => s.room.state === 'connected' && !s.awaitingReconnect), 'every sender to reconnect', 30_000);
    // Failures injected last may not have been used yet: use them up so every figure is exact.
    const pendingFailures = () => failuresInjected - (server.stats().createChatTokenCalls - server.stats().tokensIssued);
    if (pendingFailures() > 0) server.faults.reset();
    failuresInjected -= pendingFailures();
    sending = false;
    await Promise.all(loops);
    const outcomes = await allWithin(sends.map((s) => s.outcome), 30_000, 'sends');

    // Every request settled, with a typed error when it failed.
    const byCode = {};
    let notSent = 0;
    for (const { ok, error } of outcomes) {
      if (ok) continue;
      assert.ok(error instanceof ChatError, `a send failed with ${error}`);
      byCode[error.code] = (byCode[error.code] ?? 0) + 1;
      assert.equal(error.code, 'DISCONNECTED', error.message);
      if (/nothing was sent/.test(error.message)) notSent += 1;
    }
    for (const { room } of [...senders, ...observers]) assert.equal(room.pendingRequestCount, 0);
    const delivered = outcomes.filter((o) => o.ok).map((o) => o.value);
    assert.ok(delivered.length > 0, 'some sends went through');

    // Every broadcast reached its room's observer exactly once; nobody got anything twice.
    const broadcasts = () => server.stats().messagesSent - messagesBefore;
    await waitFor(() => observers.reduce((sum, o) => sum + o.log.messages.length, 0) >= broadcasts(), 'the observers to get every broadcast', 30_000);
    let duplicates = 0;
    for (const { log } of [...senders, ...observers]) {
      const ids = log.messages.map((/** @type {any} */ m) => m.id);
      duplicates += ids.length - new Set(ids).size;
    }
    assert.equal(duplicates, 0, 'a message was delivered twice to a listener');
    const observerTotal = observers.reduce((sum, o) => sum + o.log.messages.length, 0);
    assert.equal(observerTotal, broadcasts(), 'observers got exactly the broadcasts');
    const contents = observers.flatMap((o) => o.log.messages.map((/** @type {any} */ m) => m.content));
    assert.equal(new Set(contents).size, contents.length, 'a send went out twice (silent retry)');
    const seenByObservers = new Set(observers.flatMap((o) => o.log.messages.map((/** @type {any} */ m) => m.id)));
    const lost = delivered.filter((m) => !seenByObservers.has(m.id)).length;
    assert.equal(lost, 0, 'a message whose send resolved did not reach the observer');
    const broadcastCount = broadcasts();

    // One outage per drop, each within 1 to maxReconnectAttempts + 1 fetches, no error but the injected ones.
    let outages = 0;
    let maxFetches = 0;
    const fetchHistogram = {};
    let tokenFetchErrors = 0;
    for (const sender of senders) {
      assert.deepEqual(sender.log.disconnects, [], `${sender.userId} gave up`);
      outages += sender.log.connecting - 1;
      for (const [outage, fetches] of sender.fetchesPerOutage) {
        if (outage === 1) continue; // the first connect
        assert.ok(fetches >= 1 && fetches <= maxReconnectAttempts + 1, `${sender.userId}: ${fetches} token fetches in one outage`);
        maxFetches = Math.max(maxFetches, fetches);
        fetchHistogram[fetches] = (fetchHistogram[fetches] ?? 0) + 1;
      }
      for (const error of sender.log.errors) assert.equal(error.code, 'TOKEN_FETCH_FAILED', error.message);
      tokenFetchErrors += sender.log.errors.length;
    }
    assert.equal(outages, dropped, 'each drop made exactly one outage');
    assert.equal(tokenFetchErrors, failuresInjected, 'one TOKEN_FETCH_FAILED per injected failure');

    // Every backoff delay, exactly as specified.
    let delaysChecked = 0;
    let largestStep = 0;
    for (const sender of senders) {
      const perOutage = sender.backoff.resetAfterMs === 0;
      /** @type {Map<number, number>} */
      const stepInOutage = new Map();
      sender.probe.delays.forEach((/** @type {any} */ delay, /** @type {number} */ index) => {
        const step = perOutage ? (stepInOutage.get(delay.context) ?? 0) : index;
        stepInOutage.set(delay.context, step + 1);
        largestStep = Math.max(largestStep, step);
        assert.equal(delay.ms, specifiedDelay(sender.backoff, step, delay.random), `${sender.userId}: backoff delay ${index} (step ${step})`);
        delaysChecked += 1;
      });
      // Every reconnection attempt waited first: as many delays as fetches after the first connect.
      const fetchesAfterConnect = [...sender.fetchesPerOutage].filter(([outage]) => outage > 1).reduce((sum, [, n]) => sum + n, 0);
      assert.equal(sender.probe.delays.length, fetchesAfterConnect, `${sender.userId}: one backoff delay per reconnection attempt`);
    }

    // Still working afterwards.
    for (const sender of senders) await sender.room.sendMessage({ content: `${sender.userId} after the storm` });
    const stats = server.stats();
    return {
      clients: senders.length + observers.length,
      senders: senders.length,
      rooms,
      disconnects: dropped,
      outages,
      tokenFetches: [...senders].reduce((sum, s) => sum + [...s.fetchesPerOutage].filter(([o]) => o > 1).reduce((a, [, n]) => a + n, 0), 0),
      fetchesPerOutageHistogram: fetchHistogram,
      maxFetchesPerOutage: maxFetches,
      maxAllowedFetchesPerOutage: maxReconnectAttempts + 1,
      tokenFailuresInjected: failuresInjected,
      backoffDelaysChecked: delaysChecked,
      largestBackoffStep: largestStep,
      sends: outcomes.length,
      sendsResolved: delivered.length,
      sendsRejected: byCode,
      sendsRejectedBeforeSending: notSent,
      broadcasts: broadcastCount,
      observerDeliveries: observerTotal,
      lost,
      duplicates,
      connectionsOpened: stats.connectionsOpened,
      stormMs,
      totalMs: Date.now() - started,
    };
  } finally {
    await chat.close();
  }
}
