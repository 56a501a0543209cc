// Browser entry of an app using the official client: a token from the app's backend, then the chat room.
import { ChatRoom, SendMessageRequest } from 'amazon-ivs-chat-messaging';

const room = new ChatRoom({
  regionOrUrl: 'us-west-2',
  tokenProvider: async () => {
    const response = await fetch('/chat-token', { method: 'POST', body: JSON.stringify({ roomIdentifier: globalThis.roomArn, userId: 'me' }) });
    const { token, sessionExpirationTime, tokenExpirationTime } = await response.json();
    return { token, sessionExpirationTime: new Date(sessionExpirationTime), tokenExpirationTime: new Date(tokenExpirationTime) };
  },
});
room.addListener('message', (message) => console.log(message.sender.userId, message.content));
room.connect();
await room.sendMessage(new SendMessageRequest('hello'));
