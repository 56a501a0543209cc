// @ts-check
// Where ivschat-backend.wasm comes from on Vercel Edge (`edge-light`): like workerd, no compiling at
// run time; Vercel's bundler turns a `.wasm?module` import into a compiled WebAssembly.Module.
import wasmModule from '../../dist/ivschat-backend.wasm?module';
import { setDefaultWasmSource } from '../backend/backend-core.js';

setDefaultWasmSource(() => wasmModule);
// ivschat-admin.wasm (the room calls) is not imported here: it would be bundled into every
// Worker that only mints tokens. Room calls need initAdmin({ wasm }) first (js/backend/admin-core.js).
