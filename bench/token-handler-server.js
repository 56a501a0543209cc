// The backend side of the token-handler benchmark, in its own process:
//   node bench/token-handler-server.js <ours|sdk>
// Starts the local IVS Chat server (loopback) with a room, and a token backend on Node's http
// (127.0.0.1) that calls it: ours is createTokenHandler through toNodeListener; sdk is the usual
// hand-written handler around @aws-sdk/client-ivschat's CreateChatTokenCommand. Both check a
// bearer token, decide the parameters server-side and answer { token, tokenExpirationTime,
// sessionExpirationTime }. Prints one JSON line with the URL; runs until killed.
import { createServer } from 'node:http';

import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { createTokenHandler, toNodeListener } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

const contender = process.argv[2];
const credentials = {
  accessKeyId: 'ASIABENCHHANDLER0001',
  secretAccessKey: 'benchHandlerSecretAccessKey/0123456789abcdefg',
  sessionToken: 'benchHandlerSessionToken0123456789abcdefghijklmnopqrstuvwxyz==',
};
const ivs = await startLocalIvsChat({ credentials, region: 'us-east-1' });
const room = await ivs.createRoom({ name: 'bench' });

/** The app's own check: who is calling, and what they may have. */
const parametersFor = (/** @type {string | null} */ authorization) => {
  if (!authorization?.startsWith('Bearer ')) return null;
  return { roomIdentifier: room.arn, userId: authorization.slice(7), capabilities: ['SEND_MESSAGE'], attributes: { displayName: 'Bench User' } };
};

/** @type {import('node:http').RequestListener} */
let listener;
if (contender === 'ours') {
  listener = toNodeListener(createTokenHandler({
    credentials,
    endpoint: ivs.controlPlaneUrl,
    authorize: (request) => parametersFor(request.headers.get('authorization')),
  }));
} else {
  const client = new IvschatClient({ region: 'us-east-1', endpoint: ivs.controlPlaneUrl, credentials, maxAttempts: 1 });
  listener = (request, response) => {
    const chunks = /** @type {Buffer[]} */ ([]);
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', async () => {
      const reply = (/** @type {number} */ status, /** @type {unknown} */ body) => {
        response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
      };
      try {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const parameters = parametersFor(request.headers.authorization ?? null);
        if (request.method !== 'POST' || !parameters) {
          reply(403, { message: 'You may not get a chat token.' });
          return;
        }
        const result = await client.send(new CreateChatTokenCommand(parameters));
        reply(200, { token: result.token, tokenExpirationTime: result.tokenExpirationTime?.toISOString(), sessionExpirationTime: result.sessionExpirationTime?.toISOString() });
      } catch (error) {
        reply(500, { message: 'The token backend failed.' });
      }
    });
  };
}

const server = createServer(listener);
server.keepAliveTimeout = 30_000;
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
const address = /** @type {import('node:net').AddressInfo} */ (server.address());
console.log(JSON.stringify({ url: `http://127.0.0.1:${address.port}/chat-token`, roomArn: room.arn }));

const stop = () => {
  server.close();
  void ivs.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
