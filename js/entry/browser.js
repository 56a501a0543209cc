// @ts-check
// Entry for browsers and bundlers: the wasm is fetched (and compiled while streaming) from
// beside this file; bundlers recognise the `new URL(..., import.meta.url)` pattern. The fetch
// starts once the importing code has run (so that an init({ wasm }) it makes comes first), not
// at the first call: a page's first token request then does not wait for the download.
import { preload } from '../client-core.js';
import './client-wasm-browser.js';

export * from '../public.js';

queueMicrotask(preload);
