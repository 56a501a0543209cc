// @ts-check
// Rooms on the IVS Chat control plane: CreateRoom, GetRoom, ListRooms, UpdateRoom and DeleteRoom,
// and the logging configurations rooms record to: CreateLoggingConfiguration,
// GetLoggingConfiguration, ListLoggingConfigurations, UpdateLoggingConfiguration and
// DeleteLoggingConfiguration.
// As the moderation calls (and through the same sending, moderation.js sendSignedCall): each
// request is validated, built and signed in WebAssembly, JavaScript does the fetch and the
// deadline. The core is the admin module (ivschat-admin.wasm, admin-core.js), not the token
// backend's, so that a token handler neither bundles nor loads the room rules. The answer is the
// service's JSON, passed on as it is once it is known to have the call's shape.
import { IvsChatRequestError } from '../errors.js';
import { initAdmin } from './admin-core.js';
import { sendSignedCall } from './moderation.js';

/**
 * @typedef {import('./moderation.js').ModerationOptions} RoomOptions
 * @typedef {'CreateRoom' | 'GetRoom' | 'ListRooms' | 'UpdateRoom' | 'DeleteRoom'
 *   | 'CreateLoggingConfiguration' | 'GetLoggingConfiguration' | 'ListLoggingConfigurations'
 *   | 'UpdateLoggingConfiguration' | 'DeleteLoggingConfiguration'} RoomCall
 * The service's shapes, passed through as they are (checked in the core, not built here), so
 * declared once, in types/backend.d.ts:
 * @typedef {import('../../types/backend.js').CreateRoomInput} CreateRoomInput
 * @typedef {import('../../types/backend.js').UpdateRoomInput} UpdateRoomInput
 * @typedef {import('../../types/backend.js').ListRoomsInput} ListRoomsInput
 * @typedef {import('../../types/backend.js').ListRoomsOutput} ListRoomsOutput
 * @typedef {import('../../types/backend.js').Room} Room
 * @typedef {import('../../types/backend.js').CreateLoggingConfigurationInput} CreateLoggingConfigurationInput
 * @typedef {import('../../types/backend.js').UpdateLoggingConfigurationInput} UpdateLoggingConfigurationInput
 * @typedef {import('../../types/backend.js').ListLoggingConfigurationsInput} ListLoggingConfigurationsInput
 * @typedef {import('../../types/backend.js').ListLoggingConfigurationsOutput} ListLoggingConfigurationsOutput
 * @typedef {import('../../types/backend.js').LoggingConfiguration} LoggingConfiguration
 */

/** The list member of each List call's answer. */
const LISTS = /** @type {Partial<Record<RoomCall, string>>} */ ({ ListRooms: 'rooms', ListLoggingConfigurations: 'loggingConfigurations' });

/**
 * One room call: signed in the admin module, sent, then its answer read as a JSON object with
 * the call's members.
 * @param {RoomCall} call
 * @param {unknown} input
 * @param {RoomOptions} options
 * @returns {Promise<Record<string, unknown>>}
 */
async function callRoom(call, input, options) {
  // The public function, for messages: the call's name in lower camel case (CreateRoom: createRoom).
  const method = `${call[0].toLowerCase()}${call.slice(1)}`;
  const { response, text } = await sendSignedCall(call, method, options, async (signer, credentials) => {
    const core = await initAdmin();
    return { core, outcome: signer((inputs) => core.signRoomRequest(inputs), call, input, credentials) };
  });
  const unusable = (/** @type {string} */ why) =>
    new IvsChatRequestError('MALFORMED_RESPONSE', `IVS's answer to ${call} is unusable: ${why}.`, { status: response.status });
  // DeleteRoom and DeleteLoggingConfiguration answer 204 No Content.
  if (call === 'DeleteRoom' || call === 'DeleteLoggingConfiguration') return {};
  /** @type {unknown} */
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    throw unusable('it is not JSON');
  }
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) throw unusable('it is not a JSON object');
  const record = /** @type {Record<string, unknown>} */ (answer);
  const list = LISTS[call];
  const resource = call.endsWith('LoggingConfiguration') || call.endsWith('LoggingConfigurations') ? 'logging configuration' : 'room';
  if (list !== undefined ? !Array.isArray(record[list]) : typeof record.arn !== 'string') {
    throw unusable(list !== undefined ? `it has no list of ${resource}s` : `it has no ${resource} ARN`);
  }
  return record;
}

