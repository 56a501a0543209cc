// @ts-check
/**
 * The `ivschat` command, modelled on `aws ivschat`: create-chat-token, send-event,
 * delete-message, disconnect-user, the room commands (create-room, get-room, list-rooms,
 * update-room, delete-room) and the logging-configuration commands
 * (create-logging-configuration, get-logging-configuration, list-logging-configurations,
 * update-logging-configuration, delete-logging-configuration), and get-room-history (the room's
 * recent messages from its CloudWatch Logs chat log, as the edge's history handler answers them),
 * with the AWS CLI's option names
 * and shorthand, output (the service's JSON, indented by 4) and error wording.
 * Credentials as the AWS CLI finds them (bin/credentials.js); the endpoint from --endpoint-url,
 * else AWS_ENDPOINT_URL_IVSCHAT, else AWS_ENDPOINT_URL.
 * Exit codes: 0 success; 1 AWS or network error; 2 bad arguments, an invalid request (each
 * field named by its option on stderr) or unusable credentials, region or endpoint (nothing
 * was sent). Node only (bin/ivschat.js and the ivschat-token alias call run()).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { postJson } from '../js/post-json.js';
import {
  ChatTokenRequestError,
  ChatTokenSigningError,
  createLoggingConfiguration,
  createRoom,
  deleteLoggingConfiguration,
  deleteMessage,
  deleteRoom,
  disconnectUser,
  getLoggingConfiguration,
  getRoom,
  init,
  InvalidOptionError,
  IvsChatRequestError,
  listLoggingConfigurations,
  listRooms,
  regionFromEnv,
  RequestValidationError,
  sendEvent,
  signCreateChatTokenRequest,
  updateLoggingConfiguration,
  updateRoom,
  readRoomHistory,
  ChatHistoryError,
} from '../js/backend/index.js';
import { historyAnswer } from '../js/backend/history-handler.js';
import { loadCliCredentials } from './credentials.js';

/**
 * @typedef {'create-chat-token' | 'send-event' | 'delete-message' | 'disconnect-user'
 *   | 'create-room' | 'get-room' | 'list-rooms' | 'update-room' | 'delete-room'
 *   | 'create-logging-configuration' | 'get-logging-configuration' | 'list-logging-configurations'
 *   | 'update-logging-configuration' | 'delete-logging-configuration' | 'get-room-history'} CommandName
 * @typedef {{ operation: string, summary: string, options: Record<string, { field: string, help: string, kind?: 'list' | 'map' | 'number' | 'structure' }> }} Command
 */

/** The options of a room's settings (create-room and update-room), as the AWS CLI names them. */
const ROOM_SETTINGS = /** @type {Command['options']} */ ({
  name: { field: 'name', help: "0-128 letters, digits, '-' and '_'" },
  'maximum-message-length': { field: 'maximumMessageLength', help: "1-500 characters (the service's default: 500)", kind: 'number' },
  'maximum-message-rate-per-second': { field: 'maximumMessageRatePerSecond', help: "1-100 messages a second, for all clients together (default: 10)", kind: 'number' },
  'message-review-handler': { field: 'messageReviewHandler', help: 'uri=<Lambda function ARN>,fallbackResult=ALLOW|DENY or a JSON object', kind: 'map' },
  'logging-configuration-identifiers': { field: 'loggingConfigurationIdentifiers', help: 'at most 3 logging-configuration ARNs, comma-separated (or repeat the option)', kind: 'list' },
});
const ROOM_IDENTIFIER = { field: 'identifier', help: "the room's ARN" };
/** --room-identifier of the token, moderation and history commands. */
const ROOM_ARN = { field: 'roomIdentifier', help: "the room's ARN" };
/** The options of a logging configuration's settings (create- and update-logging-configuration). */
const LOGGING_SETTINGS = /** @type {Command['options']} */ ({
  name: { field: 'name', help: "0-128 letters, digits, '-' and '_'" },
  'destination-configuration': {
    field: 'destinationConfiguration',
    help: 'exactly one of s3={bucketName=<bucket>}, cloudWatchLogs={logGroupName=<log group>} or firehose={deliveryStreamName=<stream>}, or a JSON object',
    kind: 'structure',
  },
});
const LOGGING_IDENTIFIER = { field: 'identifier', help: "the logging configuration's ARN" };

