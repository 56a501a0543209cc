// @ts-check
/**
 * Where the CLI's AWS credentials come from, in the AWS CLI's order: `--profile` first, then
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, then everything else the AWS
 * SDK's default chain reads (AWS_PROFILE, ~/.aws/credentials and config, SSO, web identity, ECS
 * and EC2 roles). The chain is `@aws-sdk/credential-providers`, an optional peer dependency: the
 * SDK's own reader of those sources, which no small hand-written code would match.
 */
import { ChatTokenSigningError, credentialsFromEnv } from '../js/backend/index.js';

/** @typedef {{ accessKeyId: string, secretAccessKey: string, sessionToken?: string }} AwsCredentials */

const INSTALL_HINT = 'npm install @aws-sdk/credential-providers';

/**
 * @param {{ profile?: string }} options
 * @returns {Promise<AwsCredentials>}
 */
export async function loadCliCredentials({ profile }) {
  if (profile === undefined && process.env.AWS_ACCESS_KEY_ID) return credentialsFromEnv();
  const providers = await importProviders();
  if (!providers) {
    if (profile !== undefined) throw new ChatTokenSigningError('credentials', `--profile needs the AWS SDK's credential chain: ${INSTALL_HINT}.`);
    try {
      return credentialsFromEnv();
    } catch (error) {
      if (!(error instanceof ChatTokenSigningError)) throw error;
      throw new ChatTokenSigningError(error.field, `${error.message} (For profiles, SSO or roles: ${INSTALL_HINT}.)`);
    }
  }
  try {
    return await providers.fromNodeProviderChain(profile === undefined ? {} : { profile })();
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ChatTokenSigningError('credentials', `no AWS credentials${profile === undefined ? '' : ` for profile ${profile}`}: ${reason}`, { cause });
  }
}

/** @returns {Promise<typeof import('@aws-sdk/credential-providers') | undefined>} */
async function importProviders() {
  try {
    return await import('@aws-sdk/credential-providers');
  } catch (error) {
    const { code, message } = /** @type {{ code?: string, message?: string }} */ (error);
    if (code === 'ERR_MODULE_NOT_FOUND' && String(message).includes("'@aws-sdk/credential-providers'")) return undefined;
    throw error;
  }
}
