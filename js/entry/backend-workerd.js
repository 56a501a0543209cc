// @ts-check
// `ivschat-wasm/backend` for Cloudflare Workers: the wasm arrives compiled (see workerd.js).
import './workerd.js';

export * from '../backend/index.js';
