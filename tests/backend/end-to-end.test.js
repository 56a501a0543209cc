// The whole path in Node: the browser-side createChatToken -> the token handler served by Node's
// http through toNodeListener -> the local IVS Chat server; then the token opens a chat
// connection whose identity is the one the server decided.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, test } from 'node:test';

import { ChatTokenRequestError, createChatToken } from 'ivschat-wasm';
import { createTokenHandler, TokenHandlerError, toNodeListener } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { TestSocket } from '../local/helpers.js';
import { serveOnLoopback } from './helpers.js';

/** Sessions of the app: bearer token -> user. */
const SESSIONS = { 'Bearer alice-session': { id: 'alice', name: 'Alice Ünicode 🦊', moderator: true } };

/**
 * The deadline for the call to IVS of the handler that serves every test but the hang: the
 * handler's default, 10 s, far above what a good call needs (a few ms on a quiet machine, 10x
 * that on a loaded one), so a slow machine never turns a good token request into a 504.
 */
const IVS_TIMEOUT_MS = 10_000;
/**
 * The deadline of a second handler (`hangBackend`), used only where IVS hangs: there the
 * deadline is the point, and it cannot pass too early, since the call never answers at all.
 */
const HANG_TIMEOUT_MS = 500;

let ivs;
let room;
let backend;
let hangBackend;
before(async () => {
  ivs = await startLocalIvsChat();
  room = await ivs.createRoom({ name: 'e2e' });
  const handler = (timeoutMs) => createTokenHandler({
    credentials: ivs.credentials,
    endpoint: ivs.controlPlaneUrl,
    timeoutMs,
    async authorize(request, body) {
      const user = SESSIONS[request.headers.get('authorization') ?? ''];
      if (!user) throw new TokenHandlerError(401, 'Sign in to chat.');
      if (body.roomIdentifier !== room.arn) throw new TokenHandlerError(403, 'Not your room.');
      return {
        roomIdentifier: room.arn,
        userId: user.id,
        capabilities: user.moderator ? ['SEND_MESSAGE', 'DELETE_MESSAGE'] : ['SEND_MESSAGE'],
        attributes: { displayName: user.name, ...(body.badUserId ? { bio: 'x'.repeat(2000) } : {}) },
      };
    },
  });
  backend = await serveOnLoopback(toNodeListener(handler(IVS_TIMEOUT_MS)));
  hangBackend = await serveOnLoopback(toNodeListener(handler(HANG_TIMEOUT_MS)));
});
after(async () => {
  await backend.close();
  await hangBackend.close();
  await ivs.close();
});

const endpoint = () => `${backend.url}/chat-token`;

test('createChatToken gets a token through the handler; the chat identity is the one the server chose', async () => {
  const token = await createChatToken({
    endpoint: endpoint(),
    roomIdentifier: room.arn,
    userId: 'mallory-wants-to-be-admin',
    capabilities: ['DISCONNECT_USER'],
    headers: { authorization: 'Bearer alice-session' },
  });
  assert.ok(token.tokenExpirationTime instanceof Date && token.tokenExpirationTime.getTime() > Date.now());
  const socket = await TestSocket.open(ivs.messagingUrl, token.token);
  try {
    socket.send({ Action: 'SEND_MESSAGE', RequestId: 'r1', Content: 'hello' });
    const message = await socket.reply('r1');
    assert.equal(message.Type, 'MESSAGE');
    assert.equal(message.Sender.UserId, 'alice');
    assert.deepEqual(message.Sender.Attributes, { displayName: 'Alice Ünicode 🦊' });
    socket.send({ Action: 'DISCONNECT_USER', RequestId: 'r2', UserId: 'someone' });
    const refused = await socket.reply('r2');
    assert.equal(refused.Type, 'ERROR');
    assert.equal(refused.ErrorCode, 403, 'DISCONNECT_USER was asked for but not granted');
  } finally {
    await socket.close();
  }
});

test('the handler’s refusals reach createChatToken as ChatTokenRequestError with status and error type', async () => {
  const attempt = (extra) => createChatToken({ endpoint: endpoint(), roomIdentifier: room.arn, userId: 'u', ...extra });
  await assert.rejects(attempt({}), (error) => {
    assert.ok(error instanceof ChatTokenRequestError);
    assert.equal(error.code, 'HTTP_ERROR');
    assert.equal(error.status, 401);
    assert.equal(error.errorType, 'UnauthorizedException');
    assert.equal(error.awsMessage, 'Sign in to chat.');
    return true;
  });
  const otherRoom = room.arn.replace(/room\/.*/, 'room/AAAAAAAAAAAA');
  await assert.rejects(attempt({ roomIdentifier: otherRoom, headers: { authorization: 'Bearer alice-session' } }),
    { status: 403, errorType: 'AccessDeniedException', awsMessage: 'Not your room.' });
});

