import { resolve } from 'node:path';

import HtmlWebpackPlugin from 'html-webpack-plugin';
import webpack from 'webpack';

// `webpack serve` sends /api/* to the token backend (../bun, ../deno, ../cloudflare-worker, or
// your own): same origin for the page, so no CORS to set up.
const tokenBackend = process.env.TOKEN_BACKEND_URL ?? 'http://127.0.0.1:8787';

export default {
  entry: './src/main.js',
  output: {
    path: resolve(import.meta.dirname, 'dist'),
    filename: '[name].[contenthash].js',
    clean: true,
  },
  // Nothing to configure for the wasm: webpack sees the package's
  // `new URL('…/ivschat-client.wasm', import.meta.url)` and emits the file as an asset.
  plugins: [
    new HtmlWebpackPlugin({ template: './src/index.html' }),
    // Build-time settings: ROOM_ARN (required), IVSCHAT_MESSAGING_URL (the local server only).
    new webpack.EnvironmentPlugin({ ROOM_ARN: '', IVSCHAT_MESSAGING_URL: '' }),
  ],
  devServer: {
    port: 8080,
    proxy: [{ context: ['/api'], target: tokenBackend }],
  },
};
