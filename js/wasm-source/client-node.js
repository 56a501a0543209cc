// @ts-check
// Where ivschat-client.wasm comes from in Node, Deno and Bun: the package folder, or beside a
// bundle, or $IVSCHAT_WASM_DIR (read-wasm-file.js says where it looks).
import { setDefaultWasmSourceOf } from '../loader.js';
import { readPackageWasm } from './read-wasm-file.js';

setDefaultWasmSourceOf('ivschat-client.wasm', () => readPackageWasm('ivschat-client.wasm', () => new URL('../../dist/ivschat-client.wasm', import.meta.url)));
