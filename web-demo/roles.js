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

/** Bidirectional controls (embeddings, overrides, isolates, marks): taken out of display names. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
/** What shows as nothing: default-ignorables, format characters, spaces, combining marks alone, U+2800. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Z}\s\p{M}\u2800]/gu;
const CONTROL = /\p{Cc}/u;

/**
 * The display name's check (the server's; the page mirrors it for its form): trimmed, bidi
 * controls taken out (a name cannot reverse itself, or the text after it, to read as "admin"),
 * then refused when it has a control character or nothing visible (only zero-width characters,
 * Hangul fillers, blank Braille, ...), or more than DISPLAY_NAME_MAX code points. The page also
 * isolates each name's direction where it shows it (<bdi>).
 * @param {unknown} value
 * @returns {{ name: string } | { refused: string }}
 */
export function checkDisplayName(value) {
  const name = (typeof value === 'string' ? value : '').replace(BIDI_CONTROLS, '').trim();
  if (name === '') return { refused: 'Enter a display name.' };
  const control = CONTROL.exec(name)?.[0];
  if (control !== undefined) {
    const code = `U+${(control.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    return { refused: `The display name (displayName) must not contain control characters such as line breaks or tabs; it has ${code}.` };
  }
  if (name.replace(INVISIBLE, '') === '') return { refused: 'The display name (displayName) has no visible character: enter a name others can see.' };
  const length = Array.from(name).length;
  if (length > DISPLAY_NAME_MAX) return { refused: `The display name must have at most ${DISPLAY_NAME_MAX} characters; it has ${length}.` };
  return { name };
}
