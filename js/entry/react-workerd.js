// @ts-check
// `ivschat-wasm/react` for Cloudflare Workers (server rendering): the wasm is imported as a
// compiled module, as for the main entry (see client-wasm-workerd.js).
import './client-wasm-workerd.js';

export * from '../react/use-chat-room.js';
