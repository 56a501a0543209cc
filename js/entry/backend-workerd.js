// @ts-check
// `ivschat-wasm/backend` for Cloudflare Workers: the wasm arrives compiled (see wasm-source-workerd.js).
import './wasm-source-workerd.js';

export * from '../backend/index.js';
