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
