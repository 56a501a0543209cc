// ChatRoom's history end to end on the local server (issue 22 item 3's "done when"): a room that
// logs to CloudWatch Logs with a delivery delay, 30 messages, one deleted by a moderator, one
// user's removed by the app's event (the demo's ban: app:DELETE_USER_MESSAGES); then a new
// ChatRoom joins, its history provider reading the room's log stream with
// @aws-sdk/client-cloudwatch-logs, while messages keep arriving. It must show the right 28 in
// order, the live messages after them, nothing twice; a deletion after the join removes a
// message that came from the history; the read after delayMs fills the gap the log's
// delay leaves.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateLoggingConfigurationCommand, SendEventCommand } from '@aws-sdk/client-ivschat';
import { CloudWatchLogsClient, paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';

import { chatHistory } from 'ivschat-wasm';
import { historyPage, sleep, startChat, waitFor } from './helpers.js';

/** The local server's CloudWatch Logs delivery delay, and the history's delayMs a bit above it. */
const LOG_DELAY_MS = 600;
const HISTORY_DELAY_MS = 1200;
const LOG_GROUP = '/ivs/chat/history-e2e';

/** @type {Awaited<ReturnType<typeof startChat>>} */
let chat;
/** @type {CloudWatchLogsClient} */
let logs;
before(async () => {
  chat = await startChat({ logDeliveryDelayMs: { cloudWatchLogs: LOG_DELAY_MS } });
  logs = new CloudWatchLogsClient({ region: chat.server.region, endpoint: chat.server.controlPlaneUrl, credentials: chat.server.credentials, maxAttempts: 1 });
});
after(async () => {
  logs.destroy();
  await chat.close();
});

/**
 * A history provider that reads the room's chat log stream (the stream IVS writes,
 * `aws/IVSChatLogs/1.0/room_{id}`) and maps its records ({ event_timestamp, type, version,
 * payload }: payload as clients receive it) to ChatRoom's shapes. Deletions are left to ChatRoom.
 * @param {{ id: string }} room
 * @param {{ calls: number }} counter
 */
function cloudWatchHistory(room, counter) {
  return async ({ signal }) => {
    counter.calls += 1;
    const messages = [];
    const events = [];
    const pages = paginateFilterLogEvents({ client: logs, pageSize: 100 }, {
      logGroupName: LOG_GROUP,
      logStreamNames: [`aws/IVSChatLogs/1.0/room_${room.id}`],
      startTime: Date.now() - 3_600_000,
    });
    for await (const page of pages) {
      if (signal.aborted) throw signal.reason;
      for (const { message } of page.events ?? []) {
        const record = JSON.parse(message ?? '');
        if (record.version !== '1.0') continue;
        const p = record.payload;
        if (record.type === 'MESSAGE') {
          messages.push({
            id: p.Id,
            content: p.Content,
            sendTime: p.SendTime,
            sender: { userId: p.Sender.UserId, ...(p.Sender.Attributes ? { attributes: p.Sender.Attributes } : {}) },
            ...(p.Attributes ? { attributes: p.Attributes } : {}),
            ...(p.RequestId ? { requestId: p.RequestId } : {}),
          });
        } else if (record.type === 'EVENT') {
          events.push({ id: p.Id, eventName: p.EventName, sendTime: p.SendTime, ...(p.Attributes ? { attributes: p.Attributes } : {}) });
        }
      }
    }
    return { messages, events };
  };
}

test('a joiner sees the room\'s 28 recent messages in order, then the live ones, each once, while messages keep arriving', { timeout: 120_000 }, async () => {
  const { server, sdk } = chat;
  const configuration = await sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { cloudWatchLogs: { logGroupName: LOG_GROUP } } }));
  const room = await server.createRoom({ maximumMessageRatePerSecond: 100, loggingConfigurationIdentifiers: [configuration.arn ?? ''] });
  /** A connected ChatRoom of `userId` on the room. */
  const member = async (userId, capabilities = ['SEND_MESSAGE']) => {
    const member = chat.room({ tokenProvider: chat.tokens({ roomArn: room.arn, userId, capabilities, withUserId: true }), maxMessagesPerSecond: 100 });
    await member.connect();
    return member;
  };
  const [ann, bob, spammer, moderator] = [await member('ann'), await member('bob'), await member('spammer'), await member('mod', ['DELETE_MESSAGE'])];

  // 30 messages, one at a time (so their order is their SendTime order): the spammer's is one of them.
  /** @type {import('../../types/chat-room.d.ts').ChatMessage[]} */
  const sent = [];
  for (let i = 0; i < 30; i += 1) {
    const from = i === 11 ? spammer : i % 2 ? bob : ann;
    sent.push(await from.sendMessage({ content: `message ${i}` }));
  }
  const deleted = sent[7];
  await moderator.deleteMessage({ id: deleted.id, reason: 'off topic' });
  const { id: removalId } = await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'app:DELETE_USER_MESSAGES', attributes: { userId: 'spammer' } }));
  assert.ok(removalId);
  const recent = sent.filter((m) => m.id !== deleted.id && m.sender.userId !== 'spammer');
  assert.equal(recent.length, 28, 'the room\'s recent messages, as sent');
  // Let the log catch up with them, so that read 1 holds them.
  await sleep(LOG_DELAY_MS + 200);

  // Messages keep arriving: bob sends one every 15 ms while the joiner joins.
  /** @type {typeof sent} */
  const during = [];
  let sending = true;
  const sender = (async () => {
    for (let i = 0; sending; i += 1) {
      during.push(await bob.sendMessage({ content: `during ${i}` }));
      await sleep(15);
    }
  })();
  await waitFor(() => during.length >= 10, 'some messages sent before the join');

  const reads = { calls: 0 };
  const viewer = chat.room({
    tokenProvider: chat.tokens({ roomArn: room.arn, userId: 'viewer' }),
    history: chatHistory({ provider: cloudWatchHistory(room, reads), delayMs: HISTORY_DELAY_MS }),
  });
  const page = historyPage(viewer);
  /** @type {any[]} */
  const errors = [];
  viewer.addListener('error', (error) => errors.push(error));
  const joinedAt = during.length;
  await viewer.connect();
  await waitFor(() => page.batches.length >= 1, 'read 1');
  // At once: the room's 28, in order, before everything sent since.
  assert.deepEqual(page.shown().slice(0, 28).map((m) => m.id), recent.map((m) => m.id), 'read 1: the right 28 first, in order');
  assert.ok(page.shown().slice(28).every((m) => m.content.startsWith('during ')), 'then only messages sent after them');
  await sleep(200);
  // A deletion after the join, of a message the joiner got from the history.
  const lateDeleted = recent[3];
  await moderator.deleteMessage({ id: lateDeleted.id });
  await sleep(200);
  sending = false;
  await sender;
  await waitFor(() => page.batches.some((b) => b.final), 'read 2, after delayMs');
  const last = /** @type {typeof sent[number]} */ (during.at(-1));
  await waitFor(() => page.delivered.includes(last.id), 'the last live message');

  assert.deepEqual(errors, []);
  assert.equal(reads.calls, 2, 'two reads: with the token, and after delayMs');
  assert.deepEqual(page.batches.map((b) => [b.read, b.final]), [[1, false], [2, true]]);
  // Read 1 came while messages were being sent, so the log did not hold the latest yet: read 2 filled that gap.
  assert.ok(page.batches[1].messages.length > 0, 'read 2 added the messages the log did not hold yet at read 1 and the socket never delivered');
  assert.equal(new Set(page.delivered).size, page.delivered.length, 'no message delivered twice');

  const shown = page.shown().map((m) => m.content);
  const expected = [...recent, ...during].filter((m) => m.id !== lateDeleted.id).map((m) => m.content);
  assert.deepEqual(shown, expected, 'the 28 (less the one deleted after the join), then every message sent during and after the join, in order');
  assert.deepEqual(shown.slice(0, 27), recent.filter((m) => m.id !== lateDeleted.id).map((m) => m.content));
  assert.ok(!shown.includes(deleted.content) && !shown.some((c) => c === 'message 11'), 'the deleted and the removed are not shown');
  assert.ok(joinedAt >= 10 && during.length > joinedAt, 'messages were sent before, during and after the join');
  for (const m of [ann, bob, spammer, moderator, viewer]) m.disconnect();
});

