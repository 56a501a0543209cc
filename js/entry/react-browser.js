// @ts-check
// `ivschat-wasm/react` for browsers and bundlers: the wasm is fetched (and compiled while
// streaming) from beside client-wasm-browser.js, as for the main entry, and its download starts
// once the importing code has run (an init({ wasm }) made there comes first).
import { preload } from '../client-core.js';
import './client-wasm-browser.js';

export * from '../react/use-chat-room.js';

queueMicrotask(preload);
