// @ts-check
// Lazy, cached loading of the WebAssembly core. The wasm may arrive as a compiled
// WebAssembly.Module (required on workerd and Vercel Edge, which forbid compiling at run time),
// bytes, a URL or a fetch Response; each entry point supplies its runtime's default.
import createIvsChatCore from '../dist/ivschat-core.mjs';
import { wrapCore } from './core-wrap.js';
import { WasmLoadError } from './errors.js';

/**
 * @typedef {WebAssembly.Module | ArrayBuffer | ArrayBufferView | URL | string | Response} WasmSource
 * @typedef {import('./core-types.js').IvsChatCore} IvsChatCore
 */

/** @type {Promise<IvsChatCore> | undefined} */
let corePromise;
/** @type {(() => WasmSource | Promise<WasmSource>) | undefined} */
let defaultWasmSource;

/**
 * Sets where the wasm comes from when init() is not given one (each runtime entry calls this).
 * @param {() => WasmSource | Promise<WasmSource>} source
 */
export function setDefaultWasmSource(source) {
  defaultWasmSource = source;
}

/**
 * Loads and instantiates the WebAssembly core once; later calls return the same promise.
 * Other functions of the package call it on first use, so calling it yourself is only needed
 * to choose where the wasm comes from or to load it early. A failed load is not cached.
 * @param {{ wasm?: WasmSource }} [options]
 * @returns {Promise<IvsChatCore>}
 */
export function init(options = {}) {
  if (!corePromise) {
    corePromise = instantiateCore(options.wasm).catch((error) => {
      corePromise = undefined;
      throw error;
    });
  }
  return corePromise;
}

/** @param {WasmSource | undefined} explicitSource */
async function instantiateCore(explicitSource) {
  let source;
  try {
    source = explicitSource ?? (await defaultWasmSource?.());
  } catch (cause) {
    throw new WasmLoadError('Could not read the ivschat-wasm WebAssembly file.', { cause });
  }
  if (source == null) {
    throw new WasmLoadError('No WebAssembly source: pass init({ wasm }) with a WebAssembly.Module, bytes, a URL or a Response.');
  }
  /** @type {(error: unknown) => void} */
  let fail = () => {};
  // The Emscripten factory never rejects when instantiateWasm fails, so race it.
  const failure = new Promise((_, reject) => {
    fail = reject;
  });
  const factory = createIvsChatCore({
    locateFile: (/** @type {string} */ path) => path,
    print: () => {},
    printErr: () => {},
    /**
     * @param {WebAssembly.Imports} imports
     * @param {(instance: WebAssembly.Instance, module?: WebAssembly.Module) => void} receive
     */
    instantiateWasm(imports, receive) {
      instantiate(source, imports).then(
        ({ instance, module }) => receive(instance, module),
        (cause) => fail(new WasmLoadError(`Could not instantiate the ivschat-wasm WebAssembly module: ${describe(cause)}`, { cause })),
      );
      return {};
    },
  });
  return /** @type {Promise<IvsChatCore>} */ (Promise.race([factory.then(wrapCore), failure]));
}

/** @param {unknown} error */
function describe(error) {
  return error instanceof Error ? error.message : String(error);
}

/**
 * `instanceof WebAssembly.Module` fails across realms (edge-runtime's vm), so compare tags.
 * (Not a type guard: WebAssembly.Module is structurally empty, so a guard would narrow the
 * other branch to never.)
 * @param {unknown} value
 * @returns {boolean}
 */
function isCompiledModule(value) {
  return Object.prototype.toString.call(value) === '[object WebAssembly.Module]';
}

/**
 * @param {WasmSource} source
 * @param {WebAssembly.Imports} imports
 * @returns {Promise<{ instance: WebAssembly.Instance, module: WebAssembly.Module }>}
 */
async function instantiate(source, imports) {
  if (isCompiledModule(source)) {
    const module = /** @type {WebAssembly.Module} */ (source);
    return { instance: await WebAssembly.instantiate(module, imports), module };
  }
  // Bytes are checked before anything touches the global Response (slow to load in Node 20).
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.instantiate(/** @type {BufferSource} */ (source), imports);
  }
  if (typeof source === 'string' || source instanceof URL) {
    const url = new URL(source, typeof location === 'undefined' ? undefined : location.href);
    if (url.protocol === 'file:') {
      const { readFile } = await import('node:fs/promises');
      return WebAssembly.instantiate(await readFile(url), imports);
    }
    return instantiate(await fetch(url), imports);
  }
  if (source && typeof (/** @type {Response} */ (source)).arrayBuffer === 'function') {
    const response = /** @type {Response} */ (source);
    if (!response.ok) throw new Error(`fetching the wasm answered HTTP ${response.status}`);
    const isWasmType = (response.headers.get('content-type') ?? '').startsWith('application/wasm');
    if (isWasmType && typeof WebAssembly.instantiateStreaming === 'function') {
      return WebAssembly.instantiateStreaming(response, imports);
    }
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
  }
  throw new TypeError('init({ wasm }) takes a WebAssembly.Module, an ArrayBuffer or typed array, a URL or a Response');
}
