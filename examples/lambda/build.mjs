// Bundles each function into one file as AWS CDK's NodejsFunction does (esbuild, platform node,
// target node20, @aws-sdk/* left to the Lambda runtime), one folder per function, ready to zip:
//   dist/review/index.js   CommonJS (NodejsFunction's default format)
//   dist/token/index.mjs   ES module (format: OutputFormat.ESM)
// then copies ivschat-backend.wasm beside each bundle, as NodejsFunction's
// bundling.commandHooks.afterBundling does (README.md), which is where the package looks for it
// once bundled (after its own dist/ folder, which a bundle no longer has).
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const wasm = require.resolve('ivschat-wasm/ivschat-backend.wasm');

const functions = [
  { name: 'review', entry: 'src/review.mjs', format: 'cjs', file: 'index.js' },
  { name: 'token', entry: 'src/token.mjs', format: 'esm', file: 'index.mjs' },
];

await rm('dist', { recursive: true, force: true });
for (const fn of functions) {
  const outdir = `dist/${fn.name}`;
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: [fn.entry],
    outfile: `${outdir}/${fn.file}`,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: fn.format,
    external: ['@aws-sdk/*'],
    minify: true,
    sourcemap: false,
    logLevel: 'error',
    // What NodejsFunction adds for ESM, so that bundled CommonJS code can still require().
    banner: fn.format === 'esm' ? { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" } : undefined,
  });
  await copyFile(wasm, `${outdir}/ivschat-backend.wasm`);
  console.log(`built ${outdir}/${fn.file} (+ ivschat-backend.wasm)`);
}
