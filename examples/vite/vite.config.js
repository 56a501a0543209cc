import { defineConfig } from 'vite';

// `vite` and `vite preview` send /api/* to the token backend (../bun, ../deno,
// ../cloudflare-worker, or your own): same origin for the page, so no CORS to set up.
// changeOrigin: false keeps the page's Host header, so the backend sees a same-origin request;
// Vite's shorthand (`'/api': url`) rewrites it, and the backend refuses the page's Origin.
const tokenBackend = process.env.TOKEN_BACKEND_URL ?? 'http://127.0.0.1:8787';
const proxy = { '/api': { target: tokenBackend, changeOrigin: false } };

export default defineConfig({
  server: { proxy },
  preview: { proxy },
});
