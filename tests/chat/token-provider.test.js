// fetchTokenProvider: a ChatRoom getting its tokens from an app token backend (a small HTTP
// server here, minting with the AWS SDK against the local IVS Chat server) via createChatToken.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { CreateChatTokenCommand, DisconnectUserCommand } from '@aws-sdk/client-ivschat';

import { ChatTokenValidationError, fetchTokenProvider, InvalidOptionError } from 'ivschat-wasm';
import { record, settled, sleep, startChat, waitFor } from './helpers.js';

describe('fetchTokenProvider', () => {
  /** @type {Awaited<ReturnType<typeof startChat>>} */
  let chat;
  let backend;
  const received = [];
  before(async () => {
    chat = await startChat();
    // The app's token backend: checks its own authorization header, then asks IVS for a token.
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', async () => {
        received.push({ authorization: req.headers.authorization, body: JSON.parse(body) });
        if (req.headers.authorization !== 'Bearer good') {
          res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' }).end('{"message":"who are you?"}');
          return;
        }
        const response = await chat.sdk.send(new CreateChatTokenCommand(JSON.parse(body)));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
          token: response.token,
          tokenExpirationTime: response.tokenExpirationTime?.toISOString(),
          sessionExpirationTime: response.sessionExpirationTime?.toISOString(),
        }));
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    backend = { url: `http://127.0.0.1:${server.address().port}/chat-token`, close: () => new Promise((resolve) => server.close(resolve)) };
  });
  after(async () => {
    await chat.close();
    await backend.close();
  });

  test('refuses a missing endpoint or request with InvalidOptionError', () => {
    assert.throws(() => fetchTokenProvider(/** @type {any} */ (undefined), { roomIdentifier: 'r', userId: 'u' }), (e) => e instanceof InvalidOptionError && e.option === 'endpoint');
    assert.throws(() => fetchTokenProvider('/t', /** @type {any} */ (null)), (e) => e instanceof InvalidOptionError && e.option === 'request');
    assert.throws(() => fetchTokenProvider('/t', { roomIdentifier: 'r', userId: 'u', nope: () => {} }), (e) => e instanceof InvalidOptionError && e.option === 'request');
  });

  test('a room connects with it; each attempt asks again with fresh headers; the tokens name the user, so a kick is recognised', async () => {
    const { arn } = await chat.server.createRoom();
    let headerCalls = 0;
    const tokenProvider = fetchTokenProvider(backend.url, { roomIdentifier: arn, userId: 'rita', capabilities: ['SEND_MESSAGE'] }, {
      headers: async () => {
        headerCalls += 1;
        return { authorization: 'Bearer good' };
      },
    });
    const first = await tokenProvider();
    assert.equal(first.userId, 'rita');
    assert.ok(first.sessionExpirationTime instanceof Date);
    const room = chat.room({ tokenProvider });
    const log = record(room);
    await room.connect();
    chat.server.faults.dropConnections({ userId: 'rita', roomIdentifier: arn });
    await waitFor(() => log.connect === 2, 'the room to reconnect');
    assert.equal(headerCalls, 3);
    assert.deepEqual(received.at(-1), { authorization: 'Bearer good', body: { capabilities: ['SEND_MESSAGE'], roomIdentifier: arn, userId: 'rita' } });

    // The backend kicks Rita; her room knows her user id from the token, so it does not reconnect.
    await chat.sdk.send(new DisconnectUserCommand({ roomIdentifier: arn, userId: 'rita' }));
    await waitFor(() => log.disconnects.length === 1, 'Rita to be disconnected');
    await sleep(500);
    assert.deepEqual(log.disconnects, ['serverDisconnect']);
    assert.equal(headerCalls, 3);
  });

  test('backend errors and invalid requests become TOKEN_FETCH_FAILED with the createChatToken error as cause', async () => {
    const { arn } = await chat.server.createRoom();
    const refused = chat.room({
      tokenProvider: fetchTokenProvider(backend.url, { roomIdentifier: arn, userId: 'sam' }, { headers: { authorization: 'Bearer bad' } }),
      maxReconnectAttempts: 0,
    });
    const refusedLog = record(refused);
    assert.equal((await settled(refused.connect())).error.disconnectReason, 'fetchTokenError');
    assert.equal(refusedLog.errors[0].code, 'TOKEN_FETCH_FAILED');
    assert.equal(refusedLog.errors[0].cause.code, 'HTTP_ERROR');
    assert.equal(refusedLog.errors[0].cause.status, 403);

    const sentBefore = received.length;
    const invalid = chat.room({
      tokenProvider: fetchTokenProvider(backend.url, { roomIdentifier: 'not-an-arn', userId: '' }, { headers: { authorization: 'Bearer good' } }),
      maxReconnectAttempts: 1,
    });
    const invalidLog = record(invalid);
    await settled(invalid.connect());
    assert.equal(invalidLog.errors.length, 2);
    const cause = invalidLog.errors[0].cause;
    assert.ok(cause instanceof ChatTokenValidationError);
    assert.deepEqual(cause.errors.map((e) => `${e.field}:${e.code}`), ['roomIdentifier:PATTERN', 'userId:TOO_SHORT']);
    assert.equal(received.length, sentBefore, 'an invalid request never reaches the backend');
  });
});
