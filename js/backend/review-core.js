// @ts-check
// The message review module of the core (ivschat-review.wasm): reading the event IVS sends a
// review handler and checking the app's decision. Only createMessageReviewHandler loads it, so a
// token handler carries none of it. Where it comes from: each runtime's source file names
// ivschat-review.wasm (js/wasm-source/backend-*.js); on Cloudflare Workers and Vercel Edge the
// source imports no review wasm (it would grow every token handler's worker), so there the app
// passes it to initMessageReview({ wasm }).
import '#backend-wasm-sources';
import createIvsChatReview from '../../dist/ivschat-review.mjs';
import { wrapReviewCore } from '../../dist/ivschat-review-calls.js';
import { createCoreLoader } from '../loader.js';

const loader = createCoreLoader({
  factory: createIvsChatReview,
  file: 'ivschat-review.wasm',
  wrap: wrapReviewCore,
  noSource:
    "on Cloudflare Workers and Vercel Edge the package's backend entry does not import the message review module, so that a " +
    "token handler's worker does not carry it. Import it (import reviewWasm from 'ivschat-wasm/ivschat-review.wasm') and call " +
    'initMessageReview({ wasm: reviewWasm }) before the first review.',
});

/**
 * Loads and instantiates the message review module once (as the backend's init does for its
 * own): optional, except on Cloudflare Workers and Vercel Edge, where it needs `{ wasm }`.
 */
export const initMessageReview = loader.init;
/** Starts reading and compiling the default source now (a handler does when it is created). */
export const preloadMessageReview = loader.preload;
