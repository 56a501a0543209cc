// Loopback servers the browser examples are served from: a token backend made with the
// example's own installed ivschat-wasm/backend, and a static file server for built output that
// answers /api/token with it (what a user's site does when pages and backend share an origin).
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * The CSP pages are served with: no inline script, no eval, wasm compiled from fetched bytes
 * only, connections to loopback only. A bundle that needs more than that fails the smoke test.
 */
export const pageCsp = (extraOrigins = '') =>
  `default-src 'self'; script-src 'self' ${extraOrigins} 'wasm-unsafe-eval'; connect-src 'self' ${extraOrigins} ws://127.0.0.1:*`.replace(/ +/g, ' ');

/** ivschat-wasm/backend as installed in the example `dir` (Node's conditions). */
export async function importInstalledBackend(dir) {
  const entry = createRequire(join(dir, 'package.json')).resolve('ivschat-wasm/backend');
  if (!entry.startsWith(join(dir, 'node_modules') + sep)) throw new Error(`ivschat-wasm/backend resolved outside ${dir}: ${entry}`);
  return import(pathToFileURL(entry).href);
}

/**
 * A Node listener for POST /api/token that grants what the examples' own backends grant: the
 * room, a name of 1-32 letters, digits, _ or -, SEND_MESSAGE, the name as displayName.
 * @param {string} dir the example, whose installed package is used
 * @param {{ roomArn: string, credentials: { accessKeyId: string, secretAccessKey: string }, region: string, endpoint: string }} ivs
 */
export async function tokenListener(dir, { roomArn, credentials, region, endpoint }) {
  const { createTokenHandler, toNodeListener, TokenHandlerError } = await importInstalledBackend(dir);
  return toNodeListener(createTokenHandler({
    credentials,
    region,
    endpoint,
    authorize: (request, body) => {
      if (body.roomIdentifier !== undefined && body.roomIdentifier !== roomArn) throw new TokenHandlerError(403, 'There is no chat in that room.');
      if (typeof body.userId !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(body.userId)) throw new TokenHandlerError(400, 'Bad name.');
      return { roomIdentifier: roomArn, userId: body.userId, capabilities: ['SEND_MESSAGE'], attributes: { displayName: body.userId } };
    },
  }));
}

/**
 * Serves `root` on 127.0.0.1 (files only, nothing outside it, no node_modules), plus `routes`.
 * @param {string} root
 * @param {{ routes?: Record<string, import('node:http').RequestListener>, rewrite?: (path: string, text: string) => string, csp?: string, port?: number }} [options]
 *   `rewrite` may change a served HTML file's text (settings a user would type into it);
 *   `csp` replaces the pages' Content-Security-Policy
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveFiles(root, { routes = {}, rewrite, csp = pageCsp(), port = 0 } = {}) {
  const server = createServer(async (req, res) => {
    let path = new URL(req.url ?? '/', 'http://x').pathname;
    if (routes[path]) return routes[path](req, res);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, decodeURIComponent(path)));
    if (!file.startsWith(root + sep) || file.split(sep).includes('node_modules')) return void res.writeHead(403).end();
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      const headers = { 'content-type': type, 'cache-control': 'no-store' };
      const bytes = await readFile(file);
      if (!type.startsWith('text/html')) return void res.writeHead(200, headers).end(bytes);
      headers['content-security-policy'] = csp;
      res.writeHead(200, headers).end(rewrite ? rewrite(path, bytes.toString('utf8')) : bytes);
    } catch {
      res.writeHead(404).end();
    }
  });
  return listen(server, port);
}

/** Serves one listener (e.g. a token backend alone) on 127.0.0.1. */
export function serveListener(listener) {
  return listen(createServer(listener), 0);
}

/**
 * @param {import('node:http').Server} server
 * @param {number} port
 */
async function listen(server, port) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
  return {
    url: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve(undefined)); }),
  };
}
