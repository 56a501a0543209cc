// createMessageReviewHandler: ALLOW, DENY with a reason, rewrites, a late review, a throwing one,
// an invalid decision, an unusable event; one log entry each; the fetch form.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createMessageReviewHandler, InvalidOptionError } from 'ivschat-wasm/backend';

const EVENT = {
  Content: 'hello darn world',
  MessageId: 'AbCdEf123456',
  RoomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456',
  Attributes: { lang: 'en' },
  Sender: { UserId: 'ann', Ip: '203.0.113.7', Attributes: { displayName: 'Ann' } },
};

test('the app sees the message as data; its decisions become IVS answers', async () => {
  const seen = [];
  const logs = [];
  const handler = createMessageReviewHandler((message) => {
    seen.push(message);
    if (message.content.includes('spam')) return { allow: false, reason: 'spam' };
    return { allow: true, content: message.content.replaceAll('darn', '****'), attributes: { ...message.attributes, filtered: 'true' } };
  }, { logger: (entry) => logs.push(entry) });
  assert.deepEqual(await handler(EVENT), { Attributes: { filtered: 'true', lang: 'en' }, Content: 'hello **** world', ReviewResult: 'ALLOW' });
  assert.deepEqual(seen[0], {
    content: 'hello darn world', messageId: 'AbCdEf123456', roomArn: EVENT.RoomArn, attributes: { lang: 'en' },
    sender: { userId: 'ann', ip: '203.0.113.7', attributes: { displayName: 'Ann' } },
  });
  assert.deepEqual(await handler(JSON.stringify({ ...EVENT, Content: 'buy spam' })), { Attributes: { Reason: 'spam' }, Content: 'buy spam', ReviewResult: 'DENY' });
  assert.deepEqual(logs.map((e) => [e.result, e.outcome, e.level]), [['ALLOW', 'reviewed', 'info'], ['DENY', 'reviewed', 'info']]);
  // No content given: the message's own is delivered.
  assert.equal((await createMessageReviewHandler(() => ({ allow: true }))(EVENT)).Content, EVENT.Content);
});

test('late, throwing and invalid reviews are answered by the handler itself, as configured, and logged', async () => {
  const logs = [];
  const logger = (entry) => logs.push(entry);
  const late = createMessageReviewHandler(() => new Promise((resolve) => setTimeout(() => resolve({ allow: false }), 500)), { budgetMs: 50, onTimeout: 'DENY', logger });
  const started = Date.now();
  assert.equal((await late(EVENT)).ReviewResult, 'DENY');
  assert.ok(Date.now() - started < 400, 'answered within the budget, not when the review finished');
  const throwing = createMessageReviewHandler(() => { throw new Error('filter service down'); }, { onError: 'ALLOW', logger });
  assert.deepEqual(await throwing(EVENT), { Attributes: {}, Content: EVENT.Content, ReviewResult: 'ALLOW' });
  const invalid = createMessageReviewHandler(() => ({ allow: true, content: '' }), { onError: 'DENY', logger });
  assert.equal((await invalid(EVENT)).ReviewResult, 'DENY');
  const nonsense = createMessageReviewHandler(() => 'yes', { logger });
  assert.equal((await nonsense(EVENT)).ReviewResult, 'ALLOW', 'onError defaults to onTimeout, which defaults to ALLOW');
  assert.deepEqual(logs.map((e) => e.outcome), ['timeout', 'error', 'invalid', 'invalid']);
  assert.match(logs[1].message, /filter service down/);
  assert.equal(logs[2].errors[0].field, 'content');
  const broken = await createMessageReviewHandler(() => ({ allow: true }), { logger })({ Content: 5 });
  assert.equal(broken.ReviewResult, 'DENY');
  assert.equal(logs.at(-1).level, 'error');
  // A lone surrogate (JSON.parse keeps one, in text or in an object) is not text: IVS sends none.
  let reviewed = 0;
  const strict = createMessageReviewHandler(() => (reviewed++, { allow: true }), { logger });
  for (const event of [{ ...EVENT, Content: 'a\ud800' }, JSON.stringify({ ...EVENT, Sender: { UserId: '\udc00' } })]) {
    assert.equal((await strict(event)).ReviewResult, 'DENY');
    assert.match(logs.at(-1).message, /not valid UTF-8/);
  }
  assert.equal(reviewed, 0);
});

test('the fetch form; options are checked', async () => {
  const handler = createMessageReviewHandler(({ content }) => ({ allow: !content.includes('no') }));
  const response = await handler.fetch(new Request('http://review.local/', { method: 'POST', body: JSON.stringify(EVENT) }));
  assert.equal(response.status, 200);
  assert.equal((await response.json()).ReviewResult, 'ALLOW');
  assert.equal((await handler.fetch(new Request('http://review.local/'))).status, 405);
  assert.throws(() => createMessageReviewHandler('nope'), InvalidOptionError);
  assert.throws(() => createMessageReviewHandler(() => ({ allow: true }), { budget: 5 }), (e) => e.option === 'budget');
  assert.throws(() => createMessageReviewHandler(() => ({ allow: true }), { onTimeout: 'allow' }), (e) => e.option === 'onTimeout');
  assert.throws(() => createMessageReviewHandler(() => ({ allow: true }), { onError: 'deny' }), (e) => e instanceof InvalidOptionError && e.option === 'onError');
  assert.throws(() => createMessageReviewHandler(() => ({ allow: true }), { budgetMs: 0 }), (e) => e instanceof InvalidOptionError && e.option === 'budgetMs');
  assert.throws(() => createMessageReviewHandler(() => ({ allow: true }), { logger: console }), (e) => e instanceof InvalidOptionError && e.option === 'logger');
  assert.throws(() => createMessageReviewHandler(() => ({ allow: true }), /** @type {any} */ (null)), (e) => e instanceof InvalidOptionError && e.option === 'options');
});
