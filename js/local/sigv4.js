// @ts-check
/**
 * AWS Signature Version 4 verification for the local IVS Chat server, written from the
 * published algorithm (canonical request -> string to sign -> derived key -> HMAC), with
 * node:crypto only. The pure helpers are exported so the tests can check them against the
 * official conformance vectors.
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Largest accepted distance between `x-amz-date` and the real clock, both ways. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const EMPTY_BODY_SHA256 = createHash('sha256').update('').digest('hex');

/**
 * A failed authentication: the AWS error type, HTTP status and message the service would send.
 */
export class SignatureError extends Error {
  /**
   * @param {number} status
   * @param {string} type AWS error type, e.g. `InvalidSignatureException`
   * @param {string} message
   */
  constructor(status, type, message) {
    super(message);
    this.name = 'SignatureError';
    this.status = status;
    this.type = type;
  }
}

/**
 * @typedef {object} SigningCredentials
 * @property {string} accessKeyId
 * @property {string} secretAccessKey
 * @property {string} [sessionToken]
 */

/**
 * @typedef {object} CanonicalInput
 * @property {string} method HTTP method, e.g. `POST`
 * @property {string} rawTarget the request target exactly as received on the wire (path and query)
 * @property {Record<string, string[]>} headers header values by lower-case name (repeats kept apart)
 * @property {string[]} signedHeaders lower-case header names, as listed in `SignedHeaders`
 * @property {string} payloadHash hex SHA-256 of the body (or the signed `x-amz-content-sha256` value)
 */

/**
 * RFC 3986 encoding as SigV4 wants it: everything but `A-Za-z0-9-._~` is percent-encoded.
 * @param {string} text
 */
