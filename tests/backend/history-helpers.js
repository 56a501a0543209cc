// The room the history tests read (tests/backend/history*.test.js): on a local server, a room with
// a CloudWatch Logs logging configuration, 30 messages (the 15th bob's, the others alice's), the
// 7th deleted by a moderator (DeleteMessage), bob banned as the demo bans (DisconnectUser, then
// SendEvent app:DELETE_USER_MESSAGES { userId: bob }). The right history is the other 28.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { CreateLoggingConfigurationCommand, IvschatClient } from '@aws-sdk/client-ivschat';

import { deleteMessage, disconnectUser, sendEvent } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from '../../js/local/index.js';
import { createToken, TestSocket } from '../local/helpers.js';

export const HISTORY_GROUP = '/ivs/chat-history';

/**
 * @param {Awaited<ReturnType<typeof import('../../js/local/index.js').startLocalIvsChat>>} server
 * @returns {Promise<{ room: any, ids: string[], contents: string[], deletedId: string, expected: { id: string, content: string }[] }>}
 */
export async function roomWithHistory(server) {
  const ivs = new IvschatClient({ region: server.region, endpoint: server.controlPlaneUrl, credentials: server.credentials, maxAttempts: 1 });
  const configuration = await ivs.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { cloudWatchLogs: { logGroupName: HISTORY_GROUP } } }));
  ivs.destroy();
  const room = await server.createRoom({ maximumMessageRatePerSecond: 100, loggingConfigurationIdentifiers: [configuration.arn ?? ''] });
  const moderation = { credentials: server.credentials, endpoint: server.controlPlaneUrl };
  /** @type {Record<string, TestSocket>} */
  const sockets = {};
  const ids = [];
  const contents = [];
  for (const userId of ['alice', 'bob']) {
    const { token } = await createToken(server, { roomIdentifier: room.arn, userId, capabilities: ['SEND_MESSAGE'], attributes: { displayName: userId.toUpperCase() } });
    sockets[userId] = await TestSocket.open(server.messagingUrl, token);
  }
  try {
    for (let n = 1; n <= 30; n++) {
      const userId = n === 15 ? 'bob' : 'alice';
      const content = `message ${n} from ${userId}`;
      sockets[userId].send({ Action: 'SEND_MESSAGE', RequestId: `r${n}`, Content: content, Attributes: { n: String(n) } });
      const reply = await sockets[userId].reply(`r${n}`);
      assert.equal(reply.Type, 'MESSAGE', JSON.stringify(reply));
      ids.push(reply.Id);
      contents.push(content);
    }
    await deleteMessage({ roomIdentifier: room.arn, id: ids[6], reason: 'off topic' }, moderation);
    await disconnectUser({ roomIdentifier: room.arn, userId: 'bob', reason: 'banned' }, moderation);
    await sendEvent({ roomIdentifier: room.arn, eventName: 'app:DELETE_USER_MESSAGES', attributes: { userId: 'bob' } }, moderation);
  } finally {
    for (const socket of Object.values(sockets)) await socket.close();
  }
  const expected = ids.map((id, i) => ({ id, content: contents[i] })).filter((_, i) => i !== 6 && i !== 14);
  return { room, ids, contents, deletedId: ids[6], expected };
}

/**
 * The local server with the room above, started before the tests of the file or suite this is
 * called in and closed after them; its members are set once that `before` hook has run.
 * @returns {{ server: Awaited<ReturnType<typeof startLocalIvsChat>>, room: any, expected: { id: string, content: string }[] }}
 */
export function localServerWithHistory() {
  const fixture = /** @type {ReturnType<typeof localServerWithHistory>} */ ({ expected: [] });
  before(async () => {
    fixture.server = await startLocalIvsChat();
    ({ room: fixture.room, expected: fixture.expected } = await roomWithHistory(fixture.server));
  });
  after(() => fixture.server?.close());
  return fixture;
}

/**
 * A fetch that counts the calls to CloudWatch Logs (by X-Amz-Target) and passes them on, or
 * answers them with `answer` when it gives a Response.
 * @param {(call: number) => Response | undefined} [answer]
 */
export function countingFetch(answer = () => undefined) {
  const counter = { calls: 0 };
  /** @type {typeof fetch} */
  const fetch = async (url, init) => {
    const target = new Headers(init?.headers).get('x-amz-target') ?? '';
    if (target.startsWith('Logs_20140328.')) {
      counter.calls += 1;
      const given = answer(counter.calls);
      if (given) return given;
    }
    return globalThis.fetch(url, init);
  };
  return { fetch, counter };
}

/** A CloudWatch Logs error answer. @param {string} type @param {string} message */
export function logsError(type, message) {
  return new Response(JSON.stringify({ __type: type, message }), { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1' } });
}
