// @ts-check
// Reading wasm files in Node, Deno and Bun (the only place of the package that imports a `node:`
// module, reached only from their entries): the default sources, and init({ wasm }) with a
// file: URL.
//
// Where the default source is looked for, in order (the first file that exists is read):
//   1. $IVSCHAT_WASM_DIR/<file>, when that variable is set (then nowhere else);
//   2. the package's own dist/ folder, where the entry's module is (an installed package);
//   3. beside the bundle, when the package was bundled into one file (esbuild, CDK's
//      NodejsFunction, SAM): `new URL(…, import.meta.url)` then points beside the bundle's own
//      file, and a CommonJS bundle has no import.meta.url at all;
//   4. $LAMBDA_TASK_ROOT/<file> (the function's folder on AWS Lambda);
//   5. the package in a node_modules folder above the bundle or the working directory.
import { setFileReader } from '../loader.js';

/** The variable naming the folder that holds the .wasm files (documented in the README). */
const WASM_DIR_VARIABLE = 'IVSCHAT_WASM_DIR';

/**
 * @param {URL} url
 * @returns {Promise<Uint8Array>}
 */
async function readWasmFile(url) {
  // node:fs, which every runtime has loaded already; node:fs/promises would load Node's stream
  // and readline internals on first use (2-7 ms of a cold start on these machines).
  const { readFile } = await import('node:fs');
  return new Promise((resolve, reject) => readFile(url, (error, bytes) => (error ? reject(error) : resolve(bytes))));
}

setFileReader(readWasmFile);

/**
 * An environment variable, or undefined (also when the runtime refuses to tell: Deno without
 * --allow-env for it).
 * @param {string} name
 */
function environment(name) {
  try {
    // Deno would prompt for (or refuse) a variable it was not allowed: ask it first, silently.
    const deno = /** @type {any} */ (globalThis).Deno;
    if (deno?.permissions?.querySync && deno.permissions.querySync({ name: 'env', variable: name }).state !== 'granted') return undefined;
    const value = globalThis.process?.env?.[name];
    return value ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The places to look, in order; computed one by one, so that an installed package (the first
 * place) costs nothing more.
 * @param {string} file
 * @param {() => URL} packageUrl
 * @param {string | undefined} chosenDir
 * @returns {AsyncGenerator<() => URL | string>} each place as a function: it throws where that place
 *   cannot exist here (no import.meta.url in a CommonJS bundle)
 */
async function* places(file, packageUrl, chosenDir) {
  if (chosenDir) {
    yield () => `${chosenDir.replace(/[\\/]+$/, '')}/${file}`;
    return;
  }
  yield packageUrl;
  // Deno runs the package from node_modules, unbundled: the other places would only make it
  // prompt for read permissions it was not given.
  if (/** @type {any} */ (globalThis).Deno) return;
  // Beside the bundle: this module's URL is the bundle's once bundled as an ES module; a
  // CommonJS bundle has no import.meta.url, but `__filename` (ES modules have none).
  yield () => new URL(`./${file}`, import.meta.url);
  if (typeof __filename === 'string' && __filename) yield () => `${__filename.replace(/[\\/][^\\/]*$/, '')}/${file}`;
  const taskRoot = environment('LAMBDA_TASK_ROOT');
  if (taskRoot) yield () => `${taskRoot.replace(/[\\/]+$/, '')}/${file}`;
  // The package in a node_modules folder above the bundle, or above the working directory.
  const { createRequire } = await import('node:module');
  const bases = [() => import.meta.url, () => __filename, () => `${globalThis.process.cwd()}/`];
  for (const base of bases) {
    const from = safe(base);
    if (typeof from === 'string' && from) {
      yield () => createRequire(from).resolve(`ivschat-wasm/${file}`);
    }
  }
}

/**
 * Reads one of the package's .wasm files from the first place that has it.
 * @param {string} file such as `ivschat-backend.wasm`
 * @param {() => URL} packageUrl the file in the package's dist/ folder (`new URL(…, import.meta.url)`
 *   in the entry: a function, because a CommonJS bundle has no import.meta.url and throws there)
 * @returns {Promise<Uint8Array>}
 */
export async function readPackageWasm(file, packageUrl) {
  const chosenDir = environment(WASM_DIR_VARIABLE);
  /** @type {string[]} */
  const tried = [];
  /** @type {unknown[]} */
  const failures = [];
  const iterator = places(file, packageUrl, chosenDir);
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    let url;
    try {
      const place = next.value();
      url = typeof place === 'string' ? (await import('node:url')).pathToFileURL(place) : place;
    } catch {
      continue; // a place that cannot exist here (no import.meta.url in a CommonJS bundle, no package)
    }
    if (url.protocol !== 'file:' || tried.includes(url.href)) continue;
    tried.push(url.href);
    try {
      return await readWasmFile(url);
    } catch (error) {
      // Deno without --allow-read: no other place can be read either; the loader adds the hint.
      const name = error instanceof Error ? error.name : '';
      if (name === 'NotCapable' || name === 'PermissionDenied') throw error;
      failures.push(error);
    }
  }
  const shown = tried.map((href) => decodeURIComponent(new URL(href).pathname)).join(', ');
  const notFound = failures.length > 0 && failures.every((error) => /** @type {{ code?: unknown }} */ (error)?.code === 'ENOENT');
  const what = notFound ? 'no such file' : failures.map((error) => (error instanceof Error ? error.message : String(error))).join('; ') || 'no place to look';
  const error = new Error(
    `${what} in ${chosenDir ? `${WASM_DIR_VARIABLE}=${chosenDir}` : 'any of the places looked in'} (${shown}). ` +
      (chosenDir
        ? `Put ${file} in that folder (it is in node_modules/ivschat-wasm/dist/), or unset ${WASM_DIR_VARIABLE}.`
        : `Bundled into one file (esbuild, CDK NodejsFunction, SAM)? Copy node_modules/ivschat-wasm/dist/${file} beside the bundle ` +
          `(CDK: bundling.commandHooks.afterBundling; see the package's examples/lambda), or set ${WASM_DIR_VARIABLE} to the folder that holds it, ` +
          'or pass init({ wasm }) with its bytes.'),
  );
  Object.assign(error, { code: notFound ? 'ENOENT' : 'EIO' });
  throw error;
}

/**
 * @template T
 * @param {() => T} make
 * @returns {T | undefined}
 */
function safe(make) {
  try {
    return make();
  } catch {
    return undefined;
  }
}
