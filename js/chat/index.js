// @ts-check
// The chat client's public surface (re-exported by the package's main entry).
export { ChatRoom } from './chat-room.js';
export { ChatError } from './chat-error.js';
export { fetchTokenProvider } from './token-provider.js';
export { chatHistory } from './history.js';
