// The token backend as a Next.js route handler on the Edge runtime: POST /api/token answers
// { token, tokenExpirationTime, sessionExpirationTime } for the room in ROOM_ARN.
// `ivschat-wasm/backend` resolves to its edge-light entry here, whose wasm Next hands over as a
// compiled WebAssembly.Module: nothing to configure.
import { createTokenHandler, credentialsFromEnv, regionFromEnv, TokenHandlerError } from 'ivschat-wasm/backend';

export const runtime = 'edge';

/**
 * Who may chat, as whom, with which rights — decided here, on the server, never by the browser.
 * REPLACE THIS with your app's session check (a cookie, a JWT, ...) and take the userId,
 * capabilities and attributes from your signed-in user. This example has no sign-in: it takes
 * the name the browser asks for as the userId, so anyone can pose as anyone; it only lets them
 * send messages (never delete messages or kick) and only in ROOM_ARN.
 */
function authorize(request, body) {
  const roomArn = process.env.ROOM_ARN;
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

function handle(request) {
  // Made on the first request, from the server's environment (never sent to the browser).
  tokenHandler ??= createTokenHandler({
    credentials: credentialsFromEnv(process.env), // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
    region: regionFromEnv(process.env), // AWS_REGION; when unset, the room ARN's region
    endpoint: process.env.IVSCHAT_ENDPOINT || undefined, // the local server; default https://ivschat.{region}.amazonaws.com
    // The page's own origin is accepted when request.url is on it (Vercel). `next start` hands
    // the route http://localhost:{port}/… whatever host the browser used: list the site's
    // origin there, e.g. ALLOWED_ORIGINS=https://chat.example.com or http://127.0.0.1:3000.
    allowedOrigins: process.env.ALLOWED_ORIGINS ? process.env.ALLOWED_ORIGINS.split(',') : [],
    // Deployed, request.url is on the site's public name: list it (Vercel delivers only your own
    // names, so '*' fits there). Under `next start` it is on localhost, which is always answered.
    allowedHosts: allowedHostsFrom(process.env.ALLOWED_HOSTS),
    authorize,
    logger: ({ level, message, status, durationMs }) => console[level === 'info' ? 'log' : level](`${status} ${message} (${durationMs} ms)`),
  });
  return tokenHandler(request);
}

export { handle as POST, handle as OPTIONS };
