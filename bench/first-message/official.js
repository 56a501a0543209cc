// Page entry of the first-message benchmark built on the official client
// (amazon-ivs-chat-messaging): the same token backend (/chat-token) through fetch in its
// tokenProvider, every received message rendered into the page.
import { fail, mark, messagingUrl, render, roomArn, userId } from './page.js';
import { ChatRoom } from 'amazon-ivs-chat-messaging';

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
    const { token, sessionExpirationTime, tokenExpirationTime } = await response.json();
    mark('tokenReceived');
    return { token, sessionExpirationTime: new Date(sessionExpirationTime), tokenExpirationTime: new Date(tokenExpirationTime) };
  },
});
room.addListener('connect', () => mark('connected'));
room.addListener('message', (message) => render(message.sender.userId, message.content));
room.addListener('disconnect', (reason) => { if (/** @type {any} */ (globalThis).__firstMessageMs === undefined) fail(`disconnected: ${JSON.stringify(reason)}`); });
room.connect();
