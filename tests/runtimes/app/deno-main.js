// Deno: the `deno` condition, served by Deno.serve.
import { createApp } from './token-app.js';

const handler = createApp('deno');
Deno.serve({
  hostname: '127.0.0.1',
  port: 0,
  onListen({ port }) {
    console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, resolved: import.meta.resolve('ivschat-wasm/backend') }));
  },
}, handler);
