// Node 20: the `node` condition, served through toNodeListener.
import { createServer } from 'node:http';
import { toNodeListener } from 'ivschat-wasm/backend';
import { createApp } from './token-app.js';

const server = createServer(toNodeListener(createApp('node')));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, resolved: import.meta.resolve('ivschat-wasm/backend') }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