/** @type {Record<CommandName, Command>} */
const COMMANDS = {
  'create-chat-token': {
    operation: 'CreateChatToken',
    summary: 'prints { "token", "tokenExpirationTime", "sessionExpirationTime" } as JSON',
    options: {
      'room-identifier': ROOM_ARN,
      'user-id': { field: 'userId', help: 'the user id the token is for' },
      capabilities: { field: 'capabilities', help: 'comma-separated (or repeat the option); none = view only', kind: 'list' },
      'session-duration-in-minutes': { field: 'sessionDurationInMinutes', help: "1-180 (the service's default: 60)", kind: 'number' },
      attributes: { field: 'attributes', help: 'key=value,key2=value2 or a JSON object', kind: 'map' },
    },
  },
  'send-event': {
    operation: 'SendEvent',
    summary: 'sends an event to every client of the room; prints { "id" }',
    options: {
      'room-identifier': ROOM_ARN,
      'event-name': { field: 'eventName', help: '1-100 characters, e.g. app:DELETE_USER_MESSAGES' },
      attributes: { field: 'attributes', help: 'key=value,key2=value2 or a JSON object', kind: 'map' },
    },
  },
  'delete-message': {
    operation: 'DeleteMessage',
    summary: 'deletes a message for every client; prints { "id" }',
    options: {
      'room-identifier': ROOM_ARN,
      id: { field: 'id', help: "the message's id (12 letters and digits)" },
      reason: { field: 'reason', help: '1-256 characters' },
    },
  },
  'disconnect-user': {
    operation: 'DisconnectUser',
    summary: 'disconnects every connection of a user; prints nothing',
    options: {
      'room-identifier': ROOM_ARN,
      'user-id': { field: 'userId', help: 'the user to disconnect' },
      reason: { field: 'reason', help: '1-256 characters' },
    },
  },
  'create-room': {
    operation: 'CreateRoom',
    summary: 'creates a room in the region (--region or AWS_REGION); prints the room as JSON',
    options: {
      ...ROOM_SETTINGS,
      tags: { field: 'tags', help: 'key=value,key2=value2 or a JSON object (at most 50)', kind: 'map' },
    },
  },
  'get-room': {
    operation: 'GetRoom',
    summary: 'prints the room as JSON',
    options: { identifier: ROOM_IDENTIFIER },
  },
  'list-rooms': {
    operation: 'ListRooms',
    summary: 'lists the rooms of the region (--region or AWS_REGION); prints { "rooms", "nextToken" } as JSON',
    options: {
      name: { field: 'name', help: 'only the rooms of this name' },
      'message-review-handler-uri': { field: 'messageReviewHandlerUri', help: 'only the rooms with this review handler' },
      'logging-configuration-identifier': { field: 'loggingConfigurationIdentifier', help: 'only the rooms logging to this configuration' },
      'max-results': { field: 'maxResults', help: '1-50 rooms a page (default 50)', kind: 'number' },
      'next-token': { field: 'nextToken', help: 'the nextToken of the previous page' },
    },
  },
  'update-room': {
    operation: 'UpdateRoom',
    summary: 'changes the settings given; prints the room as JSON',
    options: { identifier: ROOM_IDENTIFIER, ...ROOM_SETTINGS },
  },
  'delete-room': {
    operation: 'DeleteRoom',
    summary: 'deletes the room (its clients are disconnected); prints nothing',
    options: { identifier: ROOM_IDENTIFIER },
  },
  'create-logging-configuration': {
    operation: 'CreateLoggingConfiguration',
    summary: 'creates a logging configuration in the region (--region or AWS_REGION); prints it as JSON',
    options: {
      ...LOGGING_SETTINGS,
      tags: { field: 'tags', help: 'key=value,key2=value2 or a JSON object (at most 50)', kind: 'map' },
    },
  },
  'get-logging-configuration': {
    operation: 'GetLoggingConfiguration',
    summary: 'prints the logging configuration as JSON',
    options: { identifier: LOGGING_IDENTIFIER },
  },
  'list-logging-configurations': {
    operation: 'ListLoggingConfigurations',
    summary: 'lists the logging configurations of the region (--region or AWS_REGION); prints { "loggingConfigurations", "nextToken" } as JSON',
    options: {
      'max-results': { field: 'maxResults', help: '1-50 configurations a page (default 50)', kind: 'number' },
      'next-token': { field: 'nextToken', help: 'the nextToken of the previous page' },
    },
  },
  'update-logging-configuration': {
    operation: 'UpdateLoggingConfiguration',
    summary: 'changes the name or destination given; prints the logging configuration as JSON',
    options: { identifier: LOGGING_IDENTIFIER, ...LOGGING_SETTINGS },
  },
  'get-room-history': {
    operation: 'GetLogEvents',
    summary: "prints the room's recent messages from its CloudWatch Logs chat log, as createHistoryHandler answers them: { \"messages\", \"complete\", \"readAt\" }",
    options: {
      'room-identifier': ROOM_ARN,
      'log-group-name': { field: 'logGroupName', help: "the log group of the room's CloudWatch Logs logging configuration" },
      limit: { field: 'limit', help: 'the newest messages, 1-1000 (default 50)', kind: 'number' },
    },
  },
  'delete-logging-configuration': {
    operation: 'DeleteLoggingConfiguration',
    summary: 'deletes the logging configuration (refused while a room names it); prints nothing',
    options: { identifier: LOGGING_IDENTIFIER },
  },
};