/**
 * Creates a room. Every member is optional; the service's defaults are a maximumMessageLength of
 * 500 and a maximumMessageRatePerSecond of 10. The room is made in `options.region` (required:
 * there is no room ARN to take it from).
 * @param {CreateRoomInput} input
 * @param {RoomOptions} options
 * @returns {Promise<Room>}
 */
export async function createRoom(input, options) {
  return /** @type {any} */ (await callRoom('CreateRoom', input, options));
}

/**
 * Reads a room.
 * @param {{ identifier: string }} input the room's ARN
 * @param {RoomOptions} options
 * @returns {Promise<Room>}
 */
export async function getRoom(input, options) {
  return /** @type {any} */ (await callRoom('GetRoom', input, options));
}

/**
 * Lists the rooms of the region (`options.region`, required), newest update first, a page at a time.
 * @param {ListRoomsInput} input
 * @param {RoomOptions} options
 * @returns {Promise<ListRoomsOutput>}
 */
export async function listRooms(input, options) {
  return /** @type {any} */ (await callRoom('ListRooms', input, options));
}

/**
 * Changes a room's settings (the members given; an empty messageReviewHandler uri removes the handler).
 * @param {UpdateRoomInput} input
 * @param {RoomOptions} options
 * @returns {Promise<Room>}
 */
export async function updateRoom(input, options) {
  return /** @type {any} */ (await callRoom('UpdateRoom', input, options));
}

/**
 * Deletes a room; its clients are disconnected.
 * @param {{ identifier: string }} input the room's ARN
 * @param {RoomOptions} options
 * @returns {Promise<Record<string, never>>}
 */
export async function deleteRoom(input, options) {
  await callRoom('DeleteRoom', input, options);
  return {};
}

/**
 * Creates a logging configuration: where the rooms that name it (their
 * loggingConfigurationIdentifiers) record every message and event. `destinationConfiguration`
 * sets exactly one of `s3: { bucketName }`, `cloudWatchLogs: { logGroupName }` or
 * `firehose: { deliveryStreamName }`. Made in `options.region` (required).
 * @param {CreateLoggingConfigurationInput} input
 * @param {RoomOptions} options
 * @returns {Promise<LoggingConfiguration>}
 */
export async function createLoggingConfiguration(input, options) {
  return /** @type {any} */ (await callRoom('CreateLoggingConfiguration', input, options));
}

/**
 * Reads a logging configuration.
 * @param {{ identifier: string }} input its ARN
 * @param {RoomOptions} options
 * @returns {Promise<LoggingConfiguration>}
 */
export async function getLoggingConfiguration(input, options) {
  return /** @type {any} */ (await callRoom('GetLoggingConfiguration', input, options));
}

/**
 * Lists the logging configurations of the region (`options.region`, required), a page at a time.
 * @param {ListLoggingConfigurationsInput} input
 * @param {RoomOptions} options
 * @returns {Promise<ListLoggingConfigurationsOutput>}
 */
export async function listLoggingConfigurations(input, options) {
  return /** @type {any} */ (await callRoom('ListLoggingConfigurations', input, options));
}

/**
 * Changes a logging configuration's name or destination (the members given).
 * @param {UpdateLoggingConfigurationInput} input
 * @param {RoomOptions} options
 * @returns {Promise<LoggingConfiguration>}
 */
export async function updateLoggingConfiguration(input, options) {
  return /** @type {any} */ (await callRoom('UpdateLoggingConfiguration', input, options));
}

/**
 * Deletes a logging configuration (IVS refuses while a room still names it).
 * @param {{ identifier: string }} input its ARN
 * @param {RoomOptions} options
 * @returns {Promise<Record<string, never>>}
 */
export async function deleteLoggingConfiguration(input, options) {
  await callRoom('DeleteLoggingConfiguration', input, options);
  return {};
}
