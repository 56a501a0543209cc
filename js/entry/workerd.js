// @ts-check
// Entry for Cloudflare Workers (workerd): the runtime forbids compiling wasm at run time, so the
// wasm is imported as a module, which workerd (and wrangler's bundler) hand over already
// compiled.
import './client-wasm-workerd.js';

export * from '../public.js';
