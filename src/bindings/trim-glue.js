// @ts-check
// Takes out of a module's Emscripten glue (build/wasm/ivschat-*.mjs, after the link) the code
// js/loader.js never reaches: the loader always instantiates through `instantiateWasm`, from a
// WebAssembly.Module it compiled itself, so the glue's own ways of finding and fetching the wasm
// (script-directory lookup, XHR and fetch readers, the streaming and ArrayBuffer fallbacks) and
// the preload plugin tables are dead weight on every page and edge function (about 0.6 KB of
// each module's 3.3 KB minified and gzipped). Emscripten has no setting that leaves them out.
//
// Each cut is an exact piece of Emscripten 3.1.6's glue and must be found exactly once: with
// other glue the build stops here, naming the piece, instead of shipping a glue that half
// works. CMakeLists.txt runs this only with 3.1.6 (the same gate as embind-glue.js);
// -DIVSCHAT_STOCK_EMBIND=ON keeps the glue whole.
// Usage: node src/bindings/trim-glue.js build/wasm/ivschat-client.mjs [...]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {object} Cut
 * @property {string} what what the code did, for the message when it is not found
 * @property {string} from the first characters of the piece
 * @property {string} to the characters just after it (kept)
 * @property {string} [replacement] what stands in its place
 */

/** @type {Cut[]} */
export const CUTS = [
  {
    what: 'the script-directory lookup, locateFile and the XHR readers',
    from: 'var scriptDirectory="";',
    to: 'var out=console.log',
  },
  {
    what: 'the preload plugin tables',
    from: 'Module["preloadedImages"]={};Module["preloadedAudios"]={};',
    to: 'function abort(what){',
  },
  {
    what: "the wasm file's URL and the binary readers",
    from: 'var dataURIPrefix=',
    to: 'function createWasm(){',
  },
  {
    what: 'the streaming and ArrayBuffer instantiation fallbacks',
    from: 'function receiveInstantiationResult(result){',
    to: 'if(Module["instantiateWasm"]){',
  },
  {
    // Without instantiateWasm there is nothing left to instantiate with: fail at once, loudly.
    what: 'the fallback taken without instantiateWasm',
    from: 'instantiateAsync().catch(readyPromiseReject);',
    to: 'return{}}',
    replacement: 'abort("the glue needs instantiateWasm (js/loader.js)");',
  },
];

/**
 * The glue without the cuts; throws naming the first piece that is not there exactly once.
 * @param {string} glue
 * @param {string} file for the message
 */
export function trimGlue(glue, file) {
  let text = glue;
  for (const { what, from, to, replacement = '' } of CUTS) {
    const start = text.indexOf(from);
    const end = start < 0 ? -1 : text.indexOf(to, start + from.length);
    if (start < 0 || end < 0 || text.indexOf(from, start + 1) >= 0) {
      throw new Error(`${file}: ${what} (${JSON.stringify(from)}) is not in this glue exactly once, as in Emscripten 3.1.6's: src/bindings/trim-glue.js was written for that glue; update its cuts, or configure with -DIVSCHAT_STOCK_EMBIND=ON to keep the glue whole.`);
    }
    text = text.slice(0, start) + replacement + text.slice(end);
  }
  return text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of process.argv.slice(2)) writeFileSync(file, trimGlue(readFileSync(file, 'utf8'), file));
}