/** The functions of the room and logging-configuration commands (the admin module's calls). */
const ROOM_CALLS = {
  'create-room': createRoom,
  'get-room': getRoom,
  'list-rooms': listRooms,
  'update-room': updateRoom,
  'delete-room': deleteRoom,
  'create-logging-configuration': createLoggingConfiguration,
  'get-logging-configuration': getLoggingConfiguration,
  'list-logging-configurations': listLoggingConfigurations,
  'update-logging-configuration': updateLoggingConfiguration,
  'delete-logging-configuration': deleteLoggingConfiguration,
};

const COMMON_HELP = `  --profile                a profile of ~/.aws/config and ~/.aws/credentials (SSO, roles too)
  --region                 signing region (default: AWS_REGION, AWS_DEFAULT_REGION, else the region of the
                           room or logging-configuration ARN)
  --endpoint-url           control plane URL (default: AWS_ENDPOINT_URL_IVSCHAT, AWS_ENDPOINT_URL,
                           else https://ivschat.<region>.amazonaws.com; get-room-history:
                           AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, AWS_ENDPOINT_URL, else
                           https://logs.<region>.amazonaws.com); plain http:// only
                           to loopback (the local server) unless --allow-insecure-endpoint
  --allow-insecure-endpoint  allow a plain http:// endpoint that is not loopback (the signed
                           request then crosses the network unencrypted)
  --timeout-ms             give up after this many milliseconds (default 10000)
  --version                print the version

Credentials: --profile, else AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN),
else the AWS SDK's default chain (AWS_PROFILE, ~/.aws files, SSO, ECS and EC2 roles) when
@aws-sdk/credential-providers is installed.
Exit status: 0 success, 1 AWS or network error, 2 invalid arguments or request.`;

/** The option or environment variable behind each signing input. */
const SOURCE_BY_SIGNING_FIELD = /** @type {Record<string, string>} */ ({
  'credentials.accessKeyId': 'AWS_ACCESS_KEY_ID',
  'credentials.secretAccessKey': 'AWS_SECRET_ACCESS_KEY',
  'credentials.sessionToken': 'AWS_SESSION_TOKEN',
  region: '--region',
  endpoint: '--endpoint-url',
});

class UsageError extends Error {}

