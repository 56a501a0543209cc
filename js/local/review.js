// @ts-check
// Message review handlers on the local server, as IVS runs them: a room whose
// messageReviewHandler.uri is a Lambda ARN registered here (startLocalIvsChat({ lambdas }) or
// setLambda) calls that function for every SEND_MESSAGE with IVS's event, and takes its answer
// { Content, ReviewResult, Attributes }. An error, an answer that is not valid, or no answer
// within 200 ms applies the room's fallbackResult. The answer is checked here on its own terms
// (this server stands in for IVS, so it does not reuse the package's core).
import { within } from '../deadline.js';
import { LAMBDA_ARN_PATTERN } from './validation.js';

/** How long IVS waits for a review handler (Service Quotas: 200 ms, not adjustable). */
export const REVIEW_TIMEOUT_MS = 200;
const MAX_CONTENT_CODE_POINTS = 500;
const MAX_ATTRIBUTES_BYTES = 1024;

/**
 * @typedef {(event: ReviewEvent) => unknown} LambdaFunction a registered Lambda: gets IVS's event, returns (a promise of) its answer
 * @typedef {{ Content: string, MessageId: string, RoomArn: string, Attributes: Record<string, string>,
 *   Sender: { Attributes: Record<string, string>, UserId: string, Ip: string } }} ReviewEvent
 * @typedef {{ allow: boolean, content: string, attributes: Record<string, string>, reason: string,
 *   outcome: 'reviewed' | 'fallback', why?: string }} ReviewOutcome
 */

/** The Lambda functions this server can call, by ARN. */
export class LambdaFunctions {
  constructor() {
    /** @type {Map<string, LambdaFunction>} */
    this.functions = new Map();
  }

  /**
   * Registers (or, with undefined, removes) the function behind a Lambda ARN.
   * @param {string} arn
   * @param {LambdaFunction | undefined} fn
   */
  set(arn, fn) {
    if (typeof arn !== 'string' || arn === '' || !LAMBDA_ARN_PATTERN.test(arn)) {
      throw new TypeError(`setLambda: ${JSON.stringify(arn)} is not a Lambda ARN such as arn:aws:lambda:us-east-1:123456789012:function:review`);
    }
    if (fn === undefined) {
      this.functions.delete(arn);
      return;
    }
    if (typeof fn !== 'function') throw new TypeError(`setLambda: the function for ${arn} must be a function (event) => answer`);
    this.functions.set(arn, fn);
  }

  /** @param {string} arn */
  get(arn) {
    return this.functions.get(arn);
  }
}

/**
 * Calls a review function as IVS does and decides what happens to the message.
 * @param {LambdaFunction} fn
 * @param {ReviewEvent} event
 * @param {'ALLOW' | 'DENY'} fallbackResult the room's
 * @returns {Promise<ReviewOutcome>}
 */
export async function reviewMessage(fn, event, fallbackResult) {
  const fallback = (/** @type {string} */ why) => ({
    allow: fallbackResult === 'ALLOW', content: event.Content, attributes: event.Attributes, reason: '', outcome: /** @type {const} */ ('fallback'), why,
  });
  let answer;
  try {
    answer = await within(Promise.resolve().then(() => fn(structuredClone(event))), REVIEW_TIMEOUT_MS, {
      reason: () => new Error(`no answer within ${REVIEW_TIMEOUT_MS} ms`),
    });
  } catch (error) {
    return fallback(error instanceof Error ? error.message : String(error));
  }
  const problem = invalidAnswer(answer);
  if (problem) return fallback(`invalid answer: ${problem}`);
  const valid = /** @type {{ Content: string, ReviewResult: 'ALLOW' | 'DENY', Attributes?: Record<string, string> }} */ (answer);
  const attributes = valid.Attributes ?? {};
  return { allow: valid.ReviewResult === 'ALLOW', content: valid.Content, attributes, reason: attributes.Reason ?? '', outcome: 'reviewed' };
}

/**
 * Why an answer is not one IVS takes, or undefined.
 * @param {unknown} answer
 */
function invalidAnswer(answer) {
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return 'not an object';
  const { Content, ReviewResult, Attributes, ...others } = /** @type {Record<string, unknown>} */ (answer);
  if (Object.keys(others).length > 0) return `unknown members ${Object.keys(others).join(', ')}`;
  if (ReviewResult !== 'ALLOW' && ReviewResult !== 'DENY') return 'ReviewResult must be ALLOW or DENY';
  if (typeof Content !== 'string' || !Content.isWellFormed()) return 'Content must be a string of valid Unicode';
  const length = [...Content].length;
  if (ReviewResult === 'ALLOW' && (length < 1 || length > MAX_CONTENT_CODE_POINTS)) return `Content must have 1-${MAX_CONTENT_CODE_POINTS} characters`;
  if (Attributes !== undefined) {
    if (Attributes === null || typeof Attributes !== 'object' || Array.isArray(Attributes)) return 'Attributes must be an object';
    let bytes = 0;
    for (const [name, value] of Object.entries(Attributes)) {
      if (typeof value !== 'string') return `Attributes.${name} must be a string`;
      bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
    }
    if (bytes > MAX_ATTRIBUTES_BYTES) return `Attributes total ${bytes} bytes, over ${MAX_ATTRIBUTES_BYTES}`;
  }
  return undefined;
}
