// The short version of the disconnect storm (the full one, 1,000 disconnects, is in
// `npm run reliability`): see reliability/storm.js for what is checked.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { disconnectStorm } from '../../reliability/storm.js';

test('150 forced disconnects over a send loop by 6 clients: every send settles, nothing twice, bounded fetches, exact backoff', { timeout: 120_000 }, async (t) => {
  const figures = await disconnectStorm({ disconnects: 150 });
  t.diagnostic(JSON.stringify(figures));
  assert.equal(figures.disconnects, 150);
  assert.equal(figures.outages, 150);
  assert.equal(figures.duplicates, 0);
  assert.equal(figures.lost, 0);
  assert.ok(figures.tokenFailuresInjected >= 2, 'some outages met failing token fetches');
  assert.ok(figures.maxFetchesPerOutage >= 2 && figures.maxFetchesPerOutage <= 4);
  assert.ok(figures.largestBackoffStep >= 5, 'the backoff grew to its cap');
});
