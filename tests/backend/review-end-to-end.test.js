// Message review end to end: ChatRoom clients on the local server, whose room names a review
// handler made with createMessageReviewHandler (and raw Lambda functions, for what the handler
// never answers): ALLOW, rewrite, DENY (the sender's ERROR 406 with the reason), a late review
// answered by the handler, and an invalid answer, an error or a timeout at the Lambda level
// falling back to the room's fallbackResult.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { WebSocket } from 'ws';

import { ChatError, ChatRoom } from 'ivschat-wasm';
import { createMessageReviewHandler } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

const FILTER = 'arn:aws:lambda:us-east-1:123456789012:function:word-filter';
const RAW = 'arn:aws:lambda:us-east-1:123456789012:function:raw';
const reviewLog = [];
let ivs;
let sdk;
before(async () => {
  const filter = createMessageReviewHandler(async ({ content, attributes }) => {
    if (/\bslow\b/.test(content)) await new Promise((resolve) => setTimeout(resolve, 400));
    if (/\bspam\b/i.test(content)) return { allow: false, reason: 'no spam here' };
    return { allow: true, content: content.replace(/\bdarn\b/g, '****'), attributes: { ...attributes, reviewed: 'yes' } };
  }, { budgetMs: 100, onTimeout: 'DENY', logger: (entry) => reviewLog.push(entry) });
  ivs = await startLocalIvsChat({ lambdas: { [FILTER]: filter } });
  sdk = new IvschatClient({ endpoint: ivs.controlPlaneUrl, region: ivs.region, credentials: ivs.credentials, maxAttempts: 1 });
});
after(async () => {
  sdk.destroy();
  await ivs.close();
});

/** Two connected rooms on `arn`: a sender and a reader. */
async function pair(arn) {
  const make = (userId) => new ChatRoom({
    regionOrUrl: ivs.messagingUrl,
    WebSocket,
    tokenProvider: async () => ({ token: (await sdk.send(new CreateChatTokenCommand({ roomIdentifier: arn, userId, capabilities: ['SEND_MESSAGE'] }))).token }),
  });
  const sender = make('sender');
  const reader = make('reader');
  const read = [];
  reader.addListener('message', (message) => read.push(message));
  await Promise.all([sender.connect(), reader.connect()]);
  return { sender, reader, read, close: () => { sender.disconnect(); reader.disconnect(); } };
}

/** Waits (at most 15 s: a delivery takes a few ms on a quiet machine) until `condition()` holds. */
const soon = async (condition) => {
  const deadline = Date.now() + 15_000;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};

test('allowed, rewritten, refused with a reason, and a late review refused by the handler itself', async () => {
  const room = await ivs.createRoom({ messageReviewHandler: { uri: FILTER, fallbackResult: 'ALLOW' } });
  const chat = await pair(room.arn);
  try {
    const echoed = await chat.sender.sendMessage({ content: 'well darn it', attributes: { lang: 'en' } });
    assert.equal(echoed.content, 'well **** it');
    assert.deepEqual(echoed.attributes, { lang: 'en', reviewed: 'yes' });
    await soon(() => chat.read.length === 1);
    assert.equal(chat.read[0].content, 'well **** it', 'every reader gets the rewritten message');

    await assert.rejects(chat.sender.sendMessage({ content: 'buy SPAM now' }), (error) => {
      assert.ok(error instanceof ChatError);
      assert.deepEqual([error.code, error.status], ['REJECTED', 406]);
      assert.match(error.message, /no spam here/);
      return true;
    });
    await assert.rejects(chat.sender.sendMessage({ content: 'a slow one' }), (error) => error.code === 'REJECTED');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(chat.read.length, 1, 'nothing refused reached the reader');
    assert.equal(ivs.stats().messagesReviewed, 3);
    assert.deepEqual(reviewLog.map((e) => [e.result, e.outcome]), [['ALLOW', 'reviewed'], ['DENY', 'reviewed'], ['DENY', 'timeout']]);
  } finally {
    chat.close();
  }
});

test('what IVS does when a Lambda fails: an invalid answer, an error, no answer in 200 ms: the room\'s fallbackResult', async () => {
  const behaviours = [
    ['invalid', () => ({ ReviewResult: 'MAYBE', Content: 'x' })],
    ['throws', () => { throw new Error('lambda crashed'); }],
    ['late', () => new Promise((resolve) => setTimeout(() => resolve({ ReviewResult: 'ALLOW', Content: 'late', Attributes: {} }), 400))],
  ];
  for (const fallbackResult of ['ALLOW', 'DENY']) {
    const room = await ivs.createRoom({ messageReviewHandler: { uri: RAW, fallbackResult } });
    const chat = await pair(room.arn);
    try {
      for (const [name, fn] of behaviours) {
        ivs.setLambda(RAW, fn);
        const sent = chat.sender.sendMessage({ content: `original ${name}` });
        if (fallbackResult === 'ALLOW') {
          assert.equal((await sent).content, `original ${name}`, `${name}: delivered as sent`);
        } else {
          await assert.rejects(sent, (error) => error.code === 'REJECTED', name);
        }
      }
    } finally {
      chat.close();
    }
  }
  ivs.setLambda(RAW, undefined);
  // No function registered for the room's ARN: the invocation fails, as at IVS, and the fallbackResult applies.
  const unregistered = await ivs.createRoom({ messageReviewHandler: { uri: RAW, fallbackResult: 'DENY' } });
  const chat = await pair(unregistered.arn);
  try {
    await assert.rejects(chat.sender.sendMessage({ content: 'hi' }), (error) => error.code === 'REJECTED');
  } finally {
    chat.close();
  }
  assert.throws(() => ivs.setLambda('not-an-arn', () => ({})), TypeError);
});
