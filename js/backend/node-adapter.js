// @ts-check
// Serves a fetch handler with Node's http module: IncomingMessage -> Request, Response ->
// ServerResponse. No node: imports, so this module stays loadable on every runtime.
import { flag, readOptions } from '../option-table.js';

/**
 * The parts of Node's IncomingMessage and ServerResponse used, as types/backend.d.ts declares them:
 * @typedef {import('../../types/backend.js').NodeIncomingMessage} IncomingMessage
 * @typedef {import('../../types/backend.js').NodeServerResponse} ServerResponse
 * @typedef {(request: Request) => Response | Promise<Response>} FetchHandler
 */

/**
 * The request body as a web stream that pauses the socket instead of buffering ahead, and
 * that, when cancelled (the handler stopped reading, e.g. at its size limit), stops reading
 * without destroying the socket, so the answer can still be written.
 * @param {IncomingMessage} incoming
 * @returns {ReadableStream<Uint8Array>}
 */
function bodyStream(incoming) {
  let finished = false;
  return new ReadableStream(
    {
      start(controller) {
        incoming.on('data', (/** @type {Uint8Array} */ chunk) => {
          if (finished) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
        });
        incoming.once('end', () => {
          if (finished) return;
          finished = true;
          controller.close();
        });
        incoming.once('error', (error) => {
          if (finished) return;
          finished = true;
          controller.error(error);
        });
        incoming.pause();
      },
      pull() {
        incoming.resume();
      },
      cancel() {
        finished = true;
        incoming.pause();
      },
    },
    { highWaterMark: 1 },
  );
}

/** A Host header value: a name or address, and a port. */
const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The first value of a forwarding header (proxies append theirs: the first is the client's).
 * @param {string | string[] | undefined} value
 */
function firstForwarded(value) {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(',')[0].trim() || undefined;
}

/**
 * Builds the fetch Request for an incoming Node request. With `trustProxy`, the scheme and host
 * are the ones a TLS-terminating proxy in front saw (X-Forwarded-Proto, X-Forwarded-Host), so
 * that the page it serves is same-origin; only set it when such a proxy is always in front
 * (anyone can send those headers to a server reached directly).
 * @param {IncomingMessage} incoming
 * @param {AbortSignal} signal aborted when the client goes away
 * @param {{ trustProxy?: boolean }} [options]
 * @returns {Request}
 */
function toFetchRequest(incoming, signal, { trustProxy = false } = {}) {
  const encrypted = Boolean(/** @type {{ encrypted?: boolean }} */ (incoming.socket).encrypted);
  let scheme = encrypted ? 'https' : 'http';
  let host = incoming.headers.host ?? 'localhost';
  if (trustProxy) {
    const proto = firstForwarded(incoming.headers['x-forwarded-proto'])?.toLowerCase();
    if (proto === 'http' || proto === 'https') scheme = proto;
    const forwardedHost = firstForwarded(incoming.headers['x-forwarded-host']);
    if (forwardedHost && HOST_PATTERN.test(forwardedHost)) host = forwardedHost;
  }
  if (!HOST_PATTERN.test(host)) host = 'invalid.invalid'; // a Host no origin can match
  const url = new URL(incoming.url ?? '/', `${scheme}://${host}`);
  const headers = new Headers();
  for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
    const name = incoming.rawHeaders[i];
    // HTTP/2 pseudo-headers (":path") are not header names for fetch.
    if (!name.startsWith(':')) headers.append(name, incoming.rawHeaders[i + 1]);
  }
  const method = incoming.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  /** @type {RequestInit & { duplex?: 'half' }} */
  const init = { method, headers, signal };
  if (hasBody) {
    init.body = bodyStream(incoming);
    init.duplex = 'half'; // required by Node's fetch for a streamed body
  }
  return new Request(url, init);
}

/** toNodeListener's options, each with its check and default. */
const OPTIONS = { trustProxy: flag(false) };

/**
 * Adapts a fetch handler (such as the one createTokenHandler returns) to a Node `http` request
 * listener: `http.createServer(toNodeListener(handler)).listen(8080)`. The response body is
 * buffered (token answers are small). When the handler answered without reading the whole
 * request body (413), the connection is closed after the answer instead of draining it.
 * @param {FetchHandler} handler
 * @param {import('../../types/backend.js').NodeListenerOptions} [options] trustProxy: read the scheme and host from
 *   X-Forwarded-Proto / X-Forwarded-Host (behind a TLS-terminating proxy; see toFetchRequest)
 * @returns {(incoming: IncomingMessage, outgoing: ServerResponse) => void}
 */
export function toNodeListener(handler, options = {}) {
  if (typeof handler !== 'function') throw new TypeError('toNodeListener needs a fetch handler (request) => Response.');
  const { trustProxy } = readOptions(OPTIONS, options, { owner: 'toNodeListener', notAnObject: 'toNodeListener options must be an object: { trustProxy? }.' });
  return (incoming, outgoing) => {
    const aborter = new AbortController();
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) aborter.abort();
    });
    (async () => {
      let response;
      try {
        response = await handler(toFetchRequest(incoming, aborter.signal, { trustProxy }));
      } catch {
        response = new Response('{"message":"The server failed."}', { status: 500, headers: { 'content-type': 'application/json' } });
      }
      const body = response.body ? new Uint8Array(await response.arrayBuffer()) : undefined;
      if (outgoing.headersSent || outgoing.destroyed) return;
      outgoing.statusCode = response.status;
      const setCookies = response.headers.getSetCookie?.() ?? [];
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') outgoing.setHeader(name, value);
      });
      if (setCookies.length > 0) outgoing.setHeader('set-cookie', setCookies);
      if (!incoming.complete) outgoing.setHeader('connection', 'close');
      outgoing.end(body);
    })().catch(() => {
      if (!outgoing.headersSent) outgoing.statusCode = 500;
      outgoing.end();
    });
  };
}
