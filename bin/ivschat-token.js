#!/usr/bin/env node
// @ts-check
/**
 * `ivschat-token`: CreateChatToken from the command line, modelled on
 * `aws ivschat create-chat-token`. Credentials come from AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; the answer is printed as JSON on stdout.
 * Exit codes: 0 success; 1 AWS or network error; 2 bad arguments, an invalid request (each
 * field named on stderr) or unusable credentials, region or endpoint (nothing was sent).
 */
import { parseArgs } from 'node:util';
import { postJson } from '../js/post-json.js';
import {
  ChatTokenRequestError,
  ChatTokenSigningError,
  ChatTokenValidationError,
  credentialsFromEnv,
  init,
  regionFromEnv,
  signCreateChatTokenRequest,
} from '../js/entry/backend-node.js';

const USAGE = `Usage: ivschat-token --room-identifier <room ARN> --user-id <id>
                     [--capabilities SEND_MESSAGE,DELETE_MESSAGE,DISCONNECT_USER]
                     [--session-duration-in-minutes <1-180>] [--attributes key=value,...]
                     [--region <region>] [--endpoint-url <url>] [--timeout-ms <ms>]

Calls IVS Chat CreateChatToken, signed with the credentials in AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (temporary credentials), and prints
{ "token", "tokenExpirationTime", "sessionExpirationTime" } as JSON.

  --room-identifier              the room's ARN
  --user-id                      the user id the token is for
  --capabilities                 comma-separated (or repeat the option); none = view only
  --session-duration-in-minutes  1-180 (the service's default: 60)
  --attributes                   key=value,key2=value2 or a JSON object
  --region                       signing region (default: AWS_REGION, AWS_DEFAULT_REGION,
                                 else the room ARN's region)
  --endpoint-url                 control plane URL (default https://ivschat.<region>.amazonaws.com)
  --timeout-ms                   give up after this many milliseconds (default 10000)

Exit status: 0 success, 1 AWS or network error, 2 invalid arguments or request.
`;

/** Where each request field came from on the command line, for error messages. */
const OPTION_BY_FIELD = /** @type {Record<string, string>} */ ({
  roomIdentifier: '--room-identifier',
  userId: '--user-id',
  capabilities: '--capabilities',
  sessionDurationInMinutes: '--session-duration-in-minutes',
  attributes: '--attributes',
});

/** The option or environment variable behind each signing input. */
const SOURCE_BY_SIGNING_FIELD = /** @type {Record<string, string>} */ ({
  'credentials.accessKeyId': 'AWS_ACCESS_KEY_ID',
  'credentials.secretAccessKey': 'AWS_SECRET_ACCESS_KEY',
  'credentials.sessionToken': 'AWS_SESSION_TOKEN',
  region: '--region',
  endpoint: '--endpoint-url',
});

class UsageError extends Error {}

/** @param {string} message @param {number} exitCode */
function exitWith(message, exitCode) {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exitCode = exitCode;
}

/**
 * `k=v,k2=v2` (AWS CLI shorthand) or a JSON object. Values are kept as text; the core checks them.
 * @param {string} text
 * @returns {unknown}
 */
function parseAttributes(text) {
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      throw new UsageError('--attributes is not a valid JSON object.');
    }
  }
  /** @type {Record<string, string>} */
  const attributes = {};
  for (const pair of text.split(',')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`--attributes expects key=value pairs separated by commas; '${pair}' has no key=value.`);
    attributes[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return attributes;
}

/**
 * A number when the text is one; otherwise the text itself, so the core names the field in a
 * TYPE error.
 * @param {string} text
 */
function numberOrText(text) {
  return /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text;
}

