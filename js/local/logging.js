// @ts-check
/**
 * Logging configurations (issue 22): the resources rooms name in `loggingConfigurationIdentifiers`,
 * and the five control-plane operations on them. Transport-free, like control-plane.js.
 *
 * Facts, from the IVS Chat service model (botocore `data/ivschat/2020-07-14/service-2.json`) and
 * the Chat API reference:
 * - ARN `arn:aws:ivschat:{region}:{account}:logging-configuration/{id}`, id 12 letters/digits;
 *   identifiers 1-128 characters of that pattern.
 * - name 0-128 of `[a-zA-Z0-9-_]*`; tags as rooms' (50, keys 1-128, values 0-256).
 * - destinationConfiguration is a union: exactly one of `s3.bucketName` (3-63, `[a-z0-9-.]+`),
 *   `cloudWatchLogs.logGroupName` (1-512, `[\.\-_/#A-Za-z0-9]+`) or
 *   `firehose.deliveryStreamName` (1-64, `[a-zA-Z0-9_.-]+`).
 * - states CREATING, CREATE_FAILED, DELETING, DELETE_FAILED, UPDATING, UPDATE_FAILED, ACTIVE;
 *   Create and Update answer ACTIVE (their response enums hold only ACTIVE).
 * - ListLoggingConfigurations: maxResults 1-50 (default 50), nextToken 0-1024 characters.
 * Not published, so chosen here (and said so where used): whether IVS checks that the bucket,
 * log group or delivery stream exists (not checked: any valid name is accepted); the 409 cases;
 * the `resourceType` of a missing configuration; the list order.
 * @module
 */
import { otherValidationError, ServiceError } from './errors.js';
import { isoTime, randomAlphanumeric } from './ids.js';
import { isPlainObject, LOGGING_CONFIGURATION_PATTERN, RequestChecker } from './validation.js';

