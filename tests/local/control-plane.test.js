// Control plane of the local server: shapes, validation (400), unknown rooms (404) and every
// SigV4 failure (403), through raw signed HTTP and through the AWS SDK.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateChatTokenCommand,
  CreateRoomCommand,
  DeleteMessageCommand,
  DeleteRoomCommand,
  DisconnectUserCommand,
  GetRoomCommand,
  IvschatClient,
  ListRoomsCommand,
  ResourceNotFoundException,
  SendEventCommand,
  UpdateRoomCommand,
  ValidationException,
} from '@aws-sdk/client-ivschat';
import { InvalidOptionError } from '../../js/errors.js';
import { startLocalIvsChat } from '../../js/local/index.js';
import { signedRequest } from './helpers.js';

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const ROOM_ARN = /^arn:aws:ivschat:us-east-1:\d{12}:room\/[a-zA-Z0-9]{12}$/;

describe('control plane', () => {
  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>>} */
  let server;
  /** @type {IvschatClient} */
  let sdk;
  /** @type {string[]} */
  const logLines = [];

  before(async () => {
    server = await startLocalIvsChat({ logger: (line) => logLines.push(line) });
    sdk = new IvschatClient({ region: server.region, endpoint: server.controlPlaneUrl, credentials: server.credentials, maxAttempts: 1 });
  });
  after(async () => {
    sdk.destroy();
    await server.close();
  });

  test('binds to loopback with the documented defaults', () => {
    assert.match(server.controlPlaneUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.messagingUrl, server.controlPlaneUrl.replace('http://', 'ws://'));
    assert.equal(server.region, 'us-east-1');
    // Random credentials of this start (issue 18), shaped like AWS's.
    assert.deepEqual(Object.keys(server.credentials).sort(), ['accessKeyId', 'secretAccessKey']);
    assert.match(server.credentials.accessKeyId, /^AKID[A-Z2-7]{16}$/);
    assert.equal(server.credentials.secretAccessKey.length, 40);
  });

  test('CreateRoom / GetRoom / UpdateRoom / ListRooms / DeleteRoom through the AWS SDK', async () => {
    const created = await sdk.send(new CreateRoomCommand({ name: 'sdk-room', tags: { team: 'chat' } }));
    assert.match(created.arn ?? '', ROOM_ARN);
    assert.equal(created.id, created.arn?.split('/')[1]);
    assert.equal(created.name, 'sdk-room');
    assert.equal(created.maximumMessageLength, 500);
    assert.equal(created.maximumMessageRatePerSecond, 10);
    assert.deepEqual(created.tags, { team: 'chat' });
    assert.ok(created.createTime instanceof Date);

    const fetched = await sdk.send(new GetRoomCommand({ identifier: created.arn }));
    assert.equal(fetched.arn, created.arn);
    assert.equal(fetched.maximumMessageLength, 500);

    const updated = await sdk.send(
      new UpdateRoomCommand({ identifier: created.arn, maximumMessageLength: 42, maximumMessageRatePerSecond: 3 }),
    );
    assert.equal(updated.maximumMessageLength, 42);
    assert.equal(updated.maximumMessageRatePerSecond, 3);
    assert.equal(updated.name, 'sdk-room');

    const listed = await sdk.send(new ListRoomsCommand({ name: 'sdk-room' }));
    assert.deepEqual(listed.rooms?.map((r) => r.arn), [created.arn]);

    await sdk.send(new DeleteRoomCommand({ identifier: created.arn }));
    await assert.rejects(sdk.send(new GetRoomCommand({ identifier: created.arn })), ResourceNotFoundException);
  });

  test('ListRooms pages with maxResults / nextToken, newest update first', async () => {
    const arns = [];
    for (let i = 0; i < 5; i += 1) arns.push((await server.createRoom({ name: 'paged' })).arn);
    const seen = [];
    let nextToken;
    let pages = 0;
    do {
      const page = await sdk.send(new ListRoomsCommand({ name: 'paged', maxResults: 2, nextToken }));
      assert.ok((page.rooms ?? []).length <= 2);
      seen.push(...(page.rooms ?? []).map((r) => r.arn));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual([...seen].sort(), [...arns].sort());
    const bad = await signedRequest(server, '/ListRooms', { nextToken: 'not-a-token' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.reason, 'OTHER');
  });

  test('CreateChatToken returns an opaque token and RFC 3339 UTC times', async () => {
    const room = await server.createRoom();
    const before = Date.now();
    const response = await signedRequest(server, '/CreateChatToken', {
      roomIdentifier: room.arn,
      userId: 'ü-user',
      capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'],
      sessionDurationInMinutes: 180,
      attributes: { displayName: 'Ü' },
    });
    const after = Date.now();
    assert.equal(response.status, 200);
    assert.deepEqual(Object.keys(response.json).sort(), ['sessionExpirationTime', 'token', 'tokenExpirationTime']);
    assert.match(response.json.token, /^local\.[A-Za-z0-9_-]{43}$/);
    assert.match(response.json.tokenExpirationTime, RFC3339_UTC);
    assert.match(response.json.sessionExpirationTime, RFC3339_UTC);
    const tokenExpires = Date.parse(response.json.tokenExpirationTime);
    const sessionExpires = Date.parse(response.json.sessionExpirationTime);
    assert.ok(tokenExpires >= before + 300_000 && tokenExpires <= after + 300_000, 'token lives 300 s by default');
    assert.ok(sessionExpires >= before + 180 * 60_000 && sessionExpires <= after + 180 * 60_000, 'session lives 180 min');

    const viaSdk = await sdk.send(new CreateChatTokenCommand({ roomIdentifier: room.arn, userId: 'sdk-user' }));
    assert.ok(viaSdk.tokenExpirationTime instanceof Date);
    const defaultSession = /** @type {Date} */ (viaSdk.sessionExpirationTime).getTime() - Date.now();
    assert.ok(defaultSession > 59 * 60_000 && defaultSession <= 60 * 60_000, 'default session is 60 minutes');
  });

  /** Asserts a 400 ValidationException naming exactly `fields`. */
  async function expectValidation(path, body, fields) {
    const response = await signedRequest(server, path, body);
    assert.equal(response.status, 400, `${path} ${JSON.stringify(body)} -> ${response.text}`);
    assert.equal(response.headers.get('x-amzn-errortype'), 'ValidationException');
    assert.equal(response.json.reason, 'FIELD_VALIDATION_FAILED');
    assert.equal(typeof response.json.message, 'string');
    assert.deepEqual(
      response.json.fieldList.map((f) => f.name).sort(),
      [...fields].sort(),
      `${path} ${JSON.stringify(body)}: ${response.text}`,
    );
    for (const field of response.json.fieldList) assert.ok(field.message.length > 0);
  }

  test('CreateChatToken input validation', async () => {
    const room = await server.createRoom();
    const ok = { roomIdentifier: room.arn, userId: 'u' };
    await expectValidation('/CreateChatToken', {}, ['roomIdentifier', 'userId']);
    await expectValidation('/CreateChatToken', { ...ok, roomIdentifier: 'room-1' }, ['roomIdentifier']);
    await expectValidation('/CreateChatToken', { ...ok, roomIdentifier: `x${room.arn}` }, ['roomIdentifier']);
    await expectValidation('/CreateChatToken', { ...ok, roomIdentifier: `${room.arn}/extra` }, ['roomIdentifier']);
    await expectValidation('/CreateChatToken', { ...ok, roomIdentifier: `arn:aws:ivschat:us-east-1:1:room/${'a'.repeat(120)}` }, [
      'roomIdentifier',
    ]);
    await expectValidation('/CreateChatToken', { ...ok, roomIdentifier: 7 }, ['roomIdentifier']);
    await expectValidation('/CreateChatToken', { ...ok, userId: '' }, ['userId']);
    await expectValidation('/CreateChatToken', { ...ok, userId: 'x'.repeat(129) }, ['userId']);
    await expectValidation('/CreateChatToken', { ...ok, userId: 42 }, ['userId']);
    await expectValidation('/CreateChatToken', { ...ok, capabilities: ['SEND_MESSAGE', 'BAN'] }, ['capabilities']);
    await expectValidation('/CreateChatToken', { ...ok, capabilities: 'SEND_MESSAGE' }, ['capabilities']);
    await expectValidation('/CreateChatToken', { ...ok, sessionDurationInMinutes: 0 }, ['sessionDurationInMinutes']);
    await expectValidation('/CreateChatToken', { ...ok, sessionDurationInMinutes: 181 }, ['sessionDurationInMinutes']);
    await expectValidation('/CreateChatToken', { ...ok, sessionDurationInMinutes: 1.5 }, ['sessionDurationInMinutes']);
    await expectValidation('/CreateChatToken', { ...ok, attributes: { a: 1 } }, ['attributes']);
    await expectValidation('/CreateChatToken', { ...ok, attributes: ['a'] }, ['attributes']);
    // "1 KB total": UTF-8 bytes of keys and values. 'k' + 1023 bytes = 1024 passes, one more fails.
    assert.equal((await signedRequest(server, '/CreateChatToken', { ...ok, attributes: { k: 'v'.repeat(1023) } })).status, 200);
    await expectValidation('/CreateChatToken', { ...ok, attributes: { k: 'v'.repeat(1024) } }, ['attributes']);
    await expectValidation('/CreateChatToken', { ...ok, attributes: { k: 'é'.repeat(512) } }, ['attributes']);
    // Lengths count code points: 128 emoji (256 UTF-16 units) is a valid userId.
    assert.equal((await signedRequest(server, '/CreateChatToken', { ...ok, userId: '😀'.repeat(128) })).status, 200);
    await expectValidation('/CreateChatToken', { ...ok, userId: '😀'.repeat(129) }, ['userId']);
  });

  test('validation of the other operations', async () => {
    const room = await server.createRoom();
    await expectValidation('/CreateRoom', { name: 'has space' }, ['name']);
    await expectValidation('/CreateRoom', { name: 'n'.repeat(129) }, ['name']);
    await expectValidation('/CreateRoom', { maximumMessageLength: 0, maximumMessageRatePerSecond: 101 }, [
      'maximumMessageLength',
      'maximumMessageRatePerSecond',
    ]);
    await expectValidation('/CreateRoom', { maximumMessageLength: 501, maximumMessageRatePerSecond: 0 }, [
      'maximumMessageLength',
      'maximumMessageRatePerSecond',
    ]);
    await expectValidation('/CreateRoom', { messageReviewHandler: { uri: 'not-a-lambda' } }, ['messageReviewHandler.uri']);
    await expectValidation('/CreateRoom', { messageReviewHandler: { fallbackResult: 'MAYBE' } }, [
      'messageReviewHandler.fallbackResult',
    ]);
    await expectValidation('/CreateRoom', { tags: { '': 'x' } }, ['tags']);
    await expectValidation('/CreateRoom', { loggingConfigurationIdentifiers: ['a', 'b', 'c', 'd'] }, ['loggingConfigurationIdentifiers']);
    await expectValidation('/GetRoom', {}, ['identifier']);
    await expectValidation('/DeleteRoom', { identifier: 'nope' }, ['identifier']);
    await expectValidation('/UpdateRoom', { identifier: room.arn, maximumMessageLength: 600 }, ['maximumMessageLength']);
    await expectValidation('/ListRooms', { maxResults: 51 }, ['maxResults']);
    await expectValidation('/SendEvent', { roomIdentifier: room.arn }, ['eventName']);
    await expectValidation('/SendEvent', { roomIdentifier: room.arn, eventName: 'e'.repeat(101) }, ['eventName']);
    await expectValidation('/SendEvent', { roomIdentifier: room.arn, eventName: 'e', attributes: { k: 'v'.repeat(1024) } }, [
      'attributes',
    ]);
    await expectValidation('/DeleteMessage', { roomIdentifier: room.arn, id: 'short' }, ['id']);
    await expectValidation('/DeleteMessage', { roomIdentifier: room.arn, id: 'abcdefghijk!' }, ['id']);
    await expectValidation('/DeleteMessage', { roomIdentifier: room.arn, id: 'abcdefghijkl', reason: '' }, ['reason']);
    await expectValidation('/DeleteMessage', { roomIdentifier: room.arn, id: 'abcdefghijkl', reason: 'r'.repeat(257) }, ['reason']);
    await expectValidation('/DisconnectUser', { roomIdentifier: room.arn }, ['userId']);
    await expectValidation('/DisconnectUser', { roomIdentifier: room.arn, userId: 'u', reason: 'r'.repeat(257) }, ['reason']);

    const createdWithHandler = await signedRequest(server, '/CreateRoom', {
      messageReviewHandler: { uri: 'arn:aws:lambda:us-east-1:123456789012:function:review' },
    });
    assert.equal(createdWithHandler.status, 200);
    assert.deepEqual(createdWithHandler.json.messageReviewHandler, {
      uri: 'arn:aws:lambda:us-east-1:123456789012:function:review',
      fallbackResult: 'ALLOW',
    });
  });

  test('the SDK surfaces a ValidationException with its fieldList', async () => {
    const error = await sdk.send(new CreateChatTokenCommand({ roomIdentifier: 'bad', userId: '' })).catch((e) => e);
    assert.ok(error instanceof ValidationException, String(error));
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.equal(error.reason, 'FIELD_VALIDATION_FAILED');
    assert.deepEqual(error.fieldList.map((f) => f.name).sort(), ['roomIdentifier', 'userId']);
  });

  test('unknown room -> 404 ResourceNotFoundException on every room operation', async () => {
    const missing = `arn:aws:ivschat:us-east-1:${server.accountId}:room/AAAAAAAAAAAA`;
    const calls = [
      ['/CreateChatToken', { roomIdentifier: missing, userId: 'u' }],
      ['/GetRoom', { identifier: missing }],
      ['/UpdateRoom', { identifier: missing, name: 'x' }],
      ['/DeleteRoom', { identifier: missing }],
      ['/SendEvent', { roomIdentifier: missing, eventName: 'e' }],
      ['/DeleteMessage', { roomIdentifier: missing, id: 'abcdefghijkl' }],
      ['/DisconnectUser', { roomIdentifier: missing, userId: 'u' }],
    ];
    for (const [path, body] of calls) {
      const response = await signedRequest(server, path, body);
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get('x-amzn-errortype'), 'ResourceNotFoundException', path);
      assert.equal(response.json.resourceType, 'ROOM', path);
      assert.equal(response.json.resourceId, 'AAAAAAAAAAAA', path);
      assert.match(response.json.message, /not found/i, path);
    }
    // A room of another region is not this server's room either.
    const otherRegion = await signedRequest(server, '/GetRoom', {
      identifier: `arn:aws:ivschat:eu-west-1:${server.accountId}:room/AAAAAAAAAAAA`,
    });
    assert.equal(otherRegion.status, 404);
    const viaSdk = await sdk.send(new CreateChatTokenCommand({ roomIdentifier: missing, userId: 'u' })).catch((e) => e);
    assert.ok(viaSdk instanceof ResourceNotFoundException);
    assert.equal(viaSdk.resourceId, 'AAAAAAAAAAAA');
  });

  test('unreadable bodies and unknown operations', async () => {
    const notJson = await signedRequest(server, '/CreateRoom', undefined, { rawBody: '{"name":' });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.headers.get('x-amzn-errortype'), 'ValidationException');
    assert.equal(notJson.json.reason, 'OTHER');
    const array = await signedRequest(server, '/CreateRoom', undefined, { rawBody: '[]' });
    assert.equal(array.status, 400);
    const unknown = await signedRequest(server, '/CreateChannel', {});
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.reason, 'UNKNOWN_OPERATION');
    const prototypeKey = await signedRequest(server, '/constructor', {});
    assert.equal(prototypeKey.json.reason, 'UNKNOWN_OPERATION');
    const tooLarge = await signedRequest(server, '/CreateRoom', undefined, { rawBody: JSON.stringify({ name: 'x'.repeat(1024 * 1024) }) });
    assert.equal(tooLarge.status, 413);
    assert.equal(typeof tooLarge.json.message, 'string');
  });

  test('SendEvent / DeleteMessage / DisconnectUser through the SDK return the documented shapes', async () => {
    const room = await server.createRoom();
    const sent = await sdk.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: 'app:poll', attributes: { q: '1' } }));
    assert.match(sent.id ?? '', /^[a-zA-Z0-9]{12}$/);
    const deleted = await sdk.send(new DeleteMessageCommand({ roomIdentifier: room.arn, id: 'abcdefghijkl', reason: 'spam' }));
    assert.match(deleted.id ?? '', /^[a-zA-Z0-9]{12}$/);
    const disconnected = await sdk.send(new DisconnectUserCommand({ roomIdentifier: room.arn, userId: 'nobody' }));
    assert.equal(disconnected.$metadata.httpStatusCode, 200);
  });

  test('CORS preflight is answered for the configured browser origins only (issue 18)', async () => {
    const preflight = (/** @type {string} */ url) => fetch(`${url}/CreateChatToken`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:8080', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,x-amz-date' },
    });
    const refused = await preflight(server.controlPlaneUrl);
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    const configured = await startLocalIvsChat({ allowedOrigins: ['http://localhost:8080'] });
    try {
      const response = await preflight(configured.controlPlaneUrl);
      assert.equal(response.status, 204);
      assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:8080');
      assert.match(response.headers.get('access-control-allow-headers') ?? '', /authorization/);
    } finally {
      await configured.close();
    }
  });

  describe('SigV4 failures', () => {
    let room;
    before(async () => {
      room = await server.createRoom();
    });
    const body = () => ({ roomIdentifier: room.arn, userId: 'u' });

    /** Asserts an AWS-style auth error. */
    function expectAuthError(response, status, type, messagePattern) {
      assert.equal(response.status, status, response.text);
      assert.equal(response.headers.get('x-amzn-errortype'), type);
      assert.match(response.json.message, messagePattern);
    }

    test('a correctly signed request passes (control)', async () => {
      assert.equal((await signedRequest(server, '/CreateChatToken', body())).status, 200);
    });

    test('missing Authorization -> 403 MissingAuthenticationTokenException', async () => {
      const response = await fetch(`${server.controlPlaneUrl}/CreateChatToken`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body()),
      });
      assert.equal(response.status, 403);
      assert.equal(response.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
      assert.equal(typeof (await response.json()).message, 'string');
    });

    test('wrong secret -> 403 InvalidSignatureException', async () => {
      const response = await signedRequest(server, '/CreateChatToken', body(), {
        credentials: { accessKeyId: server.credentials.accessKeyId, secretAccessKey: 'wrong-secret' },
      });
      expectAuthError(response, 403, 'InvalidSignatureException', /signature we calculated does not match/);
    });

    test('body changed after signing -> 403 InvalidSignatureException', async () => {
      const response = await signedRequest(server, '/CreateChatToken', body(), {
        afterSigning: (request) => {
          request.body = request.body.replace('"u"', '"v"');
        },
      });
      expectAuthError(response, 403, 'InvalidSignatureException', /does not match/);
    });

    test('signed header changed after signing -> 403 InvalidSignatureException', async () => {
      const response = await signedRequest(server, '/CreateChatToken', body(), {
        extraHeaders: { 'x-app-trace': 'one' },
        afterSigning: (request) => {
          request.headers['x-app-trace'] = 'two';
        },
      });
      expectAuthError(response, 403, 'InvalidSignatureException', /does not match/);
    });

    test('unknown access key -> 403 UnrecognizedClientException', async () => {
      const response = await signedRequest(server, '/CreateChatToken', body(), {
        credentials: { accessKeyId: 'AKIDSOMEBODYELSE', secretAccessKey: server.credentials.secretAccessKey },
      });
      expectAuthError(response, 403, 'UnrecognizedClientException', /security token included in the request is invalid/);
    });

    test('wrong service in the credential scope -> 403 InvalidSignatureException', async () => {
      const response = await signedRequest(server, '/CreateChatToken', body(), { service: 'ivs' });
      expectAuthError(response, 403, 'InvalidSignatureException', /scoped to correct service: 'ivschat'/);
    });

    test('wrong region in the credential scope -> 403 InvalidSignatureException', async () => {
      const response = await signedRequest(server, '/CreateChatToken', body(), { region: 'eu-west-1' });
      expectAuthError(response, 403, 'InvalidSignatureException', /valid region, not 'eu-west-1'/);
    });

    test('x-amz-date more than 5 minutes old -> 403 Signature expired', async () => {
      const response = await signedRequest(server, '/CreateChatToken', body(), { signingDate: new Date(Date.now() - 6 * 60_000) });
      expectAuthError(response, 403, 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    });

    test('x-amz-date more than 5 minutes ahead -> 403 Signature not yet current', async () => {
      const response = await signedRequest(server, '/CreateChatToken', body(), { signingDate: new Date(Date.now() + 6 * 60_000) });
      expectAuthError(response, 403, 'InvalidSignatureException', /^Signature not yet current/);
    });

    test('x-amz-date 4 minutes off is still accepted', async () => {
      const response = await signedRequest(server, '/CreateChatToken', body(), { signingDate: new Date(Date.now() - 4 * 60_000) });
      assert.equal(response.status, 200, response.text);
    });

    test('missing x-amz-date or a malformed Authorization -> 400 IncompleteSignatureException', async () => {
      const noDate = await signedRequest(server, '/CreateChatToken', body(), {
        afterSigning: (request) => {
          delete request.headers['x-amz-date'];
        },
      });
      expectAuthError(noDate, 400, 'IncompleteSignatureException', /X-Amz-Date/);
      const noSignature = await signedRequest(server, '/CreateChatToken', body(), {
        afterSigning: (request) => {
          request.headers.authorization = request.headers.authorization.replace(/, Signature=[0-9a-f]+/, '');
        },
      });
      expectAuthError(noSignature, 400, 'IncompleteSignatureException', /'Signature'/);
      const otherScheme = await signedRequest(server, '/CreateChatToken', body(), {
        afterSigning: (request) => {
          request.headers.authorization = 'Bearer abc';
        },
      });
      expectAuthError(otherScheme, 400, 'IncompleteSignatureException', /AWS4-HMAC-SHA256/);
    });

    test('an unsigned-payload hash is refused', async () => {
      const response = await signedRequest(server, '/CreateChatToken', body(), {
        extraHeaders: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      });
      expectAuthError(response, 403, 'InvalidSignatureException', /x-amz-content-sha256/);
    });

    test('the SDK maps a bad signature to InvalidSignatureException', async () => {
      const wrong = new IvschatClient({
        region: server.region,
        endpoint: server.controlPlaneUrl,
        credentials: { accessKeyId: server.credentials.accessKeyId, secretAccessKey: 'nope' },
        maxAttempts: 1,
      });
      try {
        const error = await wrong.send(new CreateChatTokenCommand(body())).catch((e) => e);
        assert.equal(error.name, 'InvalidSignatureException');
        assert.equal(error.$metadata.httpStatusCode, 403);
      } finally {
        wrong.destroy();
      }
    });
  });

  test('the logger never sees tokens, secrets or signatures', async () => {
    const room = await server.createRoom();
    const { json } = await signedRequest(server, '/CreateChatToken', { roomIdentifier: room.arn, userId: 'secret-user-id' });
    await signedRequest(server, '/CreateChatToken', { roomIdentifier: room.arn, userId: 'u' }, {
      credentials: { accessKeyId: server.credentials.accessKeyId, secretAccessKey: 'wrong' },
    });
    assert.ok(logLines.some((line) => line.startsWith('POST /CreateChatToken 200')));
    assert.ok(logLines.some((line) => line.includes('403 InvalidSignatureException')));
    const everything = logLines.join('\n');
    assert.ok(!everything.includes(json.token));
    assert.ok(!everything.includes(server.credentials.secretAccessKey));
    assert.ok(!everything.includes('Signature='));
    assert.ok(!everything.includes('secret-user-id'));
  });
});

