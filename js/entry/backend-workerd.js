// @ts-check
// `ivschat-wasm/backend` for Cloudflare Workers: the wasm arrives compiled (see backend-wasm-workerd.js).
import './backend-wasm-workerd.js';

export * from '../backend/index.js';
