// @ts-check
// `ivschat-wasm/backend` for Node, Deno and Bun: the wasm is read from the package folder
// (js/entry/backend-wasm-node.js sets that up). The chat client's modules are not loaded.
import './backend-wasm-node.js';

export * from '../backend/index.js';
