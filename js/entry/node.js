// @ts-check
// Entry for Node, Deno and Bun: the wasm is read from the package folder.
import { setDefaultWasmSource } from '../loader.js';

setDefaultWasmSource(async () => {
  const { readFile } = await import('node:fs/promises');
  return readFile(new URL('../../dist/ivschat-core.wasm', import.meta.url));
});

export * from '../public.js';
