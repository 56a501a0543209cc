// Short versions of the load runs (the full ones, 200 clients × 50 messages and 2,000 token
// requests at concurrency 50, are in `npm run reliability`): see reliability/load.js.
// Figures are printed as diagnostics; nothing is asserted about speed.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { chatLoad, handlerLoad } from '../../reliability/load.js';

test('50 ChatRoom clients × 10 messages in 5 rooms: every member gets every message of its room exactly once', { timeout: 180_000 }, async (t) => {
  const figures = await chatLoad({ clients: 50, messagesPerClient: 10 });
  t.diagnostic(JSON.stringify(figures));
  assert.equal(figures.deliveries, 50 * 10 * 10);
  assert.deepEqual([figures.lost, figures.duplicates], [0, 0]);
});

test('the token handler in front of the local server: 300 requests at concurrency 50, 0 failures, every token distinct', { timeout: 180_000 }, async (t) => {
  const figures = await handlerLoad({ requests: 300, concurrency: 50 });
  t.diagnostic(JSON.stringify(figures));
  assert.equal(figures.failures, 0);
});
