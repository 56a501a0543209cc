// @ts-check
// The files the demo serves: the request path normalised, mapped by an allow-list of exact paths
// to the page's files and the package files the page loads (never server code), and each file
// compressed once per version.
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';

import { BUNDLE_DIR, BUNDLE_FILE } from './bundle.js';

const demoDir = fileURLToPath(new URL('.', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** @type {Record<string, string>} */
export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};
/** The page's own files; everything else it loads is under /ivschat-wasm/. */
const PAGE_FILES = ['index.html', 'app.js', 'style.css'];
/** What the page loads: app.js and the package modules it imports as one file (web-demo/bundle.js). */
export const BUNDLE_PATH = `/${BUNDLE_FILE}`;
/** Where the page's imports of the package start (app.js imports ivschat-wasm, its main entry). */
const PACKAGE_ENTRY = 'js/public.js';
/**
 * A module's relative imports and asset URLs (from '…', import '…', import('…'),
 * new URL('…', import.meta.url)), and its imports of the package's own `#` specifiers.
 */
const RELATIVE_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\bnew URL\(\s*)(["'])(\.{1,2}\/[^"'\n]+|#[^"'\n]+)\1/g;
/** package.json's "imports", as a browser bundle resolves them (each one's `default`). */
const BROWSER_IMPORTS = Object.fromEntries(Object.entries(
  /** @type {Record<string, { default: string }>} */ (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).imports),
).map(([specifier, sources]) => [specifier, posix.normalize(sources.default)]));

/**
 * The package files the page loads, as exact paths relative to the package (js/public.js,
 * js/chat/…, dist/ivschat-client.mjs, dist/ivschat-client.wasm): the files reachable from the
 * page's entry by relative imports and `new URL(…, import.meta.url)` assets, read once (a module
 * added to the browser entry's imports is served after a restart). Only under js/ and dist/,
 * never js/local/ or js/backend/ (server code), and only files that exist.
 * @returns {ReadonlySet<string>}
 */
function packageFilesOfThePage() {
  /** @type {Set<string>} */
  const found = new Set();
  const queue = [PACKAGE_ENTRY];
  while (queue.length > 0) {
    const relative = /** @type {string} */ (queue.pop());
    if (found.has(relative)) continue;
    if (!/^(?:js|dist)\//.test(relative) || /^js\/(?:local|backend)\//.test(relative)) continue;
    let text;
    try {
      text = /\.m?js$/.test(relative) ? readFileSync(join(packageDir, relative), 'utf8') : (statSync(join(packageDir, relative)).isFile() ? '' : undefined);
    } catch {
      text = undefined;
    }
    if (text === undefined) continue;
    found.add(relative);
    for (const match of text.matchAll(RELATIVE_SPECIFIER)) {
      const specifier = match[2];
      if (specifier.startsWith('#')) {
        if (BROWSER_IMPORTS[specifier]) queue.push(BROWSER_IMPORTS[specifier]);
      } else {
        queue.push(posix.normalize(posix.join(posix.dirname(relative), specifier)));
      }
    }
  }
  return found;
}

/** @type {ReadonlySet<string> | undefined} */
let packageFiles;

/**
 * The request target's path in one canonical form, or undefined when it cannot be one: the
 * query dropped, %-escapes decoded exactly once, empty and `.` segments removed, `..` applied.
 * Refused: a target not starting with `/`, bad escapes, encoded `/` or `\` (they would turn into
 * separators later), NUL, backslashes, and `..` above the root.
 * @param {string} target
 * @returns {string | undefined}
 */
export function normalisePath(target) {
  const raw = target.split(/[?#]/, 1)[0];
  if (!raw.startsWith('/') || raw.includes('\\') || /%(?:2f|5c|00)/i.test(raw)) return undefined;
  let decoded;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  /** @type {string[]} */
  const segments = [];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return undefined;
      segments.pop();
    } else {
      segments.push(segment);
    }
  }
  return `/${segments.join('/')}`;
}

/**
 * Maps a normalised path to a file, by exact (case-sensitive) match with an allow-list: the
 * page's files from web-demo/, the page's bundle (build/web-demo/app.bundle.js), and under
 * /ivschat-wasm/ the package files the page's modules load (as a bundler or CDN would serve
 * them; the bundle needs only the wasm, the others are app.js's unbundled). Nothing else: not server code, not other package files, and
 * no other spelling of an allowed file (a case-insensitive file system would otherwise find
 * js/LOCAL/index.js).
 * @param {string} path
 */
export function staticFile(path) {
  if (path.startsWith('/ivschat-wasm/')) {
    const relative = path.slice('/ivschat-wasm/'.length);
    packageFiles ??= packageFilesOfThePage();
    return packageFiles.has(relative) ? join(packageDir, relative) : undefined;
  }
  if (path === BUNDLE_PATH) return join(BUNDLE_DIR, BUNDLE_FILE);
  const relative = path === '/' ? 'index.html' : path.slice(1);
  return PAGE_FILES.includes(relative) ? join(demoDir, relative) : undefined;
}

/**
 * The encoding to answer with for an Accept-Encoding header: br, else gzip, else identity;
 * `;q=0` refuses one.
 * @param {string | undefined} header
 * @returns {'br' | 'gzip' | 'identity'}
 */
export function chooseEncoding(header) {
  /** @type {Map<string, number>} */
  const accepted = new Map();
  for (const part of (header ?? '').split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  const wants = (/** @type {string} */ name) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (wants('br')) return 'br';
  if (wants('gzip')) return 'gzip';
  return 'identity';
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Static files, read on each request (edits show at once) and compressed once per version of
 * the file (brotli at its best quality costs ~0.1 s for the wasm: paid once, not per request).
 */
export class StaticFiles {
  constructor() {
    /** @type {Map<string, { version: string, encoded: Map<string, Promise<Buffer>> }>} */
    this.cache = new Map();
  }

  /**
   * @param {string} file
   * @returns {Promise<{ bytes: Buffer, version: string } | undefined>}
   */
  async read(file) {
    try {
      const info = await stat(file);
      if (!info.isFile()) return undefined;
      return { bytes: await readFile(file), version: `${info.mtimeMs}:${info.size}` };
    } catch {
      return undefined;
    }
  }

  /**
   * @param {string} file
   * @param {{ bytes: Buffer, version: string }} found
   * @param {'br' | 'gzip'} encoding
   */
  encoded(file, found, encoding) {
    let entry = this.cache.get(file);
    if (!entry || entry.version !== found.version) {
      entry = { version: found.version, encoded: new Map() };
      this.cache.set(file, entry);
    }
    let result = entry.encoded.get(encoding);
    if (!result) {
      result = encoding === 'br'
        ? brotli(found.bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: found.bytes.length } })
        : gzipAsync(found.bytes, { level: 9 });
      entry.encoded.set(encoding, result);
      result.catch(() => entry?.encoded.delete(encoding));
    }
    return result;
  }
}
