// The one deadline helper (js/deadline.js): AbortSignal.timeout's and AbortSignal.any's
// semantics, on replaceable timers, and nothing left running once the work is over.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Deadline, within } from '../../js/deadline.js';

/** Timers run by hand: `fire()` runs the pending ones. */
function manualTimers() {
  /** @type {Map<number, () => void>} */
  const pending = new Map();
  let next = 0;
  return {
    pending,
    set: (/** @type {() => void} */ callback) => {
      next += 1;
      pending.set(next, callback);
      return next;
    },
    clear: (/** @type {number} */ handle) => pending.delete(handle),
    fire() {
      const due = [...pending.values()];
      pending.clear();
      for (const callback of due) callback();
    },
  };
}

test('the time running out aborts the signal with a TimeoutError, and race() rejects with it', async () => {
  const timers = manualTimers();
  const deadline = new Deadline(50, { timers });
  const raced = deadline.race(new Promise(() => {}));
  assert.equal(deadline.signal.aborted, false);
  timers.fire();
  assert.equal(deadline.signal.aborted, true);
  assert.equal(deadline.expired, true);
  await assert.rejects(raced, (error) => error === deadline.signal.reason && error instanceof DOMException && error.name === 'TimeoutError');
});

test('a promise that settles first wins, and its settling clears the timer', async () => {
  const timers = manualTimers();
  const deadline = new Deadline(50, { timers });
  assert.equal(await deadline.race(Promise.resolve('done')), 'done');
  assert.equal(timers.pending.size, 0);
  assert.equal(deadline.expired, false);
  assert.equal(deadline.signal.aborted, false);
  const failing = new Deadline(50, { timers });
  await assert.rejects(failing.race(Promise.reject(new Error('own failure'))), /own failure/);
  assert.equal(timers.pending.size, 0);
  assert.equal(failing.expired, false);
});

test("a caller's signal ends it at once with its own reason (not expired), and is no longer listened to afterwards", async () => {
  const timers = manualTimers();
  const caller = new AbortController();
  const deadline = new Deadline(50, { timers, signal: caller.signal });
  const raced = deadline.race(new Promise(() => {}));
  const reason = new Error('stop');
  caller.abort(reason);
  await assert.rejects(raced, (error) => error === reason);
  assert.equal(deadline.expired, false);
  assert.equal(timers.pending.size, 0, 'the timer is cleared');

  const already = new Deadline(50, { timers, signal: AbortSignal.abort(reason) });
  assert.equal(already.signal.reason, reason);
  await assert.rejects(already.race(Promise.resolve(1)), (error) => error === reason);
  assert.equal(timers.pending.size, 0, 'no timer for a signal aborted already');
});

test('the reason may be chosen; clear() ends a deadline without aborting', async () => {
  const timers = manualTimers();
  const deadline = new Deadline(50, { timers, reason: () => new Error('the provider did not answer within 50 ms') });
  const raced = deadline.race(new Promise(() => {}));
  timers.fire();
  await assert.rejects(raced, { name: 'Error', message: 'the provider did not answer within 50 ms' });
  const cleared = new Deadline(50, { timers });
  cleared.clear();
  cleared.clear();
  assert.equal(timers.pending.size, 0);
  assert.equal(cleared.signal.aborted, false);
});

test('within() on real timers: a late promise loses, and its later rejection is not unhandled', async () => {
  // 5 ms against 300 ms: the order holds even when a busy machine delays this code by much more
  // than the 25 ms between them that the test once had.
  const late = new Promise((_, reject) => setTimeout(() => reject(new Error('too late')), 300));
  await assert.rejects(within(late, 5), { name: 'TimeoutError' });
  await new Promise((resolve) => setTimeout(resolve, 350));
  assert.equal(await within(Promise.resolve(7), 1000), 7); // (and its timer does not keep the test alive)
});
