// The server-side moderation calls (sendEvent, deleteMessage, disconnectUser and their sign…
// twins): against the local IVS Chat server with ChatRoom clients watching; differentially
// against @aws-sdk/client-ivschat pointed at the same server (same answers for the same inputs);
// signatures identical to @smithy/signature-v4's; AWS errors typed with their members.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { CreateChatTokenCommand, DeleteMessageCommand, DisconnectUserCommand, IvschatClient, SendEventCommand } from '@aws-sdk/client-ivschat';
import { SignatureV4 } from '@smithy/signature-v4';
import { WebSocket } from 'ws';

import { ChatRoom } from 'ivschat-wasm';
import {
  deleteMessage,
  disconnectUser,
  IvsChatRequestError,
  RequestValidationError,
  sendEvent,
  signDeleteMessageRequest,
  signDisconnectUserRequest,
  signSendEventRequest,
} from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { NodeSha256 } from '../local/helpers.js';
import { startFakeIvs } from './helpers.js';

let ivs;
let room;
let options;
let sdk;
before(async () => {
  ivs = await startLocalIvsChat();
  room = await ivs.createRoom({ name: 'moderation' });
  options = { credentials: ivs.credentials, endpoint: ivs.controlPlaneUrl };
  sdk = new IvschatClient({ endpoint: ivs.controlPlaneUrl, region: ivs.region, credentials: ivs.credentials, maxAttempts: 1 });
});
after(async () => {
  sdk.destroy();
  await ivs.close();
});

/** A ChatRoom on the local server for `userId`, connected, recording what it receives. */
async function watcher(userId) {
  const chatRoom = new ChatRoom({
    regionOrUrl: ivs.messagingUrl,
    WebSocket,
    maxReconnectAttempts: 0,
    tokenProvider: async () => {
      const { token } = await sdk.send(new CreateChatTokenCommand({ roomIdentifier: room.arn, userId, capabilities: ['SEND_MESSAGE'] }));
      return { token: /** @type {string} */ (token), userId };
    },
  });
  const seen = { events: [], deletes: [], kicks: [], disconnects: [], messages: [] };
  chatRoom.addListener('event', (e) => seen.events.push(e));
  chatRoom.addListener('messageDelete', (e) => seen.deletes.push(e));
  chatRoom.addListener('userDisconnect', (e) => seen.kicks.push(e));
  chatRoom.addListener('disconnect', (reason) => seen.disconnects.push(reason));
  chatRoom.addListener('message', (m) => seen.messages.push(m));
  await chatRoom.connect();
  return { chatRoom, seen };
}

/** Each of these takes a few ms on a quiet machine; 15 s is far over 10x that on a loaded one. */
const SOON_MS = 15_000;
const soon = async (condition, what) => {
  const deadline = Date.now() + SOON_MS;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), `timed out waiting for ${what}`);
};

