// Cold start in workerd, ours: the first request imports nothing more; it initialises the core
// (the wasm arrives compiled) and signs. Timed from outside (workerd's clock stands still while
// a request runs).
import { signCreateChatTokenRequest } from 'ivschat-wasm/backend';

export default {
  async fetch() {
    const signed = await signCreateChatTokenRequest(
      { roomIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456', userId: 'alice', capabilities: ['SEND_MESSAGE'], attributes: { displayName: 'Alice' } },
      { credentials: { accessKeyId: 'AKIACOLDSTART0000001', secretAccessKey: 'coldStartSecretAccessKey/0123456789abcdefg' } },
    );
    return new Response(signed.headers.authorization.slice(0, 16));
  },
};
