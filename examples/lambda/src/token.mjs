// The token endpoint as a Lambda behind a Function URL or an API Gateway HTTP API (payload 2.0):
// the APIGatewayProxyEventV2 becomes a standard Request for createTokenHandler, and its Response
// becomes { statusCode, headers, body }. POST { "userId": "alice" } answers { token,
// tokenExpirationTime, sessionExpirationTime } for the room in ROOM_ARN.
import { createTokenHandler, credentialsFromEnv, regionFromEnv, TokenHandlerError } from 'ivschat-wasm/backend';

const ROOM_ARN = process.env.ROOM_ARN;
if (!ROOM_ARN) throw new Error('Set ROOM_ARN to the ARN of your IVS Chat room.');

/**
 * Who may chat, as whom, with which rights — decided here, never by the browser. REPLACE THIS
 * with your app's session check (a cookie, a JWT, an API Gateway authorizer's claims): this
 * example has no sign-in and takes the name the caller asks for; it only lets them send messages.
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

/** ALLOWED_HOSTS: the Function URL's or custom domain's host names, comma-separated, or `*`. */
function allowedHostsFrom(value) {
  if (value?.trim() === '*') return '*';
  return (value ?? '').split(',').map((name) => name.trim()).filter(Boolean);
}

const tokenHandler = createTokenHandler({
  // The function's role: Lambda sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
  // (For credentials that rotate during a long-lived container, use getCredentials with
  // fromNodeProviderChain() from @aws-sdk/credential-providers.)
  credentials: credentialsFromEnv(),
  region: regionFromEnv(), // AWS_REGION, set by Lambda
  endpoint: process.env.IVSCHAT_ENDPOINT || undefined, // the local server in tests; default https://ivschat.{region}.amazonaws.com
  allowedOrigins: process.env.ALLOWED_ORIGINS ? process.env.ALLOWED_ORIGINS.split(',') : [],
  allowedHosts: allowedHostsFrom(process.env.ALLOWED_HOSTS),
  authorize,
  // No logger: the backend's own problems (IVS refusing the role's request, ...) go to
  // console.warn, which is CloudWatch Logs here.
});

/**
 * APIGatewayProxyEventV2 → Request.
 * @param {any} event
 */
function requestFrom(event) {
  const http = event.requestContext?.http ?? {};
  const method = http.method ?? 'GET';
  const host = event.headers?.host ?? event.requestContext?.domainName ?? 'localhost';
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) if (typeof value === 'string') headers.set(name, value);
  // Payload 2.0 joins repeated cookies into `cookies`.
  if (Array.isArray(event.cookies) && event.cookies.length > 0) headers.set('cookie', event.cookies.join('; '));
  const hasBody = method !== 'GET' && method !== 'HEAD' && typeof event.body === 'string';
  const body = hasBody ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body) : undefined;
  return new Request(`https://${host}${event.rawPath ?? http.path ?? '/'}${query}`, { method, headers, body });
}

/** Response → the API Gateway v2 / Function URL answer. @param {Response} response */
async function answerFrom(response) {
  return {
    statusCode: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
    isBase64Encoded: false,
  };
}

export const handler = async (event) => answerFrom(await tokenHandler(requestFrom(event)));
