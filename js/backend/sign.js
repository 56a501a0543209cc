// @ts-check
// Signing CreateChatToken requests: JavaScript only checks the option types and shapes the
// result for fetch; validation, the body and the SigV4 signature come from the wasm core in
// one call.
import { requestJson } from '../api.js';
import { ChatTokenValidationError, InvalidOptionError, IvsChatError } from '../errors.js';
import { init } from '../loader.js';
import { ChatTokenSigningError } from './errors.js';

/**
 * @typedef {import('../core-types.js').IvsChatCore} IvsChatCore
 * @typedef {import('../errors.js').FieldError} FieldError
 * @typedef {import('./errors.js').SigningField} SigningField
 * @typedef {{ accessKeyId: string, secretAccessKey: string, sessionToken?: string }} AwsCredentials
 * @typedef {{ credentials: AwsCredentials, region?: string, endpoint?: string | URL, now?: Date | number }} SigningOptions
 * @typedef {{ method: 'POST', url: string, headers: Record<string, string>, body: string }} SignedChatTokenRequest
 * @typedef {{ accessKeyId: string, secretAccessKey: string, sessionToken: string }} CheckedCredentials
 * @typedef {{ ok: true, request: SignedChatTokenRequest, signature: string }
 *   | { ok: false, errors: FieldError[], errorsJson: string }} SigningOutcome
 */

/** The core's names for the inputs it refuses, as the option paths a caller wrote. */
const FIELD_BY_CORE_NAME = /** @type {Record<string, SigningField>} */ ({
  accessKeyId: 'credentials.accessKeyId',
  secretAccessKey: 'credentials.secretAccessKey',
  sessionToken: 'credentials.sessionToken',
  region: 'region',
  endpoint: 'endpoint',
  time: 'now',
});

/**
 * Checks the shape of a credentials object (the core checks the characters).
 * @param {unknown} credentials
 * @returns {CheckedCredentials}
 */
export function checkCredentials(credentials) {
  if (credentials === null || typeof credentials !== 'object') {
    throw new ChatTokenSigningError('credentials', 'credentials must be an object with accessKeyId and secretAccessKey (and sessionToken for temporary credentials).');
  }
  const { accessKeyId, secretAccessKey, sessionToken } = /** @type {Record<string, unknown>} */ (credentials);
  if (typeof accessKeyId !== 'string') {
    throw new ChatTokenSigningError('credentials.accessKeyId', `credentials.accessKeyId must be a string, got ${kindOf(accessKeyId)}.`);
  }
  if (typeof secretAccessKey !== 'string') {
    throw new ChatTokenSigningError('credentials.secretAccessKey', `credentials.secretAccessKey must be a string, got ${kindOf(secretAccessKey)}.`);
  }
  if (sessionToken != null && typeof sessionToken !== 'string') {
    throw new ChatTokenSigningError('credentials.sessionToken', `credentials.sessionToken must be a string when given, got ${kindOf(sessionToken)}.`);
  }
  return { accessKeyId, secretAccessKey, sessionToken: sessionToken ?? '' };
}

/**
 * Describes a value's kind without quoting it (it may be a secret).
 * @param {unknown} value
 */
export function kindOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * @param {unknown} region
 * @returns {string} '' = the room ARN's region
 */
export function checkRegion(region) {
  if (region == null) return '';
  if (typeof region !== 'string') throw new ChatTokenSigningError('region', `region must be a string such as us-east-1, got ${kindOf(region)}.`);
  return region;
}

/**
 * @param {unknown} endpoint
 * @returns {string} '' = the region's control plane
 */
export function checkEndpoint(endpoint) {
  if (endpoint == null) return '';
  if (endpoint instanceof URL) return endpoint.href;
  if (typeof endpoint !== 'string') throw new ChatTokenSigningError('endpoint', `endpoint must be a URL string such as https://ivschat.us-east-1.amazonaws.com, got ${kindOf(endpoint)}.`);
  return endpoint;
}

/**
 * @param {unknown} now
 * @returns {number} milliseconds since 1970
 */
function checkNow(now) {
  if (now == null) return Date.now();
  const millis = now instanceof Date ? now.getTime() : now;
  // The core takes an integer; NaN or Infinity must never reach the cast.
  if (typeof millis !== 'number' || !Number.isFinite(millis)) {
    throw new ChatTokenSigningError('now', 'now must be a valid Date or a number of milliseconds since 1970.');
  }
  return millis;
}

/**
 * Validates, builds and signs with an already loaded core. Bad requests come back as field
 * errors; bad credentials, region, endpoint or time throw {@link ChatTokenSigningError}.
 * @param {IvsChatCore} core
 * @param {unknown} input the CreateChatToken request
 * @param {{ credentials: CheckedCredentials, region: string, endpoint: string, epochMillis: number }} settings
 * @returns {SigningOutcome}
 */
export function signWithCore(core, input, { credentials, region, endpoint, epochMillis }) {
  const json = requestJson(input);
  if (typeof json !== 'string') return { ok: false, errors: [json], errorsJson: JSON.stringify([json]) };
  const result = core.signCreateChatTokenRequest(
    json, region, endpoint, credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken, epochMillis,
  );
  if (!result.ok) {
    if (result.error) {
      const field = FIELD_BY_CORE_NAME[result.errorField];
      if (!field) throw new IvsChatError('INTERNAL', `Signing failed inside the WebAssembly core: ${result.error}`);
      throw new ChatTokenSigningError(field, result.error);
    }
    return { ok: false, errors: JSON.parse(result.errorsJson), errorsJson: result.errorsJson };
  }
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json', 'x-amz-date': result.amzDate };
  if (result.securityToken) headers['x-amz-security-token'] = result.securityToken;
  headers.authorization = result.authorization;
  const signature = result.authorization.slice(result.authorization.lastIndexOf('Signature=') + 'Signature='.length);
  return { ok: true, request: { method: 'POST', url: result.url, headers, body: result.body }, signature };
}

/**
 * Validates a CreateChatToken request and signs it with SigV4 for IVS Chat, ready for
 * `fetch(url, { method, headers, body })`. `Host` is not among the headers: fetch derives it
 * from `url`, and that is the value signed.
 * @param {unknown} input the CreateChatToken request
 * @param {SigningOptions} options
 * @returns {Promise<SignedChatTokenRequest>}
 */
export async function signCreateChatTokenRequest(input, options) {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError('options', 'signCreateChatTokenRequest needs an options object with credentials.');
  }
  const settings = {
    credentials: checkCredentials(options.credentials),
    region: checkRegion(options.region),
    endpoint: checkEndpoint(options.endpoint),
    epochMillis: checkNow(options.now),
  };
  const outcome = signWithCore(await init(), input, settings);
  if (!outcome.ok) throw new ChatTokenValidationError(outcome.errors);
  return outcome.request;
}
