// @ts-check
// The page's script as one file: web-demo/app.js and the package modules it imports (about 30
// files, each a request and a step of the module graph before anything runs), bundled with
// esbuild (a devDependency, like this demo) into build/web-demo/app.bundle.js, which the page
// loads instead. Made when the demo starts, and again when one of its inputs has changed since
// (checked when the page asks for it), so edits still show on the next reload.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const demoDir = fileURLToPath(new URL('.', import.meta.url));
/** Where the bundle is written (build/ is git-ignored). */
export const BUNDLE_DIR = join(packageDir, 'build', 'web-demo');
/** The bundle's file name, and its path on the demo's server. */
export const BUNDLE_FILE = 'app.bundle.js';
/** Where the page fetches the wasm from (one of the demo's static files). */
const WASM_URL = '/ivschat-wasm/dist/ivschat-client.wasm';
/**
 * The bundle's entry: the page, and the wasm's URL given to init before anything uses the core
 * (the browser source finds it beside itself, which a bundle no longer is; its preload waits for
 * a microtask, so this call comes first).
 */
const ENTRY = `import { init } from 'ivschat-wasm';
import './app.js';
init({ wasm: ${JSON.stringify(WASM_URL)} }).catch(() => {}); // a failure is told by the next init, on the page
`;

/**
 * The page's bundle: `fresh()` makes it when it is missing or older than one of its inputs.
 */
export class PageBundle {
  constructor() {
    /** @type {Map<string, number>} input file -> its mtime when last bundled */
    this.inputs = new Map();
    /** @type {Promise<void> | undefined} */
    this.building = undefined;
    /** How long the last bundling took, in ms. */
    this.lastBuildMs = 0;
  }

  /**
   * The bundle, up to date with its inputs (bundled again when one of them changed).
   * @returns {Promise<void>}
   */
  async fresh() {
    if (this.building) return this.building;
    if (this.inputs.size > 0 && !(await this.changed())) return;
    this.building = this.build().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  async changed() {
    for (const [file, mtime] of this.inputs) {
      const now = await stat(file).then((info) => info.mtimeMs, () => -1);
      if (now !== mtime) return true;
    }
    return false;
  }

  async build() {
    const started = performance.now();
    /** @type {typeof import('esbuild')} */
    let esbuild;
    try {
      esbuild = await import('esbuild');
    } catch (cause) {
      throw new Error('The demo bundles its page with esbuild, a devDependency: run `npm ci` (or `npm start`, which installs it).', { cause });
    }
    const result = await esbuild.build({
      stdin: { contents: ENTRY, resolveDir: demoDir, sourcefile: 'web-demo/bundle-entry.js', loader: 'js' },
      absWorkingDir: packageDir, // the metafile's input paths are relative to it
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
      legalComments: 'none',
      // Readable (not minified): a visitor may read it; brotli makes it about 29 KB.
      plugins: [{
        name: 'ivschat-demo',
        setup(build) {
          // The page imports the package by name, as an app would: its main entry (package.json's
          // exports), whose `#` imports esbuild resolves for the browser from package.json.
          build.onResolve({ filter: /^ivschat-wasm$/ }, () => ({ path: join(packageDir, 'js', 'public.js') }));
          // The page has side effects, whatever package.json's sideEffects (package files) says.
          build.onResolve({ filter: /^\.\/app\.js$/ }, (args) => ({ path: join(args.resolveDir, 'app.js'), sideEffects: true }));
        },
      }],
    });
    if (result.errors.length > 0 || result.warnings.length > 0) {
      const messages = await esbuild.formatMessages([...result.errors, ...result.warnings], { kind: result.errors.length > 0 ? 'error' : 'warning' });
      throw new Error(`Bundling the demo page failed:\n${messages.join('\n')}`);
    }
    /** @type {Map<string, number>} */
    const inputs = new Map();
    for (const input of Object.keys(result.metafile.inputs)) {
      if (input.startsWith('<stdin>') || input.endsWith('bundle-entry.js')) continue;
      const file = join(packageDir, input);
      inputs.set(file, (await stat(file)).mtimeMs);
    }
    const bytes = result.outputFiles[0].contents;
    const file = join(BUNDLE_DIR, BUNDLE_FILE);
    // Written only when it differs (the server compresses each version of a file once), and
    // atomically: another demo (a test in another process) may be reading or writing it too.
    const current = await readFile(file).catch(() => undefined);
    if (!current || !Buffer.from(bytes).equals(current)) {
      await mkdir(BUNDLE_DIR, { recursive: true });
      const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, file);
    }
    this.inputs = inputs;
    this.lastBuildMs = performance.now() - started;
  }
}
