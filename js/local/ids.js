// @ts-check
/**
 * Random identifiers, chat tokens and timestamps in the service's formats.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Uniformly random letters and digits (rejection sampling, so no letter is favoured).
 * @param {number} length
 */
export function randomAlphanumeric(length) {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: bytes at or above it would bias the first characters.
      if (byte < 248 && out.length < length) out += ALPHANUMERICS[byte % 62];
    }
  }
  return out;
}

/** A 12-character message / event / room id. */
export function newId() {
  return randomAlphanumeric(12);
}

/**
 * An opaque chat token: `local.` + base64url of 32 random bytes. Every character is valid in a
 * WebSocket subprotocol, so browsers accept it in `new WebSocket(url, token)`.
 */
export function newChatToken() {
  return `local.${randomBytes(32).toString('base64url')}`;
}

/**
 * RFC 3339 UTC with milliseconds, e.g. `2024-01-01T00:00:00.000Z` (control-plane times).
 * @param {number} epochMs
 */
export function isoTime(epochMs) {
  return new Date(epochMs).toISOString();
}

/**
 * The current time as RFC 3339 UTC with 9 fractional digits (nanoseconds), as the messaging
 * API's `SendTime`. Sub-millisecond digits come from the high-resolution clock.
 */
export function sendTimeNow() {
  const now = performance.timeOrigin + performance.now();
  const wholeMs = Math.floor(now);
  const subMsNanos = Math.min(999_999, Math.floor((now - wholeMs) * 1e6));
  const iso = new Date(wholeMs).toISOString(); // ...ss.mmmZ
  return `${iso.slice(0, -1)}${String(subMsNanos).padStart(6, '0')}Z`;
}
