// @ts-check
// Server-side moderation: SendEvent, DeleteMessage and DisconnectUser on the IVS Chat control
// plane. Each request is validated, built and signed in the wasm core (the same toolkit and signer
// as CreateChatToken); JavaScript does the fetch and the deadline, and the core reads the answer.
import { IvsChatRequestError, RequestValidationError } from '../errors.js';
import { httpError } from '../http-error.js';
import { abortSignal, fetchFunction, positive, readOptions } from '../option-table.js';
import { postJson } from '../post-json.js';
import { Redactor } from '../redact.js';
import { init } from './backend-core.js';
import { CREDENTIAL_OPTIONS, credentialsOf } from './credential-options.js';
import { SIGNING_OPTIONS } from './sign.js';

/**
 * @typedef {Omit<import('./sign.js').SigningOptions, 'credentials'> & { credentials?: import('./sign.js').AwsCredentials,
 *   getCredentials?: () => import('./sign.js').AwsCredentials | Promise<import('./sign.js').AwsCredentials>,
 *   timeoutMs?: number, signal?: AbortSignal, fetch?: typeof fetch }} ModerationOptions
 * @typedef {'SendEvent' | 'DeleteMessage' | 'DisconnectUser'} ModerationCall
 * @typedef {{ roomIdentifier: string, eventName: string, attributes?: Record<string, string> }} SendEventRequest
 * @typedef {{ roomIdentifier: string, id: string, reason?: string }} DeleteMessageRequest
 * @typedef {{ roomIdentifier: string, userId: string, reason?: string }} DisconnectUserRequest
 */

/** How long a call waits for IVS by default, in milliseconds. */
export const DEFAULT_MODERATION_TIMEOUT_MS = 10_000;
/** Each option's check and default: the one list of the moderation calls' options. */
const OPTIONS = {
  ...SIGNING_OPTIONS,
  ...CREDENTIAL_OPTIONS, // credentials or getCredentials
  timeoutMs: positive(DEFAULT_MODERATION_TIMEOUT_MS, 'milliseconds'),
  signal: abortSignal,
  fetch: fetchFunction,
};

/**
 * One call: its options read, validated and signed by `sign` (in the core), sent; an answer that
 * is not 2xx throws, read by the same core. Shared by the moderation and the room calls.
 * @template {import('../http-error.js').AwsErrorReader} Core
 * @param {string} call the operation, for messages
 * @param {string} method the public function, for messages
 * @param {ModerationOptions} options
 * @param {(signer: import('./sign.js').Signer, credentials: import('./sign.js').CheckedCredentials) => Promise<{ core: Core, outcome: import('./sign.js').SigningOutcome }>} sign
 * @returns {Promise<{ core: Core, response: Response, text: string }>}
 */
export async function sendSignedCall(call, method, options, sign) {
  const settings = readOptions(OPTIONS, options, { owner: method, notAnObject: `${method} needs an options object with credentials.` });
  const { signer, timeoutMs, signal, fetch: fetchImpl } = settings;
  const credentials = await credentialsOf(settings);

  const { core, outcome } = await sign(signer, credentials);
  if (!outcome.ok) throw new RequestValidationError(call, outcome.errors);
  const { url, headers, body } = outcome.request;
  // AWS signature errors quote the canonical request, session token included: never pass it on.
  const redactor = new Redactor();
  for (const secret of [credentials.secretAccessKey, credentials.sessionToken, outcome.signature]) redactor.add(secret);
  const { response, text } = await postJson(fetchImpl, url, body, { headers, signal, timeoutMs, peer: 'IVS', what: `The ${call} request`, ErrorClass: IvsChatRequestError });
  if (!response.ok) {
    const error = httpError(core, response, redactor.redact(text), { peer: 'IVS', endpoint: url, ErrorClass: IvsChatRequestError });
    error.message = redactor.redact(error.message);
    throw error;
  }
  return { core, response, text };
}

/**
 * One moderation call: validated and signed in the core, sent, its answer read in the core.
 * @param {ModerationCall} call
 * @param {string} method the public function, for messages
 * @param {unknown} input
 * @param {ModerationOptions} options
 * @returns {Promise<{ id: string }>}
 */
async function callIvs(call, method, input, options) {
  const { core, response, text } = await sendSignedCall(call, method, options, async (signer, credentials) => {
    const core = await init();
    return { core, outcome: signer((inputs) => core.signRequest(inputs), call, input, credentials) };
  });
  const answer = core.parseModerationAnswer({ call, body: text });
  if (!answer.ok) throw new IvsChatRequestError('MALFORMED_RESPONSE', `IVS's answer to ${call} is unusable: ${answer.error}.`, { status: response.status });
  return { id: answer.id };
}

/**
 * Sends an event to every client of a room (they receive it as an EVENT frame, `event` on a ChatRoom).
 * @param {SendEventRequest} input
 * @param {ModerationOptions} options
 * @returns {Promise<{ id: string }>} the event's id
 */
export async function sendEvent(input, options) {
  return callIvs('SendEvent', 'sendEvent', input, options);
}

/**
 * Deletes a message: every client receives an `aws:DELETE_MESSAGE` event.
 * @param {DeleteMessageRequest} input
 * @param {ModerationOptions} options
 * @returns {Promise<{ id: string }>} the id IVS gives the operation
 */
export async function deleteMessage(input, options) {
  return callIvs('DeleteMessage', 'deleteMessage', input, options);
}

/**
 * Disconnects every connection of a user: they receive `aws:DISCONNECT_USER`, then are closed.
 * @param {DisconnectUserRequest} input
 * @param {ModerationOptions} options
 * @returns {Promise<Record<string, never>>}
 */
export async function disconnectUser(input, options) {
  await callIvs('DisconnectUser', 'disconnectUser', input, options);
  return {};
}
