// @ts-check
// Entry for browsers and bundlers: the wasm is fetched (and compiled while streaming) from
// beside this file; bundlers recognise the `new URL(..., import.meta.url)` pattern.
import { setDefaultWasmSource } from '../loader.js';

setDefaultWasmSource(() => new URL('../../dist/ivschat-core.wasm', import.meta.url));

export * from '../public.js';
