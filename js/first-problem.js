// @ts-check
// How the first of a request's problems is told (not part of the public API: the entries pass on
// every export of js/errors.js, which holds only the error classes).

/** @typedef {import('./errors.js').FieldError} FieldError */

/**
 * The first problem's message and how many more there are, as IVS words a ValidationException's
 * message: every error that lists a request's problems says it this way.
 * @param {FieldError[]} errors
 */
export function firstProblem(errors) {
  const more = errors.length - 1;
  return `${errors[0]?.message ?? 'unknown problem'}${more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}`;
}
