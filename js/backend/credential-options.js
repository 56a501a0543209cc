// @ts-check
// `credentials` and `getCredentials`, the two options that say where a backend function's AWS
// credentials come from: exactly one of them. Entries of option tables (js/option-table.js),
// shared by createTokenHandler, the moderation and room calls and room history; credentialsOf
// gives a call's credentials from them (what getCredentials gives checked with checkCredentials,
// sign.js, once it is got).
import { InvalidOptionError } from '../errors.js';
import { ChatTokenSigningError } from './errors.js';
import { checkCredentials } from './sign.js';

/**
 * @typedef {import('./sign.js').AwsCredentials} AwsCredentials
 * @typedef {import('./sign.js').CheckedCredentials} CheckedCredentials
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

/**
 * The credentials a call signs with, from the two options as read: the fixed ones (checked when
 * read), else what getCredentials gives, checked. Its failure is a signing-input error naming
 * credentials, with the provider's own message (which profile, which source failed; never a
 * secret).
 * @param {{ credentials?: CheckedCredentials, getCredentials?: () => AwsCredentials | Promise<AwsCredentials> }} settings
 * @returns {Promise<CheckedCredentials>}
 */
export async function credentialsOf({ credentials, getCredentials }) {
  if (credentials) return credentials;
  let given;
  try {
    given = await /** @type {NonNullable<typeof getCredentials>} */ (getCredentials)();
  } catch (cause) {
    throw new ChatTokenSigningError('credentials', `getCredentials failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  return checkCredentials(given);
}

/**
 * Secrets of the credentials used for one request or read: every outgoing text is scrubbed of them.
 * @param {import('../redact.js').Redactor} redactor
 * @param {CheckedCredentials} credentials
 */
export function rememberCredentials(redactor, credentials) {
  redactor.add(credentials.accessKeyId);
  redactor.add(credentials.secretAccessKey);
  redactor.add(credentials.sessionToken);
}
