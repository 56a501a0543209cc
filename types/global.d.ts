/**
 * The global of the script-tag build (`dist/ivschat-wasm.iife.js`): everything the main entry
 * exports, as `IvsChatWasm`. Reference it with
 * `/// <reference path="./node_modules/ivschat-wasm/types/global.d.ts" />`
 * in a project that loads the script from a `<script>` tag.
 * @packageDocumentation
 */
import type * as IvsChatWasmExports from './index.js';

declare global {
  /** ivschat-wasm's API, from `<script src=".../ivschat-wasm.iife.js">`. */
  var IvsChatWasm: typeof IvsChatWasmExports;
}
export {};
