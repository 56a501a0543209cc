// Edge backend (Cloudflare Worker) using the AWS SDK: CreateChatTokenCommand.
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';

let client;
export default {
  async fetch(request, env) {
    if (request.method !== 'POST' || !request.headers.get('authorization')) return new Response(null, { status: 403 });
    client ??= new IvschatClient({
      region: env.AWS_REGION,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN },
    });
    const result = await client.send(new CreateChatTokenCommand({ roomIdentifier: env.ROOM_ARN, userId: 'user', capabilities: ['SEND_MESSAGE'] }));
    return Response.json({ token: result.token, tokenExpirationTime: result.tokenExpirationTime, sessionExpirationTime: result.sessionExpirationTime });
  },
};
