// @ts-check
// Where ivschat-backend.wasm comes from for browsers and bundlers: fetched (and compiled while
// streaming) from beside this file; bundlers recognise the `new URL(..., import.meta.url)`
// pattern and copy the file.
import { setDefaultWasmSource } from '../backend/backend-core.js';

setDefaultWasmSource(() => new URL('../../dist/ivschat-backend.wasm', import.meta.url));
