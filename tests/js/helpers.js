// Shared by the node tests: fixtures (the same data files GoogleTest reads) and a loopback
// HTTP server whose answers each test scripts.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { requestTable } from '../../js/value-table.js';

const fixturesDir = new URL('../fixtures/', import.meta.url);

/** @param {string} name */
export function readFixture(name) {
  return JSON.parse(readFileSync(new URL(name, fixturesDir), 'utf8'));
}

/** Replaces every {"$repeat": S, "count": N} object by S repeated N times. */
export function expandFixture(value) {
  if (Array.isArray(value)) return value.map(expandFixture);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 2 && '$repeat' in value && 'count' in value) return value.$repeat.repeat(value.count);
    return Object.fromEntries(keys.map((key) => [key, expandFixture(value[key])]));
  }
  return value;
}

/**
 * Starts an HTTP server on 127.0.0.1 with a random port.
 * @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, body: string) => void} handle
 */
export async function startHttpServer(handle) {
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      handle(req, res, body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

export const ROOM_ARN = 'arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456';

/**
 * A request as the shim hands it to the core (js/value-table.js), for tests that call a
 * module's calls directly.
 * @param {unknown} value
 * @param {string} [requestId]
 * @returns {import('../../js/value-table.js').ValueTable}
 */
export function tableOf(value, requestId) {
  const result = requestTable(value, requestId);
  if (!result.ok) throw new Error(`no table: ${result.error.message}`);
  return result.table;
}

