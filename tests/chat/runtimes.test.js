// One chat round trip in each runtime with its own WebSocket: Deno, Bun and headless Chromium
// (the browser entry under a strict CSP, tokens through fetchTokenProvider). An echo bot, a
// ChatRoom in this Node process, answers every message; Node itself is covered by the other files.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { CreateChatTokenCommand } from '@aws-sdk/client-ivschat';

import { launchChromium, serveRepository } from '../browser/chromium.js';
import { record, startChat } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const script = fileURLToPath(new URL('./round-trip-script.mjs', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));

/** @type {Awaited<ReturnType<typeof startChat>>} */
let chat;
let roomArn;
let botLog;

before(async () => {
  chat = await startChat();
  roomArn = (await chat.server.createRoom()).arn;
  const bot = chat.room({ tokenProvider: chat.tokens({ roomArn, userId: 'echo-bot', capabilities: ['SEND_MESSAGE'] }) });
  botLog = record(bot);
  bot.addListener('message', (message) => {
    if (message.sender.userId !== 'echo-bot') bot.sendMessage({ content: `echo: ${message.content}` }).catch(() => {});
  });
  await bot.connect();
});
after(() => chat.close());

/** @param {string} userId */
async function mintToken(userId) {
  const response = await chat.sdk.send(new CreateChatTokenCommand({ roomIdentifier: roomArn, userId, capabilities: ['SEND_MESSAGE'] }));
  return /** @type {string} */ (response.token);
}

/**
 * Runs the round-trip script; resolves with its JSON line.
 * @param {string} file
 * @param {string[]} args
 */
function runScript(file, args) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: repoRoot, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`${file} printed no result (${error?.message ?? 'exit 0'}): ${stdout}\n${stderr}`));
      }
    });
  });
}

describe('a chat round trip in other runtimes', () => {
  for (const [name, command, argsFor] of [
    ['Deno', 'deno', (config) => ['run', '--no-prompt', `--allow-read=${repoRoot}`, '--allow-net=127.0.0.1', script, config]],
    ['Bun', 'bun', (config) => [script, config]],
  ]) {
    test(`${name}: its global WebSocket, connect, send, receive the reply`, { timeout: 90_000 }, async () => {
      const userId = `${command}-user`;
      const content = `hello from ${name}`;
      const config = JSON.stringify({ url: chat.server.messagingUrl, tokens: [await mintToken(userId), await mintToken(userId)], content });
      const result = await runScript(bin(command), argsFor(config));
      assert.equal(result.failure, undefined);
      assert.equal(result.ok, true);
      assert.match(result.runtime, new RegExp(command));
      assert.deepEqual(result.sent, { content, userId });
      assert.equal(result.reply, `echo: ${content}`);
      assert.ok(botLog.messages.some((m) => m.content === content && m.sender.userId === userId));
    });
  }

  test('Chromium: the browser entry, the browser WebSocket and fetchTokenProvider, under a strict CSP', { timeout: 90_000 }, async () => {
    const tokenRequests = [];
    const site = await serveRepository({
      routes: {
        '/token': (req, res) => {
          let body = '';
          req.on('data', (chunk) => (body += chunk));
          req.on('end', async () => {
            tokenRequests.push(body);
            const request = JSON.parse(body);
            const response = await chat.sdk.send(new CreateChatTokenCommand(request));
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({
              token: response.token,
              tokenExpirationTime: response.tokenExpirationTime?.toISOString(),
              sessionExpirationTime: response.sessionExpirationTime?.toISOString(),
            }));
          });
        },
      },
    });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(String(error)));
      const query = new URLSearchParams({ ws: chat.server.messagingUrl, room: roomArn, content: 'hello from Chromium' });
      await page.goto(`${site.url}/tests/chat/browser-chat.html?${query}`);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'done', null, { timeout: 30_000 });
      const outcome = await page.evaluate(() => /** @type {any} */ (window).__outcome);
      assert.equal(outcome.failure, undefined);
      assert.deepEqual(outcome.sent, { content: 'hello from Chromium', userId: 'browser-user' });
      assert.equal(outcome.reply, 'echo: hello from Chromium');
      assert.deepEqual(tokenRequests.map((body) => JSON.parse(body)), [{ capabilities: ['SEND_MESSAGE'], roomIdentifier: roomArn, userId: 'browser-user' }]);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await site.close();
    }
  });
});
