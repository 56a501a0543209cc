// @ts-check
// `ivschat-wasm/backend` for Node, Deno and Bun: the wasm is read from the package folder
// (the main entry for these runtimes sets that up).
import './node.js';

export * from '../backend/index.js';
