// @ts-check
// Signing control-plane requests (CreateChatToken, SendEvent, DeleteMessage, DisconnectUser):
// JavaScript checks the option types, reads the endpoint URL (with the runtime's URL parser, so
// that what is signed is what fetch sends) and shapes the result for fetch; validation, the body
// and the SigV4 signature come from the wasm core in one call.
import { ChatTokenValidationError, InvalidOptionError, IvsChatError, RequestValidationError } from '../errors.js';
import { firstProblem } from '../first-problem.js';
import { derived, flag, readOwnOptions } from '../option-table.js';
import { requestTable } from '../value-table.js';
import { init } from './backend-core.js';
import { ChatTokenSigningError } from './errors.js';

/**
 * @typedef {import('../../dist/ivschat-backend-calls.js').BackendCore} BackendCore
 * @typedef {Parameters<BackendCore['signRequest']>[0]['call']} ControlPlaneCall
 * @typedef {{ credentials: CheckedCredentials, region: string, endpoint: Endpoint | undefined, epochMillis: number | undefined }} SigningSettings
 * @typedef {import('../errors.js').FieldError} FieldError
 * @typedef {import('./errors.js').SigningField} SigningField
 * @typedef {{ accessKeyId: string, secretAccessKey: string, sessionToken?: string }} AwsCredentials
 * @typedef {{ credentials: AwsCredentials, region?: string, endpoint?: string | URL, now?: Date | number, allowInsecureEndpoint?: boolean }} SigningOptions
 * @typedef {{ method: 'POST', url: string, headers: Record<string, string>, body: string }} SignedChatTokenRequest
 * @typedef {{ accessKeyId: string, secretAccessKey: string, sessionToken: string }} CheckedCredentials
 * @typedef {{ origin: string, host: string, basePath: string }} Endpoint a parsed endpoint URL
 * @typedef {{ ok: true, request: SignedChatTokenRequest, signature: string }
 *   | { ok: false, errors: FieldError[], validationExceptionBody: string }} SigningOutcome
 */

/** Longer inputs are refused before they reach the core (real ones are far shorter). */
const SIGNING_LIMITS = Object.freeze({ accessKeyId: 128, secretAccessKey: 128, sessionToken: 16384, region: 64, endpoint: 2048 });

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
 * Checks the shape and the length of a credentials object (the core checks the characters).
 * @param {unknown} credentials
 * @returns {CheckedCredentials}
 */
export function checkCredentials(credentials) {
  if (credentials === null || typeof credentials !== 'object') {
    throw new ChatTokenSigningError('credentials', 'credentials must be an object with accessKeyId and secretAccessKey (and sessionToken for temporary credentials).');
  }
  const { accessKeyId, secretAccessKey, sessionToken } = /** @type {Record<string, unknown>} */ (credentials);
  return {
    accessKeyId: checkString(accessKeyId, 'accessKeyId', false),
    secretAccessKey: checkString(secretAccessKey, 'secretAccessKey', false),
    sessionToken: checkString(sessionToken, 'sessionToken', true),
  };
}

/**
 * @param {unknown} value
 * @param {'accessKeyId' | 'secretAccessKey' | 'sessionToken'} name
 * @param {boolean} optional
 */
