// Page entry of the first-message benchmark built on ivschat-wasm: a ChatRoom whose tokens come
// from the app's token backend (fetchTokenProvider → /chat-token, createTokenHandler on the
// server), every received message rendered into the page.
import { fail, mark, messagingUrl, render, roomArn, userId } from './page.js';
import { ChatRoom, fetchTokenProvider, init } from 'ivschat-wasm';

// Where the wasm comes from. esbuild leaves `new URL('../../dist/ivschat-client.wasm',
// import.meta.url)` in the bundle, which does not resolve once the bundle is deployed on its own
// (it points two folders above app.js). The harness copies dist/ivschat-client.wasm beside the
// bundle, as a user would, and this page says so with init({ wasm }): called at the top level,
// before the package's own queued preload runs, so the download starts as soon as this script
// runs (and a <link rel="preload"> of the same URL is reused by it).
init({ wasm: new URL('./ivschat-client.wasm', import.meta.url) }).then(() => mark('coreReady'), fail);

const provider = fetchTokenProvider('/chat-token', { roomIdentifier: roomArn, userId });
const room = new ChatRoom({
  regionOrUrl: messagingUrl,
  maxReconnectAttempts: 0,
  tokenProvider: async () => {
    mark('tokenAsked');
    const token = await provider();
    mark('tokenReceived');
    return token;
  },
});
room.addListener('connect', () => mark('connected'));
room.addListener('message', (message) => render(message.sender.userId, message.content));
room.addListener('error', fail);
room.connect().catch(fail);
