// @ts-check
// The message review handler under odd input (issue 18, finding 2). Its contract: every event
// gets an answer IVS accepts (the app's decision, or the handler's own: onTimeout, onError, or
// DENY when there is nothing to deliver), exactly one log entry, and bounded memory and time.
// Before the fix, Content that was empty or over 500 code points threw SyntaxError ("undefined"
// is not valid JSON) with no log entry, events over ~87 KB threw INPUT_TOO_LARGE, and the fetch
// form read any body whole (20 MB cost 114 MB before failing).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createMessageReviewHandler } from 'ivschat-wasm/backend';
import { countingStream } from '../backend/helpers.js';

const EVENT = {
  Content: 'hello',
  MessageId: 'AbCdEf123456',
  RoomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456',
  Attributes: { lang: 'en' },
  Sender: { UserId: 'ann', Ip: '203.0.113.7', Attributes: { displayName: 'Ann' } },
};

/** An answer IVS accepts: the three members, a known result, Content a string of at most 500 code points. */
function assertAcceptable(/** @type {any} */ answer, /** @type {string} */ what) {
  assert.deepEqual(Object.keys(answer).sort(), ['Attributes', 'Content', 'ReviewResult'], what);
  assert.ok(answer.ReviewResult === 'ALLOW' || answer.ReviewResult === 'DENY', what);
  assert.equal(typeof answer.Content, 'string', what);
  assert.ok([...answer.Content].length <= 500, `${what}: Content within 500 code points`);
  if (answer.ReviewResult === 'ALLOW') assert.ok(answer.Content.length > 0, `${what}: an ALLOW delivers some content`);
  assert.equal(typeof answer.Attributes, 'object', what);
}

/** @param {Partial<import('ivschat-wasm/backend').MessageReviewOptions>} options @param {any} [review] */
function recorded(options, review = () => ({ allow: true })) {
  /** @type {any[]} */
  const logs = [];
  const handler = createMessageReviewHandler(review, { ...options, logger: (entry) => logs.push(entry) });
  return { handler, logs };
}

