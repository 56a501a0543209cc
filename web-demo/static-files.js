// @ts-check
// The files the demo serves: the request path normalised, mapped to the page's files and the
// package's browser files (never server code), and each file compressed once per version.
import { readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';

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
 * Maps a normalised path to a file: the page from web-demo/, the package's browser files under
 * /ivschat-wasm/ (as a bundler or CDN would serve them). Nothing else; never js/local or
 * js/backend (server code, no use to a page).
 * @param {string} path
 */
export function staticFile(path) {
  let root = demoDir;
  let relative = path === '/' ? 'index.html' : path.slice(1);
  if (path.startsWith('/ivschat-wasm/')) {
    root = packageDir;
    relative = path.slice('/ivschat-wasm/'.length);
    if (!relative.startsWith('js/') && !relative.startsWith('dist/')) return undefined;
    if (relative.startsWith('js/local/') || relative.startsWith('js/backend/')) return undefined;
  } else if (!PAGE_FILES.includes(relative)) {
    return undefined;
  }
  // The path is already normalised (no `..`, no empty segment): this is a second fence.
  const file = join(root, relative);
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined;
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