/** @param {string} program */
function usage(program) {
  if (program === 'ivschat-token') return commandUsage(program, 'create-chat-token');
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(29)} ${command.operation}: ${command.summary}`);
  return `Usage: ${program} <command> [options]   (${program} <command> --help for its options)\n\nCommands:\n${lines.join('\n')}\n\n${COMMON_HELP}\n`;
}

/**
 * @param {string} program
 * @param {CommandName} name
 */
function commandUsage(program, name) {
  const command = COMMANDS[name];
  const prefix = program === 'ivschat-token' ? program : `${program} ${name}`;
  const width = Math.max(23, ...Object.keys(command.options).map((option) => option.length + 1));
  const lines = Object.entries(command.options).map(([option, { help }]) => `  --${option.padEnd(width)} ${help}`);
  return `Usage: ${prefix} [options]\n\nCalls IVS Chat ${command.operation} and ${command.summary}.\n\n${lines.join('\n')}\n${COMMON_HELP}\n`;
}

function version() {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return `${pkg.name} ${pkg.version}`;
}

/**
 * An option's value read as JSON when it starts with '{' (the AWS CLI takes JSON wherever it
 * takes its shorthand); undefined when it does not.
 * @param {string} text
 * @param {string} option
 * @returns {unknown}
 */
function jsonObjectOption(text, option) {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--${option} is not a valid JSON object.`);
  }
}

/**
 * `k=v,k2=v2` (AWS CLI shorthand) or a JSON object. Values are kept as text; the core checks them.
 * @param {string} text
 * @param {string} option
 */
function parseMap(text, option) {
  const json = jsonObjectOption(text, option);
  if (json !== undefined) return json;
  /** @type {Record<string, string>} */
  const map = {};
  for (const pair of text.split(',')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`--${option} expects key=value pairs separated by commas; '${pair}' has no key=value.`);
    map[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return map;
}

/**
 * A structure in the AWS CLI's shorthand (`s3={bucketName=chat-logs}`: `key=value` pairs
 * separated by commas, a value in braces being a structure itself) or a JSON object. Values are
 * kept as text; the core checks them.
 * @param {string} text
 * @param {string} option
 * @returns {unknown}
 */
function parseStructure(text, option) {
  const json = jsonObjectOption(text, option);
  if (json !== undefined) return json;
  let at = 0;
  const fail = (/** @type {string} */ why) => {
    throw new UsageError(`--${option} expects key=value pairs separated by commas, a structure in braces (e.g. s3={bucketName=chat-logs}); ${why}.`);
  };
  /** @param {boolean} nested @returns {Record<string, unknown>} */
  const structure = (nested) => {
    /** @type {Record<string, unknown>} */
    const result = {};
    for (;;) {
      const equals = text.indexOf('=', at);
      if (equals < 0) fail(`'${text.slice(at)}' has no key=value`);
      const key = text.slice(at, equals).trim();
      if (key === '' || /[,{}]/.test(key)) fail(`'${text.slice(at, equals)}' is not a key`);
      at = equals + 1;
      if (text[at] === '{') {
        at += 1;
        result[key] = structure(true);
        if (text[at] !== '}') fail(`the structure of ${key} is not closed`);
        at += 1;
      } else {
        const end = text.slice(at).search(nested ? /[,}]/ : /,/);
        const value = end < 0 ? text.slice(at) : text.slice(at, at + end);
        if (/[{}]/.test(value)) fail(`the value of ${key} has a brace`);
        result[key] = value;
        at += value.length;
      }
      if (text[at] === ',') {
        at += 1;
        continue;
      }
      if (at === text.length || (nested && text[at] === '}')) return result;
      fail(`unexpected '${text[at]}' after ${key}`);
    }
  };
  const result = structure(false);
  if (at !== text.length) fail(`unexpected '${text.slice(at)}'`);
  return result;
}

/**
 * @param {CommandName} name
 * @param {string[]} args
 */
