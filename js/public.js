// @ts-check
// Everything the main entry exports, whatever the runtime.
export { init } from './client-core.js';
export { validateCreateChatTokenRequest, createChatToken } from './api.js';
// Every shared error class (IvsChatError and its subclasses).
export * from './errors.js';
export { ChatRoom, ChatError, fetchTokenProvider } from './chat/index.js';
