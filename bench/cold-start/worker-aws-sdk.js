// Cold start in workerd, @aws-sdk/client-ivschat (bundled for the browser, as for Workers):
// CreateChatTokenCommand through the SDK's middleware to a capturing request handler.
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';

export default {
  async fetch() {
    let authorization = '';
    const client = new IvschatClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIACOLDSTART0000001', secretAccessKey: 'coldStartSecretAccessKey/0123456789abcdefg' },
      requestHandler: {
        async handle(request) {
          authorization = request.headers.authorization;
          const body = JSON.stringify({ token: 'cold-start', tokenExpirationTime: '2030-01-01T00:00:00Z', sessionExpirationTime: '2030-01-01T00:00:00Z' });
          return { response: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(body) } };
        },
      },
    });
    await client.send(new CreateChatTokenCommand({ roomIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456', userId: 'alice', capabilities: ['SEND_MESSAGE'], attributes: { displayName: 'Alice' } }));
    return new Response(authorization.slice(0, 16));
  },
};
