// Bun: the `bun` condition, served by Bun.serve.
import { createApp } from './token-app.js';

const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: createApp('bun') });
console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}`, resolved: import.meta.resolve('ivschat-wasm/backend') }));
