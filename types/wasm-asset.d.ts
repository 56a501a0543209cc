/**
 * `ivschat-wasm/ivschat-client.wasm`, `ivschat-wasm/ivschat-backend.wasm` and
 * `ivschat-wasm/ivschat-review.wasm`: the WebAssembly modules as an asset, for bundlers that do
 * not copy them on their own. What an import of one gives depends on the bundler: a URL string
 * (esbuild's `file` loader, Vite's `?url`, Bun's `with { type: 'file' }`) or a compiled
 * `WebAssembly.Module` (wrangler / workerd, Vercel Edge). Both are what `init({ wasm })` takes
 * (`initMessageReview({ wasm })` for the review module).
 * @packageDocumentation
 */
declare const wasm: string | WebAssembly.Module;
export default wasm;
