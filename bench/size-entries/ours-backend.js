// Edge backend (Cloudflare Worker) using ivschat-wasm: the token handler.
import { createTokenHandler } from 'ivschat-wasm/backend';

let handler;
export default {
  fetch(request, env) {
    handler ??= createTokenHandler({
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN },
      authorize: async (req) => (req.headers.get('authorization') ? { roomIdentifier: env.ROOM_ARN, userId: 'user', capabilities: ['SEND_MESSAGE'] } : null),
    });
    return handler(request);
  },
};
