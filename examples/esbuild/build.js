// Builds src/ into dist/ with esbuild (`node build.js`), or serves it, rebuilding on change
// (`node build.js --serve`, http://127.0.0.1:8000).
import * as esbuild from 'esbuild';

const serve = process.argv.includes('--serve');

const context = await esbuild.context({
  entryPoints: ['src/main.js', 'src/index.html'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: !serve,
  sourcemap: true,
  outdir: 'dist',
  // The one line esbuild needs for the package: copy imported .wasm files to dist/ and import
  // their URL (src/main.js passes it to init). The same as `--loader:.wasm=file` on the CLI.
  loader: { '.wasm': 'file', '.html': 'copy' },
  // Build-time settings: ROOM_ARN (required), IVSCHAT_MESSAGING_URL (the local server only),
  // TOKEN_ENDPOINT (default /api/token on the page's origin).
  define: {
    'process.env.ROOM_ARN': JSON.stringify(process.env.ROOM_ARN ?? ''),
    'process.env.IVSCHAT_MESSAGING_URL': JSON.stringify(process.env.IVSCHAT_MESSAGING_URL ?? ''),
    'process.env.TOKEN_ENDPOINT': JSON.stringify(process.env.TOKEN_ENDPOINT ?? '/api/token'),
  },
  logLevel: 'info',
});

if (serve) {
  await context.watch();
  await context.serve({ servedir: 'dist', host: '127.0.0.1', port: 8000 });
} else {
  await context.rebuild();
  await context.dispose();
}
