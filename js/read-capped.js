import { Deadline } from './deadline.js';

/**
 * Reads a stream to its end, counting bytes as they arrive, so a missing or lying Content-Length
 * cannot get more than `maxBytes` into memory: past that the stream is cancelled. Takes the
 * reader, not the stream, so that a caller with a deadline can cancel it too (what was read by
 * then is returned, and that caller knows to ignore it).
 * @param {ReadableStreamDefaultReader<Uint8Array>} reader
 * @param {number} maxBytes
 * @returns {Promise<Uint8Array | undefined>} the bytes, or undefined when there were more than `maxBytes`
 */
export async function readCapped(reader, maxBytes) {
  /** @type {Uint8Array[]} */
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * A response's body as text, or undefined when it is over `maxBytes`: a Content-Length over it
 * is refused before anything is read, and without one the bytes are counted as they arrive.
 * @param {Response} response
 * @param {number} maxBytes
 * @returns {Promise<string | undefined>}
 */
export async function readCappedText(response, maxBytes) {
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!response.body) return response.text();
  const bytes = await readCapped(response.body.getReader(), maxBytes);
  return bytes && new TextDecoder().decode(bytes);
}

/**
 * A request's body through {@link readCapped}, given `timeoutMs` to arrive (then the stream is
 * cancelled): how the token handler and the message review handler read what they are sent.
 * @param {Request} request
 * @param {number} maxBytes
 * @param {number} timeoutMs
 * @returns {Promise<{ ok: true, bytes: Uint8Array } | { ok: false, problem: 'tooLarge' | 'tooSlow' | 'unreadable', cause?: unknown }>}
 */
export async function readBodyWithin(request, maxBytes, timeoutMs) {
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const deadline = new Deadline(timeoutMs);
  deadline.signal.addEventListener('abort', () => reader.cancel().catch(() => {}));
  let bytes;
  try {
    bytes = await deadline.race(readCapped(reader, maxBytes));
  } catch (cause) {
    return deadline.expired ? { ok: false, problem: 'tooSlow' } : { ok: false, problem: 'unreadable', cause };
  }
  return bytes ? { ok: true, bytes } : { ok: false, problem: 'tooLarge' };
}
