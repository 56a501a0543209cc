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

// What the filter matches in: the message folded one code point at a time, so that every
// folded character knows the original code point it came from (the stars go on the text as
// sent). Each code point is
// - NFKC-normalised (full-width, styled and compatibility letters: ｂｕｙ → buy),
// - one MARK when invisible: a default-ignorable code point (\p{Default_Ignorable_Code_Point}:
//   zero-width spaces and joiners, the soft hyphen, variation selectors, Hangul fillers, tags),
//   a format character (\p{Cf}), a control character other than whitespace, or U+2800 (the
//   blank Braille pattern); a run of them is one MARK,
// - a space when it separates: whitespace, line and paragraph separators, punctuation (\p{P}),
// - its Latin look-alike when it has one in CONFUSABLES, else itself, lower-cased.
// A MARK is whichever helps the match: nothing inside a word (b\u200Buy is "buy"), a separator
// between words (free\u2060money is "free money"). Linear in the message: one pass to fold,
// and patterns without nested repetition (each MARK is optional once, never repeated).
const MARK = '\u0000';
const SEPARATOR = ' ';

/**
 * Look-alikes folded to the Latin letter they are mistaken for: a subset of Unicode TS #39's
 * confusables.txt (the single code points of Cyrillic, Greek and Latin that it maps to one
 * Latin letter, upper and lower case), lower-cased. Where confusables.txt maps a look-alike of
 * capital I to "l" (Ι, І, Ӏ), it folds to "i" here, as Latin I does once lower-cased. Not
 * included: sequences (rn → m), digits (0 → O, 1 → l), other scripts (Armenian, Cherokee, ...).
 * @type {Readonly<Record<string, string>>}
 */
const CONFUSABLES = Object.freeze(Object.fromEntries([
  // Greek capitals and small letters
  ['Α', 'a'], ['Β', 'b'], ['Ε', 'e'], ['Ζ', 'z'], ['Η', 'h'], ['Ι', 'i'], ['Κ', 'k'], ['Μ', 'm'], ['Ν', 'n'], ['Ο', 'o'],
  ['Ρ', 'p'], ['Τ', 't'], ['Υ', 'y'], ['Χ', 'x'], ['Ϲ', 'c'], ['Ϳ', 'j'],
  ['α', 'a'], ['γ', 'y'], ['ι', 'i'], ['ν', 'v'], ['ο', 'o'], ['ρ', 'p'], ['σ', 'o'], ['υ', 'u'], ['ϱ', 'p'], ['ϲ', 'c'], ['ϳ', 'j'],
  // Cyrillic capitals and small letters
  ['А', 'a'], ['В', 'b'], ['Е', 'e'], ['К', 'k'], ['М', 'm'], ['Н', 'h'], ['О', 'o'], ['Р', 'p'], ['С', 'c'], ['Т', 't'],
  ['У', 'y'], ['Х', 'x'], ['Ѕ', 's'], ['І', 'i'], ['Ј', 'j'], ['Ь', 'b'], ['Ү', 'y'], ['Ӏ', 'i'], ['Ԝ', 'w'],
  ['а', 'a'], ['г', 'r'], ['е', 'e'], ['о', 'o'], ['р', 'p'], ['с', 'c'], ['у', 'y'], ['х', 'x'], ['ѕ', 's'], ['і', 'i'],
  ['ј', 'j'], ['ѡ', 'w'], ['ѵ', 'v'], ['ү', 'y'], ['һ', 'h'], ['ҽ', 'e'], ['ӏ', 'i'], ['ԁ', 'd'], ['ԛ', 'q'], ['ԝ', 'w'],
  // Latin letters that pass for others
  ['ɑ', 'a'], ['ɡ', 'g'], ['ı', 'i'], ['ɩ', 'i'],
]));

const INVISIBLE = /^[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\u2800]$/u;
const SEPARATES = /^[\t\n\v\f\r\p{Z}\p{P}]$/u;

/**
 * The message folded for matching, and for each of its UTF-16 units the index of the original
 * code point it came from.
 * @param {string} content
 */
export function foldForMatching(content) {
  const original = Array.from(content);
  /** @type {string[]} */
  const parts = [];
  /** @type {number[]} */
  const origin = [];
  let afterMark = false;
  original.forEach((codePoint, index) => {
    for (const char of codePoint.normalize('NFKC')) {
      const invisible = !SEPARATES.test(char) && INVISIBLE.test(char);
      if (invisible && afterMark) continue;
      afterMark = invisible;
      const out = invisible ? MARK : SEPARATES.test(char) ? SEPARATOR : CONFUSABLES[char] ?? CONFUSABLES[char.toLowerCase()] ?? char.toLowerCase();
      parts.push(out);
      for (let i = 0; i < out.length; i += 1) origin.push(index);
    }
  });
  // Joined once (appending to a string that is read as it grows would copy it each time).
  return { original, folded: parts.join(''), origin };
}

/** A word of the lists as a pattern on folded text: a MARK may sit between any two letters. @param {string} word */
const wordPattern = (word) => Array.from(word).join(`${MARK}?`);

// A "whole word" is not preceded or followed by a letter or digit of any script.
const NOT_WORD_BEFORE = '(?<![\\p{L}\\p{N}])';
const NOT_WORD_AFTER = '(?![\\p{L}\\p{N}])';
const STARRED = new RegExp(`${NOT_WORD_BEFORE}(?:${STARRED_WORDS.map(wordPattern).join('|')})${NOT_WORD_AFTER}`, 'gu');
const REFUSED = REFUSED_PHRASES.map((phrase) => ({
  phrase,
  pattern: new RegExp(`${NOT_WORD_BEFORE}${phrase.split(' ').map(wordPattern).join(`[${SEPARATOR}${MARK}]+`)}${NOT_WORD_AFTER}`, 'u'),
}));

/**
 * The review: refuse spam, star out mild words, deliver the rest unchanged (attributes kept).
 * Both are looked for in the folded text (see foldForMatching), so full-width or styled letters,
 * look-alikes from other scripts and invisible characters (ｂｕｙ ｎｏｗ, bu\u0443 now,
 * b\u200Buy now) do not get around them; words are starred in the text as sent, each code point
 * of a match (invisible ones inside it included) one star, so the delivered message differs from
 * the original only by the stars (same length).
 * @param {Pick<import('ivschat-wasm/backend').ReviewedMessage, 'content' | 'attributes'>} message
 * @returns {import('ivschat-wasm/backend').ReviewDecision}
 */
export function reviewMessage({ content, attributes }) {
  const { original, folded, origin } = foldForMatching(content);
  const refused = REFUSED.find(({ pattern }) => pattern.test(folded));
  if (refused) return { allow: false, reason: `“${refused.phrase}” looks like spam, which this room does not allow.` };
  let starred = false;
  for (const match of folded.matchAll(STARRED)) {
    const from = origin[/** @type {number} */ (match.index)];
    const to = origin[/** @type {number} */ (match.index) + match[0].length - 1];
    for (let i = from; i <= to; i += 1) original[i] = '*';
    starred = true;
  }
  return { allow: true, content: starred ? original.join('') : content, attributes };
}
