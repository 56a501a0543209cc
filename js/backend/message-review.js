// @ts-check
// createMessageReviewHandler: an app's review function as an IVS Chat message review handler.
// IVS sends the event and waits 200 ms; an invalid answer, an error or a late answer silently
// applies the room's fallbackResult. So the event is read in the core, the app's decision is
// checked there before it is answered (nothing invalid reaches IVS), and the handler answers
// itself when the app takes longer than its budget.
import { InvalidOptionError } from '../errors.js';
import { requestJson } from '../request-json.js';
import { init } from './backend-core.js';

/**
 * @typedef {import('../errors.js').FieldError} FieldError
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
 * @property {(entry: ReviewLogEntry) => void} [logger] one entry per message
 */

export const DEFAULT_REVIEW_BUDGET_MS = 150;
const OPTION_NAMES = ['budgetMs', 'onTimeout', 'onError', 'logger'];
const TIMED_OUT = Symbol('timed out');

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

/**
 * Turns an app's review function into a message review handler: call it with IVS's event (the
 * Lambda handler: `export const handler = createMessageReviewHandler(review)`), or use its
 * `fetch` form, `(request: Request) => Promise<Response>`, for tests and the local server.
 * @param {ReviewFunction} review
 * @param {MessageReviewOptions} [options]
 */
export function createMessageReviewHandler(review, options = {}) {
  if (typeof review !== 'function') {
    throw new InvalidOptionError('review', 'createMessageReviewHandler needs review(message) returning { allow, content?, attributes?, reason? }.');
  }
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('options', 'The options must be an object: { budgetMs?, onTimeout?, onError?, logger? }.');
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.includes(name)) throw new InvalidOptionError(name, `Unknown createMessageReviewHandler option \`${name}\`: the options are ${OPTION_NAMES.join(', ')}.`);
  }
  const budgetMs = options.budgetMs ?? DEFAULT_REVIEW_BUDGET_MS;
  if (typeof budgetMs !== 'number' || !Number.isFinite(budgetMs) || budgetMs <= 0) {
    throw new InvalidOptionError('budgetMs', '`budgetMs` must be a positive number of milliseconds (IVS waits 200).');
  }
  const onTimeout = reviewResult(options.onTimeout, 'onTimeout', 'ALLOW');
  const onError = reviewResult(options.onError, 'onError', onTimeout);
  const { logger } = options;
  if (logger !== undefined && typeof logger !== 'function') throw new InvalidOptionError('logger', '`logger` must be a function (entry) => void.');

  /**
   * @param {unknown} event IVS's event: the object a Lambda gets, or its JSON text
   * @returns {Promise<ReviewAnswer>}
   */
  async function handleReview(event) {
    const startedAt = Date.now();
    const core = await init();
    const input = core.readReviewInput({ event: typeof event === 'string' ? event : JSON.stringify(event ?? null) });
    if (!input.ok) {
      // Not IVS's event shape: nothing to review (and no content to deliver).
      const answer = { Attributes: {}, Content: '', ReviewResult: /** @type {ReviewResult} */ ('DENY') };
      log({ level: 'error', result: 'DENY', outcome: 'error', message: `unusable review event: ${input.error}`, messageId: '', roomArn: '', durationMs: Date.now() - startedAt });
      return answer;
    }
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
      const json = requestJson(decision);
      return json.ok ? core.buildReviewAnswer({ decision: json }) : { ok: /** @type {const} */ (false), errors: [json.error] };
    };
    /** The handler's own answer (IVS's content, unchanged: always valid). @param {ReviewResult} result */
    const fallback = (result) => /** @type {{ allow: boolean, answer: string }} */ (decide({ allow: result === 'ALLOW', content: input.content }));
    /** @type {ReviewLogEntry['outcome']} */
    let outcome = 'reviewed';
    let detail = '';
    /** @type {FieldError[] | undefined} */
    let errors;
    /** @type {{ allow: boolean, answer: string }} */
    let built;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    try {
      const decision = await Promise.race([
        Promise.resolve().then(() => review(message)),
        new Promise((resolve) => {
          timer = setTimeout(() => resolve(TIMED_OUT), budgetMs);
        }),
      ]);
      if (decision === TIMED_OUT) {
        outcome = 'timeout';
        detail = `the review took longer than ${budgetMs} ms`;
        built = fallback(onTimeout);
      } else {
        // The message's own content unless the app rewrote it.
        const given = decision !== null && typeof decision === 'object' && !Array.isArray(decision) ? { ...decision } : { allow: decision };
        if (given.content === undefined) given.content = input.content;
        const checked = decide(given);
        if (checked.ok) {
          built = checked;
        } else {
          outcome = 'invalid';
          errors = checked.errors;
          detail = `the review's decision is invalid: ${checked.errors.map((e) => e.message).join(' ')}`;
          built = fallback(onError);
        }
      }
    } catch (error) {
      outcome = 'error';
      detail = `the review threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
      built = fallback(onError);
    } finally {
      clearTimeout(timer);
    }
    const answer = /** @type {ReviewAnswer} */ (JSON.parse(built.answer));
    log({
      level: outcome === 'reviewed' ? 'info' : outcome === 'timeout' ? 'warn' : 'error',
      result: answer.ReviewResult,
      outcome,
      message: outcome === 'reviewed' ? `${answer.ReviewResult === 'ALLOW' ? 'allowed' : 'denied'} by the review` : `${detail}; answered ${answer.ReviewResult}`,
      messageId: input.messageId,
      roomArn: input.roomArn,
      durationMs: Date.now() - startedAt,
      ...(errors ? { errors } : {}),
    });
    return answer;
  }

  /** @param {ReviewLogEntry} entry */
  function log(entry) {
    if (!logger) return;
    try {
      logger(entry);
    } catch {
      // A failing logger must not change the answer.
    }
  }

  /**
   * The fetch form: POST the event as JSON, get the answer as JSON.
   * @param {Request} request
   * @returns {Promise<Response>}
   */
  handleReview.fetch = async (request) => {
    if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
    const answer = await handleReview(await request.text());
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return handleReview;
}
