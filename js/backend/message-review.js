// @ts-check
// createMessageReviewHandler: an app's review function as an IVS Chat message review handler.
// IVS sends the event and waits 200 ms; an invalid answer, an error or a late answer silently
// applies the room's fallbackResult. So the event is read in the core, the app's decision is
// checked there before it is answered (nothing invalid reaches IVS), and the handler answers
// itself when the app takes longer than its budget.
import { Deadline } from '../deadline.js';
import { InvalidOptionError } from '../errors.js';
import { entryLogger, positive, readOptions } from '../option-table.js';
import { readBodyWithin } from '../read-capped.js';
import { requestTable } from '../value-table.js';
import { initMessageReview, preloadMessageReview } from './review-core.js';

/**
 * @typedef {import('../errors.js').FieldError} FieldError
 * @typedef {import('../option-table.js').OptionContext} OptionContext
 * @typedef {'ALLOW' | 'DENY'} ReviewResult
 * @typedef {object} ReviewedMessage what the app's review function is given
 * @property {string} content
 * @property {string} messageId
 * @property {string} roomArn
 * @property {Record<string, string>} attributes the message's
 * @property {{ userId: string, ip: string, attributes: Record<string, string> }} sender the sender's token attributes
 * @typedef {{ allow: boolean, content?: string, attributes?: Record<string, string>, reason?: string }} ReviewDecision
 * @typedef {(message: ReviewedMessage) => ReviewDecision | Promise<ReviewDecision>} ReviewFunction
 * @typedef {{ Content: string, ReviewResult: ReviewResult, Attributes: Record<string, string> }} ReviewAnswer IVS's contract
 * @typedef {object} ReviewLogEntry
 * @property {'info' | 'warn' | 'error'} level
 * @property {ReviewResult} result what was answered
 * @property {'reviewed' | 'timeout' | 'error' | 'invalid'} outcome whose decision it was: the app's, or the handler's fallback and why
 * @property {string} message what happened
 * @property {string} messageId
 * @property {string} roomArn
 * @property {number} durationMs
 * @property {FieldError[]} [errors] for `invalid`: what was wrong with the app's decision
 * @typedef {object} MessageReviewOptions
 * @property {number} [budgetMs] how long the app may take, in ms; then the handler answers `onTimeout` (default 150: IVS waits 200)
 * @property {ReviewResult} [onTimeout] default 'ALLOW' (IVS's own default fallbackResult)
 * @property {ReviewResult} [onError] when the app throws or decides something invalid; default `onTimeout`
 * @property {((entry: ReviewLogEntry) => void) | false} [logger] one entry per message. Default: the
 *   handler's own failures (level 'error': the core not loading, an unusable event, the review
 *   throwing or deciding something invalid) are written with console.warn; `false`: nothing
 */

export const DEFAULT_REVIEW_BUDGET_MS = 150;
/**
 * Largest event read, in characters of its JSON text (bytes for the fetch form). IVS's largest
 * event (500 code points of content, two 1 KB attribute maps, ids) is under 32 KiB even with
 * every character escaped; a larger one is not IVS's and is answered DENY unread, before it can
 * cost memory or time (the core holds 256 KiB, 3 bytes per character at worst).
 */
const MAX_REVIEW_EVENT_SIZE = 64 * 1024;
/** How long the fetch form waits for the event's body (IVS itself waits 200 ms for the answer). */
const REVIEW_BODY_TIMEOUT_MS = 1000;
/**
 * The answer when there is nothing to deliver: an event that is not IVS's, or a message whose
 * own Content no answer may carry (empty, over 500 code points). Always DENY.
 * @returns {ReviewAnswer}
 */
const nothingToDeliver = () => ({ Attributes: {}, Content: '', ReviewResult: 'DENY' });

/**
 * @param {unknown} value
 * @param {string} name
 * @param {ReviewResult} fallback
 * @returns {ReviewResult}
 */
function reviewResult(value, name, fallback) {
  if (value === undefined) return fallback;
  if (value === 'ALLOW' || value === 'DENY') return value;
  throw new InvalidOptionError(name, `\`${name}\` must be 'ALLOW' or 'DENY'.`);
}

/** Each option's check and default: the one list of createMessageReviewHandler's options. */
const OPTIONS = {
  budgetMs: positive(DEFAULT_REVIEW_BUDGET_MS, 'milliseconds'),
  /** @param {unknown} value @param {OptionContext} context */
  onTimeout: (value, { name }) => reviewResult(value, name, 'ALLOW'),
  /** @param {unknown} value @param {OptionContext} context */
  onError: (value, { name, settings }) => reviewResult(value, name, /** @type {ReviewResult} */ (settings.onTimeout)),
  /** @type {(value: unknown, context: OptionContext) => ((entry: ReviewLogEntry) => void) | false | undefined} */
  logger: entryLogger,
};