function checkString(value, name, optional) {
  if (optional && value == null) return '';
  if (typeof value !== 'string') {
    throw new ChatTokenSigningError(`credentials.${name}`, `credentials.${name} must be a string${optional ? ' when given' : ''}, got ${kindOf(value)}.`);
  }
  if (value.length > SIGNING_LIMITS[name]) {
    // The length only: the value is a secret.
    throw new ChatTokenSigningError(`credentials.${name}`, `credentials.${name} is ${value.length} characters long; AWS credentials are never longer than ${SIGNING_LIMITS[name]}.`);
  }
  return value;
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
function checkRegion(region) {
  if (region == null) return '';
  if (typeof region !== 'string') throw new ChatTokenSigningError('region', `region must be a string such as us-east-1, got ${kindOf(region)}.`);
  if (region.length > SIGNING_LIMITS.region) throw new ChatTokenSigningError('region', `region is ${region.length} characters long; region names are short, such as us-east-1.`);
  // The core's rule for a credential scope name (isScopeName, src/core/sigv4.cpp), checked here
  // too so that a handler with a bad region fails when it is made, not at every request.
  if (!/^[a-z0-9-]+$/.test(region)) throw new ChatTokenSigningError('region', 'The region must be lower-case letters, digits and \'-\' (e.g. us-east-1).');
  return region;
}

/**
 * Whether a URL's host name is this machine's loopback: `localhost`, 127.0.0.0/8 or `[::1]`
 * (the WHATWG parser has already normalised IPv4 forms such as `0x7f.1` and the case).
 * @param {string} hostname `URL.hostname`
 */
function isLoopbackHostname(hostname) {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Reads an endpoint URL as fetch will send it. Refused: other schemes, relative URLs, user
 * information, a query or a fragment (a base path is kept), and plain `http://` to anything but
 * loopback unless `allowInsecure` (the signed request, and a session token, would cross the
 * network in clear text: an InvalidOptionError naming `endpoint`).
 * @param {unknown} endpoint
 * @param {{ allowInsecure?: boolean }} [options]
 * @returns {Endpoint | undefined} undefined = the region's control plane
 */
export function checkEndpoint(endpoint, { allowInsecure = false } = {}) {
  if (endpoint == null) return undefined;
  const example = 'such as https://ivschat.us-east-1.amazonaws.com (or http://127.0.0.1:4566 for the local server)';
  if (typeof endpoint !== 'string' && !(endpoint instanceof URL)) {
    throw new ChatTokenSigningError('endpoint', `endpoint must be a URL ${example}, got ${kindOf(endpoint)}.`);
  }
  const text = String(endpoint);
  if (text.length > SIGNING_LIMITS.endpoint) throw new ChatTokenSigningError('endpoint', `endpoint is ${text.length} characters long; it must be a URL ${example}.`);
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new ChatTokenSigningError('endpoint', `endpoint must be an absolute http:// or https:// URL ${example}${/^[a-z0-9-]+$/.test(text) ? ` (to choose a region, pass region: '${text}')` : ''}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ChatTokenSigningError('endpoint', `endpoint must use http or https, not ${url.protocol.slice(0, -1)}.`);
  }
  if (url.username || url.password) throw new ChatTokenSigningError('endpoint', 'endpoint must not contain user information (user:password@).');
  if (url.search || url.hash) throw new ChatTokenSigningError('endpoint', 'endpoint must not have a query or a fragment.');
  if (url.protocol === 'http:' && !allowInsecure && !isLoopbackHostname(url.hostname)) {
    throw new InvalidOptionError('endpoint', `endpoint ${url.origin} is plain http:// to a host that is not loopback: the signed request would cross the network unencrypted. Use https://, or pass allowInsecureEndpoint: true.`);
  }
  return { origin: url.origin, host: url.host, basePath: url.pathname.replace(/\/+$/, '') };
}

/**
 * @param {unknown} now
 * @returns {number | undefined} milliseconds since 1970; none given: the time of signing
 */
function checkNow(now) {
  if (now == null) return undefined;
  const millis = now instanceof Date ? now.getTime() : now;
  // The core takes an integer; NaN or Infinity must never reach the cast.
  if (typeof millis !== 'number' || !Number.isFinite(millis)) {
    throw new ChatTokenSigningError('now', 'now must be a valid Date or a number of milliseconds since 1970.');
  }
  return millis;
}

/**
 * A request that breaks IVS's rules, with the body IVS itself answers for it (HTTP 400,
 * ValidationException; members in the service's order), written here for both kinds of refusal:
 * the core's and the shim's own (a request JSON cannot carry).
 * @param {FieldError[]} errors
 * @returns {SigningOutcome}
 */
function refused(errors) {
  const fieldList = errors.map(({ message, field }) => ({ message, name: field }));
  const validationExceptionBody = JSON.stringify({ fieldList, message: firstProblem(errors), reason: 'FIELD_VALIDATION_FAILED' });
  return { ok: false, errors, validationExceptionBody };
}

/**
 * Validates, builds and signs one call through any call of a core declared with the signing
 * inputs and outcomes (boundary/calls.js SIGNING): the backend module's signRequest, the admin
 * module's signRoomRequest, the history module's signLogsRequest.
 * @template {string} Call
 * @typedef {(inputs: Omit<Parameters<BackendCore['signRequest']>[0], 'call'> & { call: Call }) => ReturnType<BackendCore['signRequest']>} CoreSigner
 */

/**
 * What signs a backend function's calls with its signing options (region, endpoint, now), made
 * once where they are read (SIGNING_OPTIONS.signer): bad requests come back as field errors;
 * credentials, region, endpoint or time the core refuses throw {@link ChatTokenSigningError}.
 * @typedef {<Call extends string>(sign: CoreSigner<Call>, call: Call, input: unknown, credentials: CheckedCredentials) => SigningOutcome} Signer
 */

/**
 * @template {string} Call
 * @param {CoreSigner<Call>} sign
 * @param {Call} call
 * @param {unknown} input the call's request
 * @param {SigningSettings} settings
 * @returns {SigningOutcome}
 */
function signWith(sign, call, input, { credentials, region, endpoint, epochMillis }) {
  const request = requestTable(input);
  if (!request.ok) {
    return refused([request.error]);
  }
  const result = sign({
    call,
    request: request.table,
    region,
    host: endpoint?.host ?? '',
    basePath: endpoint?.basePath ?? '',
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    // Taken here, when the signature is made, unless the caller fixed it (credentials may have
    // taken seconds to arrive after the options were read).
    epochMillis: epochMillis ?? Date.now(),
  });
  if (!result.ok) {
    if ('errors' in result) return refused(result.errors);
    const field = FIELD_BY_CORE_NAME[result.field];
    if (!field) throw new IvsChatError('INTERNAL', `Signing failed inside the WebAssembly core: ${result.error}`);
    throw new ChatTokenSigningError(field, result.error);
  }
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json', 'x-amz-date': result.amzDate };
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  headers.authorization = result.authorization;
  const signature = result.authorization.slice(result.authorization.lastIndexOf('Signature=') + 'Signature='.length);
  const url = `${endpoint?.origin ?? `https://${result.host}`}${result.path}`;
  return { ok: true, request: { method: 'POST', url, headers, body: result.body }, signature };
}

/**
 * The signing options, each with its check and default, in the order they are checked, and the
 * {@link Signer} they make: the one list of them, which the sign* functions, the moderation, room
 * and history calls and the token handler read. Their errors are ChatTokenSigningError naming the
 * field (an insecure endpoint, and a bad allowInsecureEndpoint, are InvalidOptionError).
 */
export const SIGNING_OPTIONS = {
  credentials: checkCredentials,
  region: checkRegion,
  allowInsecureEndpoint: flag(false),
  /** @param {unknown} value @param {import('../option-table.js').OptionContext} context */
  endpoint: (value, { settings }) => checkEndpoint(value, { allowInsecure: /** @type {boolean} */ (settings.allowInsecureEndpoint) }),
  now: checkNow,
  signer: derived((settings) => {
    const { region, endpoint, now: epochMillis } = /** @type {{ region: string, endpoint: Endpoint | undefined, now: number | undefined }} */ (settings);
    /** @type {Signer} */
    const signer = (sign, call, input, credentials) => signWith(sign, call, input, { credentials, region, endpoint, epochMillis });
    return signer;
  }),
};

/**
 * Validates and signs one call: a request invalid by the service's rules throws a
 * RequestValidationError (ChatTokenValidationError for CreateChatToken); bad credentials,
 * region, endpoint or time throw {@link ChatTokenSigningError}. Options other than the signing
 * ones are let through, as they always were here.
 * @param {ControlPlaneCall} call
 * @param {unknown} input
 * @param {unknown} options
 * @param {string} method the public function, for messages
 * @returns {Promise<SignedChatTokenRequest>}
 */
async function signCall(call, input, options, method) {
  const { settings: { signer, credentials } } = readOwnOptions(SIGNING_OPTIONS, options, { owner: method, notAnObject: `${method} needs an options object with credentials.` });
  const core = await init();
  const outcome = signer((inputs) => core.signRequest(inputs), call, input, credentials);
  if (!outcome.ok) throw call === 'CreateChatToken' ? new ChatTokenValidationError(outcome.errors) : new RequestValidationError(call, outcome.errors);
  return outcome.request;
}

/**
 * Validates a CreateChatToken request and signs it with SigV4 for IVS Chat, ready for
 * `fetch(url, { method, headers, body })`. `Host` is not among the headers: fetch derives it
 * from `url`, and that is the value signed.
 * @param {import('../api.js').CreateChatTokenRequest} input the CreateChatToken request (checked whatever it is)
 * @param {SigningOptions} options
 * @returns {Promise<SignedChatTokenRequest>}
 */
export async function signCreateChatTokenRequest(input, options) {
  return signCall('CreateChatToken', input, options, 'signCreateChatTokenRequest');
}

/**
 * Validates a SendEvent request `{ roomIdentifier, eventName, attributes? }` and signs it.
 * @param {import('./moderation.js').SendEventRequest} input
 * @param {SigningOptions} options
 * @returns {Promise<SignedChatTokenRequest>}
 */
export async function signSendEventRequest(input, options) {
  return signCall('SendEvent', input, options, 'signSendEventRequest');
}

/**
 * Validates a DeleteMessage request `{ roomIdentifier, id, reason? }` and signs it.
 * @param {import('./moderation.js').DeleteMessageRequest} input
 * @param {SigningOptions} options
 * @returns {Promise<SignedChatTokenRequest>}
 */
export async function signDeleteMessageRequest(input, options) {
  return signCall('DeleteMessage', input, options, 'signDeleteMessageRequest');
}

/**
 * Validates a DisconnectUser request `{ roomIdentifier, userId, reason? }` and signs it.
 * @param {import('./moderation.js').DisconnectUserRequest} input
 * @param {SigningOptions} options
 * @returns {Promise<SignedChatTokenRequest>}
 */
export async function signDisconnectUserRequest(input, options) {
  return signCall('DisconnectUser', input, options, 'signDisconnectUserRequest');
}
