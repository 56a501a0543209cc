// @ts-check
// `ivschat-wasm/backend` for Vercel Edge: the wasm arrives compiled (see edge-light.js).
import './edge-light.js';

export * from '../backend/index.js';
