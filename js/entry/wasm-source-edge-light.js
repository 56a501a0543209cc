// @ts-check
// Where the wasm comes from for Vercel Edge (`edge-light`): like workerd, no compiling at run
// time; Vercel's bundler turns a `.wasm?module` import into an already compiled
// WebAssembly.Module. Shared by the main and the backend entry.
import wasmModule from '../../dist/ivschat-core.wasm?module';
import { setDefaultWasmSource } from '../loader.js';

setDefaultWasmSource(() => wasmModule);
