// @ts-check
// Where ivschat-backend.wasm comes from for browsers and bundlers: fetched (and compiled while
// streaming) from beside this file; bundlers recognise the `new URL(..., import.meta.url)`
// pattern and copy the file. ivschat-admin.wasm (the room calls) likewise, fetched only when a
// room call first runs.
import { setDefaultAdminWasmSource } from '../backend/admin-source.js';
import { setDefaultWasmSource } from '../backend/backend-core.js';

// In a try, so that a bundler building IIFE output (where import.meta is empty) builds without
// a warning; the loader then says which URL failed and that init({ wasm }) sets one.
setDefaultWasmSource(() => {
  try {
    return new URL('../../dist/ivschat-backend.wasm', import.meta.url);
  } catch {
    return 'ivschat-backend.wasm';
  }
});
setDefaultAdminWasmSource(() => {
  try {
    return new URL('../../dist/ivschat-admin.wasm', import.meta.url);
  } catch {
    return 'ivschat-admin.wasm';
  }
});