describe('message review handler: odd input (issue 18)', () => {
  const badContents = {
    empty: '',
    '501 code points': 'x'.repeat(501),
    '501 astral code points': '😀'.repeat(501),
    '10,000 characters': 'y'.repeat(10_000),
  };

  test('Content that is empty or over 500 code points gets onError (or DENY when it cannot be delivered), one log entry each', async () => {
    for (const onError of /** @type {const} */ (['DENY', 'ALLOW'])) {
      for (const [name, content] of Object.entries(badContents)) {
        const { handler, logs } = recorded({ onError });
        const what = `${name}, onError ${onError}`;
        const answer = await handler({ ...EVENT, Content: content });
        assertAcceptable(answer, what);
        // Such content cannot be delivered by any answer: DENY, whatever onError says.
        assert.equal(answer.ReviewResult, 'DENY', what);
        assert.equal(logs.length, 1, `${what}: one log entry`);
        assert.equal(logs[0].result, 'DENY', what);
        assert.equal(logs[0].level, 'error', what);
        assert.equal(logs[0].messageId, EVENT.MessageId, what);
        if (onError === 'ALLOW') assert.match(logs[0].message, /cannot be delivered|nothing to deliver/, what);
        // The same through the JSON text form.
        assertAcceptable(await handler(JSON.stringify({ ...EVENT, Content: content })), `${what} (text)`);
        assert.equal(logs.length, 2, `${what} (text): one more log entry`);
      }
    }
  });

  test('a late or throwing review of such content is answered too; a review that rewrites it into a valid message is honoured', async () => {
    const late = recorded({ budgetMs: 20, onTimeout: 'ALLOW' }, () => new Promise(() => {}));
    assertAcceptable(await late.handler({ ...EVENT, Content: '' }), 'late');
    assert.deepEqual(late.logs.map((e) => [e.outcome, e.result]), [['timeout', 'DENY']]);
    const throwing = recorded({ onError: 'ALLOW' }, () => { throw new Error('down'); });
    assertAcceptable(await throwing.handler({ ...EVENT, Content: 'z'.repeat(600) }), 'throwing');
    assert.deepEqual(throwing.logs.map((e) => [e.outcome, e.result]), [['error', 'DENY']]);
    const trimming = recorded({}, (/** @type {any} */ m) => ({ allow: true, content: [...m.content].slice(0, 500).join('') }));
    const trimmed = await trimming.handler({ ...EVENT, Content: 'w'.repeat(600) });
    assert.deepEqual(trimmed, { Attributes: {}, Content: 'w'.repeat(500), ReviewResult: 'ALLOW' });
    assert.deepEqual(trimming.logs.map((e) => [e.outcome, e.result]), [['reviewed', 'ALLOW']]);
    // A valid message at the limit is unaffected.
    const { handler } = recorded({ onError: 'DENY' });
    assert.equal((await handler({ ...EVENT, Content: '😀'.repeat(500) })).ReviewResult, 'ALLOW');
  });

  test('events of any size are answered DENY quickly, with one log entry, without calling the review', async () => {
    let reviews = 0;
    const { handler, logs } = recorded({ onError: 'ALLOW' }, () => (reviews++, { allow: true }));
    /** @type {Array<[string, unknown]>} */
    const events = [
      ['an 88 KB text event', JSON.stringify({ ...EVENT, Content: 'a'.repeat(88_000) })],
      ['a 1 MB text event', JSON.stringify({ ...EVENT, Content: 'b'.repeat(1_000_000) })],
      ['a 1 MB object event', { ...EVENT, Content: 'c'.repeat(1_000_000) }],
      ['1 MB of attributes', { ...EVENT, Attributes: { big: 'd'.repeat(1_000_000) } }],
      ['a 5 MB string that is not JSON', 'e'.repeat(5_000_000)],
    ];
    for (const [name, event] of events) {
      const started = Date.now();
      const answer = await handler(/** @type {any} */ (event));
      assertAcceptable(answer, name);
      assert.equal(answer.ReviewResult, 'DENY', name);
      assert.ok(Date.now() - started < 2000, `${name}: answered in ${Date.now() - started} ms`);
    }
    assert.equal(logs.length, events.length, 'one log entry per event');
    for (const entry of logs) assert.equal(entry.outcome, 'error');
    assert.match(logs[0].message, /larger than/);
    assert.equal(reviews, 0);
    // Objects that JSON cannot write are answered as well.
    const circular = /** @type {any} */ ({ ...EVENT });
    circular.self = circular;
    assertAcceptable(await handler(circular), 'circular');
    assertAcceptable(await handler(/** @type {any} */ ({ ...EVENT, n: 10n })), 'BigInt');
    assert.equal(logs.length, events.length + 2);
  });

  test('the fetch form reads at most a bounded body: a 20 MB body is cut off and answered, and a body that never ends times out', async () => {
    const { handler, logs } = recorded({ onError: 'ALLOW' });
    const big = countingStream(20 * 1024 * 1024, 64 * 1024);
    const response = await handler.fetch(new Request('http://review.local/', { method: 'POST', body: big.stream, duplex: 'half' }));
    assert.equal(response.status, 200);
    assertAcceptable(await response.json(), '20 MB body');
    assert.ok(big.state.pulledBytes <= 512 * 1024, `read ${big.state.pulledBytes} bytes of a 20 MB body`);
    assert.equal(logs.length, 1);
    assert.match(logs[0].message, /larger than/);

    /** @type {ReadableStream<Uint8Array>} */
    const endless = new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode('{"Content":')); } });
    const started = Date.now();
    const slow = await handler.fetch(new Request('http://review.local/', { method: 'POST', body: endless, duplex: 'half' }));
    assert.equal(slow.status, 200);
    assert.equal((await slow.json()).ReviewResult, 'DENY');
    assert.ok(Date.now() - started < 3000, `answered in ${Date.now() - started} ms`);
    assert.equal(logs.length, 2);

    // A normal event still works through the fetch form.
    const ok = await handler.fetch(new Request('http://review.local/', { method: 'POST', body: JSON.stringify(EVENT) }));
    assert.equal((await ok.json()).ReviewResult, 'ALLOW');
  });
});
