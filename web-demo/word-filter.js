// @ts-check
// The demo room's message review on the local IVS Chat server: a small word filter, as an app
// would deploy it as a Lambda (`export const handler = createMessageReviewHandler(reviewMessage)`).
// Mild words are starred out; messages with a spam phrase are refused, with the reason the
// sender is shown. web-demo/server.js registers it with startLocalIvsChat({ lambdas }) and names
// it as the demo room's messageReviewHandler. Against Amazon IVS the demo has no filter (the
// room and its review handler are the operator's, configured in AWS).

/** Mild words, starred out wherever they are whole words (any case): `darn` → `****`. */
export const STARRED_WORDS = Object.freeze(['darn', 'heck', 'dang', 'crud']);
/** Phrases that get a message refused (any case, any spacing between their words). */
export const REFUSED_PHRASES = Object.freeze(['buy now', 'free money', 'crypto giveaway']);

// A "whole word" is not preceded or followed by a letter or digit of any script.
const NOT_WORD_BEFORE = '(?<![\\p{L}\\p{N}])';
const NOT_WORD_AFTER = '(?![\\p{L}\\p{N}])';
const STARRED = new RegExp(`${NOT_WORD_BEFORE}(?:${STARRED_WORDS.join('|')})${NOT_WORD_AFTER}`, 'giu');
const REFUSED = REFUSED_PHRASES.map((phrase) => ({
  phrase,
  pattern: new RegExp(`${NOT_WORD_BEFORE}${phrase.split(' ').join('\\s+')}${NOT_WORD_AFTER}`, 'u'),
}));

/**
 * The review: refuse spam, star out mild words, deliver the rest unchanged (attributes kept).
 * Phrases are looked for in the NFKC form, lower-cased, so full-width or styled letters
 * (ｂｕｙ ｎｏｗ) do not get around them; words are starred in the text as sent, so the
 * delivered message differs from the original only by the stars (same length).
 * @param {Pick<import('ivschat-wasm/backend').ReviewedMessage, 'content' | 'attributes'>} message
 * @returns {import('ivschat-wasm/backend').ReviewDecision}
 */
export function reviewMessage({ content, attributes }) {
  const folded = content.normalize('NFKC').toLowerCase();
  const refused = REFUSED.find(({ pattern }) => pattern.test(folded));
  if (refused) return { allow: false, reason: `“${refused.phrase}” looks like spam, which this room does not allow.` };
  return {
    allow: true,
    content: content.replace(STARRED, (word) => '*'.repeat(Array.from(word).length)),
    attributes,
  };
}
