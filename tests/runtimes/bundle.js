// Bundles an app the way the platforms' tools do, with esbuild: the package's export
// conditions for that platform, and the wasm import kept as a wasm import (never inlined as
// bytes) so the platform can hand it over compiled.
import { copyFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';

import { build } from 'esbuild';

/**
 * @param {{ entry: string, outfile: string, format: 'esm' | 'iife', conditions: string[],
 *   wasm: 'module-file' | 'global', wasmGlobal?: string }} options
 *   module-file: `import x from './ivschat-backend.wasm'` stays an import of a file copied beside
 *   the bundle (wrangler's CompiledWasm rule); global: the import becomes a read of
 *   `globalThis[wasmGlobal]`, a binding the host injects (how Vercel wires `?module` imports).
 * @returns {Promise<{ inputs: string[], wasmImports: string[] }>}
 */
export async function bundleApp({ entry, outfile, format, conditions, wasm, wasmGlobal = '__IVSCHAT_CORE_WASM__' }) {
  const wasmImports = [];
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format,
    platform: 'neutral',
    target: 'es2022',
    conditions,
    mainFields: ['browser', 'module', 'main'],
    // The loader's file: URL branch imports node:fs lazily; never reached on these platforms.
    external: ['node:*'],
    metafile: true,
    logLevel: 'silent',
    plugins: [{
      name: 'wasm-as-compiled-module',
      setup(pluginBuild) {
        pluginBuild.onResolve({ filter: /\.wasm(\?module)?$/ }, async (args) => {
          wasmImports.push(args.path);
          const path = args.path.replace(/\?module$/, '');
          // A relative import (the package's entries), or the package's asset export (an app's own import).
          const file = path.startsWith('.') ? resolve(args.resolveDir, path) : createRequire(join(args.resolveDir, 'app.js')).resolve(path);
          if (wasm === 'module-file') {
            await copyFile(file, join(dirname(outfile), basename(file)));
            return { path: `./${basename(file)}`, external: true };
          }
          return { path: file, namespace: 'wasm-global' };
        });
        pluginBuild.onLoad({ filter: /.*/, namespace: 'wasm-global' }, () => ({
          contents: `export default globalThis[${JSON.stringify(wasmGlobal)}];`,
          loader: 'js',
        }));
      },
    }],
  });
  return { inputs: Object.keys(result.metafile.inputs), wasmImports };
}