describe('moderation calls on the local server', () => {
  test('sendEvent reaches every client as an event; deleteMessage as messageDelete; disconnectUser kicks that user only', async () => {
    const alice = await watcher('alice');
    const bob = await watcher('bob');
    try {
      const { id } = await sendEvent({ roomIdentifier: room.arn, eventName: 'app:DELETE_USER_MESSAGES', attributes: { userId: 'bob', 'ünï': 'çødé' } }, options);
      assert.match(id, /^[A-Za-z0-9]{12}$/);
      await soon(() => alice.seen.events.length === 1 && bob.seen.events.length === 1, 'the event');
      assert.deepEqual(alice.seen.events[0].attributes, { userId: 'bob', 'ünï': 'çødé' });
      assert.equal(alice.seen.events[0].id, id);

      const message = await bob.chatRoom.sendMessage({ content: 'spam' });
      const deleted = await deleteMessage({ roomIdentifier: room.arn, id: message.id, reason: 'spam' }, options);
      assert.match(deleted.id, /^[A-Za-z0-9]{12}$/);
      await soon(() => alice.seen.deletes.length === 1, 'the delete');
      assert.deepEqual([alice.seen.deletes[0].messageId, alice.seen.deletes[0].reason], [message.id, 'spam']);

      assert.deepEqual(await disconnectUser({ roomIdentifier: room.arn, userId: 'bob', reason: 'banned' }, options), {});
      await soon(() => bob.seen.disconnects.length === 1, 'bob to be disconnected');
      assert.deepEqual(bob.seen.disconnects, ['serverDisconnect']);
      await soon(() => alice.seen.kicks.length === 1, 'alice to see the kick');
      assert.equal(alice.chatRoom.state, 'connected');
    } finally {
      alice.chatRoom.disconnect();
      bob.chatRoom.disconnect();
    }
  });

  test('invalid requests never leave the process: RequestValidationError with every field, as the core names them', async () => {
    const calls = ivs.stats().controlPlaneRequests;
    const cases = [
      [sendEvent, { roomIdentifier: 'room-1', eventName: '', attributes: { a: 'x'.repeat(1100) } }, 'SendEvent', ['attributes', 'eventName', 'roomIdentifier']],
      [deleteMessage, { roomIdentifier: room.arn, id: 'short', reason: '' }, 'DeleteMessage', ['id', 'reason']],
      [disconnectUser, { roomIdentifier: room.arn, userId: 'x'.repeat(129), extra: 1 }, 'DisconnectUser', ['extra', 'userId']],
    ];
    for (const [call, input, operation, fields] of cases) {
      await assert.rejects(call(input, options), (error) => {
        assert.ok(error instanceof RequestValidationError);
        assert.equal(error.name, 'RequestValidationError');
        assert.equal(error.operation, operation);
        assert.deepEqual([...new Set(error.errors.map((e) => e.field))].sort(), fields);
        return true;
      });
    }
    assert.equal(ivs.stats().controlPlaneRequests, calls, 'nothing was sent');
  });

  test('options: unknown ones refused by name; timeouts and aborts typed', async () => {
    await assert.rejects(sendEvent({ roomIdentifier: room.arn, eventName: 'x' }, { ...options, timeout: 5 }), (error) => error.option === 'timeout');
    const silent = await startFakeIvs(() => {});
    try {
      await assert.rejects(sendEvent({ roomIdentifier: room.arn, eventName: 'x' }, { ...options, endpoint: silent.url, timeoutMs: 100 }), (error) => error instanceof IvsChatRequestError && error.code === 'TIMEOUT');
      await assert.rejects(sendEvent({ roomIdentifier: room.arn, eventName: 'x' }, { ...options, endpoint: silent.url, signal: AbortSignal.abort() }), (error) => error.code === 'ABORTED');
    } finally {
      await silent.close();
    }
  });

  test('AWS errors keep their type and members: 404 with resourceId, 429 with limit, 403, garbage answers', async () => {
    await assert.rejects(sendEvent({ roomIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:room/Nope00000000', eventName: 'x' }, options), (error) => {
      assert.ok(error instanceof IvsChatRequestError);
      assert.deepEqual([error.code, error.status, error.errorType, error.resourceType], ['HTTP_ERROR', 404, 'ResourceNotFoundException', 'ROOM']);
      assert.ok(error.resourceId);
      return true;
    });
    const answers = {
      throttled: (res) => res.writeHead(429, { 'x-amzn-errortype': 'ThrottlingException', 'content-type': 'application/json' })
        .end(JSON.stringify({ message: 'Rate exceeded', resourceId: 'AbCdEf123456', resourceType: 'ROOM', limit: 100 })),
      denied: (res) => res.writeHead(403, { 'x-amzn-errortype': 'AccessDeniedException:http://internal', 'content-type': 'application/json' }).end('{"message":"no"}'),
      garbage: (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"not an id"}'),
    };
    for (const [name, answer] of Object.entries(answers)) {
      const fake = await startFakeIvs((_req, res) => answer(res));
      try {
        await assert.rejects(deleteMessage({ roomIdentifier: room.arn, id: 'AbCdEf123456' }, { ...options, endpoint: fake.url }), (error) => {
          assert.ok(error instanceof IvsChatRequestError, name);
          if (name === 'throttled') assert.deepEqual([error.status, error.errorType, error.limit, error.resourceType], [429, 'ThrottlingException', 100, 'ROOM']);
          if (name === 'denied') assert.deepEqual([error.status, error.errorType, error.awsMessage], [403, 'AccessDeniedException', 'no']);
          if (name === 'garbage') assert.equal(error.code, 'MALFORMED_RESPONSE');
          return true;
        });
      } finally {
        await fake.close();
      }
    }
  });
});

test('differential: the AWS SDK and ours get the same answers from the same server for the same inputs', async () => {
  const cases = [
    ['SendEvent', { roomIdentifier: room.arn, eventName: 'app:hello', attributes: { a: 'b' } }],
    ['SendEvent', { roomIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:room/Nope00000000', eventName: 'x' }],
    ['DeleteMessage', { roomIdentifier: room.arn, id: 'AbCdEf123456', reason: 'r' }],
    ['DisconnectUser', { roomIdentifier: room.arn, userId: 'nobody', reason: 'r' }],
    ['DisconnectUser', { roomIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:room/Nope00000000', userId: 'u' }],
  ];
  const ours = { SendEvent: sendEvent, DeleteMessage: deleteMessage, DisconnectUser: disconnectUser };
  const theirs = { SendEvent: SendEventCommand, DeleteMessage: DeleteMessageCommand, DisconnectUser: DisconnectUserCommand };
  const outcome = (promise) => promise.then(
    (value) => ({ ok: true, keys: Object.keys(value).filter((k) => k !== '$metadata').sort(), idShape: typeof value.id === 'string' && /^[A-Za-z0-9]{12}$/.test(value.id) }),
    (error) => ({ ok: false, status: error.status ?? error.$metadata?.httpStatusCode, type: error.errorType ?? error.name }),
  );
  for (const [operation, input] of cases) {
    const a = await outcome(ours[operation](input, options));
    const b = await outcome(sdk.send(new theirs[operation](input)));
    assert.deepEqual(a, b, `${operation} ${JSON.stringify(input)}`);
  }
});

test('signatures of every moderation request are identical to @smithy/signature-v4\'s', async () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session/token+value=' };
  const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  const cases = [
    [signSendEventRequest, { roomIdentifier: 'arn:aws:ivschat:eu-west-1:123456789012:room/AbCdEf123456', eventName: 'app:ban ✓', attributes: { z: '1', a: 'ü "q"' } }],
    [signDeleteMessageRequest, { roomIdentifier: 'arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456', id: 'AbCdEf123456', reason: 'line\nbreak' }],
    [signDisconnectUserRequest, { roomIdentifier: 'arn:aws:ivschat:ap-south-1:123456789012:room/AbCdEf123456', userId: '名前', reason: 'r' }],
  ];
  for (const [sign, input] of cases) {
    const region = input.roomIdentifier.split(':')[3];
    const signed = await sign(input, { credentials, now });
    const url = new URL(signed.url);
    assert.equal(url.host, `ivschat.${region}.amazonaws.com`);
    // applyChecksum: false, as the AWS SDK's IVS Chat client signs (no x-amz-content-sha256 header).
    const smithy = new SignatureV4({ credentials, region, service: 'ivschat', sha256: NodeSha256, applyChecksum: false });
    const reference = await smithy.sign({
      method: 'POST', protocol: 'https:', hostname: url.host, path: url.pathname, headers: { host: url.host, 'content-type': 'application/json' }, body: signed.body,
    }, { signingDate: now });
    assert.equal(signed.headers.authorization, reference.headers.authorization, url.pathname);
    assert.equal(signed.headers['x-amz-security-token'], credentials.sessionToken);
    assert.deepEqual(JSON.parse(signed.body), Object.fromEntries(Object.entries(input).sort(([a], [b]) => (a < b ? -1 : 1))));
  }
});

test('getCredentials: called before each call; an AWS SDK provider (fromIni here) fits as it is; a failing one is a SIGNING_INPUT error naming credentials', async () => {
  const { fromIni } = await import('@aws-sdk/credential-providers');
  const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'ivschat-profile-'));
  try {
    const filepath = join(dir, 'credentials');
    await writeFile(filepath, `[moderator]\naws_access_key_id = ${ivs.credentials.accessKeyId}\naws_secret_access_key = ${ivs.credentials.secretAccessKey}\n`);
    const fromProfile = { getCredentials: fromIni({ profile: 'moderator', filepath, configFilepath: join(dir, 'none') }), endpoint: ivs.controlPlaneUrl };
    const { id } = await sendEvent({ roomIdentifier: room.arn, eventName: 'app:FROM_PROFILE' }, fromProfile);
    assert.match(id, /^[A-Za-z0-9]{12}$/);

    let calls = 0;
    const counted = { getCredentials: async () => { calls++; return ivs.credentials; }, endpoint: ivs.controlPlaneUrl };
    await sendEvent({ roomIdentifier: room.arn, eventName: 'app:ONE' }, counted);
    await deleteMessage({ roomIdentifier: room.arn, id: 'AbCdEf012345' }, counted).catch(() => {});
    assert.equal(calls, 2);

    await assert.rejects(sendEvent({ roomIdentifier: room.arn, eventName: 'app:X' }, { getCredentials: fromIni({ profile: 'absent', filepath, configFilepath: join(dir, 'none') }), endpoint: ivs.controlPlaneUrl }),
      (error) => error.code === 'SIGNING_INPUT' && error.field === 'credentials' && /getCredentials failed: .*absent/.test(error.message));
    await assert.rejects(sendEvent({ roomIdentifier: room.arn, eventName: 'app:X' }, { endpoint: ivs.controlPlaneUrl }), { code: 'INVALID_OPTION', option: 'credentials' });
    await assert.rejects(sendEvent({ roomIdentifier: room.arn, eventName: 'app:X' }, { ...counted, credentials: ivs.credentials }), { code: 'INVALID_OPTION', option: 'credentials' });
    await assert.rejects(sendEvent({ roomIdentifier: room.arn, eventName: 'app:X' }, /** @type {any} */ ({ getCredentials: 'key', endpoint: ivs.controlPlaneUrl })), { code: 'INVALID_OPTION', option: 'getCredentials' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('without `now`, the signature is dated once getCredentials has answered, not when the options were read', async () => {
  /** @type {number} */
  let answeredAt = 0;
  /** @type {string | null} */
  let amzDate = null;
  const slowProvider = async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past a whole second of X-Amz-Date
    answeredAt = Date.now();
    return ivs.credentials;
  };
  const fetch = async (/** @type {any} */ url, /** @type {any} */ init) => {
    amzDate = new Headers(init.headers).get('x-amz-date');
    return globalThis.fetch(url, init);
  };
  await sendEvent({ roomIdentifier: room.arn, eventName: 'app:SLOW_CREDENTIALS' }, { getCredentials: slowProvider, endpoint: ivs.controlPlaneUrl, fetch });
  assert.ok(amzDate, 'the request was sent');
  const [, y, mo, d, h, mi, s] = /** @type {RegExpMatchArray} */ (/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(/** @type {string} */ (amzDate)));
  const signedAt = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  assert.ok(signedAt >= Math.floor(answeredAt / 1000) * 1000, `signed at ${amzDate}, credentials answered at ${new Date(answeredAt).toISOString()}`);
});