/**
 * @typedef {object} ReviewSettings what a handler keeps from its options
 * @property {ReviewFunction} review
 * @property {number} budgetMs
 * @property {ReviewResult} onTimeout
 * @property {ReviewResult} onError
 * @property {(entry: ReviewLogEntry) => void} log
 * @typedef {import('../../dist/ivschat-review-calls.js').ReviewCore} ReviewCore
 * @typedef {Extract<ReturnType<ReviewCore['readReviewInput']>, { ok: true }>} ReviewInput
 * @typedef {{ allow: boolean, answer: string }} BuiltAnswer
 * @typedef {object} Decided what the review came to: the answer, and whose decision it is
 * @property {BuiltAnswer} built
 * @property {ReviewLogEntry['outcome']} outcome
 * @property {string} detail why the handler answered itself ('' when the app decided)
 * @property {FieldError[]} [errors] for `invalid`
 * @property {boolean} undeliverable the fallback could not carry the message's own content
 */

/**
 * Turns an app's review function into a message review handler: call it with IVS's event (the
 * Lambda handler: `export const handler = createMessageReviewHandler(review)`), or use its
 * `fetch` form, `(request: Request) => Promise<Response>`, for tests and the local server.
 * Each event goes through named steps: readReviewEvent (the event read in the core) →
 * decideWithin (the app's decision within the budget, checked in the core, or the handler's
 * fallback) → logged and answered.
 * @param {ReviewFunction} review
 * @param {MessageReviewOptions} [options]
 */
