// @ts-check
// Where ivschat-backend.wasm comes from on Cloudflare Workers (workerd): the runtime forbids
// compiling wasm at run time, so it is imported as a module, which workerd (and wrangler's
// bundler) hand over already compiled.
import wasmModule from '../../dist/ivschat-backend.wasm';
import { setDefaultWasmSource } from '../backend/backend-core.js';

setDefaultWasmSource(() => wasmModule);
// ivschat-admin.wasm (the room calls) is not imported here: it would be bundled into every
// Worker that only mints tokens. Room calls need initAdmin({ wasm }) first (js/backend/admin-core.js).
