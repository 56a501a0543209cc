// Joining an IVS Chat room: for every connection attempt (tokens are single-use) a token from the
// token backend, then the IVS Chat WebSocket. Reconnecting with backoff, renewing the session,
// the rate limit and checking every frame in WebAssembly are ChatRoom's job.
import { ChatRoom, fetchTokenProvider } from 'ivschat-wasm';

/**
 * @param {{ roomArn: string, messagingUrl?: string, tokenEndpoint: string, name: string }} options
 */
export function createRoom({ roomArn, messagingUrl, tokenEndpoint, name }) {
  return new ChatRoom({
    // The room's region (wss://edge.ivschat.{region}.amazonaws.com), or the local server's ws:// URL.
    regionOrUrl: messagingUrl || roomArn.split(':')[3],
    // What the page asks for. The token backend decides what it gets: it checks the name and
    // grants the capabilities, whatever the page sends.
    tokenProvider: fetchTokenProvider(tokenEndpoint, { roomIdentifier: roomArn, userId: name, capabilities: ['SEND_MESSAGE'] }),
  });
}
