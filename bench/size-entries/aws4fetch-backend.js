// Edge backend (Cloudflare Worker) using aws4fetch: CreateChatToken signed and sent by
// AwsClient.fetch, the same shape as sdk-backend.js (it validates nothing: the smallest a
// hand-written handler can be).
import { AwsClient } from 'aws4fetch';

let aws;
export default {
  async fetch(request, env) {
    if (request.method !== 'POST' || !request.headers.get('authorization')) return new Response(null, { status: 403 });
    aws ??= new AwsClient({
      accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN,
      service: 'ivschat', region: env.AWS_REGION,
    });
    const response = await aws.fetch(`https://ivschat.${env.AWS_REGION}.amazonaws.com/CreateChatToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ roomIdentifier: env.ROOM_ARN, userId: 'user', capabilities: ['SEND_MESSAGE'] }),
    });
    if (!response.ok) return new Response(null, { status: 502 });
    const { token, tokenExpirationTime, sessionExpirationTime } = await response.json();
    return Response.json({ token, tokenExpirationTime, sessionExpirationTime });
  },
};