function readArguments(name, args) {
  const command = COMMANDS[name];
  /** @type {import('node:util').ParseArgsConfig['options']} */
  const options = {
    region: { type: 'string' },
    profile: { type: 'string' },
    'endpoint-url': { type: 'string' },
    'allow-insecure-endpoint': { type: 'boolean' },
    'timeout-ms': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const [option, { kind }] of Object.entries(command.options)) options[option] = { type: 'string', multiple: kind === 'list' };
  let values;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  /** @type {Record<string, unknown>} */
  const request = {};
  // Missing required members are left out on purpose: the core reports them as REQUIRED.
  for (const [option, { field, kind }] of Object.entries(command.options)) {
    const value = /** @type {any} */ (values)[option];
    if (value === undefined) continue;
    if (kind === 'list') request[field] = value.flatMap((/** @type {string} */ list) => list.split(',')).map((/** @type {string} */ c) => c.trim()).filter((/** @type {string} */ c) => c !== '');
    else if (kind === 'map') request[field] = parseMap(value, option);
    else if (kind === 'structure') request[field] = parseStructure(value, option);
    // A number when the text is one; otherwise the text, so the core names the field in a TYPE error.
    else if (kind === 'number') request[field] = /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
    else request[field] = value;
  }
  let timeoutMs = 10_000;
  if (values['timeout-ms'] !== undefined) {
    timeoutMs = Number(values['timeout-ms']);
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new UsageError('--timeout-ms expects a positive number of milliseconds.');
  }
  // The service's own variable first, as the AWS CLI reads them: get-room-history calls CloudWatch Logs.
  const serviceVariable = name === 'get-room-history' ? 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS' : 'AWS_ENDPOINT_URL_IVSCHAT';
  const endpoint = /** @type {string | undefined} */ (values['endpoint-url']) || process.env[serviceVariable] || process.env.AWS_ENDPOINT_URL || undefined;
  const profile = /** @type {string | undefined} */ (values.profile);
  if (profile !== undefined && !/^[\w.+@-]{1,128}$/.test(profile)) throw new UsageError('--profile expects a profile name (letters, digits and _ . + @ -).');
  const allowInsecureEndpoint = values['allow-insecure-endpoint'] === true;
  return { help: values.help === true, request, region: /** @type {string | undefined} */ (values.region) ?? regionFromEnv(), endpoint, allowInsecureEndpoint, timeoutMs, profile };
}

/**
 * @param {string} message
 * @param {number} exitCode
 */
function exitWith(message, exitCode) {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exitCode = exitCode;
}

/**
 * Runs the command line.
 * @param {string[]} argv the arguments after the program name
 * @param {string} program `ivschat` or `ivschat-token` (create-chat-token implied)
 */
