// Size: esbuild-minified + gzip (level 9) bytes of what an app ships, JS plus wasm.
//   browser: an app page using createChatToken and ChatRoom, vs the official chat client's ChatRoom
//   backend: a Cloudflare Worker using createTokenHandler, vs @aws-sdk/client-ivschat's
//            CreateChatTokenCommand and a hand-written one on aws4fetch
// Deterministic, so it also backs the size-budget test (tests/bench/size.test.js).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { build } from 'esbuild';

const ENTRIES = fileURLToPath(new URL('./size-entries/', import.meta.url));
export const BUDGET_FILE = fileURLToPath(new URL('./size-budget.json', import.meta.url));

/**
 * @typedef {object} BundleSize
 * @property {number} jsBytes minified JS
 * @property {number} jsGzip
 * @property {number} wasmBytes 0 when the bundle loads no wasm
 * @property {number} wasmGzip
 * @property {number} totalGzip jsGzip + wasmGzip
 * @property {string[]} wasmFiles
 */

/** @param {Uint8Array | string} data */
export function gzipSize(data) {
  return gzipSync(data, { level: 9 }).length;
}

/**
 * Bundles one entry as a platform's bundler would and measures it. The wasm is never inlined:
 * it is a separate file (fetched by `new URL(..., import.meta.url)` in browsers, a module
 * import on workerd), counted separately and added to the total.
 * @param {string} entry file in bench/size-entries
 * @param {{ conditions: string[], platform: 'browser' | 'neutral' }} target
 * @returns {Promise<BundleSize>}
 */
export async function bundleSize(entry, { conditions, platform }) {
  /** @type {Set<string>} */
  const wasmFiles = new Set();
  const result = await build({
    entryPoints: [ENTRIES + entry],
    bundle: true,
    write: false,
    outfile: 'out.js',
    format: 'esm',
    platform,
    target: 'es2022',
    conditions,
    mainFields: ['browser', 'module', 'main'],
    minify: true,
    legalComments: 'none',
    // Only reached on Node (the loader's file: URL branch); bundlers for the web leave it out.
    external: ['node:*'],
    logLevel: 'silent',
    plugins: [{
      name: 'wasm-as-file',
      setup(pluginBuild) {
        pluginBuild.onResolve({ filter: /\.wasm(\?module)?$/ }, (args) => {
          wasmFiles.add(fileURLToPath(new URL(args.path.replace(/\?module$/, ''), `file://${args.resolveDir}/`)));
          return { path: args.path, external: true };
        });
      },
    }],
  });
  const js = result.outputFiles[0].contents;
  // The browser entry fetches its wasm (dist/ivschat-client.wasm) through
  // new URL('../../dist/ivschat-client.wasm', import.meta.url), which esbuild leaves as it is.
  for (const match of new TextDecoder().decode(js).matchAll(/new URL\("([^"]+\.wasm)",import\.meta\.url\)/g)) {
    wasmFiles.add(fileURLToPath(new URL('../dist/' + match[1].split('/').pop(), import.meta.url)));
  }
  let wasmBytes = 0;
  let wasmGzip = 0;
  for (const file of wasmFiles) {
    const bytes = await readFile(file);
    wasmBytes += bytes.length;
    wasmGzip += gzipSize(bytes);
  }
  const jsGzip = gzipSize(js);
  return { jsBytes: js.length, jsGzip, wasmBytes, wasmGzip, totalGzip: jsGzip + wasmGzip, wasmFiles: [...wasmFiles] };
}

const BROWSER = { conditions: ['browser'], platform: /** @type {const} */ ('browser') };
// As wrangler bundles a Worker: workerd conditions, and the browser field maps (the SDK's browser runtime config).
const WORKER = { conditions: ['workerd', 'worker', 'browser'], platform: /** @type {const} */ ('browser') };

/** Our two entries (what the budget test checks). */
export async function measureOurSizes() {
  const [browser, backend] = await Promise.all([
    bundleSize('ours-browser.js', BROWSER),
    bundleSize('ours-backend.js', WORKER),
  ]);
  return { browser, backend };
}

/** Ours and the competitors. */
export async function measureSizes() {
  const [ours, officialBrowser, sdkBackend, aws4fetchBackend, oursWithHistory] = await Promise.all([
    measureOurSizes(),
    bundleSize('official-browser.js', BROWSER),
    bundleSize('sdk-backend.js', WORKER),
    bundleSize('aws4fetch-backend.js', WORKER),
    bundleSize('ours-browser-history.js', BROWSER),
  ]);
  return {
    browser: { ours: ours.browser, official: officialBrowser, oursWithHistory },
    backend: { ours: ours.backend, sdk: sdkBackend, aws4fetch: aws4fetchBackend },
  };
}

/** @returns {Promise<{ browserGzip: number, backendGzip: number }>} */
export async function readBudget() {
  return JSON.parse(await readFile(BUDGET_FILE, 'utf8'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await measureSizes(), null, 2));
}
