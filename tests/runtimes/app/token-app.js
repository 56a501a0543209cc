// The app every runtime test serves: a token backend as its users would write it, importing
// the package by name. `runtime` names who serves it, so the test can tell.
import { createTokenHandler, credentialsFromEnv, TokenHandlerError } from 'ivschat-wasm/backend';

/**
 * @param {string} runtime
 * @param {Record<string, unknown>} [env] a Worker's env; the process environment otherwise
 */
export function createApp(runtime, env) {
  const settings = env ?? globalThis.process?.env ?? {};
  return createTokenHandler({
    credentials: credentialsFromEnv(env),
    endpoint: settings.IVSCHAT_ENDPOINT,
    // Every call to IVS here answers (a few ms, more in a runtime that has just started): 10 s is
    // far over 10x that on a loaded machine, and under the 15 s the tests' createChatToken waits.
    timeoutMs: 10_000,
    allowedOrigins: ['https://app.example.com'],
    authorize(request, body) {
      if (request.headers.get('authorization') !== 'Bearer runtime-user') throw new TokenHandlerError(401, 'Sign in to chat.');
      return {
        roomIdentifier: body.roomIdentifier,
        userId: `user-on-${runtime}`,
        capabilities: ['SEND_MESSAGE'],
        attributes: { runtime },
      };
    },
  });
}
