// @ts-check
// The backend module of the core (ivschat-backend.wasm): CreateChatToken validation, bodies and
// SigV4 signatures, IVS answers. What token backends load. Where the runtime gets the wasm from:
// package.json's "imports" picks the file (js/wasm-source/backend-*.js, which also names the
// review and admin modules' files); imported by each loader that needs it.
import '#backend-wasm-sources';
import createIvsChatBackend from '../../dist/ivschat-backend.mjs';
import { wrapBackendCore } from '../../dist/ivschat-backend-calls.js';
import { createCoreLoader } from '../loader.js';

const loader = createCoreLoader({ factory: createIvsChatBackend, file: 'ivschat-backend.wasm', wrap: wrapBackendCore });

/**
 * Loads and instantiates the backend's WebAssembly core once (see the main entry's init).
 */
export const init = loader.init;
