// SigV4 verification: the official test suite (tests/fixtures/aws-sigv4-test-suite), then a
// differential check against the AWS SDK's own signer (@smithy/signature-v4) on random requests.
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  canonicalRequest,
  parseAmzDate,
  sha256Hex,
  verifyRequest,
  SignatureError,
} from '../../js/local/sigv4.js';
import { NodeSha256 } from './helpers.js';

const SUITE = new URL('../fixtures/aws-sigv4-test-suite/v4/', import.meta.url);

/**
 * A request file of the suite: `METHOD target HTTP/1.1`, header lines (a line starting with a
 * space or tab continues the previous value), a blank line, the body. The target may hold raw
 * spaces, so the method ends at the first space and the version starts at the last.
 * @param {string} text
 */
function parseSuiteRequest(text) {
  const blank = text.indexOf('\n\n');
  const [requestLine, ...lines] = (blank === -1 ? text : text.slice(0, blank)).split('\n');
  /** @type {Record<string, string[]>} */
  const headers = {};
  let last = '';
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      headers[last][headers[last].length - 1] += ` ${line}`;
      continue;
    }
    last = line.slice(0, line.indexOf(':')).toLowerCase();
    (headers[last] ??= []).push(line.slice(line.indexOf(':') + 1).trim());
  }
  return {
    method: requestLine.slice(0, requestLine.indexOf(' ')),
    rawTarget: requestLine.slice(requestLine.indexOf(' ') + 1, requestLine.lastIndexOf(' ')),
    headers,
    body: blank === -1 ? '' : text.slice(blank + 2),
  };
}

// The local server is every service but S3, so it always normalizes the path: the suite's
// unnormalized cases (context.json "normalize": false) sign another canonical path.
test('the local server verifies every signed request of the official suite whose path is normalized', () => {
  let verified = 0;
  for (const name of readdirSync(SUITE).sort()) {
    const read = (/** @type {string} */ file) => readFileSync(new URL(`${name}/${file}`, SUITE), 'utf8');
    const context = JSON.parse(read('context.json'));
    const signed = parseSuiteRequest(read('header-signed-request.txt'));
    const expectedCanonical = read('header-canonical-request.txt');
    if (context.normalize === false) continue;
    const canonical = canonicalRequest({
      ...signed,
      signedHeaders: expectedCanonical.split('\n').at(-2)?.split(';') ?? [],
      payloadHash: signed.headers['x-amz-content-sha256']?.[0] ?? sha256Hex(signed.body),
    });
    assert.equal(canonical, expectedCanonical, name);
    const input = {
      ...signed,
      body: Buffer.from(signed.body),
      credentials: {
        accessKeyId: context.credentials.access_key_id,
        secretAccessKey: context.credentials.secret_access_key,
        sessionToken: context.credentials.token,
      },
      region: context.region,
      service: context.service,
      nowMs: Date.parse(context.timestamp),
    };
    verifyRequest(input);
    const authorization = signed.headers.authorization[0];
    const tampered = `${authorization.slice(0, -1)}${authorization.endsWith('0') ? '1' : '0'}`;
    assert.throws(() => verifyRequest({ ...input, headers: { ...signed.headers, authorization: [tampered] } }), SignatureError, name);
    verified += 1;
  }
  assert.ok(verified > 0, `no case verified in ${SUITE.pathname}`);
});

test('x-amz-date parsing rejects impossible dates', () => {
  assert.equal(parseAmzDate('20150830T123600Z'), Date.UTC(2015, 7, 30, 12, 36, 0));
  assert.ok(Number.isNaN(parseAmzDate('20151330T123600Z')));
  assert.ok(Number.isNaN(parseAmzDate('2015-08-30T12:36:00Z')));
});

// Deterministic pseudo-random generator so a failure can be replayed.
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SEGMENT_ALPHABET = ['a', 'Z', '9', '-', '_', '.', '~', ' ', '!', '*', "'", '(', ')', ':', '@', '$', '+', ',', ';', '=', 'é', '😀', '%', '&'];
const VALUE_ALPHABET = ['a', 'b', ' ', '  ', '\t', 'x y', '/', '=', ',', 'ü', '"'];

function pick(random, items) {
  return items[Math.floor(random() * items.length)];
}
function text(random, alphabet, maxLength) {
  let out = '';
  const length = 1 + Math.floor(random() * maxLength);
  for (let i = 0; i < length; i += 1) out += pick(random, alphabet);
  return out;
}

test('verifyRequest accepts what @smithy/signature-v4 signs, and rejects any tampering (300 random requests)', async () => {
  const random = generator(20240611);
  const credentials = { accessKeyId: 'AKIDTESTDIFFERENTIAL', secretAccessKey: 'differential/secret+key' };
  for (let round = 0; round < 300; round += 1) {
    const segments = Array.from({ length: Math.floor(random() * 4) }, () => text(random, SEGMENT_ALPHABET, 6));
    const wirePath = `/${segments.map((s) => encodeURIComponent(s)).join('/')}${random() < 0.3 ? '/' : ''}`;
    /** @type {Record<string, string>} */
    const query = {};
    for (let i = Math.floor(random() * 3); i > 0; i -= 1) query[text(random, SEGMENT_ALPHABET, 4)] = text(random, SEGMENT_ALPHABET, 5);
    /** @type {Record<string, string>} */
    const headers = { host: '127.0.0.1:1234', 'content-type': 'application/json' };
    for (let i = Math.floor(random() * 3); i > 0; i -= 1) {
      headers[`x-test-${text(random, ['a', 'b', 'c'], 4)}`] = ` ${text(random, VALUE_ALPHABET, 8).replace(/^\s+|\s+$/g, '') || 'v'} `;
    }
    const body = random() < 0.2 ? '' : JSON.stringify({ n: round, s: text(random, SEGMENT_ALPHABET, 20) });
    const region = pick(random, ['us-east-1', 'eu-west-1', 'ap-south-1']);
    const signer = new SignatureV4({ credentials, region, service: 'ivschat', sha256: NodeSha256 });
    const now = new Date();
    const signed = await signer.sign(
      { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 1234, path: wirePath, query, headers, body },
      { signingDate: now },
    );
    const wireQuery = Object.entries(query)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    const rawTarget = wireQuery ? `${wirePath}?${wireQuery}` : wirePath;
    /** @type {Record<string, string[]>} */
    const received = {};
    // Node's HTTP parser trims surrounding whitespace of header values; do the same here.
    for (const [name, value] of Object.entries(signed.headers)) received[name.toLowerCase()] = [String(value).trim()];
    const input = {
      method: 'POST',
      rawTarget,
      headers: received,
      body: Buffer.from(body),
      credentials,
      region,
      service: 'ivschat',
      nowMs: now.getTime(),
    };
    assert.doesNotThrow(() => verifyRequest(input), `round ${round}: ${rawTarget}`);
    const tamperedBody = Buffer.from(body + ' ');
    assert.throws(() => verifyRequest({ ...input, body: tamperedBody }), SignatureError, `round ${round} body`);
    assert.throws(() => verifyRequest({ ...input, rawTarget: `${wirePath}x` }), SignatureError, `round ${round} path`);
    const headerName = Object.keys(headers).find((h) => h.startsWith('x-test-')) ?? 'content-type';
    assert.throws(
      () => verifyRequest({ ...input, headers: { ...received, [headerName]: ['changed'] } }),
      SignatureError,
      `round ${round} header`,
    );
  }
});
