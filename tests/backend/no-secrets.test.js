// Every answer and every log line of the token handler, across every path, grepped for the
// credentials, every signature it computed and every token IVS issued. Includes an IVS that
// echoes the signed request back in its error messages, as AWS does for signature mismatches.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createTokenHandler, TokenHandlerError } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { closedPortUrl, countingStream, createRecorder, readAnswer, startFakeIvs, tokenRequest } from './helpers.js';

const CREDENTIALS = {
  accessKeyId: 'ASIALOCALTESTKEY4242',
  secretAccessKey: 'noSecretsTestSecretAccessKey/0123456789+Ab',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENnoSecretsTest0123456789abcdef==',
};
const WRONG_SECRET = 'aDifferentSecretThatIVSWillRefuse/987654321';

test('no response body, header or log entry contains a credential, a signature or a token (other than the issued token in its own 200)', async () => {
  const ivs = await startLocalIvsChat({ credentials: CREDENTIALS });
  const room = await ivs.createRoom();
  // IVS stand-in that echoes what it received, like AWS's "The Canonical String for this
  // request should have been ..." messages (which include x-amz-security-token).
  const echoTypes = ['InvalidSignatureException', 'ValidationException', 'ResourceNotFoundException'];
  let echoCall = 0;
  const echoingIvs = await startFakeIvs((req, res) => {
    const type = echoTypes[echoCall++ % echoTypes.length];
    res.writeHead(type === 'InvalidSignatureException' ? 403 : type === 'ValidationException' ? 400 : 404, {
      'content-type': 'application/json',
      'x-amzn-errortype': type,
    });
    res.end(JSON.stringify({
      message: `Echo: x-amz-security-token:${req.headers['x-amz-security-token']} authorization:${req.headers.authorization}`,
      fieldList: [{ name: 'userId', message: `token ${req.headers['x-amz-security-token']}` }],
    }));
  });
  const garbageIvs = await startFakeIvs((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: 'garbage-token-with-bad-times-0123456789', tokenExpirationTime: 'soon', sessionExpirationTime: 'later' }));
  });

  const signatures = new Set();
  const tokens = new Set(['garbage-token-with-bad-times-0123456789']);
  /** Calls IVS and remembers every signature sent and token received. */
  const recordingFetch = async (url, init) => {
    const authorization = new Headers(init.headers).get('authorization') ?? '';
    signatures.add(authorization.split('Signature=')[1]);
    const response = await fetch(url, init);
    const copy = await response.clone().text();
    const match = /"token":"([^"]+)"/.exec(copy);
    if (match) tokens.add(match[1]);
    return response;
  };

  const recorder = createRecorder();
  /** @type {Array<{ status: number, text: string, headers: string }>} */
  const answers = [];
  const grant = () => ({ roomIdentifier: room.arn, userId: 'secret-test-user', capabilities: ['SEND_MESSAGE'] });
  const make = (overrides = {}) => createTokenHandler({
    credentials: CREDENTIALS,
    endpoint: ivs.controlPlaneUrl,
    authorize: grant,
    allowedOrigins: ['https://app.example.com'],
    allowedHosts: ['tokens.example.com'], // tokenRequest's host, as a deployed handler names its own
    // Every call to IVS here answers but one, which hangs: a good call takes a few ms, and 10 s
    // (the default) is far more than 10x that on a loaded machine; the hang gets its own short one.
    timeoutMs: 10_000,
    fetch: recordingFetch,
    logger: recorder.logger,
    ...overrides,
  });
  const send = async (handler, request) => {
    const answer = await readAnswer(await handler(request), recorder);
    answers.push({ status: answer.status, text: answer.text, headers: JSON.stringify([...answer.headers]) });
    return answer.status;
  };

  try {
    const expectedStatuses = [];
    const run = async (expected, handler, request) => expectedStatuses.push([expected, await send(handler, request)]);
    await run(200, make(), tokenRequest({}));
    await run(200, make(), tokenRequest({}, { origin: 'https://app.example.com' }));
    await run(204, make(), tokenRequest(undefined, { method: 'OPTIONS', origin: 'https://app.example.com', headers: { 'access-control-request-method': 'POST' } }));
    await run(403, make(), tokenRequest({}, { origin: 'https://evil.example' }));
    await run(405, make(), tokenRequest(undefined, { method: 'GET' }));
    await run(415, make(), tokenRequest('{}', { headers: { 'content-type': 'text/plain' } }));
    await run(413, make(), tokenRequest(countingStream(50_000).stream, { headers: { 'content-length': '5' } }));
    await run(400, make(), tokenRequest('{"not json'));
    await run(401, make({ authorize: () => { throw new TokenHandlerError(401, 'Sign in first.'); } }), tokenRequest({}));
    await run(403, make({ authorize: () => null }), tokenRequest({}));
    await run(500, make({ authorize: () => { throw new Error('boom'); } }), tokenRequest({}));
    await run(400, make({ authorize: () => ({ ...grant(), userId: '' }) }), tokenRequest({}));
    for (const [status, errorType] of [[404, 'ResourceNotFoundException'], [403, 'AccessDeniedException'], [429, 'ThrottlingException'], [500, 'InternalServerException']]) {
      ivs.faults.failCreateChatToken({ status, errorType });
      await run(status === 500 ? 502 : status, make(), tokenRequest({}));
    }
    ivs.faults.failCreateChatToken({ hang: true });
    await run(504, make({ timeoutMs: 300 }), tokenRequest({}));
    ivs.faults.reset();
    await run(403, make({ credentials: { ...CREDENTIALS, secretAccessKey: WRONG_SECRET } }), tokenRequest({}));
    await run(403, make({ credentials: { ...CREDENTIALS, sessionToken: `${CREDENTIALS.sessionToken}X` } }), tokenRequest({}));
    for (const status of [403, 400, 404]) await run(status, make({ endpoint: echoingIvs.url }), tokenRequest({}));
    await run(502, make({ endpoint: garbageIvs.url }), tokenRequest({}));
    await run(502, make({ endpoint: await closedPortUrl() }), tokenRequest({}));
    assert.throws(() => make({ region: 'NOT A REGION' }), (error) => error.option === 'region' && !error.message.includes(CREDENTIALS.secretAccessKey));
    await run(500, make({ credentials: { ...CREDENTIALS, secretAccessKey: `${CREDENTIALS.secretAccessKey} with spaces` } }), tokenRequest({}));
    await run(200, make(), tokenRequest({}));

    for (const [expected, actual] of expectedStatuses) assert.equal(actual, expected);
    assert.equal(recorder.logs.length, expectedStatuses.length, 'one log entry per request');
    // The echoing IVS really did put the secrets into its messages: the scrubbing is exercised.
    // Identical requests signed in the same second share a signature, hence the small number.
    assert.ok(signatures.size >= 3, `saw ${signatures.size} signatures`);
    assert.ok(tokens.size >= 4, `saw ${tokens.size} tokens`);

    const secrets = [
      ['secret access key', CREDENTIALS.secretAccessKey],
      ['wrong secret access key', WRONG_SECRET],
      ['session token', CREDENTIALS.sessionToken],
      ['access key id', CREDENTIALS.accessKeyId],
      ...[...signatures].map((signature) => ['signature', signature]),
    ];
    const logText = recorder.logs.map((entry) => JSON.stringify(entry)).join('\n');
    for (const [what, secret] of secrets) {
      assert.ok(!logText.includes(secret), `a log entry contains the ${what}`);
      for (const answer of answers) {
        assert.ok(!answer.text.includes(secret) && !answer.headers.includes(secret), `an HTTP ${answer.status} answer contains the ${what}`);
      }
    }
    for (const token of tokens) {
      assert.ok(!logText.includes(token), 'a log entry contains a chat token');
      const carriers = answers.filter((answer) => answer.text.includes(token) || answer.headers.includes(token));
      assert.ok(carriers.every((answer) => answer.status === 200 && JSON.parse(answer.text).token === token), 'a token appears outside its own 200 answer');
      assert.ok(carriers.length <= 1);
    }
    assert.ok(logText.includes('[redacted]'), 'the echoed secrets were scrubbed from the log');
  } finally {
    await Promise.all([ivs.close(), echoingIvs.close(), garbageIvs.close()]);
  }
});
