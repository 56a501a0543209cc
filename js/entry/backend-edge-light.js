// @ts-check
// `ivschat-wasm/backend` for Vercel Edge: the wasm arrives compiled (see wasm-source-edge-light.js).
import './wasm-source-edge-light.js';

export * from '../backend/index.js';
