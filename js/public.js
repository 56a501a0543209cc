// @ts-check
// The main entry (`ivschat-wasm`), whatever the runtime (where the runtime gets the wasm from is
// the loaders' business: js/client-core.js).
export { init } from './client-core.js';
export { validateCreateChatTokenRequest, createChatToken } from './api.js';
// Every shared error class (IvsChatError and its subclasses).
export * from './errors.js';
export { ChatRoom, ChatError, chatHistory, fetchTokenProvider } from './chat/index.js';
