// @ts-check
// `ivschat-wasm/backend` for Vercel Edge: the wasm arrives compiled (see backend-wasm-edge-light.js).
import './backend-wasm-edge-light.js';

export * from '../backend/index.js';