const LOGGING_CONFIGURATION_NAME_PATTERN = /^[a-zA-Z0-9-_]*$/;
const BUCKET_NAME_PATTERN = /^[a-z0-9-.]+$/;
const LOG_GROUP_NAME_PATTERN = /^[.\-_/#A-Za-z0-9]+$/;
const DELIVERY_STREAM_NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
export const LOGGING_CONFIGURATION_STATES = /** @type {const} */ ([
  'CREATING',
  'CREATE_FAILED',
  'DELETING',
  'DELETE_FAILED',
  'UPDATING',
  'UPDATE_FAILED',
  'ACTIVE',
]);

/**
 * @typedef {{ s3: { bucketName: string } } | { cloudWatchLogs: { logGroupName: string } } | { firehose: { deliveryStreamName: string } }} DestinationConfiguration
 */

/**
 * @typedef {object} LoggingConfiguration
 * @property {string} arn
 * @property {string} id
 * @property {string} name
 * @property {number} createTimeMs
 * @property {number} updateTimeMs
 * @property {DestinationConfiguration} destinationConfiguration
 * @property {typeof LOGGING_CONFIGURATION_STATES[number]} state
 * @property {Record<string, string>} tags
 */

/** The rules of each destination member: its one field, length range and pattern. */
const DESTINATIONS = /** @type {const} */ ({
  s3: { field: 'bucketName', min: 3, max: 63, pattern: BUCKET_NAME_PATTERN },
  cloudWatchLogs: { field: 'logGroupName', min: 1, max: 512, pattern: LOG_GROUP_NAME_PATTERN },
  firehose: { field: 'deliveryStreamName', min: 1, max: 64, pattern: DELIVERY_STREAM_NAME_PATTERN },
});

/**
 * Checks `destinationConfiguration` (a union: exactly one member set). Problems are reported under
 * `destinationConfiguration` or `destinationConfiguration.<member>.<field>`.
 * @param {RequestChecker} check
 * @param {boolean} required
 * @returns {DestinationConfiguration | undefined}
 */
function destinationConfiguration(check, required) {
  const name = 'destinationConfiguration';
  const value = check.body[name];
  if (value === undefined || value === null) {
    if (required) check.fail(name, 'Member must not be null');
    return undefined;
  }
  if (!isPlainObject(value)) {
    check.fail(name, `Member must be a structure, got ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`);
    return undefined;
  }
  const members = Object.keys(value).filter((key) => value[key] != null);
  const known = members.filter((key) => Object.hasOwn(DESTINATIONS, key));
  if (members.length !== 1 || known.length !== 1) {
    // The wording of IVS's message for a bad union is not published.
    check.fail(name, `Member must set exactly one of s3, cloudWatchLogs or firehose, got ${members.length === 0 ? 'none' : members.join(', ')}`);
    return undefined;
  }
  const kind = /** @type {keyof typeof DESTINATIONS} */ (known[0]);
  const rules = DESTINATIONS[kind];
  const inner = check.structure(name, (destination) =>
    destination.structure(kind, (member) => member.string(rules.field, { required: true, ...rules })),
  );
  if (inner === undefined) return undefined;
  const field = /** @type {Record<string, string>} */ (/** @type {Record<string, unknown>} */ (inner)[kind])[rules.field];
  return /** @type {DestinationConfiguration} */ ({ [kind]: { [rules.field]: field } });
}

/**
 * The destination's kind and name, e.g. `{ kind: 's3', name: 'my-bucket' }`.
 * @param {DestinationConfiguration} destination
 * @returns {{ kind: 's3' | 'cloudWatchLogs' | 'firehose', name: string }}
 */
export function destinationOf(destination) {
  if ('s3' in destination) return { kind: 's3', name: destination.s3.bucketName };
  if ('cloudWatchLogs' in destination) return { kind: 'cloudWatchLogs', name: destination.cloudWatchLogs.logGroupName };
  return { kind: 'firehose', name: destination.firehose.deliveryStreamName };
}

/**
 * What Create / Get / Update / List return for a configuration.
 * @param {LoggingConfiguration} configuration
 */
function describeLoggingConfiguration(configuration) {
  return {
    arn: configuration.arn,
    id: configuration.id,
    createTime: isoTime(configuration.createTimeMs),
    updateTime: isoTime(configuration.updateTimeMs),
    name: configuration.name,
    destinationConfiguration: structuredClone(configuration.destinationConfiguration),
    state: configuration.state,
    tags: { ...configuration.tags },
  };
}

/**
 * 404 for a logging configuration. The model's ResourceType enum lists only ROOM; what IVS
 * sends as `resourceType` for a configuration is not published, so this says what it is.
 * @param {string} arn
 */
function loggingConfigurationNotFound(arn) {
  return new ServiceError(404, 'ResourceNotFoundException', `Logging configuration not found: ${arn}`, {
    resourceId: arn.slice(arn.lastIndexOf('/') + 1),
    resourceType: 'LOGGING_CONFIGURATION',
  });
}

/**
 * 409 for a configuration that cannot change now. Which cases IVS answers 409 is not published:
 * here, a configuration that is not ACTIVE (it is changing or failed), and deleting one that
 * rooms still name (as IVS's DeleteRecordingConfiguration does for channels).
 * @param {LoggingConfiguration} configuration
 * @param {string} why
 */
function conflict(configuration, why) {
  return new ServiceError(409, 'ConflictException', `Logging configuration ${configuration.arn} ${why}`, {
    resourceId: configuration.id,
    resourceType: 'LOGGING_CONFIGURATION',
  });
}

/** The logging configurations of one local account and region. */
export class LoggingConfigurations {
  /**
   * @param {{ region: string, accountId: string, onDestination?: (destination: DestinationConfiguration) => void }} options
   *   `onDestination` sees every destination a configuration is created or updated with
   *   (the CloudWatch Logs side makes the log group exist)
   */
  constructor({ region, accountId, onDestination = () => {} }) {
    this.region = region;
    this.accountId = accountId;
    this.onDestination = onDestination;
    /** @type {Map<string, LoggingConfiguration>} by ARN */
    this.byArn = new Map();
  }

  /** @param {string} arn @returns {LoggingConfiguration | undefined} */
  get(arn) {
    return this.byArn.get(arn);
  }

  /** @param {string} arn */
  require(arn) {
    const configuration = this.byArn.get(arn);
    if (!configuration) throw loggingConfigurationNotFound(arn);
    return configuration;
  }

  /**
   * @param {{ name: string, destinationConfiguration: DestinationConfiguration, tags: Record<string, string> }} settings
   * @returns {LoggingConfiguration}
   */
  create({ name, destinationConfiguration: destination, tags }) {
    let id = randomAlphanumeric(12);
    while (this.byArn.has(this.arnOf(id))) id = randomAlphanumeric(12);
    const now = Date.now();
    /** @type {LoggingConfiguration} */
    const configuration = { arn: this.arnOf(id), id, name, createTimeMs: now, updateTimeMs: now, destinationConfiguration: destination, state: 'ACTIVE', tags };
    this.onDestination(destination);
    this.byArn.set(configuration.arn, configuration);
    return configuration;
  }

  /**
   * @param {LoggingConfiguration} configuration
   * @param {{ name?: string, destinationConfiguration?: DestinationConfiguration }} changes
   */
  update(configuration, { name, destinationConfiguration: destination }) {
    if (configuration.state !== 'ACTIVE') throw conflict(configuration, `is ${configuration.state}; only an ACTIVE configuration can be updated.`);
    if (name !== undefined) configuration.name = name;
    if (destination !== undefined) {
      this.onDestination(destination);
      configuration.destinationConfiguration = destination;
    }
    configuration.updateTimeMs = Date.now();
    return configuration;
  }

  /**
   * @param {LoggingConfiguration} configuration
   * @param {Iterable<import('./state.js').Room>} rooms every room, to refuse deleting one in use
   */
  delete(configuration, rooms) {
    const states = ['ACTIVE', 'CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED'];
    if (!states.includes(configuration.state)) throw conflict(configuration, `is ${configuration.state}; try again once it is ACTIVE.`);
    for (const room of rooms) {
      if (room.loggingConfigurationIdentifiers.includes(configuration.arn)) {
        throw conflict(configuration, `is used by room ${room.arn}; detach it (UpdateRoom) first.`);
      }
    }
    this.byArn.delete(configuration.arn);
  }

  /** @param {string} id */
  arnOf(id) {
    return `arn:aws:ivschat:${this.region}:${this.accountId}:logging-configuration/${id}`;
  }
}

/** @param {RequestChecker} check @param {string} name */
function identifier(check, name) {
  return check.string(name, { required: true, min: 1, max: 128, pattern: LOGGING_CONFIGURATION_PATTERN });
}

/** @param {RequestChecker} check */
function configurationName(check) {
  return check.string('name', { min: 0, max: 128, pattern: LOGGING_CONFIGURATION_NAME_PATTERN });
}

/**
 * The five operations, in control-plane.js's shape: `(body, context) => { status, body }`.
 * @type {Record<string, (body: Record<string, unknown>, context: import('./control-plane.js').OperationContext) => import('./control-plane.js').OperationResult>}
 */
export const loggingOperations = {
  CreateLoggingConfiguration(body, { logging }) {
    const check = new RequestChecker(body);
    const name = configurationName(check);
    const destination = destinationConfiguration(check, true);
    const tags = check.stringMap('tags', { maxEntries: 50, keyLength: [1, 128], valueLength: [0, 256] });
    check.throwIfInvalid();
    const configuration = logging.create({
      name: name ?? '',
      destinationConfiguration: /** @type {DestinationConfiguration} */ (destination),
      tags: tags ?? {},
    });
    return { status: 200, body: describeLoggingConfiguration(configuration) };
  },

  GetLoggingConfiguration(body, { logging }) {
    const check = new RequestChecker(body);
    const arn = identifier(check, 'identifier');
    check.throwIfInvalid();
    return { status: 200, body: describeLoggingConfiguration(logging.require(/** @type {string} */ (arn))) };
  },

  UpdateLoggingConfiguration(body, { logging }) {
    const check = new RequestChecker(body);
    const arn = identifier(check, 'identifier');
    const name = configurationName(check);
    const destination = destinationConfiguration(check, false);
    check.throwIfInvalid();
    const configuration = logging.require(/** @type {string} */ (arn));
    logging.update(configuration, { name, destinationConfiguration: destination });
    return { status: 200, body: describeLoggingConfiguration(configuration) };
  },

  DeleteLoggingConfiguration(body, { logging, state }) {
    const check = new RequestChecker(body);
    const arn = identifier(check, 'identifier');
    check.throwIfInvalid();
    logging.delete(logging.require(/** @type {string} */ (arn)), state.rooms.values());
    return { status: 204 };
  },

  ListLoggingConfigurations(body, { logging }) {
    const check = new RequestChecker(body);
    const nextToken = check.string('nextToken', { min: 0, max: 1024 });
    const maxResults = check.integer('maxResults', { min: 1, max: 50 }) ?? 50;
    check.throwIfInvalid();
    const start = nextToken ? pageStart(nextToken) : 0;
    // The order is not published: newest update first, as ListRooms documents for rooms.
    const all = [...logging.byArn.values()].sort((a, b) => b.updateTimeMs - a.updateTimeMs || (a.arn < b.arn ? -1 : 1));
    /** @type {Record<string, unknown>} */
    const result = { loggingConfigurations: all.slice(start, start + maxResults).map(describeLoggingConfiguration) };
    if (start + maxResults < all.length) result.nextToken = Buffer.from(String(start + maxResults), 'utf8').toString('base64url');
    return { status: 200, body: result };
  },
};

/** @param {string} token */
function pageStart(token) {
  const start = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw otherValidationError('nextToken is not a token returned by ListLoggingConfigurations.');
  return start;
}

/**
 * CreateRoom / UpdateRoom: every identifier must name an existing configuration (404 otherwise;
 * that IVS answers 404 here is inferred from the operations' error lists, not published).
 * @param {LoggingConfigurations} logging
 * @param {string[] | undefined} identifiers
 */
export function requireLoggingConfigurations(logging, identifiers) {
  for (const arn of identifiers ?? []) logging.require(arn);
}
