// @ts-check
// The `removalEvents` option of room history, on the page (chatHistory) and at the edge
// (readRoomHistory, createHistoryHandler) alike: an app's events that remove a user's earlier
// messages, by event name, each naming the attribute that holds the user id.
import { InvalidOptionError } from './errors.js';

/** The demo's removal event: every earlier message of the user named by its `userId` attribute goes. */
export const DEFAULT_REMOVAL_EVENTS = Object.freeze({ 'app:DELETE_USER_MESSAGES': 'userId' });

/**
 * The `removalEvents` option: event name → the attribute naming the user whose messages go.
 * @param {unknown} value
 * @param {{ name: string }} context
 * @returns {Readonly<Record<string, string>>}
 */
export function removalEventsOption(value, { name }) {
  if (value === undefined) return DEFAULT_REMOVAL_EVENTS;
  const problem = () => new InvalidOptionError(name, `\`${name}\` must be an object of event names to the attribute naming the user whose messages go, such as { 'app:DELETE_USER_MESSAGES': 'userId' } ({} for none).`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw problem();
  const entries = Object.entries(value);
  if (entries.some(([event, attribute]) => event === '' || typeof attribute !== 'string' || attribute === '')) throw problem();
  return Object.freeze(Object.fromEntries(entries));
}
