// Debian's Chromium driven by playwright-core (no browser download), and a static file server
// for the repository, both on loopback only.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export async function launchChromium() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run \`npm test\` (its set-up installs Debian's chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** The package's "imports" as a browser import map (each specifier's `default`, the browser's). */
export async function browserImportMap() {
  const { imports } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
  return JSON.stringify({ imports: Object.fromEntries(Object.entries(imports).map(([specifier, sources]) => [specifier, sources.default.slice(1)])) });
}

/**
 * Serves the repository read-only on 127.0.0.1, with a strict Content-Security-Policy on pages.
 * @param {{ routes?: Record<string, (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void> }} [options]
 */
export async function serveRepository({ routes = {} } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (routes[path]) return routes[path](req, res);
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    const file = normalize(join(repoRoot, path));
    if (!file.startsWith(repoRoot) || file.includes('node_modules')) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      const headers = { 'content-type': type, 'cache-control': 'no-store' };
      let body = await readFile(file);
      if (type.startsWith('text/html')) {
        // Unbundled, a browser cannot read package.json's "imports": the page gets them as an
        // import map (what a user loading the package's files unbundled writes), allowed by hash.
        const json = await browserImportMap();
        const importMap = `<script type="importmap">${json}</script>`;
        const hash = createHash('sha256').update(json).digest('base64');
        headers['content-security-policy'] = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-${hash}'; connect-src 'self' ws://127.0.0.1:*`;
        body = Buffer.from(body.toString('utf8').replace(/(<meta charset="utf-8">\n?)/, `$1${importMap}\n`));
      }
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
