// @ts-check
// Where ivschat-client.wasm comes from in Node, Deno and Bun: read from the package folder.
import { setDefaultWasmSource } from '../client-core.js';
import { readWasmFile } from './read-wasm-file.js';

setDefaultWasmSource(() => readWasmFile(new URL('../../dist/ivschat-client.wasm', import.meta.url)));
