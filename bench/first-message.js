// first message: how long a visitor waits for the first chat message, in headless Chromium with
// the CPU throttled 4× and a slow-3G network (400 ms latency, 400 kbit/s each way; CDP
// Emulation.setCPUThrottlingRate and Network.emulateNetworkConditions), from navigation start
// to the first received message rendered in the page. Three pages, each bundled with esbuild
// (--bundle --minify --format=esm --platform=browser) from bench/first-message/*.js:
//   ours          ChatRoom + fetchTokenProvider from ivschat-wasm; dist/ivschat-client.wasm is
//                 served beside the bundle and named by init({ wasm }) (see ours.js)
//   oursPreload   the same page with the README's <link rel="preload" ... as="fetch"> of the wasm
//   oursOwnProvider ChatRoom with the app's own tokenProvider (a plain fetch, as the official
//                 page has): the token request does not wait for the wasm (ours-own-provider.js)
//   official      amazon-ivs-chat-messaging's ChatRoom, its tokenProvider a fetch
// One Node http server (127.0.0.1) serves them gzip-compressed (Content-Encoding: gzip) and the
// token backend /chat-token (createTokenHandler from ivschat-wasm/backend, in front of the local
// IVS Chat server of ivschat-wasm/local, which the pages' sockets connect to). A sender in this
// process (our ChatRoom over `ws`) posts a message to the room every 100 ms while a page loads,
// so the first message arrives as soon as the page's socket is open. Each load runs in a fresh
// browser context (empty cache, new connections); the pages alternate; medians of N each
// (7, or 3 with --quick), plus where ours spends the time: Resource Timing of the bundle, the
// wasm and the token request, the page's own marks, and the WebSocket handshake from CDP; and the
// bytes that had arrived when the token request started (encoded bodies, the page's included).
// Prints one JSON line. Nothing is asserted about timings; the run fails if a page fails, the
// throttling did not apply, the wasm was not served compressed, or the preload went unused.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { build } from 'esbuild';
import { ChatRoom, fetchTokenProvider } from 'ivschat-wasm';
import { createTokenHandler, toNodeListener } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from 'ivschat-wasm/local';
import { chromium } from 'playwright-core';
import { WebSocket } from 'ws';

import { within } from '../js/deadline.js';
import { median, repoRoot } from './lib/measure.js';

const PAGES = fileURLToPath(new URL('./first-message/', import.meta.url));
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WASM_FILE = 'ivschat-client.wasm';
const SENDER_ID = 'bench-sender';
const SEND_EVERY_MS = 100;
const PAGE_TIMEOUT_MS = 60_000;
const WATCHDOG_MS = 8 * 60_000;
/** Chromium warns about an unused preload 3 s after the load event; wait a bit longer, once. */
const UNUSED_PRELOAD_WAIT_MS = 4_000;
export const CONDITIONS = {
  cpuThrottlingRate: 4,
  network: { offline: false, latency: 400, downloadThroughput: (400 * 1024) / 8, uploadThroughput: (400 * 1024) / 8 },
};
const VARIANTS = /** @type {const} */ (['ours', 'official', 'oursPreload', 'oursOwnProvider']);
/** @type {Record<Variant, string>} the folder each page is served from */
const PAGE_DIRS = { ours: 'ours', official: 'official', oursPreload: 'ours-preload', oursOwnProvider: 'ours-own-provider' };
/** @typedef {typeof VARIANTS[number]} Variant */

const CONTENT_TYPES = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', wasm: 'application/wasm' };

