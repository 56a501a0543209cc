// Cold start, ours: import the package, initialise (compile + instantiate the wasm), produce the
// first signed CreateChatToken request. Prints the milliseconds from before the import to the
// signed request, and since the runtime's time origin (process start).
const started = performance.now();
const { signCreateChatTokenRequest } = await import('ivschat-wasm/backend');
const signed = await signCreateChatTokenRequest(
  { roomIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456', userId: 'alice', capabilities: ['SEND_MESSAGE'], attributes: { displayName: 'Alice' } },
  { credentials: { accessKeyId: 'AKIACOLDSTART0000001', secretAccessKey: 'coldStartSecretAccessKey/0123456789abcdefg' } },
);
const done = performance.now();
if (!signed.headers.authorization.startsWith('AWS4-HMAC-SHA256 ')) throw new Error('not signed');
console.log(JSON.stringify({ importToSignedMs: done - started, sinceOriginMs: done }));
