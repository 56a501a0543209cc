// @ts-check
// The admin module of the core (ivschat-admin.wasm): the room calls (CreateRoom, GetRoom,
// ListRooms, UpdateRoom, DeleteRoom) validated, built and signed, and IVS's error answers. Loaded
// only by the room functions (rooms.js) and so by the CLI's room commands: a token handler never
// loads it, nor bundles it.
import '#backend-wasm-sources';
import createIvsChatAdmin from '../../dist/ivschat-admin.mjs';
import { wrapAdminCore } from '../../dist/ivschat-admin-calls.js';
import { createCoreLoader } from '../loader.js';

const loader = createCoreLoader({
  factory: createIvsChatAdmin,
  file: 'ivschat-admin.wasm',
  wrap: wrapAdminCore,
  noSource:
    "the room calls need it, and this runtime's entry does not bundle it (it would grow every Worker that only mints tokens): " +
    "call initAdmin({ wasm }) first, with the module `import adminWasm from 'ivschat-wasm/ivschat-admin.wasm'` " +
    "(on Vercel Edge 'ivschat-wasm/ivschat-admin.wasm?module'), its bytes, a URL or a Response.",
});

/**
 * Loads and instantiates the admin module once: what the room functions do on their first call.
 * Needed first on Cloudflare Workers and Vercel Edge, whose entries do not bundle the module:
 * `initAdmin({ wasm })` with the imported `ivschat-wasm/ivschat-admin.wasm`.
 */
export const initAdmin = loader.init;
