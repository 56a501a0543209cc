// @ts-check
// Who may do what in the demo, decided on the server: the roles and their capabilities, the
// moderator code, and the display name's rule.
import { createHash, timingSafeEqual } from 'node:crypto';

/** @typedef {'viewer' | 'chatter' | 'moderator'} Role */
/** @type {Record<Role, Array<'SEND_MESSAGE' | 'DELETE_MESSAGE' | 'DISCONNECT_USER'>>} */
export const CAPABILITIES_BY_ROLE = {
  viewer: [],
  chatter: ['SEND_MESSAGE'],
  moderator: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'],
};
/** The display name's rule (the page checks the same): 1-128 code points after trimming. */
export const DISPLAY_NAME_MAX = 128;

/**
 * The role a token request gets, decided on the server. Viewer and chatter are anyone's. A
 * moderator (who may kick anyone and delete anything) needs the operator's code when one is
 * configured; without one, nobody moderates against Amazon IVS, and on the local IVS Chat
 * server (a development stand-in with nothing to abuse) anyone may.
 * @param {{ asked: Role, mode: 'aws' | 'local', configuredCode?: string, givenCode?: string }} request
 * @returns {{ role: Role } | { refused: string }}
 */
export function decideRole({ asked, mode, configuredCode, givenCode }) {
  if (asked !== 'moderator') return { role: asked };
  if (configuredCode) {
    return codesMatch(givenCode ?? '', configuredCode) ? { role: 'moderator' } : { refused: 'That moderator code is not right.' };
  }
  if (mode === 'local') return { role: 'moderator' };
  return { refused: 'Moderators are not enabled on this demo: its operator has not set IVSCHAT_DEMO_MODERATOR_CODE.' };
}

/**
 * How visitors become moderators, for the page and the start-up line.
 * @param {'aws' | 'local'} mode
 * @param {string | undefined} configuredCode
 * @returns {'code' | 'open' | 'off'}
 */
export function moderatorAccess(mode, configuredCode) {
  if (configuredCode) return 'code';
  return mode === 'local' ? 'open' : 'off';
}

/**
 * Compares codes in constant time: both are hashed first, so neither their content nor their
 * length shows in how long the comparison takes.
 * @param {string} given
 * @param {string} expected
 */
function codesMatch(given, expected) {
  const digest = (/** @type {string} */ value) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The role whose capabilities the request asked for (unknown sets fall back to chatter).
 * @param {unknown} capabilities
 * @returns {Role}
 */
export function roleOf(capabilities) {
  const asked = Array.isArray(capabilities) ? capabilities.length : 1;
  if (asked === 0) return 'viewer';
  if (Array.isArray(capabilities) && capabilities.includes('DISCONNECT_USER')) return 'moderator';
  return 'chatter';
}

/**
 * @param {unknown} value
 * @returns {{ name: string } | { refused: string }}
 */
export function checkDisplayName(value) {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '') return { refused: 'Enter a display name.' };
  const length = Array.from(name).length;
  if (length > DISPLAY_NAME_MAX) return { refused: `The display name must have at most ${DISPLAY_NAME_MAX} characters; it has ${length}.` };
  return { name };
}