/** @param {{ preload: boolean }} options */
function pageHtml({ preload }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat</title>
${preload ? `<link rel="preload" href="${WASM_FILE}" as="fetch" type="application/wasm" crossorigin>\n` : ''}<script type="module" src="app.js"></script>
</head>
<body>
<h1>Chat</h1>
<ul id="messages"></ul>
</body>
</html>
`;
}

/** @param {string} entry file in bench/first-message */
async function bundle(entry) {
  const result = await build({
    entryPoints: [join(PAGES, entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    outfile: 'app.js',
    logLevel: 'silent',
  });
  return Buffer.from(result.outputFiles[0].contents);
}

/**
 * Every file of the three pages, gzip-compressed once (as a CDN or a build step would).
 * @returns {Promise<{ files: Map<string, { type: string, gzip: Buffer, bytes: number }>, bundles: Record<string, any> }>}
 */
async function buildSite() {
  const [oursJs, officialJs, ownProviderJs, wasm] = await Promise.all([
    bundle('ours.js'), bundle('official.js'), bundle('ours-own-provider.js'), readFile(join(repoRoot, 'dist', WASM_FILE)),
  ]);
  // What esbuild left of the package's default source (unused here: init({ wasm }) comes first).
  if (!oursJs.toString('utf8').includes(`dist/${WASM_FILE}`)) throw new Error(`the bundle no longer names dist/${WASM_FILE}: check how the page gets its wasm`);
  /** @type {Map<string, { type: string, gzip: Buffer, bytes: number }>} */
  const files = new Map();
  const add = (/** @type {string} */ path, /** @type {keyof typeof CONTENT_TYPES} */ kind, /** @type {Buffer | string} */ body) => {
    const bytes = Buffer.from(body);
    files.set(path, { type: CONTENT_TYPES[kind], gzip: gzipSync(bytes, { level: 9 }), bytes: bytes.length });
  };
  for (const [dir, js, preload] of /** @type {const} */ ([['ours', oursJs, false], ['ours-preload', oursJs, true], ['ours-own-provider', ownProviderJs, false]])) {
    add(`/${dir}/`, 'html', pageHtml({ preload }));
    add(`/${dir}/app.js`, 'js', js);
    add(`/${dir}/${WASM_FILE}`, 'wasm', wasm); // beside the bundle
  }
  add('/official/', 'html', pageHtml({ preload: false }));
  add('/official/app.js', 'js', officialJs);
  const sizes = (/** @type {string} */ path) => ({ bytes: files.get(path)?.bytes, gzip: files.get(path)?.gzip.length });
  return {
    files,
    bundles: {
      ours: { js: sizes('/ours/app.js'), wasm: sizes(`/ours/${WASM_FILE}`) },
      oursOwnProvider: { js: sizes('/ours-own-provider/app.js'), wasm: sizes(`/ours-own-provider/${WASM_FILE}`) },
      official: { js: sizes('/official/app.js') },
    },
  };
}

/**
 * The page server: the static files (gzip when accepted) and the token backend.
 * @param {Map<string, { type: string, gzip: Buffer, bytes: number }>} files
 * @param {import('node:http').RequestListener} tokenListener
 */
async function startSite(files, tokenListener) {
  /** @type {Map<string, number>} requests per path since the last reset */
  const requests = new Map();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    requests.set(path, (requests.get(path) ?? 0) + 1);
    if (path === '/chat-token') return tokenListener(req, res);
    const file = files.get(path);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.writeHead(406, { 'content-type': 'text/plain' }).end('this benchmark serves gzip only');
      return;
    }
    res.writeHead(200, {
      'content-type': file.type,
      'content-encoding': 'gzip',
      'content-length': file.gzip.length,
      vary: 'accept-encoding',
      'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.gzip);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve(undefined)); }),
  };
}

/** Debian's Chromium, headless; playwright-core gives it a fresh temporary user-data dir (removed on close). */
function launchBrowser() {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (install Debian's chromium or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** Runs in the page once the first message is rendered: its marks and what Resource Timing saw. */
function collectInPage() {
  const w = /** @type {any} */ (window);
  const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
  return {
    firstMessageMs: w.__firstMessageMs,
    failure: w.__failure,
    marks: w.__marks,
    navigation: { responseStart: nav.responseStart, responseEnd: nav.responseEnd, domContentLoadedEventEnd: nav.domContentLoadedEventEnd, loadEventEnd: nav.loadEventEnd, encodedBodySize: nav.encodedBodySize },
    resources: /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType('resource')).map((entry) => ({
      path: new URL(entry.name).pathname,
      initiatorType: entry.initiatorType,
      startTime: entry.startTime,
      responseStart: entry.responseStart,
      responseEnd: entry.responseEnd,
      encodedBodySize: entry.encodedBodySize,
      decodedBodySize: entry.decodedBodySize,
    })),
  };
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms, what) {
  return within(promise, ms, { reason: () => new Error(`${what}: nothing within ${ms} ms`) });
}

/**
 * One page load in a fresh context: throttled, with the sender posting, until the page has
 * rendered its first message.
 * @param {import('playwright-core').Browser} browser
 * @param {{ site: Awaited<ReturnType<typeof startSite>>, variant: Variant, query: string, startSending: () => () => void,
 *   throttle: boolean, waitForUnusedPreloadWarning: boolean }} options
 */
async function loadOnce(browser, { site, variant, query, startSending, throttle, waitForUnusedPreloadWarning }) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    if (throttle) {
      await cdp.send('Network.emulateNetworkConditions', CONDITIONS.network);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CONDITIONS.cpuThrottlingRate });
    }
    /** CDP timestamps (seconds, one monotonic clock): the document request, the WebSocket. */
    const cdpTimes = /** @type {Record<'document' | 'socketStart' | 'socketOpen' | 'firstFrame', number | undefined>} */ ({});
    cdp.on('Network.requestWillBeSent', (event) => { if (event.type === 'Document') cdpTimes.document ??= event.timestamp; });
    cdp.on('Network.webSocketWillSendHandshakeRequest', (event) => { cdpTimes.socketStart ??= event.timestamp; });
    cdp.on('Network.webSocketHandshakeResponseReceived', (event) => { cdpTimes.socketOpen ??= event.timestamp; });
    cdp.on('Network.webSocketFrameReceived', (event) => { cdpTimes.firstFrame ??= event.timestamp; });

    /** @type {{ type: string, text: string }[]} */
    const consoleLines = [];
    /** @type {(value?: unknown) => void} */
    let rendered = () => {};
    /** @type {(error: Error) => void} */
    let broke = () => {};
    const firstMessage = new Promise((resolve, reject) => { rendered = resolve; broke = reject; });
    page.on('console', (message) => {
      const text = message.text();
      consoleLines.push({ type: message.type(), text });
      if (text.startsWith('first-message: ')) rendered();
      else if (text.startsWith('first-message failure: ')) broke(new Error(`${variant}: ${text}`));
    });
    page.on('pageerror', (error) => {
      consoleLines.push({ type: 'pageerror', text: String(error) });
      broke(new Error(`${variant}: page error: ${error}`));
    });

    site.requests.clear();
    const stopSending = startSending();
    try {
      await page.goto(`${site.url}/${PAGE_DIRS[variant]}/?${query}`, { waitUntil: 'commit', timeout: PAGE_TIMEOUT_MS });
      await withTimeout(firstMessage, PAGE_TIMEOUT_MS, `${variant}: first message`);
    } finally {
      stopSending();
    }
    const data = await page.evaluate(collectInPage);
    if (waitForUnusedPreloadWarning) {
      await page.waitForFunction(() => performance.getEntriesByType('navigation')[0]?.toJSON().loadEventEnd > 0, null, { timeout: PAGE_TIMEOUT_MS, polling: 250 });
      await new Promise((resolve) => setTimeout(resolve, UNUSED_PRELOAD_WAIT_MS));
    }
    const requests = Object.fromEntries(site.requests);
    const seconds = (/** @type {number | undefined} */ t) => (t === undefined || cdpTimes.document === undefined ? undefined : (t - cdpTimes.document) * 1000);
    return {
      ...data,
      requests,
      console: consoleLines.filter((line) => !line.text.startsWith('first-message: ')),
      // ms after the document request (≈ navigation start), from the CDP clock
      socket: { start: seconds(cdpTimes.socketStart), open: seconds(cdpTimes.socketOpen), firstFrame: seconds(cdpTimes.firstFrame) },
    };
  } finally {
    await context.close();
  }
}

/**
 * Throws when a load did not happen as intended (a timing is never checked).
 * @param {Variant} variant
 * @param {Awaited<ReturnType<typeof loadOnce>>} load
 * @param {boolean} throttled
 */
function check(variant, load, throttled) {
  if (load.failure) throw new Error(`${variant}: ${load.failure}`);
  const preloadWarnings = load.console.filter((line) => /preload/i.test(line.text));
  if (preloadWarnings.length > 0) {
    throw new Error(`${variant}: Chromium says the preload went wrong: ${preloadWarnings.map((line) => line.text).join(' | ')}`);
  }
  // Chromium's emulated latency lands between responseStart (the real first byte) and
  // responseEnd, so the document cannot be complete before it.
  if (throttled && !(load.navigation.responseEnd >= CONDITIONS.network.latency)) {
    throw new Error(`${variant}: the document was complete after ${load.navigation.responseEnd} ms: the network emulation did not apply`);
  }
  if (variant === 'official') return;
  const wasm = load.resources.filter((entry) => entry.path.endsWith(`/${WASM_FILE}`));
  const fetched = load.requests[`/${PAGE_DIRS[variant]}/${WASM_FILE}`] ?? 0;
  if (wasm.length !== 1 || fetched !== 1) {
    throw new Error(`${variant}: the wasm was requested ${fetched} times (${wasm.length} Resource Timing entries: ${wasm.map((entry) => entry.initiatorType).join(', ')}); expected once`);
  }
  if (variant === 'oursPreload' && wasm[0].initiatorType !== 'link') throw new Error(`oursPreload: the wasm was fetched by ${wasm[0].initiatorType}, not by the preload`);
  if (!(wasm[0].encodedBodySize > 0 && wasm[0].encodedBodySize < wasm[0].decodedBodySize)) {
    throw new Error(`${variant}: the wasm arrived uncompressed (${wasm[0].encodedBodySize} of ${wasm[0].decodedBodySize} bytes)`);
  }
}

/**
 * Where the time went in one load, ms after navigation start.
 * @param {Awaited<ReturnType<typeof loadOnce>>} load
 */
function phasesOf(load) {
  const entry = (/** @type {(path: string) => boolean} */ test) => load.resources.find((resource) => test(resource.path));
  const js = entry((path) => path.endsWith('/app.js'));
  const wasm = entry((path) => path.endsWith(`/${WASM_FILE}`));
  const token = entry((path) => path === '/chat-token');
  const marks = load.marks ?? {};
  /** @type {Record<string, number | undefined>} */
  const phases = {
    htmlEnd: load.navigation.responseEnd,
    jsStart: js?.startTime,
    jsEnd: js?.responseEnd,
    scriptStart: marks.scriptStart,
    wasmStart: wasm?.startTime,
    wasmEnd: wasm?.responseEnd,
    coreReady: marks.coreReady,
    tokenAsked: marks.tokenAsked,
    tokenStart: token?.startTime,
    tokenEnd: token?.responseEnd,
    tokenReceived: marks.tokenReceived,
    socketStart: load.socket.start,
    socketOpen: load.socket.open,
    connected: marks.connected,
    firstFrame: load.socket.firstFrame,
    firstMessage: load.firstMessageMs,
  };
  return /** @type {Record<string, number>} */ (Object.fromEntries(Object.entries(phases).filter(([, value]) => typeof value === 'number')));
}

/**
 * The bytes (as sent: gzip-compressed bodies) that had arrived when the token request started:
 * the page, and every resource complete by then. What a page must download before it can ask for
 * a token.
 * @param {Awaited<ReturnType<typeof loadOnce>>} load
 */
function bytesBeforeTokenOf(load) {
  const token = load.resources.find((resource) => resource.path === '/chat-token');
  if (!token) throw new Error('no token request in the Resource Timing entries');
  return load.resources
    .filter((resource) => resource !== token && resource.responseEnd <= token.startTime)
    .reduce((sum, resource) => sum + resource.encodedBodySize, load.navigation.encodedBodySize);
}

/** @param {Record<string, number>[]} runs */
function medianPhases(runs) {
  const names = [...new Set(runs.flatMap((run) => Object.keys(run)))];
  return Object.fromEntries(names.map((name) => [name, median(runs.map((run) => run[name]).filter((value) => typeof value === 'number'))]));
}

/** @param {{ quick: boolean }} options */
export async function run({ quick }) {
  const repeats = quick ? 3 : 7;
  const watchdog = setTimeout(() => {
    process.stderr.write(`first-message: still running after ${WATCHDOG_MS / 1000} s; giving up\n`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  /** @type {(() => Promise<unknown> | void)[]} */
  const cleanups = [];
  try {
    const { files, bundles } = await buildSite();
    const ivs = await startLocalIvsChat();
    cleanups.push(() => ivs.close());
    const room = await ivs.createRoom({ name: 'first-message', maximumMessageRatePerSecond: 100 });
    const tokenListener = toNodeListener(createTokenHandler({
      credentials: ivs.credentials,
      endpoint: ivs.controlPlaneUrl,
      // A real app decides these from its own session; here the pages read and the sender writes.
      authorize: (_request, body) => (body.roomIdentifier === room.arn
        ? { roomIdentifier: room.arn, userId: String(body.userId), capabilities: body.userId === SENDER_ID ? ['SEND_MESSAGE'] : [] }
        : null),
    }));
    const site = await startSite(files, tokenListener);
    cleanups.push(() => site.close());

    const sender = new ChatRoom({
      regionOrUrl: ivs.messagingUrl,
      WebSocket: /** @type {any} */ (WebSocket),
      maxMessagesPerSecond: 50,
      tokenProvider: fetchTokenProvider(`${site.url}/chat-token`, { roomIdentifier: room.arn, userId: SENDER_ID, capabilities: ['SEND_MESSAGE'] }),
    });
    cleanups.push(() => sender.disconnect());
    await sender.connect();
    let sent = 0;
    /** @type {string[]} */
    const sendFailures = [];
    const startSending = () => {
      const send = () => void sender.sendMessage({ content: `message ${++sent}` }).catch((error) => sendFailures.push(error.code ?? String(error)));
      send();
      const timer = setInterval(send, SEND_EVERY_MS);
      return () => clearInterval(timer);
    };

    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    const query = new URLSearchParams({ room: room.arn, ws: ivs.messagingUrl }).toString();
    const base = { site, query, startSending };

    // Warm-up, not throttled and not counted: the browser's processes and this server's code paths.
    for (const variant of VARIANTS) {
      check(variant, await loadOnce(browser, { ...base, variant, throttle: false, waitForUnusedPreloadWarning: false }), false);
    }

    /** @type {Record<Variant, { firstMessageMs: number[], phases: Record<string, number>[], bytesBeforeToken: number[] }>} */
    const runs = /** @type {Record<Variant, { firstMessageMs: number[], phases: Record<string, number>[], bytesBeforeToken: number[] }>} */ (
      Object.fromEntries(VARIANTS.map((variant) => [variant, { firstMessageMs: [], phases: [], bytesBeforeToken: [] }])));
    let preloadWarningChecked = false;
    for (let i = 0; i < repeats; i++) {
      // Alternate, and rotate who goes first.
      const order = [...VARIANTS.slice(i % VARIANTS.length), ...VARIANTS.slice(0, i % VARIANTS.length)];
      for (const variant of order) {
        // Once, stay on the preload page past the point where Chromium reports an unused preload.
        const waitForUnusedPreloadWarning = variant === 'oursPreload' && !preloadWarningChecked;
        const load = await loadOnce(browser, { ...base, variant, throttle: true, waitForUnusedPreloadWarning });
        check(variant, load, true);
        if (waitForUnusedPreloadWarning) preloadWarningChecked = true;
        runs[variant].firstMessageMs.push(load.firstMessageMs);
        runs[variant].phases.push(phasesOf(load));
        runs[variant].bytesBeforeToken.push(bytesBeforeTokenOf(load));
        process.stderr.write(`first-message: ${variant} #${i + 1}: ${load.firstMessageMs.toFixed(0)} ms\n`);
      }
    }
    if (sendFailures.length > 0) process.stderr.write(`first-message: ${sendFailures.length} of ${sent} sends failed (${[...new Set(sendFailures)].join(', ')})\n`);

    const contenders = Object.fromEntries(VARIANTS.map((variant) => [variant, {
      median: median(runs[variant].firstMessageMs),
      runs: runs[variant].firstMessageMs,
      phases: medianPhases(runs[variant].phases),
      bytesBeforeToken: median(runs[variant].bytesBeforeToken),
    }]));
    return {
      unit: 'ms',
      repeats,
      conditions: CONDITIONS,
      sendEveryMs: SEND_EVERY_MS,
      bundles,
      preloadUsed: preloadWarningChecked,
      contenders,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        process.stderr.write(`first-message: cleanup failed: ${error instanceof Error ? error.message : error}\n`);
      }
    }
    clearTimeout(watchdog);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run({ quick: process.argv.includes('--quick') }), null, 1));
}
