import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchChromium, serveRepository } from './chromium.js';

let browser;
let site;
const received = [];
before(async () => {
  site = await serveRepository({
    routes: {
      '/token': (req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          received.push(body);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ token: 'browser-token', tokenExpirationTime: '2030-01-01T00:00:00Z', sessionExpirationTime: '2030-01-01T01:00:00.5Z' }));
        });
      },
    },
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

test('the wasm module loads and validates in headless Chromium under a strict CSP', { timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(`${site.url}/tests/browser/load.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'done', null, { timeout: 30_000 });
  const outcome = await page.evaluate(() => /** @type {any} */ (window).__outcome);
  assert.equal(outcome.failure, undefined);
  assert.deepEqual(outcome.errors, ['userId:TOO_LONG', 'capabilities[1]:ENUM']);
  assert.equal(outcome.token, 'browser-token');
  assert.equal(outcome.sessionExpiration, '2030-01-01T01:00:00.500Z');
  assert.equal(outcome.validationErrorClass, true);
  assert.deepEqual(received, ['{"roomIdentifier":"arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456","userId":"ü-user"}']);
  assert.deepEqual(problems, []);
});

test('a page that imports the package starts the wasm download before its first call (the preload)', { timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  const wasm = page.waitForRequest((request) => request.url().endsWith('/dist/ivschat-client.wasm'), { timeout: 20_000 });
  await page.goto(`${site.url}/tests/browser/preload.html`);
  assert.ok(await wasm, 'the wasm was requested with no call made');
  await page.close();
});
