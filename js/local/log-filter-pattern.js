// @ts-check
/**
 * CloudWatch Logs filter patterns, the two forms a chat-log reader uses (from the CloudWatch Logs
 * user guide, "Filter pattern syntax"):
 * - terms: `ERROR "user 42"`: every term or quoted phrase occurs in the message (case-sensitive);
 * - JSON: `{ $.type = "MESSAGE" && $.payload.Sender.UserId = "alice" }`: comparisons of
 *   selectors (`$.a.b`, `$.a[0]`) with "strings" (`*` a wildcard; `=` / `!=`) or numbers
 *   (`=`, `!=`, `<`, `<=`, `>`, `>=`), joined by `&&` and `||` (`&&` first); `IS NULL`,
 *   `NOT EXISTS`, parentheses, regular expressions, space-delimited patterns and `?` / `-` terms
 *   are not supported here and are refused, saying so.
 * @module
 */
import { ServiceError } from './errors.js';

/** CloudWatch Logs' 400 for a pattern it cannot read. @param {string} type @param {string} message */
const logsError = (type, message) => new ServiceError(400, type, message);

const UNSUPPORTED =
  'The local server supports filter patterns of terms and "quoted phrases", and JSON patterns such as { $.type = "MESSAGE" && $.payload.Content = "hi*" } (no parentheses, IS NULL, EXISTS, regular expressions, space-delimited, ? or - patterns).';

/**
 * A predicate over a message for a filter pattern (empty: every message).
 * @param {string | undefined} pattern
 * @returns {(message: string) => boolean}
 */
export function filterPatternMatcher(pattern) {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) return jsonMatcher(text);
  if (text.startsWith('[') || /(^|\s)[-?%]/.test(text)) throw logsError('InvalidParameterException', UNSUPPORTED);
  const terms = [...text.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]));
  return (message) => terms.every((term) => message.includes(term));
}

/**
 * @typedef {object} Comparison
 * @property {(string | number)[]} path
 * @property {string} operator
 * @property {string | number} value
 */

/**
 * @param {string} text a pattern starting with `{`
 * @returns {(message: string) => boolean}
 */
function jsonMatcher(text) {
  if (!text.endsWith('}')) throw logsError('InvalidParameterException', UNSUPPORTED);
  const body = text.slice(1, -1);
  if (/[()]/.test(body.replace(/"(?:[^"\\]|\\.)*"/g, ''))) throw logsError('InvalidParameterException', UNSUPPORTED);
  const alternatives = splitOutsideQuotes(body, '||').map((part) => splitOutsideQuotes(part, '&&').map(parseComparison));
  return (message) => {
    let document;
    try {
      document = JSON.parse(message);
    } catch {
      return false;
    }
    return alternatives.some((all) => all.every((comparison) => compare(comparison, document)));
  };
}

/**
 * Splits on `separator` where it is not inside a quoted string.
 * @param {string} text @param {string} separator
 */
function splitOutsideQuotes(text, separator) {
  const parts = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\\' && quoted) i += 1;
    else if (text[i] === '"') quoted = !quoted;
    else if (!quoted && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * `$.a.b[0] = "x"` -> { path, operator, value }.
 * @param {string} text
 * @returns {Comparison}
 */
function parseComparison(text) {
  const match = /^\s*\$((?:\.[A-Za-z_][\w-]*|\[\d+\])*)\s*(!=|<=|>=|=|<|>)\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|[^\s"]+)\s*$/.exec(text);
  if (!match) throw logsError('InvalidParameterException', UNSUPPORTED);
  const path = [...match[1].matchAll(/\.([A-Za-z_][\w-]*)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
  const raw = match[3];
  const value = raw.startsWith('"') ? JSON.parse(raw) : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (typeof value === 'string' && !['=', '!='].includes(match[2])) throw logsError('InvalidParameterException', UNSUPPORTED);
  return { path, operator: match[2], value };
}

/**
 * @param {Comparison} comparison @param {unknown} document
 */
function compare({ path, operator, value }, document) {
  /** @type {any} */
  let node = document;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return false;
    node = node[key];
  }
  if (node === undefined) return false;
  if (typeof value === 'number') {
    if (typeof node !== 'number') return false;
    return { '=': node === value, '!=': node !== value, '<': node < value, '<=': node <= value, '>': node > value, '>=': node >= value }[operator] ?? false;
  }
  const text = typeof node === 'string' ? node : JSON.stringify(node);
  const equal = wildcard(value).test(text);
  return operator === '=' ? equal : !equal;
}

/** `a*b` -> /^a.*b$/s. @param {string} value */
function wildcard(value) {
  return new RegExp(`^${value.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}
