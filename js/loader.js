// @ts-check
// Loading a WebAssembly module of the core: lazy (on first use), cached, and given the wasm as a
// compiled WebAssembly.Module (required on workerd and Vercel Edge, which forbid compiling at
// run time), bytes, a URL or a fetch Response. The runtime's source file (js/wasm-source/) supplies
// the default source.
// The module is compiled once; instances are made from it synchronously, so that a call that
// traps can be retried on a fresh instance at once (js/boundary-io.js).
import { WasmLoadError } from './errors.js';

/**
 * @typedef {WebAssembly.Module | ArrayBuffer | ArrayBufferView | URL | string | Response} WasmSource
 * @typedef {import('./boundary-io.js').RawModule} RawModule
 * @typedef {(overrides: object) => unknown} EmscriptenFactory the generated module's default export
 */

/**
 * @template Core
 * @typedef {object} CoreLoader
 * @property {(options?: { wasm?: WasmSource }) => Promise<Core>} init loads once; later calls
 *   return the same promise (a failed load is not kept, so the next call tries again)
 * @property {() => void} preload starts fetching and compiling the default source now
 */

/** @type {((url: URL) => Promise<Uint8Array>) | undefined} */
let readFileUrl;

/**
 * Default sources by file name, set by the runtime's source file (js/wasm-source/, which
 * package.json's "imports" picks): it names a module's file rather than importing its loader,
 * so that a bundle carries only the glue of the modules its functions load (a token handler's,
 * a review handler's). Each loader imports its source file, so the source is set before the
 * loader is made, which then starts the preload it asks for.
 * @type {Map<string, { source: () => WasmSource | undefined | Promise<WasmSource | undefined>, preload: boolean }>}
 */
const defaultSources = new Map();

/**
 * Where a module's wasm comes from when init() is given none (the last one set is used).
 * @param {string} file such as `ivschat-review.wasm`
 * @param {() => WasmSource | undefined | Promise<WasmSource | undefined>} source
 * @param {{ preload?: boolean }} [options] `preload`: the loader starts fetching and compiling it
 *   once the code that is running has finished (a page's: so that an init({ wasm }) it makes
 *   comes first), not at the first call, so that a page's first token request does not wait for
 *   the download
 */
export function setDefaultWasmSourceOf(file, source, { preload = false } = {}) {
  defaultSources.set(file, { source, preload });
}

/**
 * How file: URLs are read (Node, Deno and Bun entries set it; browsers have none, so no `node:`
 * module is reachable from their entries).
 * @param {(url: URL) => Promise<Uint8Array>} reader
 */
export function setFileReader(reader) {
  readFileUrl = reader;
}

/**
 * The `noSource` text of a module the Workers and Vercel Edge entries do not bundle (it would
 * grow every worker that only mints tokens): how to pass it.
 * @param {string} needs who needs it, as the start of the sentence ('the room calls need it')
 * @param {string} init the function that takes it, `init` + the module's name ('initAdmin')
 * @param {string} file the module's file ('ivschat-admin.wasm')
 */
export function unbundledModuleHint(needs, init, file) {
  const binding = `${init.slice('init'.length).toLowerCase()}Wasm`;
  return `${needs}, and this runtime's entry does not bundle it (it would grow every Worker that only mints tokens): ` +
    `call ${init}({ wasm }) first, with the module \`import ${binding} from 'ivschat-wasm/${file}'\` ` +
    `(on Vercel Edge 'ivschat-wasm/${file}?module'), its bytes, a URL or a Response.`;
}

/**
 * @template Core
 * @param {{ factory: EmscriptenFactory, file: string, wrap: (instantiate: () => RawModule) => Core, noSource?: string }} options
 *   `file` names the wasm in messages and its default source; `wrap` builds the core from a
 *   function that makes instances; `noSource`, what to do when the runtime's source file gives no
 *   default (a source that gives undefined counts as none)
 * @returns {CoreLoader<Core>}
 */
export function createCoreLoader({ factory, file, wrap, noSource = 'pass init({ wasm }) with a WebAssembly.Module, bytes, a URL or a Response.' }) {
  /** @type {Promise<Core> | undefined} */
  let corePromise;
  /** @type {Promise<WebAssembly.Module> | undefined} */
  let preloaded;

  /** @param {WasmSource | undefined} explicitSource */
  async function load(explicitSource) {
    const compiled = await (explicitSource === undefined ? (preloaded ?? compileDefault()) : compileSource(explicitSource, file));
    // `wrap` makes the first instance at once: a module that does not fit the glue fails here.
    return wrap(() => instantiateSync(factory, compiled, file));
  }

  function compileDefault() {
    return (async () => {
      let source;
      try {
        source = await defaultSources.get(file)?.source();
      } catch (cause) {
        throw new WasmLoadError(`Could not read ${file}: ${describe(cause)}${readHint(cause)}`, { cause });
      }
      if (source == null) throw new WasmLoadError(`No WebAssembly source for ${file}: ${noSource}`);
      return compileSource(source, file);
    })();
  }

  const loader = {
    /** @param {{ wasm?: WasmSource }} [options] */
    init(options = {}) {
      if (!corePromise) {
        corePromise = load(options.wasm).catch((error) => {
          corePromise = undefined;
          preloaded = undefined;
          throw error;
        });
      }
      return corePromise;
    },
    preload() {
      if (corePromise || preloaded) return;
      preloaded = compileDefault();
      // A failed preload is reported by the init() that uses it, not as an unhandled rejection.
      preloaded.catch(() => {});
    },
  };
  if (defaultSources.get(file)?.preload) queueMicrotask(loader.preload);
  return loader;
}

