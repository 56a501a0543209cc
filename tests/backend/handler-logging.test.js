// What the token handler writes where it runs (issue 20): by default the backend's own problems
// (IVS refusing the signed request, the core not loading) go to console.warn with IVS's reason,
// scrubbed of secrets, while the caller's answer stays generic; `logger` replaces that output and
// `logger: false` silences it. A caller's own mistakes are not written by default.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createTokenHandler, InvalidOptionError } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { readAnswer, tokenRequest } from './helpers.js';

let ivs;
let room;
before(async () => {
  ivs = await startLocalIvsChat();
  room = await ivs.createRoom({ name: 'handler-logging' });
});
after(() => ivs.close());

const WRONG_SECRET = 'wrongSecretKey0123456789abcdefghijklmnopq';

function handlerWith(overrides = {}) {
  return createTokenHandler({
    credentials: ivs.credentials,
    endpoint: ivs.controlPlaneUrl,
    authorize: () => ({ roomIdentifier: room.arn, userId: 'alice' }),
    allowedHosts: ['tokens.example.com'],
    ...overrides,
  });
}

/** Runs `work` with console.warn (and the other console writers) captured. */
async function capturingConsole(work) {
  const lines = [];
  const saved = {};
  for (const name of ['warn', 'error', 'log', 'info']) {
    saved[name] = console[name];
    console[name] = (...args) => lines.push({ name, text: args.join(' ') });
  }
  try {
    await work();
  } finally {
    Object.assign(console, saved);
  }
  return lines;
}

test('default: IVS refusing the signed request (a wrong secret) is written with console.warn, with IVS reason and no secret; the answer stays generic', async () => {
  const credentials = { accessKeyId: ivs.credentials.accessKeyId, secretAccessKey: WRONG_SECRET };
  let answer;
  const lines = await capturingConsole(async () => {
    answer = await readAnswer(await handlerWith({ credentials })(tokenRequest({})));
  });
  assert.equal(answer.status, 403);
  assert.match(answer.json.message, /^IVS refused the token request \(\w+\)\.$/);
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.equal(lines[0].name, 'warn');
  assert.match(lines[0].text, /^ivschat-wasm token handler: answered 403 \w+ to a POST: IVS answered HTTP 403 \w+: ./);
  assert.match(lines[0].text, /`logger` option/);
  for (const secret of [WRONG_SECRET, ivs.credentials.secretAccessKey]) assert.ok(!lines[0].text.includes(secret));
});

test('default: a caller mistake or an authorize refusal is not written; a token issued is not written', async () => {
  const lines = await capturingConsole(async () => {
    assert.equal((await handlerWith()(tokenRequest('{not json'))).status, 400);
    assert.equal((await handlerWith({ authorize: () => null })(tokenRequest({}))).status, 403);
    assert.equal((await handlerWith()(tokenRequest({}))).status, 200);
  });
  assert.deepEqual(lines, []);
});

test('logger replaces the default output (one entry per request); logger: false writes nothing', async () => {
  const credentials = { accessKeyId: ivs.credentials.accessKeyId, secretAccessKey: WRONG_SECRET };
  const entries = [];
  const lines = await capturingConsole(async () => {
    await handlerWith({ credentials, logger: (entry) => entries.push(entry) })(tokenRequest({}));
    await handlerWith({ credentials, logger: false })(tokenRequest({}));
  });
  assert.deepEqual(lines, []);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].status, 403);
  assert.match(entries[0].message, /^IVS answered HTTP 403/);
  assert.throws(() => handlerWith({ logger: true }), (error) => error instanceof InvalidOptionError && error.option === 'logger');
});
