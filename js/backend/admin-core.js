// @ts-check
// The admin module of the core (ivschat-admin.wasm): the room calls (CreateRoom, GetRoom,
// ListRooms, UpdateRoom, DeleteRoom) validated, built and signed, and IVS's error answers. Loaded
// only by the room functions (rooms.js) and so by the CLI's room commands: a token handler never
// loads it, nor bundles it.
import '#backend-wasm-sources';
import createIvsChatAdmin from '../../dist/ivschat-admin.mjs';
import { wrapAdminCore } from '../../dist/ivschat-admin-calls.js';
import { createCoreLoader, unbundledModuleHint } from '../loader.js';

const file = 'ivschat-admin.wasm';
const loader = createCoreLoader({
  factory: createIvsChatAdmin,
  file,
  wrap: wrapAdminCore,
  noSource: unbundledModuleHint('the room calls need it', 'initAdmin', file),
});

/**
 * Loads and instantiates the admin module once: what the room functions do on their first call.
 * Needed first on Cloudflare Workers and Vercel Edge, whose entries do not bundle the module:
 * `initAdmin({ wasm })` with the imported `ivschat-wasm/ivschat-admin.wasm`.
 */
export const initAdmin = loader.init;
