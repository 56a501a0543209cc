// @ts-check
// Reading wasm files in Node, Deno and Bun (the only place of the package that imports a `node:`
// module, reached only from their entries): the default sources, and init({ wasm }) with a
// file: URL.
import { setFileReader } from '../loader.js';

/** @param {URL} url */
export async function readWasmFile(url) {
  const { readFile } = await import('node:fs/promises');
  return readFile(url);
}

setFileReader(readWasmFile);
