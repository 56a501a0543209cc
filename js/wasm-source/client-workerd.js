// @ts-check
// Where ivschat-client.wasm comes from on Cloudflare Workers (workerd): the runtime forbids
// compiling wasm at run time, so it is imported as a module, which workerd (and wrangler's
// bundler) hand over already compiled.
import wasmModule from '../../dist/ivschat-client.wasm';
import { setDefaultWasmSourceOf } from '../loader.js';

setDefaultWasmSourceOf('ivschat-client.wasm', () => wasmModule);
