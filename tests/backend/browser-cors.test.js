// CORS for real: headless Chromium on one origin calls the token handler on another origin
// with the package's createChatToken (a preflight, because of the JSON body and the
// Authorization header), and the handler in turn calls the local IVS Chat server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createTokenHandler, TokenHandlerError, toNodeListener } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { browserImportMap, launchChromium, serveRepository } from '../browser/chromium.js';
import { createRecorder, serveOnLoopback } from './helpers.js';

let browser;
let site;
let ivs;
let room;
let allowing;
let refusing;
const recorder = createRecorder();

before(async () => {
  // The page is served without a CSP so that it may connect to the other origin.
  const page = `<!doctype html><script type="importmap">${await browserImportMap()}</script><title>cors</title>`;
  site = await serveRepository({
    routes: { '/cors.html': (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page) },
  });
  ivs = await startLocalIvsChat();
  room = await ivs.createRoom();
  const options = {
    credentials: ivs.credentials,
    endpoint: ivs.controlPlaneUrl,
    logger: recorder.logger,
    authorize(request) {
      if (request.headers.get('authorization') !== 'Bearer browser-user') throw new TokenHandlerError(401, 'Sign in to chat.');
      return { roomIdentifier: room.arn, userId: 'browser-user', capabilities: ['SEND_MESSAGE'] };
    },
  };
  allowing = await serveOnLoopback(toNodeListener(createTokenHandler({ ...options, allowedOrigins: [site.url] })));
  refusing = await serveOnLoopback(toNodeListener(createTokenHandler(options)));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await Promise.all([site?.close(), allowing?.close(), refusing?.close(), ivs?.close()]);
});

/**
 * Runs createChatToken in the page; resolves with the token or the error's fields.
 * @param {import('playwright-core').Page} page
 * @param {string} endpoint
 * @param {Record<string, string>} headers
 */
function tokenFromPage(page, endpoint, headers) {
  return page.evaluate(async ({ endpoint, headers, roomIdentifier }) => {
    const { createChatToken } = await import('/js/public.js');
    try {
      const token = await createChatToken({ endpoint, headers, roomIdentifier, userId: 'whatever' });
      return { token: token.token };
    } catch (error) {
      return { name: error.name, code: error.code, status: error.status, errorType: error.errorType, awsMessage: error.awsMessage };
    }
  }, { endpoint, headers, roomIdentifier: room.arn });
}

test('Chromium on another origin: preflight, token, and a readable X-Amzn-ErrorType; a refused origin is blocked', { timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`${site.url}/cors.html`);
    const issued = await tokenFromPage(page, `${allowing.url}/token`, { authorization: 'Bearer browser-user' });
    assert.match(issued.token ?? JSON.stringify(issued), /^local\./);
    assert.ok(recorder.logs.some((entry) => entry.method === 'OPTIONS' && entry.status === 204 && entry.message === 'answered a CORS preflight'), 'the browser sent a preflight');

    const refused = await tokenFromPage(page, `${allowing.url}/token`, { authorization: 'Bearer someone-else' });
    assert.deepEqual(refused, { name: 'ChatTokenRequestError', code: 'HTTP_ERROR', status: 401, errorType: 'UnauthorizedException', awsMessage: 'Sign in to chat.' });

    const tokensBefore = ivs.stats().tokensIssued;
    const blocked = await tokenFromPage(page, `${refusing.url}/token`, { authorization: 'Bearer browser-user' });
    assert.equal(blocked.code, 'NETWORK_ERROR', 'the browser blocks the answer of a handler that refused the origin');
    assert.ok(recorder.logs.some((entry) => entry.status === 403 && entry.message === `refused origin ${site.url}`));
    assert.equal(ivs.stats().tokensIssued, tokensBefore);
  } finally {
    await page.close();
  }
});
