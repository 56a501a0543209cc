// @ts-check
// `ivschat-wasm/react` for Node, Deno and Bun (server rendering, tests): the wasm is read from the
// package folder. A server render makes no room (effects do not run there).
import './client-wasm-node.js';

export * from '../react/use-chat-room.js';
