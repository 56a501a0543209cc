// @ts-check
// AWS credentials and region from the usual environment variables, in Node, Deno and Bun (or
// from any record of strings, such as a Cloudflare Worker's `env`).
import { ChatTokenSigningError } from './errors.js';

/**
 * @typedef {Record<string, unknown>} EnvironmentRecord
 * @typedef {{ accessKeyId: string, secretAccessKey: string, sessionToken?: string }} AwsCredentials
 */

/** @returns {(name: string) => unknown} */
function processEnvironment() {
  const deno = /** @type {{ Deno?: { env: { get(name: string): string | undefined } } }} */ (/** @type {unknown} */ (globalThis)).Deno;
  if (deno?.env) {
    // Deno throws for a variable it was not allowed to read; say which flag fixes that.
    return (name) => {
      try {
        return deno.env.get(name);
      } catch (cause) {
        throw new ChatTokenSigningError(
          /** @type {import('./errors.js').SigningField} */ (name),
          `Deno may not read ${name}: run with --allow-env (${cause instanceof Error ? cause.name : 'permission denied'}).`,
        );
      }
    };
  }
  const processEnv = /** @type {{ process?: { env?: Record<string, string | undefined> } }} */ (/** @type {unknown} */ (globalThis)).process?.env;
  return (name) => processEnv?.[name];
}

/**
 * @param {EnvironmentRecord | undefined} env
 * @returns {(name: string) => string}
 */
function reader(env) {
  if (env !== undefined && (env === null || typeof env !== 'object')) {
    throw new TypeError('credentialsFromEnv/regionFromEnv: env must be an object of environment variables when given.');
  }
  const read = env ? (/** @type {string} */ name) => env[name] : processEnvironment();
  return (name) => {
    const value = read(name);
    return typeof value === 'string' ? value.trim() : '';
  };
}

/**
 * Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and (for temporary credentials)
 * `AWS_SESSION_TOKEN`. Throws {@link ChatTokenSigningError} naming the missing variable.
 * @param {EnvironmentRecord} [env] defaults to the process environment
 * @returns {AwsCredentials}
 */
export function credentialsFromEnv(env) {
  const read = reader(env);
  const accessKeyId = read('AWS_ACCESS_KEY_ID');
  if (!accessKeyId) throw new ChatTokenSigningError('AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY_ID is not set: it must hold the AWS access key id.');
  const secretAccessKey = read('AWS_SECRET_ACCESS_KEY');
  if (!secretAccessKey) throw new ChatTokenSigningError('AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY is not set: it must hold the AWS secret access key.');
  const sessionToken = read('AWS_SESSION_TOKEN');
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

/**
 * Reads `AWS_REGION`, else `AWS_DEFAULT_REGION` (the AWS CLI's name).
 * @param {EnvironmentRecord} [env] defaults to the process environment
 * @returns {string | undefined} undefined when neither is set (the room ARN's region is then used)
 */
export function regionFromEnv(env) {
  const read = reader(env);
  return read('AWS_REGION') || read('AWS_DEFAULT_REGION') || undefined;
}
