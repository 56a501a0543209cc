// A token backend as a Cloudflare Worker: POST /api/token answers { token, tokenExpirationTime,
// sessionExpirationTime } for the room in ROOM_ARN. createTokenHandler does CORS, the body
// limits, validation and the SigV4-signed CreateChatToken call (signed in WebAssembly; wrangler
// hands the package's .wasm over as a compiled module, nothing to configure).
import { createTokenHandler, credentialsFromEnv, regionFromEnv, TokenHandlerError } from 'ivschat-wasm/backend';

/**
 * Who may chat, as whom, with which rights — decided here, on the server, never by the browser.
 * REPLACE THIS with your app's session check (a cookie, a JWT, ...) and take the userId,
 * capabilities and attributes from your signed-in user. This example has no sign-in: it takes
 * the name the browser asks for as the userId, so anyone can pose as anyone; it only lets them
 * send messages (never delete messages or kick) and only in ROOM_ARN.
 */
function authorize(roomArn, request, body) {
  if (body.roomIdentifier !== undefined && body.roomIdentifier !== roomArn) {
    throw new TokenHandlerError(403, 'There is no chat in that room.');
  }
  const name = typeof body.userId === 'string' ? body.userId : '';
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(name)) {
    throw new TokenHandlerError(400, 'Choose a name of 1-32 letters, digits, _ or -.', { errorType: 'ValidationException' });
  }
  return { roomIdentifier: roomArn, userId: name, capabilities: ['SEND_MESSAGE'], attributes: { displayName: name } };
}

/**
 * The host names (no scheme, no port) this backend answers for once deployed, besides loopback:
 * ALLOWED_HOSTS, comma-separated (`chat.example.com,www.example.com`), or `*` for any host where
 * the platform delivers only requests for your own names. Any other Host gets 421.
 */
function allowedHostsFrom(value) {
  if (value?.trim() === '*') return '*';
  return (value ?? '').split(',').map((name) => name.trim()).filter(Boolean);
}

let tokenHandler;

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname !== '/api/token') return new Response('Not found', { status: 404 });
    // Made on the first request: env (vars and secrets) is only known then.
    tokenHandler ??= createTokenHandler({
      credentials: credentialsFromEnv(env), // secrets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN)
      region: regionFromEnv(env), // AWS_REGION; when unset, the room ARN's region
      endpoint: env.IVSCHAT_ENDPOINT || undefined, // the local server; default https://ivschat.{region}.amazonaws.com
      allowedOrigins: env.ALLOWED_ORIGINS ? env.ALLOWED_ORIGINS.split(',') : [], // pages on other origins
      allowedHosts: allowedHostsFrom(env.ALLOWED_HOSTS), // the Worker's public name(s); loopback always
      authorize: (req, body) => authorize(env.ROOM_ARN, req, body),
      logger: ({ level, message, status, durationMs }) => console[level === 'info' ? 'log' : level](`${status} ${message} (${durationMs} ms)`),
    });
    return tokenHandler(request);
  },
};
