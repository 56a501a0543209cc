// @ts-check
// The history module of the core (ivschat-history.wasm): the CloudWatch Logs reads of a room's
// chat log stream validated, built and signed, and IVS's chat log records read and checked. Only
// the history functions (history.js) load it, so a token handler neither bundles nor loads it.
// Where it comes from: each runtime's source file names ivschat-history.wasm
// (js/wasm-source/backend-*.js); on Cloudflare Workers and Vercel Edge the source imports none, so
// there the app passes it to initHistory({ wasm }).
import '#backend-wasm-sources';
import createIvsChatHistory from '../../dist/ivschat-history.mjs';
import { wrapHistoryCore } from '../../dist/ivschat-history-calls.js';
import { createCoreLoader, unbundledModuleHint } from '../loader.js';

const file = 'ivschat-history.wasm';
const loader = createCoreLoader({
  factory: createIvsChatHistory,
  file,
  wrap: wrapHistoryCore,
  noSource: unbundledModuleHint('room history needs it', 'initHistory', file),
});

/**
 * Loads and instantiates the history module once: what readRoomHistory and the history handler
 * do on their first read. Needed first on Cloudflare Workers and Vercel Edge, whose entries do not
 * bundle the module: `initHistory({ wasm })` with the imported `ivschat-wasm/ivschat-history.wasm`.
 */
export const initHistory = loader.init;
/** Starts reading and compiling the default source now (a history handler does when it is created). */
export const preloadHistory = loader.preload;
