// The browser entry of ours-browser.js with history for late joiners (issue 22): chatHistory
// reading the app's history endpoint. The difference from ours-browser.js is what history adds
// to a page's download (the merge logic, js/chat/history.js); a page without it does not carry it.
import { ChatRoom, chatHistory, createChatToken } from 'ivschat-wasm';

const room = new ChatRoom({
  regionOrUrl: 'us-west-2',
  tokenProvider: () => createChatToken({ endpoint: '/chat-token', roomIdentifier: globalThis.roomArn, userId: 'me' }),
  history: chatHistory({ url: '/chat-history' }),
});
room.addListener('message', (message) => console.log(message.sender.userId, message.content));
room.addListener('history', ({ messages }) => console.log(messages.length));
await room.connect();
await room.sendMessage({ content: 'hello' });
