// Browser entry of an app using ivschat-wasm: a token from the app's backend, then the chat room.
import { ChatRoom, createChatToken } from 'ivschat-wasm';

const room = new ChatRoom({
  regionOrUrl: 'us-west-2',
  tokenProvider: () => createChatToken({ endpoint: '/chat-token', roomIdentifier: globalThis.roomArn, userId: 'me' }),
});
room.addListener('message', (message) => console.log(message.sender.userId, message.content));
await room.connect();
await room.sendMessage({ content: 'hello' });
