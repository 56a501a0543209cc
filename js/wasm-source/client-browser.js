// @ts-check
// Where ivschat-client.wasm comes from for browsers and bundlers: fetched (and compiled while
// streaming) from beside this file; bundlers recognise the `new URL(..., import.meta.url)`
// pattern and copy the file. The download starts once the importing code has run (so that an
// init({ wasm }) it makes comes first), not at the first call: a page's first token request then
// does not wait for it.
import { preload } from '../client-core.js';
import { setDefaultWasmSourceOf } from '../loader.js';

// In a try, so that a bundler building IIFE output (where import.meta is empty) builds without
// a warning; the loader then says which URL failed and that init({ wasm }) sets one.
setDefaultWasmSourceOf('ivschat-client.wasm', () => {
  try {
    return new URL('../../dist/ivschat-client.wasm', import.meta.url);
  } catch {
    return 'ivschat-client.wasm';
  }
});

queueMicrotask(preload);
