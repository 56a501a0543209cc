// @ts-check
// Where ivschat-backend.wasm, ivschat-review.wasm, ivschat-admin.wasm and ivschat-history.wasm
// come from for browsers and bundlers: fetched (and compiled while streaming) from beside this
// file, only when a call first needs them; bundlers recognise the `new URL(..., import.meta.url)`
// pattern and copy the files. Named, not imported: a bundle carries only the modules its functions load.
import { setDefaultWasmSourceOf } from '../loader.js';

// In a try, so that a bundler building IIFE output (where import.meta is empty) builds without
// a warning; the loader then says which URL failed and that init({ wasm }) sets one.
setDefaultWasmSourceOf('ivschat-backend.wasm', () => {
  try {
    return new URL('../../dist/ivschat-backend.wasm', import.meta.url);
  } catch {
    return 'ivschat-backend.wasm';
  }
});
setDefaultWasmSourceOf('ivschat-review.wasm', () => {
  try {
    return new URL('../../dist/ivschat-review.wasm', import.meta.url);
  } catch {
    return 'ivschat-review.wasm';
  }
});
setDefaultWasmSourceOf('ivschat-admin.wasm', () => {
  try {
    return new URL('../../dist/ivschat-admin.wasm', import.meta.url);
  } catch {
    return 'ivschat-admin.wasm';
  }
});
setDefaultWasmSourceOf('ivschat-history.wasm', () => {
  try {
    return new URL('../../dist/ivschat-history.wasm', import.meta.url);
  } catch {
    return 'ivschat-history.wasm';
  }
});
