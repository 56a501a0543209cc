// Cold start in workerd, aws4fetch: sign the CreateChatToken request on the first request.
import { AwsClient } from 'aws4fetch';

export default {
  async fetch() {
    const aws = new AwsClient({ accessKeyId: 'AKIACOLDSTART0000001', secretAccessKey: 'coldStartSecretAccessKey/0123456789abcdefg', service: 'ivschat', region: 'us-east-1' });
    const signed = await aws.sign('https://ivschat.us-east-1.amazonaws.com/CreateChatToken', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ roomIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456', userId: 'alice', capabilities: ['SEND_MESSAGE'], attributes: { displayName: 'Alice' } }),
    });
    return new Response((signed.headers.get('authorization') ?? '').slice(0, 16));
  },
};