/** @param {unknown} error */
function describe(error) {
  return error instanceof Error ? error.message : String(error);
}

/** Deno refuses file reads without --allow-read: say so. @param {unknown} cause */
function readHint(cause) {
  const name = cause instanceof Error ? cause.name : '';
  return name === 'NotCapable' || name === 'PermissionDenied' ? ' (Deno: run with --allow-read, or pass init({ wasm }))' : '';
}

/**
 * `instanceof WebAssembly.Module` fails across realms (edge-runtime's vm), so compare tags.
 * @param {unknown} value
 * @returns {boolean}
 */
function isCompiledModule(value) {
  return Object.prototype.toString.call(value) === '[object WebAssembly.Module]';
}

/**
 * @param {WasmSource} source
 * @param {string} file
 * @returns {Promise<WebAssembly.Module>}
 */
async function compileSource(source, file) {
  if (isCompiledModule(source)) return /** @type {WebAssembly.Module} */ (source);
  try {
    // Bytes are checked before anything touches the global Response (slow to load in Node 20).
    if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
      return await compileBytes(/** @type {BufferSource} */ (source));
    }
    if (typeof source === 'string' || source instanceof URL) {
      const url = new URL(source, typeof location === 'undefined' ? undefined : location.href);
      if (url.protocol === 'file:') {
        if (!readFileUrl) {
          throw new WasmLoadError(`Cannot read ${url.href} here: file: URLs need the package's Node, Deno or Bun entry, or init({ wasm }) with the bytes.`);
        }
        let bytes;
        try {
          bytes = await readFileUrl(url);
        } catch (cause) {
          throw new WasmLoadError(`Could not read ${url.href}: ${describe(cause)}${readHint(cause)}`, { cause });
        }
        return await compileBytes(/** @type {BufferSource} */ (bytes));
      }
      let response;
      try {
        response = await fetch(url);
      } catch (cause) {
        throw new WasmLoadError(`Could not fetch ${url.href}: ${describe(cause)}.`, { cause });
      }
      return await compileResponse(response, url.href, file);
    }
    if (source && typeof (/** @type {Response} */ (source)).arrayBuffer === 'function') {
      return await compileResponse(/** @type {Response} */ (source), /** @type {Response} */ (source).url || 'the Response', file);
    }
  } catch (cause) {
    if (cause instanceof WasmLoadError) throw cause;
    throw new WasmLoadError(`Could not compile ${file}: ${describe(cause)}`, { cause });
  }
  throw new WasmLoadError('init({ wasm }) takes a WebAssembly.Module, an ArrayBuffer or typed array, a URL or a Response.');
}

/**
 * Bytes compiled: synchronously where the runtime reads files (Node, Deno, Bun: the entries that
 * set a file reader), asynchronously elsewhere (browsers may refuse a large synchronous compile on
 * the main thread). The modules (50-90 KB) compile in about 5 ms either way, but in Node 20 an
 * asynchronous compile's completion came 0.1-0.5 s late when the code had been import()ed as
 * CommonJS (a bundled Lambda handler loaded by import(): examples/lambda/invoke.mjs), against
 * IVS's 200 ms for a review answer.
 * @param {BufferSource} bytes
 * @returns {WebAssembly.Module | Promise<WebAssembly.Module>}
 */
function compileBytes(bytes) {
  return readFileUrl ? new WebAssembly.Module(bytes) : WebAssembly.compile(bytes);
}

/**
 * @param {Response} response
 * @param {string} where the URL, for messages
 * @param {string} file
 */
async function compileResponse(response, where, file) {
  if (!response.ok) {
    throw new WasmLoadError(
      `Fetching ${file} from ${where} answered HTTP ${response.status}: serve the file at that URL (bundlers that do not ` +
        `copy it need init({ wasm }) with the 'ivschat-wasm/${file}' asset; see the package's docs/frameworks.md).`,
    );
  }
  const isWasmType = (response.headers.get('content-type') ?? '').startsWith('application/wasm');
  if (isWasmType && typeof WebAssembly.compileStreaming === 'function') return WebAssembly.compileStreaming(response);
  // The bytes in a variable first: Next's development transform wraps WebAssembly.compile(...)
  // in a plain function, where an `await` inside the call would be a syntax error.
  const bytes = await response.arrayBuffer();
  return WebAssembly.compile(bytes);
}

/**
 * A new instance of a compiled module, with the Emscripten glue around it, made synchronously:
 * the glue attaches the bindings to the object it is given while it runs.
 * @param {EmscriptenFactory} factory
 * @param {WebAssembly.Module} compiled
 * @param {string} file
 * @returns {RawModule}
 */
function instantiateSync(factory, compiled, file) {
  const raw = /** @type {RawModule} */ (/** @type {unknown} */ ({
    /**
     * @param {WebAssembly.Imports} imports
     * @param {(instance: WebAssembly.Instance, module: WebAssembly.Module) => void} receive
     */
    instantiateWasm(imports, receive) {
      receive(new WebAssembly.Instance(compiled, imports), compiled);
      return {};
    },
  }));
  let instantiated;
  try {
    const ready = /** @type {Promise<unknown>} */ (factory(raw));
    ready.catch(() => {}); // the glue rejects its own promise on a later abort; nobody waits on it
    instantiated = typeof raw.ioAddress === 'function';
  } catch (cause) {
    throw new WasmLoadError(`Could not instantiate ${file}: ${describe(cause)}`, { cause });
  }
  if (!instantiated) throw new WasmLoadError(`Could not instantiate ${file}: its bindings did not register.`);
  return raw;
}
