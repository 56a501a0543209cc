// The script-tag build (dist/ivschat-wasm.iife.js) as a CDN user gets it: served from a path of
// its own, the wasm beside it, used through the global IvsChatWasm by a classic script, under a
// strict CSP, chatting with the local IVS Chat server.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { createTokenHandler, toNodeListener } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { launchChromium, serveRepository } from './chromium.js';

let browser;
let site;
let ivs;
const wasmRequests = [];
before(async () => {
  ivs = await startLocalIvsChat();
  const tokenHandler = toNodeListener(createTokenHandler({
    credentials: ivs.credentials,
    region: ivs.region,
    endpoint: ivs.controlPlaneUrl,
    authorize: (request, body) => body,
  }));
  const cdn = (file, type) => async (req, res) => {
    if (file.endsWith('.wasm')) wasmRequests.push(req.url);
    res.writeHead(200, { 'content-type': type }).end(await readFile(new URL(`../../dist/${file}`, import.meta.url)));
  };
  site = await serveRepository({
    routes: {
      '/token': tokenHandler,
      '/cdn/ivschat-wasm@0/dist/ivschat-wasm.iife.js': cdn('ivschat-wasm.iife.js', 'text/javascript'),
      '/cdn/ivschat-wasm@0/dist/ivschat-client.wasm': cdn('ivschat-client.wasm', 'application/wasm'),
    },
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await ivs?.close();
});

test('dist/ivschat-wasm.iife.js: a global, the wasm found beside the script, a chat that works', { timeout: 60_000 }, async () => {
  const room = await ivs.createRoom();
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  page.on('pageerror', (error) => problems.push(String(error)));
  const query = new URLSearchParams({ ws: ivs.messagingUrl, room: room.arn });
  await page.goto(`${site.url}/tests/browser/script-tag.html?${query}`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'done', null, { timeout: 30_000 });
  const outcome = await page.evaluate(() => /** @type {any} */ (window).__outcome);
  assert.equal(outcome.failure, undefined);
  assert.deepEqual(outcome.errors, ['userId:TOO_SHORT']);
  assert.equal(outcome.validationErrorClass, true);
  assert.equal(outcome.received, 'from a classic script');
  assert.deepEqual(wasmRequests, ['/cdn/ivschat-wasm@0/dist/ivschat-client.wasm'], 'the wasm came from beside the script, once');
  assert.deepEqual(problems, []);
  await page.close();
});
