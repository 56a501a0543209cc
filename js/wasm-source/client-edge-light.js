// @ts-check
// Where ivschat-client.wasm comes from on Vercel Edge (`edge-light`): like workerd, no compiling at
// run time; Vercel's bundler turns a `.wasm?module` import into a compiled WebAssembly.Module.
import wasmModule from '../../dist/ivschat-client.wasm?module';
import { setDefaultWasmSourceOf } from '../loader.js';

setDefaultWasmSourceOf('ivschat-client.wasm', () => wasmModule);
