// Page entry of the first-message benchmark built on ivschat-wasm with the app's own
// tokenProvider: a plain fetch of the same token backend, as the official page has. The room
// calls it at once and loads the WebAssembly core meanwhile (it needs it from the first frame
// on), so nothing waits for the wasm before the token request. The token backend validates the
// request in its own core.
import { fail, mark, messagingUrl, render, roomArn, userId } from './page.js';
import { ChatRoom, init } from 'ivschat-wasm';

// Where the wasm comes from: see ours.js.
init({ wasm: new URL('./ivschat-client.wasm', import.meta.url) }).then(() => mark('coreReady'), fail);

const room = new ChatRoom({
  regionOrUrl: messagingUrl,
  maxReconnectAttempts: 0,
  tokenProvider: async () => {
    mark('tokenAsked');
    const response = await fetch('/chat-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ roomIdentifier: roomArn, userId }),
    });
    if (!response.ok) throw new Error(`the token backend answered ${response.status}`);
    const token = await response.json();
    mark('tokenReceived');
    return token;
  },
});
room.addListener('connect', () => mark('connected'));
room.addListener('message', (message) => render(message.sender.userId, message.content));
room.addListener('error', fail);
room.connect().catch(fail);
