// @ts-check
// Where the wasm comes from for Cloudflare Workers (workerd): the runtime forbids compiling wasm
// at run time, so the wasm is imported as a module, which workerd (and wrangler's bundler) hand
// over already compiled. Shared by the main and the backend entry.
import wasmModule from '../../dist/ivschat-core.wasm';
import { setDefaultWasmSource } from '../loader.js';

setDefaultWasmSource(() => wasmModule);
