// @ts-check
// Entry for Node, Deno and Bun: the wasm is read from the package folder.
import './client-wasm-node.js';

export * from '../public.js';