export async function run(argv, program) {
  const [first, ...rest] = argv;
  if (first === '--version') {
    process.stdout.write(`${version()}\n`);
    return;
  }
  if (first === undefined || first === '--help' || first === '-h') {
    if (first === undefined) return exitWith(usage(program), 2);
    process.stdout.write(usage(program));
    return;
  }
  if (!Object.hasOwn(COMMANDS, first)) return exitWith(`${program}: unknown command '${first}'.\n\n${usage(program)}`, 2);
  const name = /** @type {CommandName} */ (first);
  const command = COMMANDS[name];
  let options;
  try {
    options = readArguments(name, rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return exitWith(`${program}: ${error.message}\n\n${commandUsage(program, name)}`, 2);
  }
  if (options.help) {
    process.stdout.write(commandUsage(program, name));
    return;
  }
  const optionFor = (/** @type {string} */ field) => {
    const root = field.split(/[.[]/)[0];
    const entry = Object.entries(command.options).find(([, value]) => value.field === root);
    return entry ? `--${entry[0]}` : field;
  };
  const signing = { credentials: undefined, region: options.region, endpoint: options.endpoint, allowInsecureEndpoint: options.allowInsecureEndpoint, timeoutMs: options.timeoutMs };
  try {
    /** @type {any} */ (signing).credentials = await loadCliCredentials({ profile: options.profile });
    const output = name === 'create-chat-token'
      ? await createChatToken(options.request, signing)
      : name === 'get-room-history' ? await roomHistory(options.request, signing)
      : Object.hasOwn(ROOM_CALLS, name) ? await room(/** @type {keyof typeof ROOM_CALLS} */ (name), options.request, signing)
      : await moderate(/** @type {'send-event' | 'delete-message' | 'disconnect-user'} */ (name), options.request, signing);
    if (output !== undefined) process.stdout.write(`${JSON.stringify(output, null, 4)}\n`);
  } catch (error) {
    if (error instanceof RequestValidationError) {
      return exitWith(error.errors.map((e) => `${program}: ${optionFor(e.field)}: ${e.message} [${e.field}: ${e.code}]`).join('\n'), 2);
    }
    if (error instanceof ChatTokenSigningError) return exitWith(`${program}: ${SOURCE_BY_SIGNING_FIELD[error.field] ?? error.field}: ${error.message}`, 2);
    if (error instanceof InvalidOptionError && error.option === 'endpoint') {
      return exitWith(`${program}: --endpoint-url: ${error.message.replace('pass allowInsecureEndpoint: true', 'pass --allow-insecure-endpoint')}`, 2);
    }
    if (error instanceof IvsChatRequestError && error.code === 'HTTP_ERROR') {
      const details = error.fieldList.map((f) => `\n  ${f.name}: ${f.message}`).join('');
      // The AWS CLI's wording, so scripts and people recognise it.
      return exitWith(`An error occurred (${error.errorType}) when calling the ${command.operation} operation (HTTP ${error.status}): ${error.awsMessage || 'no message'}${details}`, 1);
    }
    if (error instanceof IvsChatRequestError || error instanceof ChatHistoryError) return exitWith(`${program}: ${error.message}`, 1);
    if (error instanceof InvalidOptionError && optionFor(error.option) !== error.option) return exitWith(`${program}: ${optionFor(error.option)}: ${error.message}`, 2);
    throw error;
  }
}

/**
 * @param {unknown} request
 * @param {{ credentials: any, region: string | undefined, endpoint: string | undefined, allowInsecureEndpoint: boolean, timeoutMs: number }} signing
 */
async function createChatToken(request, { credentials, region, endpoint, allowInsecureEndpoint, timeoutMs }) {
  const signed = await signCreateChatTokenRequest(/** @type {any} */ (request), { credentials, region, endpoint, allowInsecureEndpoint });
  const { response, text } = await postJson(fetch, signed.url, signed.body, { headers: signed.headers, timeoutMs, peer: 'the IVS Chat control plane' });
  const core = await init();
  if (!response.ok) {
    const aws = core.parseAwsError({ status: response.status, errorTypeHeader: response.headers.get('x-amzn-errortype')?.slice(0, 1024) ?? '', body: text });
    throw new ChatTokenRequestError('HTTP_ERROR', aws.message, { status: response.status, errorType: aws.type, awsMessage: aws.message, fieldList: aws.fieldList });
  }
  const parsed = core.parseChatTokenResponse({ body: text });
  if (!parsed.ok) throw new ChatTokenRequestError('MALFORMED_RESPONSE', `the IVS Chat control plane answered with an unusable body: ${parsed.error}.`);
  return {
    token: parsed.token,
    tokenExpirationTime: new Date(parsed.tokenExpirationMillis).toISOString(),
    sessionExpirationTime: new Date(parsed.sessionExpirationMillis).toISOString(),
  };
}

/**
 * A room or logging-configuration command: the service's answer as it is (the Delete calls'
 * empty one printed as nothing, as the AWS CLI does).
 * @param {keyof typeof ROOM_CALLS} name
 * @param {unknown} request
 * @param {{ credentials: any, region: string | undefined, endpoint: string | undefined, allowInsecureEndpoint: boolean, timeoutMs: number }} options
 */
async function room(name, request, options) {
  const answer = await ROOM_CALLS[name](/** @type {any} */ (request), options);
  return name.startsWith('delete-') ? undefined : answer;
}

/**
 * get-room-history: what the edge's history handler would answer for the room.
 * @param {unknown} request
 * @param {{ credentials: any, region: string | undefined, endpoint: string | undefined, allowInsecureEndpoint: boolean, timeoutMs: number }} options
 */
async function roomHistory(request, { credentials, region, endpoint, allowInsecureEndpoint, timeoutMs }) {
  const history = await readRoomHistory({ .../** @type {any} */ (request), credentials, region, endpoint, allowInsecureEndpoint, timeoutMs });
  return historyAnswer(history, Date.now());
}

/**
 * @param {'send-event' | 'delete-message' | 'disconnect-user'} name
 * @param {unknown} request
 * @param {{ credentials: any, region: string | undefined, endpoint: string | undefined, allowInsecureEndpoint: boolean, timeoutMs: number }} options
 */
async function moderate(name, request, options) {
  const call = { 'send-event': sendEvent, 'delete-message': deleteMessage, 'disconnect-user': disconnectUser }[name];
  const answer = await call(/** @type {any} */ (request), options);
  return name === 'disconnect-user' ? undefined : answer;
}
