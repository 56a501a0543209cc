// The native ceiling for the sign benchmark: a minimal synchronous SigV4 for
// POST /CreateChatToken on node:crypto (OpenSSL), with the signing key cached per
// (secret, date, region) as the AWS SDKs do. No validation, no general canonicalisation: only
// what this one request needs. Checked against the wasm core's signature in bench/sign.js.
import { createHash, createHmac } from 'node:crypto';

/** @type {Map<string, Buffer>} */
const signingKeys = new Map();

/**
 * @param {string} secretAccessKey
 * @param {string} date YYYYMMDD
 * @param {string} region
 */
function signingKey(secretAccessKey, date, region) {
  const cacheKey = `${secretAccessKey}\n${date}\n${region}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update('ivschat').digest();
    key = createHmac('sha256', kService).update('aws4_request').digest();
    if (signingKeys.size > 16) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/**
 * @param {{ host: string, body: string, region: string, date: Date,
 *   credentials: { accessKeyId: string, secretAccessKey: string, sessionToken?: string } }} input
 * @returns {Record<string, string>} the headers to send
 */
export function signWithNodeCrypto({ host, body, region, date, credentials }) {
  const amzDate = date.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const token = credentials.sessionToken;
  const signedHeaders = token ? 'content-type;host;x-amz-date;x-amz-security-token' : 'content-type;host;x-amz-date';
  const canonicalRequest = `POST\n/CreateChatToken\n\ncontent-type:application/json\nhost:${host}\nx-amz-date:${amzDate}\n${
    token ? `x-amz-security-token:${token}\n` : ''}\n${signedHeaders}\n${createHash('sha256').update(body).digest('hex')}`;
  const scope = `${day}/${region}/ivschat/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, day, region)).update(stringToSign).digest('hex');
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json', 'x-amz-date': amzDate };
  if (token) headers['x-amz-security-token'] = token;
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
