// @ts-check
// Where ivschat-backend.wasm comes from on Vercel Edge (`edge-light`): like workerd, no compiling
// at run time; Vercel's bundler turns a `.wasm?module` import into a compiled WebAssembly.Module.
// ivschat-review.wasm, ivschat-admin.wasm and ivschat-history.wasm are not imported here (see
// backend-workerd.js).
import wasmModule from '../../dist/ivschat-backend.wasm?module';
import { setDefaultWasmSourceOf } from '../loader.js';

setDefaultWasmSourceOf('ivschat-backend.wasm', () => wasmModule);
