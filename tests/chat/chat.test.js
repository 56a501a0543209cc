// ChatRoom against the local IVS Chat server: chatting, moderation, refusals, limits, ERROR and
// malformed frames, timeouts. Tokens are minted by the AWS SDK (@aws-sdk/client-ivschat).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DisconnectUserCommand, SendEventCommand } from '@aws-sdk/client-ivschat';

import { ChatError } from 'ivschat-wasm';
import { assertUniqueIds, record, settled, sleep, startChat, waitFor } from './helpers.js';

describe('ChatRoom against the local server', () => {
  /** @type {Awaited<ReturnType<typeof startChat>>} */
  let chat;
  before(async () => {
    chat = await startChat();
  });
  after(() => chat.close());

  /** A connected room for `userId` in `roomArn`, with its recorder and token provider. */
  async function join(roomArn, userId, capabilities = ['SEND_MESSAGE'], options = {}) {
    const { tokenOptions, ...roomOptions } = options;
    const tokenProvider = chat.tokens({ roomArn, userId, capabilities, ...tokenOptions });
    const room = chat.room({ tokenProvider, ...roomOptions });
    const log = record(room);
    await room.connect();
    return { room, log, tokenProvider };
  }

  test('two clients chat both ways; attributes of the message and of the sender arrive', async () => {
    const { arn } = await chat.server.createRoom();
    const alice = await join(arn, 'alice', ['SEND_MESSAGE'], { tokenOptions: { attributes: { displayName: 'Alice' } } });
    const bob = await join(arn, 'bob');
    const sent = await alice.room.sendMessage({ content: 'hi bob 👋', attributes: { mood: 'happy' } });
    assert.equal(sent.content, 'hi bob 👋');
    assert.deepEqual(sent.sender, { userId: 'alice', attributes: { displayName: 'Alice' } });
    assert.deepEqual(sent.attributes, { mood: 'happy' });
    assert.match(sent.id, /^[a-zA-Z0-9]{12}$/);
    const atBob = await waitFor(() => bob.log.messages.find((m) => m.id === sent.id), 'Bob to receive it');
    assert.deepEqual(atBob, sent);
    const reply = await bob.room.sendMessage({ content: 'hi alice' });
    const atAlice = await waitFor(() => alice.log.messages.find((m) => m.id === reply.id), 'Alice to receive the reply');
    assert.equal(atAlice.sender.userId, 'bob');
    assert.equal(atAlice.attributes, undefined);
    // An app event sent with the SDK reaches both as `event`.
    await chat.sdk.send(new SendEventCommand({ roomIdentifier: arn, eventName: 'app:poll', attributes: { question: 'tea?' } }));
    for (const user of [alice, bob]) {
      const event = await waitFor(() => user.log.events.find((e) => e.eventName === 'app:poll'), 'the app event');
      assert.deepEqual(event.attributes, { question: 'tea?' });
    }
    for (const user of [alice, bob]) {
      assertUniqueIds(user.log.messages, 'messages');
      assert.deepEqual(user.log.errors, []);
      user.room.disconnect();
    }
  });

  test('a moderator deletes a message and kicks users; the kicked clients do not reconnect', async () => {
    const { arn } = await chat.server.createRoom();
    const mod = await join(arn, 'mod', ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER']);
    // Bob's tokens say who he is (as fetchTokenProvider's do); Carol's do not.
    const bob = await join(arn, 'bob', ['SEND_MESSAGE'], { tokenOptions: { withUserId: true } });
    const carol = await join(arn, 'carol');
    const opened = chat.server.stats().connectionsOpened;

    const spam = await bob.room.sendMessage({ content: 'buy now' });
    const deletion = await mod.room.deleteMessage({ id: spam.id, reason: 'spam' });
    assert.equal(deletion.messageId, spam.id);
    assert.equal(deletion.reason, 'spam');
    for (const user of [bob, carol]) {
      const seen = await waitFor(() => user.log.deletes.find((d) => d.messageId === spam.id), 'the messageDelete event');
      assert.equal(seen.reason, 'spam');
    }

    const kick = await mod.room.disconnectUser({ userId: 'bob', reason: 'spamming' });
    assert.equal(kick.userId, 'bob');
    assert.equal(kick.reason, 'spamming');
    await waitFor(() => bob.log.disconnects.length > 0, 'Bob to be disconnected');
    assert.deepEqual(bob.log.disconnects, ['serverDisconnect']);
    assert.equal(bob.log.userDisconnects[0].userId, 'bob');
    await waitFor(() => carol.log.userDisconnects.some((e) => e.userId === 'bob'), 'Carol to see the kick');

    // The backend kicks Carol with the SDK; her room never learned her user id from a token.
    await chat.sdk.send(new DisconnectUserCommand({ roomIdentifier: arn, userId: 'carol', reason: 'done' }));
    await waitFor(() => carol.log.disconnects.length > 0, 'Carol to be disconnected');
    assert.deepEqual(carol.log.disconnects, ['serverDisconnect']);

    await sleep(600); // three times the largest backoff delay of these rooms: a reconnect would have happened
    assert.equal(bob.tokenProvider.calls, 1, 'Bob did not reconnect');
    assert.equal(carol.tokenProvider.calls, 1, 'Carol did not reconnect');
    assert.equal(chat.server.stats().connectionsOpened, opened);
    assert.deepEqual([bob.room.state, carol.room.state, mod.room.state], ['disconnected', 'disconnected', 'connected']);
    assert.deepEqual(mod.log.disconnects, []);
    mod.room.disconnect();
  });

  test('a viewer (no capability) is refused: FORBIDDEN with status 403, for each action', async () => {
    const { arn } = await chat.server.createRoom();
    const viewer = await join(arn, 'viewer', []);
    const attempts = [
      viewer.room.sendMessage({ content: 'let me talk' }),
      viewer.room.deleteMessage({ id: 'AbCdEf123456' }),
      viewer.room.disconnectUser({ userId: 'someone' }),
    ];
    for (const attempt of attempts) {
      await assert.rejects(attempt, (error) => {
        assert.ok(error instanceof ChatError);
        assert.equal(error.code, 'FORBIDDEN');
        assert.equal(error.status, 403);
        assert.match(error.requestId, /^[0-9a-f-]{36}$/);
        return true;
      });
    }
    assert.equal(viewer.room.state, 'connected');
    assert.equal(viewer.room.pendingRequestCount, 0);
    viewer.room.disconnect();
  });

  test('over-long messages: VALIDATION before sending when the client knows the limit, PAYLOAD_TOO_LARGE from the room otherwise', async () => {
    const { arn } = await chat.server.createRoom({ maximumMessageLength: 20 });
    const knows = await join(arn, 'knows', ['SEND_MESSAGE'], { maxMessageLength: 20 });
    const unaware = await join(arn, 'unaware');
    const before = chat.server.stats();
    await assert.rejects(knows.room.sendMessage({ content: 'é'.repeat(21) }), (error) => {
      assert.equal(error.code, 'VALIDATION');
      assert.deepEqual(error.errors.map((e) => `${e.field}:${e.code}`), ['content:TOO_LONG']);
      return true;
    });
    await assert.rejects(knows.room.sendMessage({ content: 'x'.repeat(501) }), { code: 'VALIDATION' });
    const afterValidation = chat.server.stats();
    assert.equal(afterValidation.errorsSent, before.errorsSent, 'nothing reached the server');
    assert.equal(afterValidation.messagesSent, before.messagesSent);
    // 20 code points (emoji are 2 UTF-16 units each) is fine.
    const fits = await knows.room.sendMessage({ content: '😀'.repeat(20) });
    assert.equal(fits.content, '😀'.repeat(20));
    await assert.rejects(unaware.room.sendMessage({ content: 'x'.repeat(21) }), (error) => {
      assert.equal(error.code, 'PAYLOAD_TOO_LARGE');
      assert.equal(error.status, 413);
      return true;
    });
    knows.room.disconnect();
    unaware.room.disconnect();
  });

  test('client-side rate limit: a burst is paced and the excess refused with RATE_LIMITED, without a single 429', async () => {
    const { arn } = await chat.server.createRoom({ maximumMessageRatePerSecond: 10 });
    const alice = await join(arn, 'alice');
    const errorsBefore = chat.server.stats().errorsSent;
    const outcomes = await Promise.all(Array.from({ length: 25 }, (_, n) => settled(alice.room.sendMessage({ content: `burst ${n}` }))));
    const sent = outcomes.filter((o) => o.ok);
    const refused = outcomes.filter((o) => !o.ok);
    assert.equal(sent.length, 20, '10 at once, 10 more after the window');
    assert.equal(refused.length, 5);
    for (const { error } of refused) {
      assert.equal(error.code, 'RATE_LIMITED');
      assert.equal(error.status, undefined, 'refused by the client, not by IVS');
    }
    assert.deepEqual(outcomes.map((o) => o.ok), [...Array(20).fill(true), ...Array(5).fill(false)], 'first come, first served');
    assert.equal(chat.server.stats().errorsSent, errorsBefore, 'the server never had to answer 429');
    alice.room.disconnect();
  });

  test('with the client limit raised above the room limit, the room answers 429: RATE_LIMITED with status 429', async () => {
    const { arn } = await chat.server.createRoom({ maximumMessageRatePerSecond: 5 });
    const alice = await join(arn, 'alice', ['SEND_MESSAGE'], { maxMessagesPerSecond: 100 });
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, n) => settled(alice.room.sendMessage({ content: `fast ${n}` }))));
    const limited = outcomes.filter((o) => !o.ok);
    assert.ok(limited.length >= 3, `at most 5 of 8 pass the room's limit (${limited.length} refused)`);
    for (const { error } of limited) {
      assert.equal(error.code, 'RATE_LIMITED');
      assert.equal(error.status, 429);
    }
    alice.room.disconnect();
  });

  test('ERROR frames for no request go to `error` with code and status; the connection carries on', async () => {
    const { arn } = await chat.server.createRoom();
    const alice = await join(arn, 'alice');
    chat.server.faults.injectFrame(JSON.stringify({ Type: 'ERROR', Id: 'AbCdEf123456', RequestId: '', ErrorCode: 500, ErrorMessage: 'internal trouble' }), { userId: 'alice', roomIdentifier: arn });
    chat.server.faults.injectFrame(JSON.stringify({ Type: 'ERROR', RequestId: 'not-ours', ErrorCode: 406, ErrorMessage: 'rejected by review' }), { userId: 'alice', roomIdentifier: arn });
    await waitFor(() => alice.log.errors.length === 2, 'two error events');
    assert.deepEqual(alice.log.errors.map((e) => [e.code, e.status, e.requestId]), [['SERVER_ERROR', 500, undefined], ['REJECTED', 406, 'not-ours']]);
    assert.ok(alice.log.errors.every((e) => e instanceof ChatError));
    const after = await alice.room.sendMessage({ content: 'still connected' });
    assert.equal(after.content, 'still connected');
    alice.room.disconnect();
  });

  test('malformed frames are reported on `error` (MALFORMED_FRAME) and skipped; the connection carries on', async () => {
    const { arn } = await chat.server.createRoom();
    const alice = await join(arn, 'alice');
    const bob = await join(arn, 'bob');
    const garbage = [
      'not json at all',
      '{"Type":"MESSAGE","Id":"AbCdEf123456"}',
      '{"Type":"EVENT","Id":"AbCdEf123456","EventName":"aws:DELETE_MESSAGE","SendTime":"2030-01-01T00:00:00Z","Attributes":{}}',
      '{"Type":"MESSAGE","Id":"AbCdEf123456","Content":"x","SendTime":"2030-01-01T00:00:00Z","Sender":{"UserId":"u"},"Attributes":{"n":1}}',
    ];
    for (const text of garbage) assert.equal(chat.server.faults.injectFrame(text, { userId: 'alice', roomIdentifier: arn }), 1);
    await waitFor(() => alice.log.errors.length === garbage.length, 'an error per malformed frame');
    assert.deepEqual(alice.log.errors.map((e) => e.code), Array(garbage.length).fill('MALFORMED_FRAME'));
    assert.deepEqual(alice.log.messages, [], 'nothing made up from a bad frame');
    const message = await bob.room.sendMessage({ content: 'after the garbage' });
    await waitFor(() => alice.log.messages.some((m) => m.id === message.id), 'Alice still receives');
    assert.equal(alice.room.state, 'connected');
    assert.deepEqual(alice.log.disconnects, []);
    alice.room.disconnect();
    bob.room.disconnect();
  });

  test('no answer within requestTimeoutMs: TIMEOUT; the late echo still arrives as a message', async () => {
    const { arn } = await chat.server.createRoom();
    const alice = await join(arn, 'alice', ['SEND_MESSAGE'], { requestTimeoutMs: 300 });
    chat.server.faults.stall(true);
    try {
      const { error } = await settled(alice.room.sendMessage({ content: 'into the void' }));
      assert.equal(error.code, 'TIMEOUT');
      assert.match(error.message, /300 ms/);
    } finally {
      chat.server.faults.stall(false);
    }
    await waitFor(() => alice.log.messages.some((m) => m.content === 'into the void'), 'the late echo');
    assert.equal(alice.room.pendingRequestCount, 0);
    alice.room.disconnect();
  });
});
