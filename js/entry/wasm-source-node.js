// @ts-check
// Where the wasm comes from for Node, Deno and Bun: it is read from the package folder. Shared
// by the main and the backend entry.
import { setDefaultWasmSource } from '../loader.js';

setDefaultWasmSource(async () => {
  const { readFile } = await import('node:fs/promises');
  return readFile(new URL('../../dist/ivschat-core.wasm', import.meta.url));
});