describe('temporary credentials (session token)', () => {
  test('x-amz-security-token is required and checked', async () => {
    const credentials = { accessKeyId: 'ASIALOCALTEMP', secretAccessKey: 'temp-secret', sessionToken: 'temp-session-token' };
    const server = await startLocalIvsChat({ credentials, region: 'eu-central-1' });
    const sdk = new IvschatClient({ region: 'eu-central-1', endpoint: server.controlPlaneUrl, credentials, maxAttempts: 1 });
    try {
      const room = await sdk.send(new CreateRoomCommand({}));
      assert.match(room.arn ?? '', /^arn:aws:ivschat:eu-central-1:/);
      const token = await sdk.send(new CreateChatTokenCommand({ roomIdentifier: room.arn, userId: 'u' }));
      assert.ok(token.token);

      const withoutToken = await signedRequest(server, '/GetRoom', { identifier: room.arn }, {
        credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      });
      assert.equal(withoutToken.status, 403);
      assert.equal(withoutToken.headers.get('x-amzn-errortype'), 'UnrecognizedClientException');
      const wrongToken = await signedRequest(server, '/GetRoom', { identifier: room.arn }, {
        credentials: { ...credentials, sessionToken: 'other-session-token' },
      });
      assert.equal(wrongToken.status, 403);
      assert.equal(wrongToken.headers.get('x-amzn-errortype'), 'UnrecognizedClientException');
    } finally {
      sdk.destroy();
      await server.close();
    }
  });
});

