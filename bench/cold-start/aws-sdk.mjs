// Cold start, @aws-sdk/client-ivschat: import, create the client, send CreateChatTokenCommand
// through the SDK's middleware (serialize, sign) to a request handler that captures the signed
// request instead of sending it (no network) and answers a canned 200.
const started = performance.now();
const { CreateChatTokenCommand, IvschatClient } = await import('@aws-sdk/client-ivschat');
/** @type {number | undefined} */
let signedAt;
/** @type {any} */
let captured;
const client = new IvschatClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIACOLDSTART0000001', secretAccessKey: 'coldStartSecretAccessKey/0123456789abcdefg' },
  requestHandler: {
    async handle(request) {
      signedAt = performance.now();
      captured = request;
      const body = JSON.stringify({ token: 'cold-start', tokenExpirationTime: '2030-01-01T00:00:00Z', sessionExpirationTime: '2030-01-01T00:00:00Z' });
      return { response: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(body) } };
    },
  },
});
await client.send(new CreateChatTokenCommand({ roomIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456', userId: 'alice', capabilities: ['SEND_MESSAGE'], attributes: { displayName: 'Alice' } }));
if (!captured?.headers?.authorization?.startsWith('AWS4-HMAC-SHA256 ') || signedAt === undefined) throw new Error('not signed');
console.log(JSON.stringify({ importToSignedMs: signedAt - started, sinceOriginMs: signedAt }));
