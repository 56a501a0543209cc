// @ts-check
// `ivschat-wasm/react` for Vercel Edge (server rendering): the wasm arrives compiled, as for the
// main entry (see client-wasm-edge-light.js).
import './client-wasm-edge-light.js';

export * from '../react/use-chat-room.js';
