// The demo's server: a token backend (createTokenHandler with a demo `authorize`), the page, and
// the package files the page imports — in front of the local IVS Chat server, or of real
// Amazon IVS when AWS credentials and a room ARN are in the environment.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createTokenHandler, credentialsFromEnv, toNodeListener } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';

const demoDir = fileURLToPath(new URL('.', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const CAPABILITIES_BY_ROLE = {
  viewer: [],
  chatter: ['SEND_MESSAGE'],
  moderator: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'],
};
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * @typedef {object} DemoOptions
 * @property {string} [host] default 127.0.0.1
 * @property {number} [port] default 0 (a free port)
 * @property {number} [timeScale] local server only: time runs this many times faster (sessions end sooner)
 * @property {number} [sessionDurationInMinutes] default 60
 * @property {Record<string, string | undefined>} [env] where to look for AWS settings (default process.env)
 */

/**
 * Starts the demo. With AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) and
 * IVSCHAT_ROOM_ARN set it talks to Amazon IVS; otherwise it starts the local IVS Chat server.
 * @param {DemoOptions} [options]
 */
export async function startDemo({ host = '127.0.0.1', port = 0, timeScale, sessionDurationInMinutes = 60, env = process.env } = {}) {
  const roomArnFromEnv = env.IVSCHAT_ROOM_ARN;
  const useAws = Boolean(roomArnFromEnv && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>> | undefined} */
  let local;
  let roomArn;
  let messagingUrl;
  let maximumMessageLength;
  let credentials;
  let endpoint;
  let region;
  if (useAws) {
    roomArn = /** @type {string} */ (roomArnFromEnv);
    region = roomArn.split(':')[3];
    credentials = credentialsFromEnv(env);
    messagingUrl = `wss://edge.ivschat.${region}.amazonaws.com`;
    maximumMessageLength = Number(env.IVSCHAT_MAX_MESSAGE_LENGTH ?? 500);
  } else {
    local = await startLocalIvsChat({ timeScale });
    const room = await local.createRoom({ name: 'demo' });
    roomArn = room.arn;
    region = local.region;
    credentials = local.credentials;
    endpoint = local.controlPlaneUrl;
    messagingUrl = local.messagingUrl;
    maximumMessageLength = room.maximumMessageLength;
  }

  const tokenHandler = toNodeListener(createTokenHandler({
    credentials,
    endpoint,
    // The demo trusts the role the visitor picks; a real app decides userId and capabilities
    // from its own session here, never from what the browser asks for.
    authorize: (_request, body) => ({
      roomIdentifier: roomArn,
      userId: body.userId,
      capabilities: CAPABILITIES_BY_ROLE[roleOf(body.capabilities)],
      attributes: body.attributes,
      sessionDurationInMinutes,
    }),
  }));

  const config = JSON.stringify({ mode: useAws ? 'aws' : 'local', roomArn, region, messagingUrl, maximumMessageLength });
  const contentSecurityPolicy = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    `connect-src 'self' ${new URL(messagingUrl).origin.replace(/^http/, 'ws')}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://demo').pathname;
    if (path === '/api/chat-token') return tokenHandler(req, res);
    if (path === '/api/config') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(config);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = staticFile(path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    try {
      const body = await readFile(file);
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      /** @type {Record<string, string>} */
      const headers = { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
      if (type.startsWith('text/html')) headers['content-security-policy'] = contentSecurityPolicy;
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = `http://${host}:${address.port}/`;
  return {
    url,
    mode: useAws ? 'aws' : 'local',
    roomArn,
    local,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      await local?.close();
    },
  };
}

/** The role whose capabilities the request asked for (unknown sets fall back to chatter). */
function roleOf(capabilities) {
  const asked = Array.isArray(capabilities) ? capabilities.length : 1;
  if (asked === 0) return 'viewer';
  if (Array.isArray(capabilities) && capabilities.includes('DISCONNECT_USER')) return 'moderator';
  return 'chatter';
}

/**
 * Maps a URL path to a file: the page from web-demo/, the package's browser files under
 * /ivschat-wasm/ (as a bundler or CDN would serve them). Nothing else.
 * @param {string} path
 */
function staticFile(path) {
  let root = demoDir;
  let relative = path === '/' ? 'index.html' : path.slice(1);
  if (path.startsWith('/ivschat-wasm/')) {
    root = packageDir;
    relative = path.slice('/ivschat-wasm/'.length);
    if (!relative.startsWith('js/') && !relative.startsWith('dist/')) return undefined;
    if (relative.startsWith('js/local/') || relative.startsWith('js/backend/')) return undefined;
  } else if (!['index.html', 'app.js', 'style.css'].includes(relative)) {
    return undefined;
  }
  const file = normalize(join(root, relative));
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined;
}
