// A token backend on Deno: POST /api/token answers { token, tokenExpirationTime,
// sessionExpirationTime } for the room in ROOM_ARN. createTokenHandler does CORS, the body
// limits, validation and the SigV4-signed CreateChatToken call (signed in WebAssembly).
import { createTokenHandler, credentialsFromEnv, regionFromEnv, TokenHandlerError } from 'ivschat-wasm/backend';

const ROOM_ARN = Deno.env.get('ROOM_ARN');
if (!ROOM_ARN) throw new Error('Set ROOM_ARN to the ARN of your IVS Chat room.');

/**
 * Who may chat, as whom, with which rights — decided here, on the server, never by the browser.
 * REPLACE THIS with your app's session check (a cookie, a JWT, ...) and take the userId,
 * capabilities and attributes from your signed-in user. This example has no sign-in: it takes
 * the name the browser asks for as the userId, so anyone can pose as anyone; it only lets them
 * send messages (never delete messages or kick) and only in ROOM_ARN.
 */
function authorize(request, body) {
  if (body.roomIdentifier !== undefined && body.roomIdentifier !== ROOM_ARN) {
    throw new TokenHandlerError(403, 'There is no chat in that room.');
  }
  const name = typeof body.userId === 'string' ? body.userId : '';
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(name)) {
    throw new TokenHandlerError(400, 'Choose a name of 1-32 letters, digits, _ or -.', { errorType: 'ValidationException' });
  }
  return { roomIdentifier: ROOM_ARN, userId: name, capabilities: ['SEND_MESSAGE'], attributes: { displayName: name } };
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

const allowedOrigins = Deno.env.get('ALLOWED_ORIGINS');
const tokenHandler = createTokenHandler({
  credentials: credentialsFromEnv(), // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
  region: regionFromEnv(), // AWS_REGION; when unset, the room ARN's region
  endpoint: Deno.env.get('IVSCHAT_ENDPOINT') || undefined, // the local server; default https://ivschat.{region}.amazonaws.com
  allowedOrigins: allowedOrigins ? allowedOrigins.split(',') : [], // pages on other origins
  allowedHosts: allowedHostsFrom(Deno.env.get('ALLOWED_HOSTS')), // the public name(s); loopback always
  authorize,
  logger: ({ level, message, status, durationMs }) => console[level === 'info' ? 'log' : level](`${status} ${message} (${durationMs} ms)`),
});

Deno.serve({
  hostname: Deno.env.get('HOST') ?? '127.0.0.1',
  port: Number(Deno.env.get('PORT') ?? 8787),
  onListen: ({ hostname, port }) => console.log(`token backend listening on http://${hostname}:${port}/api/token`),
}, (request) => new URL(request.url).pathname === '/api/token' ? tokenHandler(request) : new Response('Not found', { status: 404 }));
