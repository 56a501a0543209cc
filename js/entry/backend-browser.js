// @ts-check
// `ivschat-wasm/backend` for other runtimes with fetch (and bundlers): the wasm is fetched
// from beside this file. Never ship AWS credentials to a browser; this condition exists for
// runtimes that only match `browser` / `default`.
import './backend-wasm-browser.js';

export * from '../backend/index.js';
