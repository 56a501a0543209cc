// @ts-check
// Where the wasm comes from for browsers and bundlers: it is fetched (and compiled while
// streaming) from beside this file; bundlers recognise the `new URL(..., import.meta.url)`
// pattern. Shared by the main and the backend entry.
import { setDefaultWasmSource } from '../loader.js';

setDefaultWasmSource(() => new URL('../../dist/ivschat-core.wasm', import.meta.url));
