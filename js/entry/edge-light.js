// @ts-check
// Entry for Vercel Edge (`edge-light`): like workerd, no compiling at run time; Vercel's bundler
// turns a `.wasm?module` import into an already compiled WebAssembly.Module.
import './client-wasm-edge-light.js';

export * from '../public.js';