describe('options', () => {
  test('bad options are refused with a message naming the option', async () => {
    await assert.rejects(startLocalIvsChat({ port: -1 }), /port/);
    await assert.rejects(startLocalIvsChat({ timeScale: 0 }), /timeScale/);
    await assert.rejects(startLocalIvsChat({ tokenLifetimeSeconds: -5 }), /tokenLifetimeSeconds/);
    await assert.rejects(startLocalIvsChat({ region: 'US East' }), /region/);
    await assert.rejects(startLocalIvsChat({ credentials: { accessKeyId: 'a' } }), /credentials/);
  });

  test('bad and unknown options are InvalidOptionError naming the option, as everywhere in the package', async () => {
    /** @param {string} option */
    const naming = (option) => (/** @type {any} */ error) => error instanceof InvalidOptionError && error.code === 'INVALID_OPTION' && error.option === option;
    await assert.rejects(startLocalIvsChat({ port: 70000 }), naming('port'));
    await assert.rejects(startLocalIvsChat({ host: '' }), naming('host'));
    await assert.rejects(startLocalIvsChat({ accountId: '42' }), naming('accountId'));
    await assert.rejects(startLocalIvsChat({ adminRoutes: 'no' }), naming('adminRoutes'));
    await assert.rejects(startLocalIvsChat({ lambdas: [] }), naming('lambdas'));
    await assert.rejects(startLocalIvsChat({ logger: console }), naming('logger'));
    await assert.rejects(startLocalIvsChat({ allowedHosts: ['a b'] }), naming('allowedHosts[0]'));
    await assert.rejects(startLocalIvsChat(/** @type {any} */ ({ timescale: 10 })), (error) => naming('timescale')(error) && /the options are .*timeScale/.test(error.message));
    await assert.rejects(startLocalIvsChat(/** @type {any} */ (null)), naming('options'));
  });

  test('createRoom checks its settings like CreateRoom', async () => {
    const server = await startLocalIvsChat();
    try {
      const error = await server.createRoom({ maximumMessageLength: 501 }).catch((e) => e);
      assert.equal(error.type, 'ValidationException');
      assert.deepEqual(error.members.fieldList.map((f) => f.name), ['maximumMessageLength']);
      const room = await server.createRoom({ name: 'ok', maximumMessageLength: 1, maximumMessageRatePerSecond: 100 });
      assert.equal(room.maximumMessageLength, 1);
      assert.equal(room.maximumMessageRatePerSecond, 100);
    } finally {
      await server.close();
    }
  });

  test('a port already in use is reported', async () => {
    const first = await startLocalIvsChat();
    try {
      await assert.rejects(startLocalIvsChat({ port: first.port }), /EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
