// The model-based test of ChatRoom (tests/chat/model.js), short: 150 random sequences of up to
// 40 steps. `npm run reliability` runs thousands. A failure names the seed and path to replay it.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { init } from 'ivschat-wasm';
import { runChatModel } from './model.js';

before(async () => {
  await init(); // loaded once, so that the fake clock alone drives what follows
});

test('random drops, 401s, refusals, stalls, kicks, token failures, connect/disconnect and sends keep every invariant', { timeout: 300_000 }, async () => {
  const figures = await runChatModel({ runs: 150, maxCommands: 40, seed: process.env.CHAT_MODEL_SEED ? Number(process.env.CHAT_MODEL_SEED) : undefined });
  assert.equal(figures.violations, 0);
  assert.ok(figures.steps > 150 && figures.sends > 0, JSON.stringify(figures));
  assert.ok(figures.mostFetchesPerOutage <= figures.maxAllowedFetchesPerOutage);
  assert.ok(figures.mostSocketsAtOnce <= 2);
});
