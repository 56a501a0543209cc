// Bundles each function into one file as AWS CDK's NodejsFunction does (esbuild, platform node,
// target node20, @aws-sdk/* left to the Lambda runtime), one folder per function, ready to zip:
//   dist/review/index.js   CommonJS (NodejsFunction's default format)
//   dist/token/index.mjs   ES module (format: OutputFormat.ESM)
// then copies the wasm each function loads beside its bundle (the review handler
// ivschat-review.wasm, the token endpoint ivschat-backend.wasm), as NodejsFunction's
// bundling.commandHooks.afterBundling does (README.md), which is where the package looks for it
// once bundled (after its own dist/ folder, which a bundle no longer has).
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

const functions = [
  { name: 'review', entry: 'src/review.mjs', format: 'cjs', file: 'index.js', wasm: 'ivschat-review.wasm' },
  { name: 'token', entry: 'src/token.mjs', format: 'esm', file: 'index.mjs', wasm: 'ivschat-backend.wasm' },
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
  await copyFile(require.resolve(`ivschat-wasm/${fn.wasm}`), `${outdir}/${fn.wasm}`);
  console.log(`built ${outdir}/${fn.file} (+ ${fn.wasm})`);
}
