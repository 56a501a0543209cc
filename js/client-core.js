// @ts-check
// The client module of the core (ivschat-client.wasm): CreateChatToken validation and request
// bodies, chat frames, token answers. What pages load. Where the runtime gets the wasm from:
// package.json's "imports" picks the file (js/wasm-source/client-*.js); imported here, by the
// loader that needs it, so that no bundler's tree-shaking can keep one without the other.
import '#client-wasm-source';
import createIvsChatClient from '../dist/ivschat-client.mjs';
import { wrapClientCore } from '../dist/ivschat-client-calls.js';
import { createCoreLoader } from './loader.js';

const loader = createCoreLoader({ factory: createIvsChatClient, file: 'ivschat-client.wasm', wrap: wrapClientCore });

/**
 * Loads and instantiates the WebAssembly core once; later calls return the same promise. The
 * functions of the package call it on first use, so calling it yourself is only needed to choose
 * where the wasm comes from (a compiled WebAssembly.Module, bytes, a URL or a Response) or to
 * load it early. A failed load is not cached.
 */
export const init = loader.init;
export const preload = loader.preload;