function uriEncode(text) {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Percent-decoding that leaves malformed escapes as they are instead of throwing.
 * @param {string} text
 */
function lenientDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Canonical URI for every service but S3: dot segments and empty segments are removed, then the
 * path as sent (already percent-encoded once) is encoded again, slashes kept.
 * @param {string} rawPath
 */
function canonicalPath(rawPath) {
  const segments = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailingSlash = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  const normalized = `/${segments.join('/')}${trailingSlash}`;
  return uriEncode(normalized).replace(/%2F/g, '/');
}

/**
 * Canonical query string: each name and value decoded then re-encoded, sorted by name then value.
 * `+` is taken literally (SigV4 clients send a space as `%20`).
 * @param {string} rawQuery the part after `?`, without it
 */
function canonicalQuery(rawQuery) {
  if (!rawQuery) return '';
  const pairs = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([uriEncode(lenientDecode(name)), uriEncode(lenientDecode(value))]);
  }
  pairs.sort(([n1, v1], [n2, v2]) => (n1 < n2 ? -1 : n1 > n2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * Header value canonicalization: trimmed, runs of whitespace collapsed to one space; repeated
 * headers joined with commas.
 * @param {string[]} values
 */
function canonicalHeaderValue(values) {
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

/**
 * Builds the canonical request (the lines joined by `\n`).
 * @param {CanonicalInput} input
 */
export function canonicalRequest({ method, rawTarget, headers, signedHeaders, payloadHash }) {
  const queryStart = rawTarget.indexOf('?');
  const rawPath = queryStart === -1 ? rawTarget : rawTarget.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : rawTarget.slice(queryStart + 1);
  const headerLines = signedHeaders.map(
    (name) => `${name}:${canonicalHeaderValue(headers[name] ?? [])}\n`,
  );
  return [
    method.toUpperCase(),
    canonicalPath(rawPath),
    canonicalQuery(rawQuery),
    headerLines.join(''),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/** @param {string | Buffer} data */
export function sha256Hex(data) {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * @param {string} amzDate `YYYYMMDDTHHMMSSZ`
 * @param {string} scope `YYYYMMDD/region/service/aws4_request`
 * @param {string} canonical the canonical request
 */
export function stringToSign(amzDate, scope, canonical) {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

/**
 * The derived signing key: HMAC chain over date, region, service and `aws4_request`.
 * @param {string} secretAccessKey
 * @param {string} date `YYYYMMDD`
 * @param {string} region
 * @param {string} service
 */
export function signingKey(secretAccessKey, date, region, service) {
  const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

/**
 * Hex signature of a string to sign with a derived key.
 * @param {Buffer} key
 * @param {string} toSign
 */
function signatureHex(key, toSign) {
  return createHmac('sha256', key).update(toSign).digest('hex');
}

/**
 * Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`.
 * @param {string} header
 * @returns {{ accessKeyId: string, date: string, region: string, service: string, terminator: string, signedHeaders: string[], signature: string }}
 */
function parseAuthorization(header) {
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) {
    const algorithm = trimmed.split(/\s/, 1)[0];
    throw new SignatureError(
      400,
      'IncompleteSignatureException',
      `Unsupported authorization algorithm '${algorithm}': only ${ALGORITHM} is accepted.`,
    );
  }
  /** @type {Record<string, string>} */
  const fields = {};
  for (const part of trimmed.slice(ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  for (const required of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!fields[required]) {
      throw new SignatureError(
        400,
        'IncompleteSignatureException',
        `Authorization header requires '${required}' parameter. Authorization=${ALGORITHM} ...`,
      );
    }
  }
  const credential = fields.Credential.split('/');
  if (credential.length !== 5) {
    throw new SignatureError(
      400,
      'IncompleteSignatureException',
      "Credential must have exactly 5 slash-separated components: 'accessKeyId/date/region/service/aws4_request'.",
    );
  }
  const [accessKeyId, date, region, service, terminator] = credential;
  return {
    accessKeyId,
    date,
    region,
    service,
    terminator,
    signedHeaders: fields.SignedHeaders.split(';').map((h) => h.trim().toLowerCase()),
    signature: fields.Signature,
  };
}

/**
 * `YYYYMMDDTHHMMSSZ` -> epoch ms, or NaN.
 * @param {string} amzDate
 */
export function parseAmzDate(amzDate) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Reject dates such as month 13, which Date.UTC silently rolls over.
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h) return NaN;
  return ms;
}

/**
 * epoch ms -> `YYYYMMDDTHHMMSSZ`
 * @param {number} ms
 */
function formatAmzDate(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * @typedef {object} VerifyInput
 * @property {string} method
 * @property {string} rawTarget request target as received (path + query)
 * @property {Record<string, string[]>} headers header values by lower-case name
 * @property {Buffer} body the exact body bytes
 * @property {SigningCredentials} credentials the one identity the server knows
 * @property {string} region the region the server serves
 * @property {string} service the signing name, `ivschat`
 * @property {number} nowMs the real clock, epoch ms
 */

/**
 * Verifies a SigV4-signed request (Authorization header form). Throws a {@link SignatureError}
 * naming what is wrong; returns nothing when the request is authentic.
 * @param {VerifyInput} input
 */
export function verifyRequest({ method, rawTarget, headers, body, credentials, region, service, nowMs }) {
  const authorization = headers.authorization?.[0];
  if (!authorization) {
    throw new SignatureError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const auth = parseAuthorization(authorization);
  const { amzDate, requestMs } = readAmzDate(headers);
  checkIdentity(auth, headers, credentials);
  checkScope(auth, amzDate, region, service);
  checkClock(amzDate, requestMs, nowMs);
  checkSignedHeaders(auth);
  const bodyHash = checkedPayloadHash(headers, body);
  const canonical = canonicalRequest({
    method,
    rawTarget,
    headers,
    signedHeaders: auth.signedHeaders,
    payloadHash: bodyHash,
  });
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const key = signingKey(credentials.secretAccessKey, auth.date, auth.region, auth.service);
  const expected = signatureHex(key, stringToSign(amzDate, scope, canonical));
  if (!safeEqualText(auth.signature.toLowerCase(), expected)) {
    throw new SignatureError(
      403,
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
}

/**
 * The X-Amz-Date header, present and well formed.
 * @param {Record<string, string[]>} headers
 */
function readAmzDate(headers) {
  const amzDate = headers['x-amz-date']?.[0];
  if (!amzDate) {
    throw new SignatureError(
      400,
      'IncompleteSignatureException',
      "Authorization header requires existence of a 'X-Amz-Date' header.",
    );
  }
  const requestMs = parseAmzDate(amzDate);
  if (Number.isNaN(requestMs)) {
    throw new SignatureError(
      400,
      'IncompleteSignatureException',
      `X-Amz-Date '${amzDate}' is not in the form YYYYMMDD'T'HHMMSS'Z'.`,
    );
  }
  return { amzDate, requestMs };
}

/**
 * The access key (and session token, when the server has one) are the server's.
 * @param {ReturnType<typeof parseAuthorization>} auth
 * @param {Record<string, string[]>} headers
 * @param {SigningCredentials} credentials
 */
function checkIdentity(auth, headers, credentials) {
  if (auth.accessKeyId !== credentials.accessKeyId) {
    throw new SignatureError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  if (credentials.sessionToken !== undefined) {
    const token = headers['x-amz-security-token']?.[0];
    if (token === undefined || !safeEqualText(token, credentials.sessionToken)) {
      throw new SignatureError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
  }
}

/**
 * The credential scope names this server's service and region, and the request's date.
 * @param {ReturnType<typeof parseAuthorization>} auth
 * @param {string} amzDate
 * @param {string} region
 * @param {string} service
 */
function checkScope(auth, amzDate, region, service) {
  if (auth.terminator !== 'aws4_request') {
    throw new SignatureError(403, 'InvalidSignatureException', "Credential should be scoped with a valid terminator: 'aws4_request'.");
  }
  if (auth.service !== service) {
    throw new SignatureError(403, 'InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`);
  }
  if (auth.region !== region) {
    throw new SignatureError(403, 'InvalidSignatureException', `Credential should be scoped to a valid region, not '${auth.region}'.`);
  }
  if (auth.date !== amzDate.slice(0, 8)) {
    throw new SignatureError(
      403,
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}'.`,
    );
  }
}

/**
 * The request was signed within MAX_CLOCK_SKEW_MS of now.
 * @param {string} amzDate
 * @param {number} requestMs
 * @param {number} nowMs
 */
function checkClock(amzDate, requestMs, nowMs) {
  if (requestMs < nowMs - MAX_CLOCK_SKEW_MS) {
    throw new SignatureError(
      403,
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(nowMs - MAX_CLOCK_SKEW_MS)} (${formatAmzDate(nowMs)} - 5 min.)`,
    );
  }
  if (requestMs > nowMs + MAX_CLOCK_SKEW_MS) {
    throw new SignatureError(
      403,
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(nowMs + MAX_CLOCK_SKEW_MS)} (${formatAmzDate(nowMs)} + 5 min.)`,
    );
  }
}

/**
 * Host and X-Amz-Date are signed, and SignedHeaders is canonical.
 * @param {ReturnType<typeof parseAuthorization>} auth
 */
function checkSignedHeaders(auth) {
  for (const required of ['host', 'x-amz-date']) {
    if (!auth.signedHeaders.includes(required)) {
      throw new SignatureError(403, 'InvalidSignatureException', `'${required}' must be a 'SignedHeader' in the AWS Authorization.`);
    }
  }
  const sortedUnique = [...new Set(auth.signedHeaders)].sort();
  if (sortedUnique.join(';') !== auth.signedHeaders.join(';')) {
    throw new SignatureError(403, 'InvalidSignatureException', 'SignedHeaders must be lower-case, sorted and without repeats.');
  }
}

/**
 * The body's SHA-256, which a declared x-amz-content-sha256 must match.
 * @param {Record<string, string[]>} headers
 * @param {Buffer} body
 */
function checkedPayloadHash(headers, body) {
  const bodyHash = body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(body);
  const declaredHash = headers['x-amz-content-sha256']?.[0];
  if (declaredHash !== undefined && declaredHash !== bodyHash) {
    throw new SignatureError(
      403,
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match the SHA-256 of the body (unsigned payloads are not accepted).",
    );
  }
  return bodyHash;
}

/**
 * Constant-time string comparison (length leaks, content does not).
 * @param {string} a @param {string} b
 */
function safeEqualText(a, b) {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