test('deletions that arrive live before the history keep its messages out: the page never shows them', { timeout: 60_000 }, async () => {
  const { server, sdk } = chat;
  const configuration = await sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { cloudWatchLogs: { logGroupName: LOG_GROUP } } }));
  const room = await server.createRoom({ maximumMessageRatePerSecond: 100, loggingConfigurationIdentifiers: [configuration.arn ?? ''] });
  const member = async (userId, capabilities = ['SEND_MESSAGE']) => {
    const member = chat.room({ tokenProvider: chat.tokens({ roomArn: room.arn, userId, capabilities }), maxMessagesPerSecond: 100 });
    await member.connect();
    return member;
  };
  const [ann, troll, moderator] = [await member('ann'), await member('troll'), await member('mod', ['DELETE_MESSAGE'])];
  const sent = [];
  for (let i = 0; i < 8; i += 1) sent.push(await (i % 3 === 1 ? troll : ann).sendMessage({ content: `early ${i}` }));
  await sleep(LOG_DELAY_MS + 200); // all logged

  // Read 1 is held until the deletions have reached the joiner live.
  /** @type {() => void} */
  let release = () => {};
  const held = new Promise((resolve) => (release = () => resolve(undefined)));
  const reads = { calls: 0 };
  const read = cloudWatchHistory(room, reads);
  const viewer = chat.room({
    tokenProvider: chat.tokens({ roomArn: room.arn, userId: 'viewer2' }),
    // Its messages only, deleted ones included (the events left out): only what the room saw
    // live can keep them out.
    history: chatHistory({ provider: async (request) => ((await held), (await read(request)).messages), delayMs: 0 }),
  });
  const page = historyPage(viewer);
  const live = { deletes: 0, removals: 0 };
  viewer.addListener('messageDelete', () => (live.deletes += 1));
  viewer.addListener('event', (e) => e.eventName === 'app:DELETE_USER_MESSAGES' && (live.removals += 1));
  await viewer.connect();
  const deleted = sent[5];
  assert.equal(deleted.sender.userId, 'ann', 'a message the removal does not cover');
  await moderator.deleteMessage({ id: deleted.id });
  await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'app:DELETE_USER_MESSAGES', attributes: { userId: 'troll' } }));
  await waitFor(() => live.deletes === 1 && live.removals === 1, 'the deletion and the removal, live');
  await sleep(LOG_DELAY_MS + 200); // (the log holds them now, and still the deleted messages)
  assert.equal(page.batches.length, 0, 'the history has not come yet');
  release();
  await waitFor(() => page.batches.length === 1, 'the history');

  const expected = sent.filter((m) => m.id !== deleted.id && m.sender.userId !== 'troll');
  assert.ok(expected.length >= 4 && expected.length < sent.length - 2);
  assert.deepEqual(page.shown().map((m) => m.content), expected.map((m) => m.content));
  assert.ok(!page.delivered.includes(deleted.id) && !sent.filter((m) => m.sender.userId === 'troll').some((m) => page.delivered.includes(m.id)), 'never delivered, not even for a moment');
  assert.equal(reads.calls, 1);
  for (const m of [ann, troll, moderator, viewer]) m.disconnect();
});
