// @ts-check
// Where ivschat-backend.wasm (and ivschat-admin.wasm, for the room calls) come from in Node, Deno
// and Bun: the package folder, or beside a bundle, or $IVSCHAT_WASM_DIR
// (js/entry/read-wasm-file.js says where it looks).
import { setDefaultAdminWasmSource } from '../backend/admin-source.js';
import { setDefaultWasmSource } from '../backend/backend-core.js';
import { readPackageWasm } from './read-wasm-file.js';

setDefaultWasmSource(() => readPackageWasm('ivschat-backend.wasm', () => new URL('../../dist/ivschat-backend.wasm', import.meta.url)));
setDefaultAdminWasmSource(() => readPackageWasm('ivschat-admin.wasm', () => new URL('../../dist/ivschat-admin.wasm', import.meta.url)));
