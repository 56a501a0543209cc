// @ts-check
// `credentials` and `getCredentials`, the two options that say where a backend function's AWS
// credentials come from: exactly one of them. Entries of option tables (js/option-table.js),
// shared by createTokenHandler and the moderation calls; what getCredentials gives is checked
// with checkCredentials (sign.js) once it is got.
import { InvalidOptionError } from '../errors.js';
import { checkCredentials } from './sign.js';

/**
 * @typedef {import('./sign.js').AwsCredentials} AwsCredentials
 * @typedef {import('../option-table.js').OptionContext} OptionContext
 */

export const CREDENTIAL_OPTIONS = {
  /**
   * Fixed credentials; exactly one of this and getCredentials.
   * @param {unknown} value
   * @param {OptionContext} context
   */
  credentials(value, { owner, given }) {
    if ((value === undefined) === (given.getCredentials === undefined)) {
      throw new InvalidOptionError('credentials', `${owner} needs exactly one of credentials or getCredentials.`);
    }
    return value === undefined ? undefined : checkCredentials(value);
  },
  /**
   * @param {unknown} value
   * @returns {(() => AwsCredentials | Promise<AwsCredentials>) | undefined}
   */
  getCredentials(value) {
    if (value === undefined || typeof value === 'function') return /** @type {(() => AwsCredentials | Promise<AwsCredentials>) | undefined} */ (value);
    throw new InvalidOptionError('getCredentials', 'getCredentials must be a function returning { accessKeyId, secretAccessKey, sessionToken? } (or a promise of it).');
  },
};
