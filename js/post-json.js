// @ts-check
// One JSON POST with a deadline and an optional caller signal, reading a capped answer: shared by
// createChatToken (to the app's token backend), the token handler, the moderation calls and the
// CLI (to IVS).
import { Deadline } from './deadline.js';
import { ChatTokenRequestError, IvsChatRequestError } from './errors.js';
import { readCappedText } from './read-capped.js';

/** No answer of a token backend or of IVS is near this size (a token answer is ~1 KB). */
const MAX_ANSWER_BYTES = 65536;

/**
 * The innermost cause's message: `fetch failed` hides `connect ECONNREFUSED 127.0.0.1:9`.
 * @param {unknown} error
 * @returns {string}
 */
export function describeCause(error) {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause instanceof Error; depth++) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/**
 * POSTs `body` as JSON; resolves with the response and its text once the whole (capped) body
 * has arrived.
 * @param {typeof fetch} fetchImpl
 * @param {string | URL} endpoint
 * @param {string} body
 * @param {{ headers?: Record<string, string>, signal?: AbortSignal, timeoutMs: number, peer?: string,
 *   what?: string, ErrorClass?: typeof IvsChatRequestError, maxAnswerBytes?: number }} options
 *   `peer` names who is asked and `what` the request, in messages; failures are `ErrorClass`
 *   (default ChatTokenRequestError); answers past `maxAnswerBytes` (default 65536) are
 *   MALFORMED_RESPONSE
 * @returns {Promise<{ response: Response, text: string }>}
 */
export async function postJson(fetchImpl, endpoint, body, { headers, signal, timeoutMs, peer = 'the server', what = 'The token request', ErrorClass = ChatTokenRequestError, maxAnswerBytes = MAX_ANSWER_BYTES }) {
  if (signal?.aborted) {
    throw new ErrorClass('ABORTED', `${what} was aborted before it started.`, { cause: signal.reason });
  }
  // The caller's signal or the time running out aborts the request, body included.
  const deadline = new Deadline(timeoutMs, { signal });
  try {
    const response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body,
      signal: deadline.signal,
    });
    const text = await readAnswer(response, peer, ErrorClass, maxAnswerBytes);
    return { response, text };
  } catch (cause) {
    if (cause instanceof IvsChatRequestError) throw cause;
    if (deadline.expired) {
      throw new ErrorClass('TIMEOUT', `${capitalized(peer)} did not answer within ${timeoutMs} ms.`, { cause });
    }
    if (signal?.aborted) {
      throw new ErrorClass('ABORTED', `${what} was aborted.`, { cause });
    }
    throw new ErrorClass('NETWORK_ERROR', `Could not reach ${peer}: ${describeCause(cause)}.`, { cause });
  } finally {
    deadline.clear();
  }
}

/** @param {string} text */
function capitalized(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The body as text, refused past `maxBytes` (counted as it arrives, never buffered whole).
 * @param {Response} response
 * @param {string} peer
 * @param {typeof IvsChatRequestError} ErrorClass
 * @param {number} maxBytes
 */
async function readAnswer(response, peer, ErrorClass, maxBytes) {
  const text = await readCappedText(response, maxBytes);
  if (text === undefined) {
    throw new ErrorClass('MALFORMED_RESPONSE', `${capitalized(peer)} answered more than ${maxBytes} bytes; no answer it sends is near that size.`, {
      status: response.status,
    });
  }
  return text;
}
