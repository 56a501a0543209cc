// @ts-check
// Where ivschat-client.wasm comes from in Node, Deno and Bun: the package folder, or beside a
// bundle, or $IVSCHAT_WASM_DIR (js/entry/read-wasm-file.js says where it looks).
import { setDefaultWasmSource } from '../client-core.js';
import { readPackageWasm } from './read-wasm-file.js';

setDefaultWasmSource(() => readPackageWasm('ivschat-client.wasm', () => new URL('../../dist/ivschat-client.wasm', import.meta.url)));
