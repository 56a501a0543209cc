// @ts-check
// Entry of the script-tag build (dist/ivschat-wasm.iife.js, global `IvsChatWasm`): the wasm is
// fetched from beside the script, wherever it is served from (a CDN path, a copy on the site).
// A classic script has no import.meta, so the script's own URL is read while it runs.
import { preload, setDefaultWasmSource } from '../client-core.js';

const script = typeof document === 'undefined' ? null : document.currentScript;
const scriptUrl = script instanceof HTMLScriptElement && script.src ? script.src : undefined;
setDefaultWasmSource(() => new URL('ivschat-client.wasm', scriptUrl ?? location.href));

export * from '../public.js';

queueMicrotask(preload);