/** @param {string} field e.g. `attributes.color`, `capabilities[1]` */
function optionFor(field) {
  const root = field.split(/[.[]/)[0];
  return OPTION_BY_FIELD[root] ?? field;
}

/** @param {string[]} argv */
function readArguments(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'room-identifier': { type: 'string' },
        'user-id': { type: 'string' },
        capabilities: { type: 'string', multiple: true },
        'session-duration-in-minutes': { type: 'string' },
        attributes: { type: 'string' },
        region: { type: 'string' },
        'endpoint-url': { type: 'string' },
        'timeout-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  /** @type {Record<string, unknown>} */
  const request = {};
  // Missing required members are left out on purpose: the core reports them as REQUIRED.
  if (values['room-identifier'] !== undefined) request.roomIdentifier = values['room-identifier'];
  if (values['user-id'] !== undefined) request.userId = values['user-id'];
  if (values.capabilities !== undefined) {
    request.capabilities = values.capabilities.flatMap((list) => list.split(',')).map((c) => c.trim()).filter((c) => c !== '');
  }
  if (values['session-duration-in-minutes'] !== undefined) {
    request.sessionDurationInMinutes = numberOrText(values['session-duration-in-minutes']);
  }
  if (values.attributes !== undefined) request.attributes = parseAttributes(values.attributes);
  let timeoutMs = 10_000;
  if (values['timeout-ms'] !== undefined) {
    timeoutMs = Number(values['timeout-ms']);
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new UsageError('--timeout-ms expects a positive number of milliseconds.');
  }
  return { help: values.help === true, request, region: values.region ?? regionFromEnv(), endpoint: values['endpoint-url'], timeoutMs };
}

async function main() {
  let options;
  try {
    options = readArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return exitWith(`ivschat-token: ${error.message}\n\n${USAGE}`, 2);
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }

  let signed;
  try {
    signed = await signCreateChatTokenRequest(/** @type {any} */ (options.request), {
      credentials: credentialsFromEnv(),
      region: options.region,
      endpoint: options.endpoint,
    });
  } catch (error) {
    if (error instanceof ChatTokenValidationError) {
      const lines = error.errors.map((e) => `ivschat-token: ${optionFor(e.field)}: ${e.message} [${e.field}: ${e.code}]`);
      return exitWith(lines.join('\n'), 2);
    }
    if (error instanceof ChatTokenSigningError) {
      return exitWith(`ivschat-token: ${SOURCE_BY_SIGNING_FIELD[error.field] ?? error.field}: ${error.message}`, 2);
    }
    throw error;
  }

  let response;
  let text;
  try {
    ({ response, text } = await postJson(fetch, signed.url, signed.body, { headers: signed.headers, timeoutMs: options.timeoutMs, peer: 'the IVS Chat control plane' }));
  } catch (error) {
    const message = error instanceof ChatTokenRequestError ? error.message : String(error);
    return exitWith(`ivschat-token: ${message}`, 1);
  }
  const core = await init();
  if (!response.ok) {
    const awsError = core.parseAwsError(response.status, response.headers.get('x-amzn-errortype')?.slice(0, 1024) ?? '', text);
    const details = awsError.fieldList.map((f) => `\n  ${f.name}: ${f.message}`).join('');
    // The AWS CLI's wording, so scripts and people recognise it.
    return exitWith(`An error occurred (${awsError.type}) when calling the CreateChatToken operation (HTTP ${response.status}): ${awsError.message || 'no message'}${details}`, 1);
  }
  const parsed = core.parseChatTokenResponse(text);
  if (!parsed.ok) return exitWith(`ivschat-token: the IVS Chat control plane answered with an unusable body: ${parsed.error}.`, 1);
  process.stdout.write(`${JSON.stringify({
    token: parsed.token,
    tokenExpirationTime: new Date(parsed.tokenExpirationMillis).toISOString(),
    sessionExpirationTime: new Date(parsed.sessionExpirationMillis).toISOString(),
  }, null, 4)}\n`);
}

main().catch((error) => {
  exitWith(`ivschat-token: unexpected failure: ${error instanceof Error ? error.message : String(error)}`, 1);
});
