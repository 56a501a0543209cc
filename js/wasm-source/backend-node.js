// @ts-check
// Where ivschat-backend.wasm, ivschat-review.wasm, ivschat-admin.wasm and ivschat-history.wasm
// come from in Node, Deno and Bun: the package folder, or beside a bundle, or $IVSCHAT_WASM_DIR
// (read-wasm-file.js says where it looks). Named, not imported: a bundle carries only the modules
// its functions load.
// Each URL is written out (not built from the name) so that bundlers see the files.
import { setDefaultWasmSourceOf } from '../loader.js';
import { readPackageWasm } from './read-wasm-file.js';

setDefaultWasmSourceOf('ivschat-backend.wasm', () => readPackageWasm('ivschat-backend.wasm', () => new URL('../../dist/ivschat-backend.wasm', import.meta.url)));
setDefaultWasmSourceOf('ivschat-review.wasm', () => readPackageWasm('ivschat-review.wasm', () => new URL('../../dist/ivschat-review.wasm', import.meta.url)));
setDefaultWasmSourceOf('ivschat-admin.wasm', () => readPackageWasm('ivschat-admin.wasm', () => new URL('../../dist/ivschat-admin.wasm', import.meta.url)));
setDefaultWasmSourceOf('ivschat-history.wasm', () => readPackageWasm('ivschat-history.wasm', () => new URL('../../dist/ivschat-history.wasm', import.meta.url)));
