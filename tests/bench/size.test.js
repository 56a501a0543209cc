// Size budget: the browser entry (createChatToken + ChatRoom) and the edge backend
// (createTokenHandler), bundled and minified with esbuild and gzipped, JS plus wasm, must stay
// within bench/size-budget.json. Deterministic (no timing); the benchmarks themselves are
// `npm run bench`.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { measureOurSizes, readBudget } from '../../bench/size.js';

test('the browser entry and the edge backend stay within the size budget (min + gzip, JS + wasm)', { timeout: 60_000 }, async () => {
  const [sizes, budget] = await Promise.all([measureOurSizes(), readBudget()]);
  assert.ok(sizes.browser.wasmFiles.length === 1 && sizes.backend.wasmFiles.length === 1, 'each bundle loads the wasm once');
  const report = (name, size, limit) =>
    `${name}: ${size.totalGzip} bytes gzipped (JS ${size.jsGzip} + wasm ${size.wasmGzip}) > budget ${limit}. ` +
    'Shrink it, or raise bench/size-budget.json on purpose in the commit that makes it grow.';
  assert.ok(sizes.browser.totalGzip <= budget.browserGzip, report('browser entry', sizes.browser, budget.browserGzip));
  assert.ok(sizes.backend.totalGzip <= budget.backendGzip, report('edge backend', sizes.backend, budget.backendGzip));
});