export function createMessageReviewHandler(review, options = {}) {
  if (typeof review !== 'function') {
    throw new InvalidOptionError('review', 'createMessageReviewHandler needs review(message) returning { allow, content?, attributes?, reason? }.');
  }
  const { budgetMs, onTimeout, onError, logger } = readOptions(OPTIONS, options, {
    owner: 'createMessageReviewHandler',
    notAnObject: 'The options must be an object: { budgetMs?, onTimeout?, onError?, logger? }.',
  });
  /** @type {ReviewSettings} */
  const settings = { review, budgetMs, onTimeout, onError, log: reviewLog(logger) };
  // The module is read and compiled while the function's own code loads (a Lambda's init
  // phase), not in the first review's 200 ms; a failure is reported by that review.
  preloadMessageReview();

  /**
   * @param {unknown} event IVS's event: the object a Lambda gets, or its JSON text
   * @returns {Promise<ReviewAnswer>}
   */
  async function handleReview(event) {
    return answerEvent(settings, event, Date.now());
  }

  /**
   * The fetch form: POST the event as JSON, get the answer as JSON. The body is read up to
   * {@link MAX_REVIEW_EVENT_SIZE} bytes and for {@link REVIEW_BODY_TIMEOUT_MS}; more, later or
   * unreadable is an unusable event (DENY, logged).
   * @param {Request} request
   * @returns {Promise<Response>}
   */
  handleReview.fetch = async (request) => {
    if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
    const startedAt = Date.now();
    const answer = await readEvent(request).then(
      (body) => (typeof body === 'string' ? answerEvent(settings, body, startedAt) : unusable(settings, body.why, startedAt)),
      (error) => unusable(settings, `its body could not be read (${error instanceof Error ? error.message : String(error)})`, startedAt),
    );
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return handleReview;
}

/**
 * One event, answered and logged.
 * @param {ReviewSettings} settings
 * @param {unknown} event
 * @param {number} startedAt
 * @returns {Promise<ReviewAnswer>}
 */
async function answerEvent(settings, event, startedAt) {
  const read = await readReviewEvent(event);
  if (!read.ok) return unusable(settings, read.why, startedAt);
  const { input } = read;
  const { built, outcome, detail, errors, undeliverable } = await decideWithin(settings, read.core, input);
  const answer = /** @type {ReviewAnswer} */ (JSON.parse(built.answer));
  settings.log({
    level: outcome === 'reviewed' ? 'info' : outcome === 'timeout' && !undeliverable ? 'warn' : 'error',
    result: answer.ReviewResult,
    outcome,
    message: outcome === 'reviewed'
      ? `${answer.ReviewResult === 'ALLOW' ? 'allowed' : 'denied'} by the review`
      : `${detail}; answered ${answer.ReviewResult}${undeliverable ? ': the message\'s Content cannot be delivered (it must be 1 to 500 code points), so nothing to deliver' : ''}`,
    messageId: input.messageId,
    roomArn: input.roomArn,
    durationMs: Date.now() - startedAt,
    ...(errors ? { errors } : {}),
  });
  return answer;
}

/**
 * The event as the core reads it, or why it cannot be reviewed.
 * @param {unknown} event
 * @returns {Promise<{ ok: true, core: ReviewCore, input: ReviewInput } | { ok: false, why: string }>}
 */
async function readReviewEvent(event) {
  let text;
  try {
    text = typeof event === 'string' ? event : JSON.stringify(event ?? null);
  } catch (error) {
    return { ok: false, why: `it cannot be written as JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (typeof text !== 'string') return { ok: false, why: 'it cannot be written as JSON' };
  if (text.length > MAX_REVIEW_EVENT_SIZE) return { ok: false, why: `it is larger than ${MAX_REVIEW_EVENT_SIZE} characters (${text.length}); IVS's events are far smaller` };
  let core;
  let input;
  try {
    core = await initMessageReview();
    input = core.readReviewInput({ event: text });
  } catch (error) {
    return { ok: false, why: `the WebAssembly core failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  // Not IVS's event shape: nothing to review (and no content to deliver).
  return input.ok ? { ok: true, core, input } : { ok: false, why: input.error };
}

/**
 * The app's decision, asked within the budget and checked in the core; or, when it is late,
 * throws or is invalid, the handler's own answer (onTimeout / onError).
 * @param {ReviewSettings} settings
 * @param {ReviewCore} core
 * @param {ReviewInput} input
 * @returns {Promise<Decided>}
 */
async function decideWithin({ review, budgetMs, onTimeout, onError }, core, input) {
  /** @type {ReviewedMessage} */
  const message = {
    content: input.content,
    messageId: input.messageId,
    roomArn: input.roomArn,
    attributes: input.attributes ?? {},
    sender: { userId: input.senderUserId, ip: input.senderIp, attributes: input.senderAttributes ?? {} },
  };
  /** The core's answer for a decision, or why there is none. @param {unknown} decision */
  const decide = (decision) => {
    const request = requestTable(decision);
    return request.ok ? core.buildReviewAnswer({ decision: request.table }) : { ok: /** @type {const} */ (false), errors: [request.error] };
  };
  let undeliverable = false;
  /**
   * The handler's own answer, with IVS's content unchanged; when no answer may carry that
   * content (empty, over 500 code points: never a message IVS sends), DENY with nothing to deliver.
   * @param {ReviewResult} result
   * @returns {BuiltAnswer}
   */
  const fallback = (result) => {
    const built = decide({ allow: result === 'ALLOW', content: input.content });
    if (built.ok) return built;
    undeliverable = true;
    return { allow: false, answer: JSON.stringify(nothingToDeliver()) };
  };
  const budget = new Deadline(budgetMs);
  try {
    const decision = /** @type {unknown} */ (await budget.race(Promise.resolve().then(() => review(message))));
    // The message's own content unless the app rewrote it.
    /** @type {Record<string, unknown>} */
    const given = decision !== null && typeof decision === 'object' && !Array.isArray(decision) ? { ...decision } : { allow: decision };
    if (given.content === undefined) given.content = input.content;
    const checked = decide(given);
    if (checked.ok) return { built: checked, outcome: 'reviewed', detail: '', undeliverable };
    const detail = `the review's decision is invalid: ${checked.errors.map((e) => e.message).join(' ')}`;
    const built = fallback(onError);
    return { built, outcome: 'invalid', detail, errors: checked.errors, undeliverable };
  } catch (error) {
    if (budget.expired) {
      const built = fallback(onTimeout);
      return { built, outcome: 'timeout', detail: `the review took longer than ${budgetMs} ms`, undeliverable };
    }
    const detail = `the review threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    const built = fallback(onError);
    return { built, outcome: 'error', detail, undeliverable };
  }
}

/**
 * The answer for an event that cannot be reviewed (nothing to deliver), logged.
 * @param {ReviewSettings} settings
 * @param {string} why
 * @param {number} startedAt
 * @returns {ReviewAnswer}
 */
function unusable(settings, why, startedAt) {
  settings.log({ level: 'error', result: 'DENY', outcome: 'error', message: `unusable review event: ${why}; answered DENY`, messageId: '', roomArn: '', durationMs: Date.now() - startedAt });
  return nothingToDeliver();
}

/**
 * Where the log entries go: the app's logger (whose failure must not change the answer), none,
 * or by default the entries that need the operator's attention, with console.warn.
 * @param {((entry: ReviewLogEntry) => void) | false | undefined} logger
 * @returns {(entry: ReviewLogEntry) => void}
 */
function reviewLog(logger) {
  if (logger === false) return () => {};
  if (logger === undefined) {
    return (entry) => {
      if (entry.level !== 'error') return;
      console.warn(`ivschat-wasm message review: ${entry.message}${entry.messageId ? ` (message ${entry.messageId})` : ''} ` +
        "(createMessageReviewHandler's `logger` option replaces this output; `logger: false` silences it)");
    };
  }
  return (entry) => {
    try {
      logger(entry);
    } catch {
      // A failing logger must not change the answer.
    }
  };
}

/**
 * The fetch form's body as text, or why not: counted as it arrives (never more than
 * {@link MAX_REVIEW_EVENT_SIZE} bytes in memory) and given {@link REVIEW_BODY_TIMEOUT_MS}.
 * @param {Request} request
 * @returns {Promise<string | { why: string }>}
 */
async function readEvent(request) {
  const read = await readBodyWithin(request, MAX_REVIEW_EVENT_SIZE, REVIEW_BODY_TIMEOUT_MS);
  if (read.ok) return new TextDecoder().decode(read.bytes);
  if (read.problem === 'tooSlow') return { why: `its body did not arrive within ${REVIEW_BODY_TIMEOUT_MS} ms` };
  if (read.problem === 'tooLarge') return { why: `it is larger than ${MAX_REVIEW_EVENT_SIZE} bytes; IVS's events are far smaller` };
  throw read.cause;
}
