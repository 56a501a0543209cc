// @ts-check
/**
 * `ivschat-wasm/backend`: mint IVS Chat tokens server-side. Runtime-neutral: package.json's
 * "imports" picks where the runtime gets the wasm from (js/wasm-source/backend-*.js, imported by
 * the modules' loaders).
 * @module
 */
export { init } from './backend-core.js';
export { signCreateChatTokenRequest, signSendEventRequest, signDeleteMessageRequest, signDisconnectUserRequest } from './sign.js';
export { sendEvent, deleteMessage, disconnectUser, DEFAULT_MODERATION_TIMEOUT_MS } from './moderation.js';
// Rooms: their own WebAssembly module (ivschat-admin.wasm), loaded on the first room call.
export {
  createRoom,
  getRoom,
  listRooms,
  updateRoom,
  deleteRoom,
  createLoggingConfiguration,
  getLoggingConfiguration,
  listLoggingConfigurations,
  updateLoggingConfiguration,
  deleteLoggingConfiguration,
} from './rooms.js';
export { initAdmin } from './admin-core.js';
// Room history from the room's CloudWatch Logs destination: its own module (ivschat-history.wasm).
export { readRoomHistory, DEFAULT_HISTORY_LIMIT, DEFAULT_HISTORY_TIMEOUT_MS } from './history.js';
export { DEFAULT_REMOVAL_EVENTS } from '../removal-events.js';
export { createHistoryHandler, DEFAULT_HISTORY_CACHE_TTL_MS, DEFAULT_HISTORY_STALE_TTL_MS } from './history-handler.js';
export { initHistory } from './history-core.js';
export { ChatHistoryError } from './history-errors.js';
export { createMessageReviewHandler, DEFAULT_REVIEW_BUDGET_MS } from './message-review.js';
export { initMessageReview } from './review-core.js';
export {
  createTokenHandler,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_IVS_TIMEOUT_MS,
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_AUTHORIZE_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from './handler.js';
export { credentialsFromEnv, regionFromEnv } from './env.js';
export { toNodeListener } from './node-adapter.js';
// How the handlers read bodies, for an app's own routes beside them (the web demo's bans).
export { readCapped } from '../read-capped.js';
export { ChatTokenSigningError, TokenHandlerError } from './errors.js';
// Every shared error class (IvsChatError and its subclasses).
export * from '../errors.js';
