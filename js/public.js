// @ts-check
// The main entry (`ivschat-wasm`), whatever the runtime: package.json's "imports" picks where
// the runtime gets ivschat-client.wasm from (js/wasm-source/client-*.js).
import '#client-wasm-source';

export { init } from './client-core.js';
export { validateCreateChatTokenRequest, createChatToken } from './api.js';
// Every shared error class (IvsChatError and its subclasses).
export * from './errors.js';
export { ChatRoom, ChatError, fetchTokenProvider } from './chat/index.js';
