// What "it works" means for an example: a page in Chromium joins the room and sees its own
// message come back from the local IVS Chat server; a token backend answers POST /api/token with
// a token the local server accepts for a chat (and refuses a bad name).
import { ChatRoom, fetchTokenProvider } from 'ivschat-wasm';
import WebSocket from 'ws';

import { launchChromium } from '../../tests/browser/chromium.js';

const STEP_TIMEOUT_MS = 20_000;

/** Pages may reach loopback only; anything else is aborted (and shows up as a console error). */
const isLoopback = (url) => /^(https?|wss?):\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(url) || /^(data|blob):/.test(url);

let browserPromise;

/** Debian's Chromium, launched on first use and shared by the examples. */
export function sharedBrowser() {
  browserPromise ??= launchChromium();
  return browserPromise;
}

export async function closeBrowser() {
  const browser = await browserPromise?.catch(() => undefined);
  browserPromise = undefined;
  await browser?.close();
}

/**
 * Opens `url` and chats as the examples' pages let a user: type a name, Join, wait for
 * "connected", send `text`, and see it in the message list under the name. Fails on any
 * console error or uncaught exception in the page.
 * @param {string} url
 * @param {{ name: string, text: string, routes?: Record<string, (route: import('playwright-core').Route) => unknown> }} options
 *   `routes`: URL patterns answered by the test instead of the network (a CDN's files)
 */
export async function chatInBrowser(url, { name, text, routes = {} }) {
  const browser = await sharedBrowser();
  const context = await browser.newContext();
  const problems = [];
  try {
    await context.route('**/*', (route) => (isLoopback(route.request().url()) ? route.continue() : route.abort('blockedbyclient')));
    for (const [pattern, handler] of Object.entries(routes)) await context.route(pattern, handler);
    const page = await context.newPage();
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.setDefaultTimeout(STEP_TIMEOUT_MS);

    await page.goto(url);
    await page.fill('#name', name);
    await page.click('#join button');
    const status = page.locator('#status');
    await page.waitForSelector('#status:is([data-state="connected"], [data-state="failed"], [data-state="unconfigured"])');
    if ((await status.getAttribute('data-state')) !== 'connected') throw new Error(`did not join: ${await status.textContent()}`);

    await page.fill('#message', text);
    await page.click('#send button');
    const item = page.locator('#messages li', { hasText: text });
    // A refused send shows on the status line at once: no need to wait out the timeout for it.
    await item.or(page.locator('#status', { hasText: /^Not sent/ })).waitFor().catch(async (error) => {
      throw new Error(`the message never showed up (status: ${await status.textContent()}): ${error.message}`);
    });
    if ((await item.count()) === 0) throw new Error(`the message was not sent: ${await status.textContent()}`);
    const shown = (await item.textContent())?.replace(/\s+/g, ' ').trim();
    if (shown !== `${name} ${text}`) throw new Error(`the message list shows "${shown}", not "${name} ${text}"`);
    await page.close();
  } catch (error) {
    if (problems.length) error.message += `\n${problems.join('\n')}`;
    throw error;
  } finally {
    await context.close();
  }
  if (problems.length) throw new Error(`the page chatted, but logged:\n${problems.join('\n')}`);
}

/**
 * Checks a token backend the way a page uses it: a bad name is refused with 400; a good one gets
 * a token with which a ChatRoom connects to the local server, sends a message and receives it,
 * signed with the display name the backend granted.
 * @param {string} tokenUrl the backend's POST /api/token URL
 * @param {{ roomArn: string, messagingUrl: string, name: string, text: string }} options
 */
export async function chatThroughBackend(tokenUrl, { roomArn, messagingUrl, name, text }) {
  const refused = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ roomIdentifier: roomArn, userId: 'not a name!' }) });
  if (refused.status !== 400) throw new Error(`POST ${tokenUrl} with a bad name answered ${refused.status}, not 400: ${await refused.text()}`);
  const tokenProvider = fetchTokenProvider(tokenUrl, { roomIdentifier: roomArn, userId: name, capabilities: ['SEND_MESSAGE'] });
  await chatWithTokens(tokenProvider, { messagingUrl, name, text, from: tokenUrl });
}

/**
 * A ChatRoom on `messagingUrl` with the tokens of `tokenProvider` sends `text` and receives it,
 * from `name` with that displayName.
 */
export async function chatWithTokens(tokenProvider, { messagingUrl, name, text, from }) {
  const room = new ChatRoom({ regionOrUrl: messagingUrl, WebSocket, tokenProvider });
  const tokenUrl = from;
  try {
    const received = new Promise((resolve) => room.addListener('message', (message) => { if (message.content === text) resolve(message); }));
    await withTimeout(room.connect(), `connecting with a token from ${tokenUrl}`);
    await withTimeout(room.sendMessage({ content: text }), 'sending a message');
    const message = await withTimeout(received, 'receiving the message');
    if (message.sender.userId !== name || message.sender.attributes?.displayName !== name) {
      throw new Error(`the message came from ${JSON.stringify(message.sender)}, not ${name} with that displayName`);
    }
  } finally {
    room.disconnect();
  }
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
