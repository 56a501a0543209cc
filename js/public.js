// @ts-check
// Everything the main entry exports, whatever the runtime.
export { init } from './loader.js';
export { validateCreateChatTokenRequest, createChatToken } from './api.js';
export {
  IvsChatError,
  WasmLoadError,
  InvalidOptionError,
  ChatTokenValidationError,
  ChatTokenRequestError,
} from './errors.js';
export { ChatRoom, ChatError, fetchTokenProvider } from './chat/index.js';
