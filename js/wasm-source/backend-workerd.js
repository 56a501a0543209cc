// @ts-check
// Where ivschat-backend.wasm comes from on Cloudflare Workers (workerd): the runtime forbids
// compiling wasm at run time, so it is imported as a module, which workerd (and wrangler's
// bundler) hand over already compiled. ivschat-review.wasm, ivschat-admin.wasm and
// ivschat-history.wasm are not imported here: every token handler's worker would carry them; a
// review handler passes its module to initMessageReview({ wasm }), room calls theirs to
// initAdmin({ wasm }), room history its to initHistory({ wasm }).
import wasmModule from '../../dist/ivschat-backend.wasm';
import { setDefaultWasmSourceOf } from '../loader.js';

setDefaultWasmSourceOf('ivschat-backend.wasm', () => wasmModule);
