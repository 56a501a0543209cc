// The README's pictures of the web demo, taken anew: docs/demo-moderator.png (a moderator's page,
// with Delete, Kick and Ban, and the word-filter note) and docs/demo-phone.png (the chatter's page
// on a phone-sized screen). The demo runs on the local IVS Chat server (where anyone may moderate)
// in headless Debian Chromium, with a fixed locale and time zone; only the clock times and the
// session countdown differ from one run to the next.
//   node scripts/screenshot-demo.js     (after `npm start` or `bash scripts/build.sh --runtime`)
// With Debian's pngquant on the PATH (`apt-get install pngquant`) the pictures are reduced to a
// palette (a third of the size as taken, no visible change on flat UI colours); without it they
// stay as taken, and the script says so.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { startDemo } from '../web-demo/server.js';
import { launchChromium } from '../tests/browser/chromium.js';

const docs = (name) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));

// env: {}: always the local server and open moderation, whatever AWS variables are set.
const demo = await startDemo({ env: {} });
const browser = await launchChromium();
try {
  const open = async (viewport) => {
    const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light' });
    const page = await context.newPage();
    page.on('pageerror', (error) => { throw error; });
    await page.goto(demo.url);
    await page.locator('#room-line', { hasText: 'local IVS Chat server' }).waitFor({ timeout: 15_000 });
    return page;
  };
  const join = async (page, name, role, color) => {
    await page.fill('#name', name);
    await page.check(`input[name="role"][value="${role}"]`);
    await page.fill('#color', color);
    await page.locator('#join-button:not([disabled])').waitFor();
    await page.click('#join-button');
    await page.locator('#connection.pill-connected').waitFor({ timeout: 15_000 });
  };
  const say = async (page, text) => {
    await page.fill('#content', text);
    await page.click('#send');
    await page.locator('#content').and(page.locator('[aria-invalid="false"]')).waitFor();
  };
  const seen = (page, count) => page.locator('#messages li.message').nth(count - 1).waitFor();

  const mia = await open({ width: 1180, height: 760 });
  const carl = await open({ width: 390, height: 760 });
  await join(mia, 'Mia', 'moderator', '#2563eb');
  await join(carl, 'Carl', 'chatter', '#c2410c');
  await say(carl, 'hi all, first time here');
  await say(mia, 'welcome Carl! be nice, a word filter is on');
  await say(carl, 'what the heck, it stars that out');   // delivered as "what the ****, ..."
  for (const page of [mia, carl]) {
    await seen(page, 3);
    await page.locator('#content').blur();
  }
  await mia.getByRole('button', { name: 'Ban Carl' }).first().waitFor();
  await mia.locator('#filter-note:not([hidden])').waitFor();
  await mia.screenshot({ path: docs('demo-moderator.png') });
  await carl.screenshot({ path: docs('demo-phone.png') });
} finally {
  await browser.close();
  await demo.close();
}

for (const name of ['demo-moderator.png', 'demo-phone.png']) {
  const path = docs(name);
  const taken = statSync(path).size;
  try {
    execFileSync('pngquant', ['--quality=70-95', '--speed=1', '--strip', '--force', '--output', path, path]);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    console.log('pngquant not found (apt-get install pngquant): the pictures are left as taken.');
  }
  console.log(`docs/${name}: ${taken} bytes taken, ${statSync(path).size} written`);
}
