// The web demo end to end in headless Chromium, on the local IVS Chat server: two people join,
// chat, a moderator deletes and kicks, a bad join input shows its field error, a forced drop
// shows reconnecting and recovers, a session renews without a gap. Screenshots of each state go
// to test-output/demo/.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { startDemo } from '../../web-demo/server.js';
import { launchChromium } from './chromium.js';

const shots = new URL('../../test-output/demo/', import.meta.url);
let browser;
/** @type {Awaited<ReturnType<typeof startDemo>>} */
let demo;
const problems = [];

before(async () => {
  await mkdir(shots, { recursive: true });
  demo = await startDemo({ env: {} });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await demo?.close();
});

async function openPage(viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`${message.text()}`); });
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(demo.url);
  await page.locator('#room-line', { hasText: 'local IVS Chat server' }).waitFor({ timeout: 15_000 });
  return page;
}

async function join(page, name, role) {
  await page.fill('#name', name);
  await page.check(`input[name="role"][value="${role}"]`);
  await page.locator('#join-button:not([disabled])').waitFor();
  await page.click('#join-button');
  await page.locator('#connection.pill-connected').waitFor({ timeout: 15_000 });
}

async function say(page, text) {
  await page.fill('#content', text);
  await page.click('#send');
  await page.locator('#content').and(page.locator('[aria-invalid="false"]')).waitFor();
}

const screenshot = (page, name) => page.screenshot({ path: new URL(`${name}.png`, shots).pathname, fullPage: true });

test('two people chat; the moderator deletes and kicks; drops recover', { timeout: 120_000 }, async () => {
  const carl = await openPage({ width: 390, height: 760 }); // a phone
  const mia = await openPage({ width: 1180, height: 760 });

  // A bad join input shows its error next to the field, checked live by the wasm validator.
  await carl.fill('#name', '');
  await carl.locator('#name-error', { hasText: 'Enter a display name.' }).waitFor();
  assert.equal(await carl.isDisabled('#join-button'), true);
  await carl.fill('#name', 'c'.repeat(129));
  await carl.locator('#name-error', { hasText: 'at most 128 characters; it has 129' }).waitFor();
  assert.equal(await carl.getAttribute('#name', 'aria-invalid'), 'true');
  await screenshot(carl, '01-join-field-error');

  await carl.fill('#color', '#c2410c');
  await join(carl, 'Carl', 'chatter');
  await join(mia, 'Mia', 'moderator');
  await say(carl, 'héllo from Carl ¡');
  await mia.locator('.message .text', { hasText: 'héllo from Carl ¡' }).waitFor();
  await say(mia, 'hi Carl, welcome');
  await carl.locator('.message .text', { hasText: 'hi Carl, welcome' }).waitFor();
  assert.match(await carl.textContent('#counter'), /^0 \/ 500$/);
  await carl.fill('#content', 'é'.repeat(501));
  await carl.locator('#counter.over', { hasText: '501 / 500' }).waitFor();
  assert.equal(await carl.isDisabled('#send'), true);
  await carl.fill('#content', '');
  const carlName = mia.locator('.message', { hasText: 'héllo from Carl' }).locator('.who');
  assert.equal(await carlName.evaluate((el) => getComputedStyle(el).color), 'rgb(194, 65, 12)');
  await screenshot(mia, '02-moderator-chat');
  await screenshot(carl, '03-chatter-phone');

  // The moderator deletes Carl's message: it disappears for both.
  await mia.locator('.message', { hasText: 'héllo from Carl' }).getByRole('button', { name: /Delete message/ }).click();
  await carl.locator('.notice', { hasText: 'A message was deleted by a moderator' }).waitFor();
  assert.equal(await carl.locator('.message', { hasText: 'héllo from Carl' }).count(), 0);
  await screenshot(carl, '04-message-deleted');

  // A forced drop: Mia's page shows reconnecting (the token backend is slowed so the state is
  // visible), then recovers.
  await mia.route('**/api/chat-token', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  assert.equal(demo.local.faults.dropConnections({ userId: 'Mia' }), 1);
  await mia.locator('#connection.pill-connecting', { hasText: /reconnecting — attempt 1 of 6/ }).waitFor({ timeout: 10_000 });
  await screenshot(mia, '05-reconnecting');
  await mia.locator('#connection.pill-connected').waitFor({ timeout: 20_000 });
  await mia.locator('.notice', { hasText: /Reconnected after 1 attempt/ }).waitFor();
  await mia.unroute('**/api/chat-token');
  await say(mia, 'back again');
  await carl.locator('.message .text', { hasText: 'back again' }).waitFor();

  // The moderator kicks Carl: Carl is told, disconnected, and does not come back.
  await say(carl, 'am I still here?');
  await mia.locator('.message', { hasText: 'am I still here?' }).getByRole('button', { name: 'Kick Carl' }).click();
  await carl.locator('.notice', { hasText: 'You were removed from the room by a moderator.' }).waitFor();
  await carl.locator('#connection.pill-disconnected', { hasText: 'removed by a moderator' }).waitFor({ timeout: 15_000 });
  await mia.locator('.notice', { hasText: 'Carl was removed by a moderator' }).waitFor();
  await screenshot(carl, '06-kicked');
  await screenshot(mia, '07-moderator-after-kick');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.match(await carl.textContent('#connection'), /disconnected/, 'a kicked user does not reconnect');

  assert.deepEqual(problems, []);
});

test('a session renews without a gap (scaled time)', { timeout: 90_000 }, async () => {
  const fast = await startDemo({ env: {}, timeScale: 15, sessionDurationInMinutes: 1 }); // 4 s sessions
  try {
    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    const page = await context.newPage();
    page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
    await page.goto(fast.url);
    await join(page, 'Rene', 'chatter');
    await page.locator('#session').waitFor();
    await page.locator('.notice', { hasText: 'Session renewed without a gap.' }).waitFor({ timeout: 20_000 });
    await say(page, 'still here after the renewal');
    await page.locator('.message .text', { hasText: 'still here after the renewal' }).waitFor();
    assert.equal(await page.locator('.message .text', { hasText: 'still here after the renewal' }).count(), 1);
    assert.match(await page.textContent('#connection'), /^connected$/);
    await screenshot(page, '08-session-renewed');
    assert.deepEqual(problems, []);
  } finally {
    await fast.close();
  }
});
