// @ts-check
// One WebSocket to the messaging API, through the standard WHATWG interface only (addEventListener,
// send, close), so the same code runs on the browser's, Deno's, Bun's, workerd's and `ws`'s class.
// The token travels as the single subprotocol, as the service requires; every text this reports
// (an error, a close reason) goes through the room's Redactor, which knows the token.

/**
 * The part of the standard WebSocket interface used (browsers', Deno's, Bun's, workerd's, `ws`'s):
 * @typedef {{ addEventListener(type: 'open' | 'message' | 'error' | 'close', listener: (event: any) => void): void,
 *   send(data: string): void, close(code?: number, reason?: string): void }} WebSocketLike
 * @typedef {new (url: string, protocols?: string | string[]) => WebSocketLike} WebSocketClass
 * @typedef {{ code: number, reason: string, wasClean: boolean }} CloseInfo
 */

let nextSocketNumber = 1;

/**
 * Why a handshake failed, as an Error; `tokenRefused` when the service refused the token (HTTP
 * 401 or 403 at the upgrade: the token was used already, has expired, or is for another room).
 * @param {string | undefined} detail the `error` event's text, token removed
 * @param {number} code the close code
 * @returns {Error & { tokenRefused?: boolean }}
 */
function handshakeError(detail, code) {
  const refused = /\b(401|403)\b/.exec(detail ?? '');
  if (refused) {
    return Object.assign(
      new Error(`IVS Chat refused the token (HTTP ${refused[1]} at the WebSocket upgrade): it was already used, has expired, or is for another room. ` +
        'A chat token opens one connection only: the tokenProvider must return a fresh token from CreateChatToken every time it is called'),
      { tokenRefused: true },
    );
  }
  return new Error(`the WebSocket did not open (${detail ? `${detail}; ` : 'no detail given; '}closed with code ${code})`);
}

/**
 * A messaging URL fit for messages: scheme, host, port and path only (no user info, query or
 * fragment, where a token could hide).
 * @param {string} url
 */
export function shownSocketUrl(url) {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'the messaging URL';
  }
}

export class ChatSocket {
  /**
   * Starts opening at once; `opened` settles when the handshake succeeds or fails.
   * @param {object} options
   * @param {WebSocketClass} options.WebSocket
   * @param {string} options.url
   * @param {string} options.token
   * @param {import('../redact.js').Redactor} options.redactor
   * @param {(text: string) => void} options.onText every text frame, once open
   * @param {() => void} options.onBinary a binary frame (the service sends none)
   * @param {(info: CloseInfo) => void} options.onClose the socket closed after it had opened, and not by close()
   */
  constructor({ WebSocket, url, token, redactor, onText, onBinary, onClose }) {
    /** Numbers the sockets of a process in log lines. */
    this.number = nextSocketNumber++;
    this.isOpen = false;
    /** Set by close(): from then on no event reaches the callbacks. */
    this.detached = false;
    /** @type {string | undefined} what the last `error` event said, token removed */
    this.lastError = undefined;
    /** @type {(value: void) => void} */
    let resolveOpened = () => {};
    /** @type {(reason: Error) => void} */
    let rejectOpened = () => {};
    /** Resolves once open; rejects with an Error (token-free message) if the socket fails first. */
    this.opened = new Promise((resolve, reject) => {
      resolveOpened = resolve;
      rejectOpened = reject;
    });
    this.opened.catch(() => {}); // the room may stop caring (disconnect()) before it settles
    this.rejectOpened = rejectOpened;

    /** @type {WebSocketLike | undefined} */
    this.socket = undefined;
    try {
      this.socket = new WebSocket(url, token);
    } catch (error) {
      // Some browsers quote the subprotocol (the token) in this message: remove it.
      rejectOpened(new Error(`the WebSocket could not be created: ${redactor.describe(error)}`));
      return;
    }
    const socket = this.socket;
    // Listeners stay attached for the socket's whole life: `ws` throws an 'error' event that has
    // no listener, and closing a socket that is still connecting produces one.
    socket.addEventListener('open', () => {
      if (this.detached) return;
      this.isOpen = true;
      resolveOpened();
    });
    socket.addEventListener('error', (event) => {
      const detail = /** @type {{ message?: unknown, error?: unknown }} */ (/** @type {unknown} */ (event));
      // Browsers give no detail (on purpose); `ws`, Deno and Bun say e.g. "Unexpected server response: 401".
      const text = typeof detail.message === 'string' && detail.message ? detail.message : detail.error ? redactor.describe(detail.error) : '';
      if (text) this.lastError = redactor.redact(text);
    });
    socket.addEventListener('message', (event) => {
      if (this.detached || !this.isOpen) return;
      if (typeof event.data === 'string') onText(event.data);
      else onBinary();
    });
    socket.addEventListener('close', (event) => {
      if (this.detached) return;
      const wasOpen = this.isOpen;
      this.isOpen = false;
      this.detached = true;
      if (!wasOpen) {
        rejectOpened(handshakeError(this.lastError, event.code));
        return;
      }
      onClose({ code: event.code, reason: redactor.redact(event.reason ?? ''), wasClean: event.wasClean });
    });
  }

  /**
   * Sends one text frame; false when the socket is not open.
   * @param {string} text
   */
  send(text) {
    if (!this.isOpen || this.detached || !this.socket) return false;
    this.socket.send(text);
    return true;
  }

  /**
   * Closes from our side (1000); the callbacks hear nothing more, and a pending `opened` rejects.
   * @param {string} [reason]
   */
  close(reason = '') {
    if (this.detached) return;
    this.detached = true;
    this.isOpen = false;
    this.rejectOpened(new Error('the WebSocket was closed before it opened'));
    try {
      this.socket?.close(1000, reason);
    } catch {
      // Already closing or closed.
    }
  }
}
