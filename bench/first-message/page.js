// Shared by both pages of the first-message benchmark (bundled into each): the page's marks
// (performance.now(), navigation start = 0), the query parameters the harness passes, and the
// rendering of received messages. Imported first by each entry, so `scriptStart` is when the
// bundle began to run.
/** @type {Record<string, number>} */
export const marks = { scriptStart: performance.now() };
const w = /** @type {any} */ (globalThis);
w.__marks = marks;

const params = new URLSearchParams(location.search);
/** The room's ARN and the messaging URL (ws://127.0.0.1:…) of the local IVS Chat server. */
export const roomArn = /** @type {string} */ (params.get('room'));
export const messagingUrl = /** @type {string} */ (params.get('ws'));
export const userId = 'viewer';

const list = /** @type {HTMLElement} */ (document.getElementById('messages'));

/**
 * Inserts one received message; the first one sets window.__firstMessageMs and tells the harness
 * (a console line: nothing polls the throttled page).
 * @param {string} sender
 * @param {string} content
 */
export function render(sender, content) {
  const item = document.createElement('li');
  item.textContent = `${sender}: ${content}`;
  list.append(item);
  if (w.__firstMessageMs === undefined) {
    w.__firstMessageMs = marks.firstMessage = performance.now();
    console.log(`first-message: ${marks.firstMessage}`);
  }
}

/** @param {string} name */
export function mark(name) {
  marks[name] ??= performance.now();
}

/** @param {unknown} error */
export function fail(error) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  w.__failure ??= text;
  console.error(`first-message failure: ${text}`);
}