test('invalid parameters decided by the server reach the browser as a ValidationException with fieldList', async () => {
  // createChatToken validates what the browser sends, so send the extra member directly.
  const response = await fetch(endpoint(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer alice-session' },
    body: JSON.stringify({ roomIdentifier: room.arn, userId: 'u', badUserId: true }),
  });
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('x-amzn-errortype'), 'ValidationException');
  const body = await response.json();
  assert.equal(body.reason, 'FIELD_VALIDATION_FAILED');
  assert.ok(body.fieldList.some((field) => field.name.startsWith('attributes')), JSON.stringify(body.fieldList));
});

test('IVS failures through the whole chain: 404 passthrough, 5xx as 502, a hang as 504', async () => {
  const attempt = () => createChatToken({ endpoint: endpoint(), roomIdentifier: room.arn, userId: 'u', headers: { authorization: 'Bearer alice-session' } });
  ivs.faults.failCreateChatToken({ status: 404, errorType: 'ResourceNotFoundException', message: 'Room gone.' });
  await assert.rejects(attempt(), { status: 404, errorType: 'ResourceNotFoundException', awsMessage: 'Room gone.' });
  ivs.faults.failCreateChatToken({ status: 500 });
  await assert.rejects(attempt(), { status: 502, errorType: 'BadGatewayException' });
  ivs.faults.failCreateChatToken({ hang: true });
  try {
    const hanging = createChatToken({ endpoint: `${hangBackend.url}/chat-token`, roomIdentifier: room.arn, userId: 'u', headers: { authorization: 'Bearer alice-session' } });
    await assert.rejects(hanging, { status: 504, errorType: 'GatewayTimeoutException', awsMessage: `IVS did not answer within ${HANG_TIMEOUT_MS} ms.` });
  } finally {
    ivs.faults.reset();
  }
});

/**
 * Sends a raw chunked POST through Node's http client; resolves with the status, the body and
 * whether the server closed the connection.
 * @param {Buffer[]} chunks
 */
function chunkedPost(chunks) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(endpoint(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', authorization: 'Bearer alice-session' },
      agent: false,
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode, text, connection: response.headers.connection }));
    });
    request.on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error('no answer in 10 s')));
    for (const chunk of chunks) request.write(chunk);
    // The last chunk is written but the request is never ended when over the limit: the
    // handler must answer without waiting for the end of the body.
    if (chunks.reduce((n, c) => n + c.length, 0) <= 8192) request.end();
  });
}

test('Node adapter: a chunked body over the limit gets 413 before it ends, and the connection closes', async () => {
  const answer = await chunkedPost(Array.from({ length: 10 }, () => Buffer.alloc(1000, 0x20)));
  assert.equal(answer.status, 413);
  assert.equal(JSON.parse(answer.text).message, 'The token request is larger than 8192 bytes.');
  assert.equal(answer.connection, 'close');
});

test('Node adapter: a chunked body within the limit is read in full', async () => {
  const json = Buffer.from(JSON.stringify({ roomIdentifier: room.arn, userId: 'u' }));
  const answer = await chunkedPost([json.subarray(0, 10), json.subarray(10, 40), json.subarray(40)]);
  assert.equal(answer.status, 200, answer.text);
  assert.ok(JSON.parse(answer.text).token);
});

test('Node adapter: 405 keeps Allow; HEAD gets no body; a client that disconnects mid-body does not break the server', async () => {
  const get = await fetch(endpoint());
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
  const head = await fetch(endpoint(), { method: 'HEAD' });
  assert.equal(head.status, 405);
  assert.equal(await head.text(), '');

  await new Promise((resolve) => {
    const request = httpRequest(endpoint(), { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '500' }, agent: false });
    request.on('error', () => resolve(undefined));
    request.write('{"roomIdentifier":');
    setTimeout(() => {
      request.destroy();
      resolve(undefined);
    }, 50);
  });
  const after = await createChatToken({ endpoint: endpoint(), roomIdentifier: room.arn, userId: 'u', headers: { authorization: 'Bearer alice-session' } });
  assert.ok(after.token);
});
