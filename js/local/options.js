// @ts-check
// startLocalIvsChat's options: the one list of their names, each with its check and default,
// read with js/option-table.js. LocalIvsChatOptions (index.js) documents them.
import { randomBytes } from 'node:crypto';
import { InvalidOptionError } from '../errors.js';
import { flag, originSet, positive, readOptions, wholeNumber } from '../option-table.js';
import { hostAllowList } from './host-allow-list.js';
import { deliveryDelays } from './log-delivery.js';

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '123456789012';
/** Default chat-token lifetime, in service seconds (divided by timeScale in real time). */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 300;

/**
 * @typedef {import('./index.js').LocalCredentials} LocalCredentials
 * @typedef {import('../option-table.js').OptionContext} OptionContext
 */

/** Each option's check and default, in the order they are checked. */
const OPTIONS = {
  /** @param {unknown} value */
  host(value) {
    if (value === undefined) return '127.0.0.1';
    if (typeof value === 'string' && value !== '') return value;
    throw new InvalidOptionError('host', '`host` must be a non-empty string: the interface to bind, such as 127.0.0.1.');
  },
  port: wholeNumber(0, { min: 0, max: 65535 }),
  /** @param {unknown} value */
  region(value) {
    if (value === undefined) return DEFAULT_REGION;
    if (typeof value === 'string' && /^[a-z0-9-]+$/.test(value)) return value;
    throw new InvalidOptionError('region', `\`region\` must look like us-east-1, got ${JSON.stringify(value)}.`);
  },
  /** @param {unknown} value */
  accountId(value) {
    if (value === undefined) return DEFAULT_ACCOUNT_ID;
    if (typeof value === 'string' && /^[0-9]{12}$/.test(value)) return value;
    throw new InvalidOptionError('accountId', '`accountId` must be 12 digits.');
  },
  /**
   * @param {unknown} value
   * @returns {LocalCredentials}
   */
  credentials(value) {
    if (value === undefined) return randomCredentials();
    const given = /** @type {Partial<LocalCredentials> | null} */ (value);
    if (
      given === null ||
      typeof given !== 'object' ||
      typeof given.accessKeyId !== 'string' ||
      given.accessKeyId === '' ||
      typeof given.secretAccessKey !== 'string' ||
      given.secretAccessKey === '' ||
      (given.sessionToken !== undefined && typeof given.sessionToken !== 'string')
    ) {
      throw new InvalidOptionError('credentials', '`credentials` must be { accessKeyId, secretAccessKey, sessionToken? } with non-empty strings.');
    }
    return {
      accessKeyId: given.accessKeyId,
      secretAccessKey: given.secretAccessKey,
      ...(given.sessionToken !== undefined ? { sessionToken: given.sessionToken } : {}),
    };
  },
  tokenLifetimeSeconds: positive(DEFAULT_TOKEN_LIFETIME_SECONDS, 'seconds'),
  timeScale: positive(1),
  /** @param {unknown} value */
  lambdas(value) {
    if (value === undefined) return {};
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return /** @type {Record<string, import('./review.js').LambdaFunction>} */ (value);
    throw new InvalidOptionError('lambdas', '`lambdas` must be an object of Lambda ARN -> function (event) => answer.');
  },
  adminRoutes: flag(true),
  /** @param {unknown} value */
  logger(value) {
    if (value === undefined) return () => {};
    if (typeof value === 'function') return /** @type {(line: string) => void} */ (value);
    throw new InvalidOptionError('logger', '`logger` must be a function (line) => void.');
  },
  /**
   * The host names answered for: loopback, the bound host and the ones given.
   * @param {unknown} value
   * @param {OptionContext} context
   * @returns {Set<string>}
   */
  allowedHosts(value, { settings }) {
    const names = value ?? [];
    if (!Array.isArray(names)) throw new InvalidOptionError('allowedHosts', 'allowedHosts must be an array of host names such as ["dev.example.test"].');
    return hostAllowList(/** @type {string} */ (settings.host), names, (index, name) => {
      throw new InvalidOptionError(`allowedHosts[${index}]`, `allowedHosts[${index}] must be a host name or address without a port, such as "dev.example.test", got ${name}.`);
    });
  },
  /** @param {unknown} value */
  allowedOrigins(value) {
    const origins = value ?? [];
    if (!Array.isArray(origins)) throw new InvalidOptionError('allowedOrigins', 'allowedOrigins must be an array of origins such as ["http://localhost:5173"].');
    return originSet(origins, 'allowedOrigins', 'http://localhost:5173');
  },
  /**
   * @param {unknown} value
   * @param {OptionContext} context
   */
  logDeliveryDelayMs(value, { name }) {
    try {
      return deliveryDelays(value === undefined ? 0 : value, `\`${name}\``);
    } catch (error) {
      // deliveryDelays is also the check of faults.delayLogDelivery, whose errors are TypeErrors.
      if (!(error instanceof TypeError)) throw error;
      throw new InvalidOptionError(name, error.message);
    }
  },
  /** @param {unknown} value */
  logFolder(value) {
    if (value === undefined || (typeof value === 'string' && value !== '')) return /** @type {string | undefined} */ (value);
    throw new InvalidOptionError('logFolder', '`logFolder` must be a non-empty path.');
  },
};

/**
 * Checks and completes the options: an InvalidOptionError names the one at fault, unknown ones
 * included.
 * @param {unknown} options
 */
export function readLocalOptions(options) {
  return readOptions(OPTIONS, options, { owner: 'startLocalIvsChat', notAnObject: 'startLocalIvsChat: options must be an object.' });
}

/**
 * Credentials for one start of the server: random, so that only what was given them (a test, a
 * script, the demo's server, the operator who reads the CLI's line) can sign a request. They
 * look like AWS's (a 20-character key id, a 40-character secret), and open nothing anywhere else.
 * @returns {LocalCredentials}
 */
function randomCredentials() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const keyId = [...randomBytes(16)].map((byte) => alphabet[byte % 32]).join('');
  return { accessKeyId: `AKID${keyId}`, secretAccessKey: randomBytes(30).toString('base64') };
}
