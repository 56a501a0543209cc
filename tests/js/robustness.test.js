// Inputs built to break the core (found by a security review): huge strings and arrays, huge
// answers, BigInts, absurd credentials, and a trapping instance. Each is refused quickly with a
// typed error naming the field, and the module keeps working afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ChatTokenRequestError, createChatToken, init, validateCreateChatTokenRequest } from 'ivschat-wasm';
import { ChatTokenSigningError, signCreateChatTokenRequest } from 'ivschat-wasm/backend';

import { createCoreLoader } from '../../js/loader.js';
import { wrapClientCore } from '../../dist/ivschat-client-calls.js';
import createIvsChatClient from '../../dist/ivschat-client.mjs';
import { REQUEST_LIMITS, requestTable } from '../../js/value-table.js';
import { ROOM_ARN, startHttpServer } from './helpers.js';

const valid = { roomIdentifier: ROOM_ARN, userId: 'alice' };

async function stillValidates() {
  assert.deepEqual(await validateCreateChatTokenRequest(valid), { ok: true, errors: [] });
}

/** @param {() => unknown} run */
async function timed(run) {
  const start = performance.now();
  const result = await run();
  return { result, ms: performance.now() - start };
}

test('a userId of 536 million characters is TOO_LONG at userId, refused before it reaches wasm', async () => {
  const core = await init();
  for (const length of [2 ** 29 - 24, 321_000_000]) {
    const { result, ms } = await timed(() => validateCreateChatTokenRequest({ ...valid, userId: 'x'.repeat(length) }));
    assert.equal(result.ok, false);
    assert.deepEqual(result.errors.map(({ field, code }) => ({ field, code })), [{ field: 'userId', code: 'TOO_LONG' }]);
    assert.match(result.errors[0].message, new RegExp(`${length}`));
    assert.ok(ms < 5000, `${ms} ms`);
    await stillValidates();
  }
  assert.equal(await init(), core, 'the same module, never broken');
});

test('capabilities: new Array(1e6) is one TOO_LONG error, by its length, without a million errors', async () => {
  const { result, ms } = await timed(() => validateCreateChatTokenRequest({ ...valid, capabilities: new Array(1e6) }));
  assert.deepEqual(result.errors.map(({ field, code }) => ({ field, code })), [{ field: 'capabilities', code: 'TOO_LONG' }]);
  assert.match(result.errors[0].message, /1000000/);
  assert.ok(ms < 1000, `${ms} ms`);
  await stillValidates();
});

test('error lists are capped: 100 bad attributes give 64 errors and one that counts the rest', async () => {
  const attributes = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
  const result = await validateCreateChatTokenRequest({ ...valid, attributes });
  assert.equal(result.errors.length, 65);
  assert.equal(result.errors[64].code, 'TOO_MANY_ERRORS');
  assert.match(result.errors[64].message, /36 more problems/);
});

test('oversized values anywhere are named at their field; a request over the total cap at `request`', async () => {
  const big = 'y'.repeat(REQUEST_LIMITS.stringLength + 1);
  let result = await validateCreateChatTokenRequest({ ...valid, attributes: { a: big } });
  assert.deepEqual(result.errors.map((e) => `${e.field} ${e.code}`), ['attributes TOO_LARGE']);
  result = await validateCreateChatTokenRequest({ ...valid, attributes: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 'v'])) });
  assert.deepEqual(result.errors.map((e) => `${e.field} ${e.code}`), ['attributes TOO_LARGE']);
  result = await validateCreateChatTokenRequest({ ...valid, junk: Array.from({ length: 60 }, () => 'z'.repeat(4000)) });
  assert.deepEqual(result.errors.map((e) => `${e.field} ${e.code}`), ['request TOO_LARGE']);
  const cyclic = { ...valid };
  cyclic.self = cyclic;
  result = await validateCreateChatTokenRequest(cyclic);
  assert.deepEqual(result.errors.map((e) => `${e.field} ${e.code}`), ['request TYPE']);
  await stillValidates();
});

