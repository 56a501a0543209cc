// @ts-check
// Entry of the script-tag build (dist/ivschat-wasm.iife.js, global `IvsChatWasm`): the wasm is
// fetched from beside the script, wherever it is served from (a CDN path, a copy on the site).
// A classic script has no import.meta, so the script's own URL is read while it runs. This body
// runs after public.js's browser source has set its default, so this one replaces it; the
// preload that source queued starts once the script has run, with this one.
import { setDefaultWasmSourceOf } from '../loader.js';

const script = typeof document === 'undefined' ? null : document.currentScript;
const scriptUrl = script instanceof HTMLScriptElement && script.src ? script.src : undefined;
setDefaultWasmSourceOf('ivschat-client.wasm', () => new URL('ivschat-client.wasm', scriptUrl ?? location.href));

export * from '../public.js';
