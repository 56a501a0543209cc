// @ts-check
// Where ivschat-client.wasm comes from for browsers and bundlers: fetched (and compiled while
// streaming) from beside this file; bundlers recognise the `new URL(..., import.meta.url)`
// pattern and copy the file. Preloaded: a page loads it as soon as its code has run.
import { setDefaultWasmSourceOf } from '../loader.js';

// In a try, so that a bundler building IIFE output (where import.meta is empty) builds without
// a warning; the loader then says which URL failed and that init({ wasm }) sets one.
setDefaultWasmSourceOf('ivschat-client.wasm', () => {
  try {
    return new URL('../../dist/ivschat-client.wasm', import.meta.url);
  } catch {
    return 'ivschat-client.wasm';
  }
}, { preload: true });
