// @ts-check
// Where ivschat-backend.wasm comes from in Node, Deno and Bun: read from the package folder.
import { setDefaultWasmSource } from '../backend/backend-core.js';
import { readWasmFile } from './read-wasm-file.js';

setDefaultWasmSource(() => readWasmFile(new URL('../../dist/ivschat-backend.wasm', import.meta.url)));
