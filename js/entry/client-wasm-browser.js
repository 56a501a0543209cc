// @ts-check
// Where ivschat-client.wasm comes from for browsers and bundlers: fetched (and compiled while
// streaming) from beside this file; bundlers recognise the `new URL(..., import.meta.url)`
// pattern and copy the file.
import { setDefaultWasmSource } from '../client-core.js';

setDefaultWasmSource(() => new URL('../../dist/ivschat-client.wasm', import.meta.url));
