// Cold start, aws4fetch: import, create the client, sign the CreateChatToken request.
const started = performance.now();
const { AwsClient } = await import('aws4fetch');
const aws = new AwsClient({ accessKeyId: 'AKIACOLDSTART0000001', secretAccessKey: 'coldStartSecretAccessKey/0123456789abcdefg', service: 'ivschat', region: 'us-east-1' });
const signed = await aws.sign('https://ivschat.us-east-1.amazonaws.com/CreateChatToken', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ roomIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456', userId: 'alice', capabilities: ['SEND_MESSAGE'], attributes: { displayName: 'Alice' } }),
});
const done = performance.now();
if (!signed.headers.get('authorization')?.startsWith('AWS4-HMAC-SHA256 ')) throw new Error('not signed');
console.log(JSON.stringify({ importToSignedMs: done - started, sinceOriginMs: done }));
