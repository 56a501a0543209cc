/**
 * The `ws` package, which only the local server needs: an optional peer dependency, so that an
 * app that only gets tokens or chats does not install it. Loaded when a server starts, with an
 * error that says what to install when it is missing.
 */

/** @returns {Promise<typeof import('ws')>} */
export async function loadWs() {
  try {
    return await import('ws');
  } catch (error) {
    const code = /** @type {{ code?: unknown }} */ (error)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error("The local IVS Chat server (ivschat-wasm/local) needs the 'ws' package, which is not installed: run `npm install --save-dev ws` (ws is an optional peer dependency of ivschat-wasm, needed only here).", { cause: error });
  }
}