test('objects shaped like the shim\'s markers are what they are: valid attributes pass, forged ones never pass', async () => {
  for (const attributes of [{ $bigint: '1' }, { $nonFinite: 'NaN' }, { $oversizedString: '0' }]) {
    assert.deepEqual(await validateCreateChatTokenRequest({ ...valid, attributes }), { ok: true, errors: [] }, JSON.stringify(attributes));
  }
  // As attribute values they are objects, not strings, not absent, with or without a real marker beside them.
  for (const duration of [60, Number.NaN]) {
    const result = await validateCreateChatTokenRequest({ ...valid, sessionDurationInMinutes: duration, attributes: { k: { $oversizedString: 0 } } });
    assert.equal(result.ok, false);
    assert.ok(result.errors.some((e) => e.field.startsWith('attributes')), JSON.stringify(result.errors));
  }
  const signed = await signCreateChatTokenRequest({ ...valid, attributes: { $bigint: '1' } }, { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  assert.equal(JSON.parse(signed.body).attributes.$bigint, '1');
});

test('a BigInt session duration is a TYPE error, never "absent" (10n ** 400n used to issue a 60-minute token)', async () => {
  for (const duration of [10n ** 400n, 60n]) {
    const result = await validateCreateChatTokenRequest({ ...valid, sessionDurationInMinutes: duration });
    assert.deepEqual(result.errors.map(({ field, code }) => ({ field, code })), [{ field: 'sessionDurationInMinutes', code: 'TYPE' }]);
    assert.match(result.errors[0].message, /BigInt/);
  }
  const nan = await validateCreateChatTokenRequest({ ...valid, sessionDurationInMinutes: Number.NaN });
  assert.match(nan.errors[0].message, /NaN/);
});

test('a 50 MB token-backend answer is refused while it arrives, not parsed', async () => {
  const chunk = 'x'.repeat(1 << 20);
  const server = await startHttpServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    let sent = 0;
    const pump = () => {
      while (sent < 50 && res.write(chunk)) sent++;
      if (sent < 50) res.once('drain', pump);
      else res.end();
    };
    pump();
  });
  try {
    const { result, ms } = await timed(() => createChatToken({ ...valid, endpoint: server.url }).then(() => 'resolved', (error) => error));
    assert.ok(result instanceof ChatTokenRequestError, String(result));
    assert.equal(result.code, 'MALFORMED_RESPONSE');
    assert.match(result.message, /more than 65536 bytes/);
    assert.ok(ms < 5000, `${ms} ms`);
  } finally {
    await server.close();
  }
});

test('absurd credentials are a ChatTokenSigningError naming the credential, never a trap', async () => {
  const huge = 's'.repeat(300_000_000);
  for (const [field, credentials] of [
    ['credentials.secretAccessKey', { accessKeyId: 'AKID', secretAccessKey: huge }],
    ['credentials.accessKeyId', { accessKeyId: huge, secretAccessKey: 'secret' }],
    ['credentials.sessionToken', { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: huge }],
  ]) {
    await assert.rejects(signCreateChatTokenRequest(valid, { credentials }), (error) => {
      assert.ok(error instanceof ChatTokenSigningError);
      assert.equal(error.field, field);
      assert.ok(!error.message.includes('sss'), 'never quotes the credential');
      return true;
    });
  }
  const signed = await signCreateChatTokenRequest(valid, { credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
  assert.match(signed.headers.authorization, /^AWS4-HMAC-SHA256 /);
});

test('an instance that traps is discarded: the call fails with CORE_FAILED and the next one works', async () => {
  let instances = 0;
  let trapNext = false;
  const loader = createCoreLoader({
    file: 'ivschat-client.wasm',
    wrap: wrapClientCore,
    factory: (raw) => {
      instances++;
      const ready = createIvsChatClient(raw);
      const real = raw.validateCreateChatTokenRequest;
      raw.validateCreateChatTokenRequest = (...args) => {
        if (trapNext) {
          trapNext = false;
          throw new WebAssembly.RuntimeError('unreachable');
        }
        return real(...args);
      };
      return ready;
    },
  });
  const { readFile } = await import('node:fs/promises');
  const core = await loader.init({ wasm: await readFile(new URL('../../dist/ivschat-client.wasm', import.meta.url)) });
  const json = /** @type {{ ok: true, table: import('../../js/value-table.js').ValueTable }} */ (requestTable(valid)).table;
  assert.equal(core.validateCreateChatTokenRequest({ request: json }).ok, true);
  trapNext = true;
  assert.throws(() => core.validateCreateChatTokenRequest({ request: json }), (error) => {
    assert.equal(error.code, 'CORE_FAILED');
    assert.equal(error.name, 'IvsChatError');
    return true;
  });
  assert.equal(instances, 1);
  assert.equal(core.validateCreateChatTokenRequest({ request: json }).ok, true);
  assert.equal(instances, 2, 'a fresh instance served the next call');
});
