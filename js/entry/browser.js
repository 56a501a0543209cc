// @ts-check
// Entry for browsers and bundlers: the wasm is fetched (and compiled while streaming) from
// beside this file; bundlers recognise the `new URL(..., import.meta.url)` pattern.
import './wasm-source-browser.js';

export * from '../public.js';
