// @ts-check
// Rooms on the IVS Chat control plane: CreateRoom, GetRoom, ListRooms, UpdateRoom and DeleteRoom.
// As the moderation calls (and through the same sending, moderation.js sendSignedCall): each
// request is validated, built and signed in WebAssembly, JavaScript does the fetch and the
// deadline. The core is the admin module (ivschat-admin.wasm, admin-core.js), not the token
// backend's, so that a token handler neither bundles nor loads the room rules. The answer is the
// service's JSON, passed on as it is once it is known to have the call's shape.
import { IvsChatRequestError } from '../errors.js';
import { initAdmin } from './admin-core.js';
import { sendSignedCall } from './moderation.js';
import { signWith } from './sign.js';

/**
 * @typedef {import('./moderation.js').ModerationOptions} RoomOptions
 * @typedef {'CreateRoom' | 'GetRoom' | 'ListRooms' | 'UpdateRoom' | 'DeleteRoom'} RoomCall
 * The service's shapes, passed through as they are (checked in the core, not built here), so
 * declared once, in types/backend.d.ts:
 * @typedef {import('../../types/backend.js').CreateRoomInput} CreateRoomInput
 * @typedef {import('../../types/backend.js').UpdateRoomInput} UpdateRoomInput
 * @typedef {import('../../types/backend.js').ListRoomsInput} ListRoomsInput
 * @typedef {import('../../types/backend.js').ListRoomsOutput} ListRoomsOutput
 * @typedef {import('../../types/backend.js').Room} Room
 */

/**
 * One room call: signed in the admin module, sent, then its answer read as a JSON object with
 * the call's members.
 * @param {RoomCall} call
 * @param {string} method the public function, for messages
 * @param {unknown} input
 * @param {RoomOptions} options
 * @returns {Promise<Record<string, unknown>>}
 */
async function callRoom(call, method, input, options) {
  const { response, text } = await sendSignedCall(call, method, options, async (settings) => {
    const core = await initAdmin();
    return { core, outcome: signWith((inputs) => core.signRoomRequest(inputs), call, input, settings) };
  });
  const unusable = (/** @type {string} */ why) =>
    new IvsChatRequestError('MALFORMED_RESPONSE', `IVS's answer to ${call} is unusable: ${why}.`, { status: response.status });
  // DeleteRoom answers 204 No Content.
  if (call === 'DeleteRoom') return {};
  /** @type {unknown} */
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    throw unusable('it is not JSON');
  }
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) throw unusable('it is not a JSON object');
  const record = /** @type {Record<string, unknown>} */ (answer);
  if (call === 'ListRooms' ? !Array.isArray(record.rooms) : typeof record.arn !== 'string') {
    throw unusable(call === 'ListRooms' ? 'it has no list of rooms' : 'it has no room ARN');
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
  return /** @type {any} */ (await callRoom('CreateRoom', 'createRoom', input, options));
}

/**
 * Reads a room.
 * @param {{ identifier: string }} input the room's ARN
 * @param {RoomOptions} options
 * @returns {Promise<Room>}
 */
export async function getRoom(input, options) {
  return /** @type {any} */ (await callRoom('GetRoom', 'getRoom', input, options));
}

/**
 * Lists the rooms of the region (`options.region`, required), newest update first, a page at a time.
 * @param {ListRoomsInput} input
 * @param {RoomOptions} options
 * @returns {Promise<ListRoomsOutput>}
 */
export async function listRooms(input, options) {
  return /** @type {any} */ (await callRoom('ListRooms', 'listRooms', input, options));
}

/**
 * Changes a room's settings (the members given; an empty messageReviewHandler uri removes the handler).
 * @param {UpdateRoomInput} input
 * @param {RoomOptions} options
 * @returns {Promise<Room>}
 */
export async function updateRoom(input, options) {
  return /** @type {any} */ (await callRoom('UpdateRoom', 'updateRoom', input, options));
}

/**
 * Deletes a room; its clients are disconnected.
 * @param {{ identifier: string }} input the room's ARN
 * @param {RoomOptions} options
 * @returns {Promise<Record<string, never>>}
 */
export async function deleteRoom(input, options) {
  await callRoom('DeleteRoom', 'deleteRoom', input, options);
  return {};
}
