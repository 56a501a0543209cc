// SigV4 verification: the official conformance vectors (from the reference), then a differential
// check against the AWS SDK's own signer (@smithy/signature-v4) on random requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  canonicalRequest,
  parseAmzDate,
  sha256Hex,
  signatureHex,
  signingKey,
  stringToSign,
  verifyRequest,
  SignatureError,
} from '../../js/local/sigv4.js';
import { NodeSha256 } from './helpers.js';

const SUITE = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  amzDate: '20150830T123600Z',
  scope: '20150830/us-east-1/service/aws4_request',
};

/** Signature of a suite request with only host and x-amz-date (plus `extra`) signed. */
function suiteSignature(method, target, extra = {}) {
  const headers = { host: ['example.amazonaws.com'], 'x-amz-date': [SUITE.amzDate] };
  for (const [name, value] of Object.entries(extra)) headers[name] = [value];
  const canonical = canonicalRequest({
    method,
    rawTarget: target,
    headers,
    signedHeaders: Object.keys(headers).sort(),
    payloadHash: sha256Hex(''),
  });
  const key = signingKey(SUITE.secretAccessKey, '20150830', 'us-east-1', 'service');
  return signatureHex(key, stringToSign(SUITE.amzDate, SUITE.scope, canonical));
}

test('official SigV4 test-suite vectors', () => {
  assert.equal(suiteSignature('GET', '/'), '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  assert.equal(suiteSignature('POST', '/'), '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b');
  assert.equal(suiteSignature('POST', '/?Param1=value1'), '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11');
  assert.equal(
    suiteSignature('GET', '/?Param2=value2&Param1=value1'),
    'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  );
  assert.equal(
    suiteSignature('GET', '/', {
      'x-amz-security-token': '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267',
    }),
    '07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8',
  );
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
