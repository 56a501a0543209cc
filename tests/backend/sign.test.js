// signCreateChatTokenRequest and credentialsFromEnv / regionFromEnv.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  ChatTokenSigningError,
  ChatTokenValidationError,
  credentialsFromEnv,
  InvalidOptionError,
  regionFromEnv,
  signCreateChatTokenRequest,
} from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

const TEMPORARY = {
  accessKeyId: 'ASIASIGNTESTKEY00001',
  secretAccessKey: 'signTestSecretAccessKey/abcdefghij0123456789',
  sessionToken: 'FwoGZXIvYXdzEXAMPLEsignTestSessionToken0123456789==',
};

let ivs;
let room;
before(async () => {
  ivs = await startLocalIvsChat({ credentials: TEMPORARY, region: 'eu-west-1' });
  room = await ivs.createRoom();
});
after(() => ivs.close());

test('a signed request is accepted by the local server as is, and yields a token', async () => {
  const signed = await signCreateChatTokenRequest(
    { roomIdentifier: room.arn, userId: 'signer', capabilities: ['SEND_MESSAGE'], attributes: { emoji: '🦊' } },
    { credentials: TEMPORARY, endpoint: ivs.controlPlaneUrl },
  );
  assert.equal(signed.method, 'POST');
  assert.equal(signed.url, `${ivs.controlPlaneUrl}/CreateChatToken`);
  assert.deepEqual(Object.keys(signed.headers), ['content-type', 'x-amz-date', 'x-amz-security-token', 'authorization']);
  assert.equal(signed.headers['x-amz-security-token'], TEMPORARY.sessionToken);
  assert.match(signed.headers.authorization, /^AWS4-HMAC-SHA256 Credential=ASIASIGNTESTKEY00001\/\d{8}\/eu-west-1\/ivschat\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
  assert.equal(signed.body, `{"attributes":{"emoji":"🦊"},"capabilities":["SEND_MESSAGE"],"roomIdentifier":"${room.arn}","userId":"signer"}`);
  const response = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
  assert.equal(response.status, 200);
  assert.ok((await response.json()).token);
});

test('now, region and endpoint (string or URL, with a base path) are honoured', async () => {
  const input = { roomIdentifier: room.arn, userId: 'u' };
  const signed = await signCreateChatTokenRequest(input, {
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    region: 'us-west-2',
    endpoint: new URL('https://ivschat.example.internal:8443/stage/'),
    now: new Date('2031-02-03T04:05:06.999Z'),
  });
  assert.equal(signed.url, 'https://ivschat.example.internal:8443/stage/CreateChatToken');
  assert.equal(signed.headers['x-amz-date'], '20310203T040506Z');
  assert.match(signed.headers.authorization, /Credential=AKIDEXAMPLE\/20310203\/us-west-2\/ivschat\/aws4_request, SignedHeaders=content-type;host;x-amz-date, /);
  assert.equal(signed.headers['x-amz-security-token'], undefined);
  const byNumber = await signCreateChatTokenRequest(input, { credentials: TEMPORARY, now: Date.UTC(2031, 1, 3, 4, 5, 6) });
  assert.equal(byNumber.headers['x-amz-date'], '20310203T040506Z');
  assert.equal(byNumber.url, 'https://ivschat.eu-west-1.amazonaws.com/CreateChatToken', 'default endpoint: the room ARN region');
});

test('a request signed an hour ago is refused by the local server (the time really is the signing time)', async () => {
  const signed = await signCreateChatTokenRequest({ roomIdentifier: room.arn, userId: 'u' }, {
    credentials: TEMPORARY, endpoint: ivs.controlPlaneUrl, now: Date.now() - 3_600_000,
  });
  const response = await fetch(signed.url, { method: 'POST', headers: signed.headers, body: signed.body });
  assert.equal(response.status, 403);
});

test('bad requests reject with ChatTokenValidationError listing every broken rule', async () => {
  await assert.rejects(
    signCreateChatTokenRequest({ roomIdentifier: 'arn:aws:s3:::bucket', userId: '', capabilities: ['SEND_MESSAGE', 'SEND_MESSAGE'] }, { credentials: TEMPORARY }),
    (error) => {
      assert.ok(error instanceof ChatTokenValidationError);
      assert.equal(error.code, 'VALIDATION');
      assert.deepEqual(error.errors.map((e) => `${e.field}:${e.code}`).sort(), ['capabilities[1]:DUPLICATE', 'roomIdentifier:PATTERN', 'userId:TOO_SHORT']);
      return true;
    },
  );
  await assert.rejects(signCreateChatTokenRequest({ roomIdentifier: room.arn, userId: 'u', sessionDurationInMinutes: Number.NaN }, { credentials: TEMPORARY }),
    (error) => error instanceof ChatTokenValidationError && error.errors[0].field === 'sessionDurationInMinutes');
});

test('bad credentials, region, endpoint or time reject with ChatTokenSigningError naming the field, never quoting a secret', async () => {
  const input = { roomIdentifier: room.arn, userId: 'u' };
  const cases = [
    [{ credentials: { ...TEMPORARY, accessKeyId: '' } }, 'credentials.accessKeyId'],
    [{ credentials: { ...TEMPORARY, accessKeyId: 42 } }, 'credentials.accessKeyId'],
    [{ credentials: { ...TEMPORARY, secretAccessKey: `${TEMPORARY.secretAccessKey} ` } }, 'credentials.secretAccessKey'],
    [{ credentials: { ...TEMPORARY, secretAccessKey: undefined } }, 'credentials.secretAccessKey'],
    [{ credentials: { ...TEMPORARY, sessionToken: `${TEMPORARY.sessionToken}\u00e9` } }, 'credentials.sessionToken'],
    [{ credentials: { ...TEMPORARY, sessionToken: 7 } }, 'credentials.sessionToken'],
    [{ credentials: 'AKID:secret' }, 'credentials'],
    [{ credentials: TEMPORARY, region: 'EU_WEST' }, 'region'],
    [{ credentials: TEMPORARY, region: ['eu-west-1'] }, 'region'],
    [{ credentials: TEMPORARY, endpoint: 'ftp://ivschat.example' }, 'endpoint'],
    [{ credentials: TEMPORARY, endpoint: 'https://user:pw@ivschat.example' }, 'endpoint'],
    [{ credentials: TEMPORARY, endpoint: 'https://ivschat.example//a' }, 'endpoint'],
    [{ credentials: TEMPORARY, endpoint: 'us-west-2' }, 'endpoint'],
    [{ credentials: TEMPORARY, endpoint: '/relative/path' }, 'endpoint'],
    [{ credentials: TEMPORARY, endpoint: 'https://ivschat.example/?q=1' }, 'endpoint'],
    [{ credentials: { ...TEMPORARY, secretAccessKey: 'x'.repeat(200) } }, 'credentials.secretAccessKey'],
    [{ credentials: TEMPORARY, now: new Date('invalid') }, 'now'],
    [{ credentials: TEMPORARY, now: Date.UTC(10000, 0, 1) }, 'now'],
    [{ credentials: TEMPORARY, now: '2030-01-01' }, 'now'],
  ];
  for (const [options, field] of cases) {
    await assert.rejects(signCreateChatTokenRequest(input, options), (error) => {
      assert.ok(error instanceof ChatTokenSigningError, `${field}: ${error}`);
      assert.equal(error.code, 'SIGNING_INPUT');
      assert.equal(error.field, field);
      const text = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;
      assert.ok(!text.includes(TEMPORARY.secretAccessKey) && !text.includes(TEMPORARY.sessionToken), `${field} error quotes a secret`);
      return true;
    }, field);
  }
  await assert.rejects(signCreateChatTokenRequest(input), (error) => error instanceof InvalidOptionError && error.option === 'options');
});

test('credentialsFromEnv / regionFromEnv read a record or the process environment', () => {
  const env = { AWS_ACCESS_KEY_ID: ' AKIDENV ', AWS_SECRET_ACCESS_KEY: 'envSecret', AWS_SESSION_TOKEN: '', AWS_DEFAULT_REGION: 'ap-south-1' };
  assert.deepEqual(credentialsFromEnv(env), { accessKeyId: 'AKIDENV', secretAccessKey: 'envSecret' });
  assert.deepEqual(credentialsFromEnv({ ...env, AWS_SESSION_TOKEN: 'tok' }), { accessKeyId: 'AKIDENV', secretAccessKey: 'envSecret', sessionToken: 'tok' });
  assert.equal(regionFromEnv(env), 'ap-south-1');
  assert.equal(regionFromEnv({ ...env, AWS_REGION: 'eu-central-1' }), 'eu-central-1');
  assert.equal(regionFromEnv({}), undefined);
  assert.throws(() => credentialsFromEnv({ AWS_SECRET_ACCESS_KEY: 's' }), (e) => e instanceof ChatTokenSigningError && e.field === 'AWS_ACCESS_KEY_ID');
  assert.throws(() => credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: '  ' }), (e) => e instanceof ChatTokenSigningError && e.field === 'AWS_SECRET_ACCESS_KEY');
  assert.throws(() => credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 42 }), (e) => e.field === 'AWS_SECRET_ACCESS_KEY', 'non-strings (Worker bindings of other kinds) do not count');

  const saved = { ...process.env };
  try {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDPROCESS';
    process.env.AWS_SECRET_ACCESS_KEY = 'processSecret';
    process.env.AWS_SESSION_TOKEN = 'processToken';
    process.env.AWS_REGION = 'us-west-2';
    assert.deepEqual(credentialsFromEnv(), { accessKeyId: 'AKIDPROCESS', secretAccessKey: 'processSecret', sessionToken: 'processToken' });
    assert.equal(regionFromEnv(), 'us-west-2');
    delete process.env.AWS_ACCESS_KEY_ID;
    assert.throws(() => credentialsFromEnv(), (e) => e.field === 'AWS_ACCESS_KEY_ID' && !e.message.includes('processSecret'));
  } finally {
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
});

test('endpoints are read by the runtime URL parser: what is signed is what fetch sends', async () => {
  // Formerly parsed in C++; now `new URL` decides, and the signature covers its host and path.
  const cases = [
    ['http://[0:0:0:0:0:0:0:1]:4566', 'http://[::1]:4566/CreateChatToken'],
    ['HTTPS://Example.COM:443/', 'https://example.com/CreateChatToken'],
    ['http://a_b.example:08080/x/%41/', 'http://a_b.example:8080/x/%41/CreateChatToken'],
    ['http://127.1:4566', 'http://127.0.0.1:4566/CreateChatToken'],
    ['https://ivschat.example/a b/', 'https://ivschat.example/a%20b/CreateChatToken'],
    ['https://ivschat.example/a/../b', 'https://ivschat.example/b/CreateChatToken'],
  ];
  for (const [endpoint, url] of cases) {
    // allowInsecureEndpoint: one case is plain http:// to a name that is not loopback (issue 18).
    const signed = await signCreateChatTokenRequest({ roomIdentifier: room.arn, userId: 'u' }, { credentials: TEMPORARY, endpoint, now: 0, allowInsecureEndpoint: true });
    assert.equal(signed.url, url, endpoint);
  }
});
