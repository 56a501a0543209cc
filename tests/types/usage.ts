// Compiled by `tsc` (never run): the public types accept what the README shows and refuse misuse.
import {
  ChatTokenRequestError,
  ChatTokenValidationError,
  createChatToken,
  init,
  validateCreateChatTokenRequest,
  type ChatToken,
  type FieldError,
} from 'ivschat-wasm';

export async function usage(module: WebAssembly.Module): Promise<void> {
  await init({ wasm: module });
  await init({ wasm: new URL('https://cdn.example/ivschat-client.wasm') });
  const report = await validateCreateChatTokenRequest({ anything: 1 });
  const first: FieldError | undefined = report.errors[0];
  void first?.code;
  try {
    const token: ChatToken = await createChatToken({
      endpoint: '/chat-token',
      roomIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456',
      userId: 'alice',
      capabilities: ['SEND_MESSAGE'],
      attributes: { displayName: 'Alice' },
      timeoutMs: 5000,
    });
    const expires: number = token.sessionExpirationTime.getTime();
    void expires;
  } catch (error) {
    if (error instanceof ChatTokenValidationError) void error.errors.map((e) => e.field);
    if (error instanceof ChatTokenRequestError) void [error.status, error.errorType, error.fieldList];
  }
  // @ts-expect-error capabilities are a closed set
  await createChatToken({ endpoint: '/t', roomIdentifier: 'r', userId: 'u', capabilities: ['VIEW'] });
  // @ts-expect-error endpoint is required
  await createChatToken({ roomIdentifier: 'r', userId: 'u' });
}
