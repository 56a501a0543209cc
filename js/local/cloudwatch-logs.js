// @ts-check
/**
 * The reading side of Amazon CloudWatch Logs, for the chat logs a CloudWatch Logs destination
 * receives (issue 22): log groups and streams held in memory, and the calls a reader needs,
 * `FilterLogEvents`, `GetLogEvents`, `DescribeLogStreams` and `DescribeLogGroups`.
 *
 * Protocol (awsJson1_1, as the service model and the AWS SDKs have it): `POST /` with
 * `X-Amz-Target: Logs_20140328.<Operation>` and `Content-Type: application/x-amz-json-1.1`,
 * SigV4 with the signing name `logs`; errors are HTTP 400 with `{ "__type", "message" }`.
 * Limits below are the model's (logs 2014-03-28). Not modelled: metric filters, subscription
 * filters, retention, KMS, the 1 MB response cap, and the filter-pattern syntax that
 * log-filter-pattern.js refuses.
 * @module
 */
import { fieldValidationError, ServiceError } from './errors.js';
import { filterPatternMatcher } from './log-filter-pattern.js';
import { RequestChecker } from './validation.js';

const LOGS_TARGET_PREFIX = 'Logs_20140328.';
export const LOGS_SIGNING_SERVICE = 'logs';
export const LOGS_CONTENT_TYPE = 'application/x-amz-json-1.1';
const LOG_GROUP_NAME = { min: 1, max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/ };
const LOG_STREAM_NAME = { min: 1, max: 512, pattern: /^[^:*]*$/ };
const MAX_TIME = Number.MAX_SAFE_INTEGER;

/**
 * @typedef {object} LogEvent
 * @property {number} timestamp event time, epoch ms
 * @property {string} message
 * @property {number} ingestionTime when it was delivered, epoch ms
 * @property {string} eventId
 */

/**
 * @typedef {object} LogStream
 * @property {string} name
 * @property {number} creationTime
 * @property {LogEvent[]} events sorted by timestamp (ties in delivery order)
 */

/**
 * @typedef {object} LogGroup
 * @property {string} name
 * @property {number} creationTime
 * @property {Map<string, LogStream>} streams
 */

/**
 * The operation a request asks for when it is a CloudWatch Logs call, else undefined.
 * @param {string} method
 * @param {import('node:http').IncomingHttpHeaders} headers
 */
export function logsOperationName(method, headers) {
  const target = headers['x-amz-target'];
  if (method !== 'POST' || typeof target !== 'string' || !target.startsWith(LOGS_TARGET_PREFIX)) return undefined;
  return target.slice(LOGS_TARGET_PREFIX.length);
}

/**
 * A CloudWatch Logs error (always HTTP 400 for the client errors used here).
 * @param {string} type e.g. `ResourceNotFoundException`
 * @param {string} message
 */
export function logsError(type, message) {
  return new ServiceError(400, type, message);
}

/** Log groups of one local account and region. */
export class LogStore {
  /** @param {{ region: string, accountId: string }} options */
  constructor({ region, accountId }) {
    this.region = region;
    this.accountId = accountId;
    /** @type {Map<string, LogGroup>} */
    this.groups = new Map();
    this.nextEventNumber = 1;
  }

  /** Makes the group exist (a no-op when it does). @param {string} name */
  ensureGroup(name) {
    let group = this.groups.get(name);
    if (!group) {
      group = { name, creationTime: Date.now(), streams: new Map() };
      this.groups.set(name, group);
    }
    return group;
  }

  /**
   * Appends events to a stream (both made when missing), keeping the stream sorted by time.
   * @param {string} groupName
   * @param {string} streamName
   * @param {{ timestamp: number, message: string }[]} events
   */
  putEvents(groupName, streamName, events) {
    const group = this.ensureGroup(groupName);
    let stream = group.streams.get(streamName);
    if (!stream) {
      stream = { name: streamName, creationTime: Date.now(), events: [] };
      group.streams.set(streamName, stream);
    }
    const ingestionTime = Date.now();
    for (const { timestamp, message } of events) {
      const eventId = String(this.nextEventNumber++).padStart(56, '0');
      const event = { timestamp, message, ingestionTime, eventId };
      let at = stream.events.length;
      while (at > 0 && stream.events[at - 1].timestamp > timestamp) at -= 1;
      stream.events.splice(at, 0, event);
    }
  }

  /** @param {string} name */
  groupArn(name) {
    return `arn:aws:logs:${this.region}:${this.accountId}:log-group:${name}`;
  }
}

/**
 * Runs one CloudWatch Logs call. Throws a {@link ServiceError} for its errors.
 * @param {string} operationName
 * @param {Record<string, unknown>} body
 * @param {LogStore} store
 * @returns {Record<string, unknown>}
 */
export function runLogsOperation(operationName, body, store) {
  const operation = Object.hasOwn(logsOperations, operationName) ? logsOperations[operationName] : undefined;
  if (!operation) {
    throw logsError('UnknownOperationException', `The local server does not implement CloudWatch Logs ${operationName}: it answers ${Object.keys(logsOperations).join(', ')}.`);
  }
  return operation(body, store);
}

/**
 * Throws InvalidParameterException listing the failed members, in the service's wording.
 * @param {RequestChecker} check
 */
function throwIfInvalid(check) {
  if (check.problems.length) throw logsError('InvalidParameterException', fieldValidationError(check.problems).message);
}

/**
 * The log group named by `logGroupName` or `logGroupIdentifier` (a name or an ARN): one of the
 * two, not both. A missing group is ResourceNotFoundException, as the service answers.
 * @param {RequestChecker} check
 * @param {LogStore} store
 */
function findGroup(check, store) {
  const name = check.string('logGroupName', LOG_GROUP_NAME);
  const identifier = check.string('logGroupIdentifier', { min: 1, max: 2048, pattern: /^[\w#+=/:,.@-]*$/ });
  throwIfInvalid(check);
  if ((name === undefined) === (identifier === undefined)) {
    throw logsError('InvalidParameterException', 'Provide either logGroupName or logGroupIdentifier, but not both.');
  }
  const groupName = name ?? groupNameOf(/** @type {string} */ (identifier));
  const group = store.groups.get(groupName);
  if (!group) throw logsError('ResourceNotFoundException', 'The specified log group does not exist.');
  return group;
}

/**
 * A group name from a logGroupIdentifier: the name itself, or the group's ARN (`logGroupArn`;
 * the `arn` ending in `:*` that DescribeLogGroups also returns fails the identifier's pattern, as at AWS).
 * @param {string} identifier
 */
function groupNameOf(identifier) {
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(identifier);
  return match ? match[1] : identifier;
}

/**
 * A time member (epoch ms, a non-negative integer).
 * @param {RequestChecker} check @param {string} name
 */
function time(check, name) {
  return check.integer(name, { min: 0, max: MAX_TIME });
}

/**
 * A boolean member.
 * @param {RequestChecker} check @param {string} name
 */
function flag(check, name) {
  const value = check.body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    check.fail(name, 'Member must be a boolean');
    return undefined;
  }
  return value;
}

/**
 * Offset tokens: `prefix` + the offset in 56 digits (the service's tokens are opaque strings of
 * that look; they are not interchangeable with these). An offset counts matching events, so
 * events delivered between two pages may shift a page (the service's tokens do not).
 * @param {string} prefix @param {number} offset
 */
function offsetToken(prefix, offset) {
  return `${prefix}${String(offset).padStart(56, '0')}`;
}

/**
 * @param {string} token @param {string[]} prefixes
 * @returns {{ prefix: string, offset: number }}
 */
function readOffsetToken(token, prefixes) {
  const prefix = prefixes.find((p) => token.startsWith(p));
  const offset = prefix === undefined ? NaN : Number(token.slice(prefix.length));
  if (prefix === undefined || !/^\d{56}$/.test(token.slice(prefix.length)) || !Number.isSafeInteger(offset)) {
    throw logsError('InvalidParameterException', 'The specified nextToken is invalid.');
  }
  return { prefix, offset };
}

/** @type {Record<string, (body: Record<string, unknown>, store: LogStore) => Record<string, unknown>>} */
const logsOperations = {
  FilterLogEvents(body, store) {
    const check = new RequestChecker(body);
    const names = check.stringList('logStreamNames', { max: 100, check: streamNameProblem });
    if (names?.length === 0) check.fail('logStreamNames', 'Member must have length greater than or equal to 1');
    const prefix = check.string('logStreamNamePrefix', LOG_STREAM_NAME);
    const startTime = time(check, 'startTime') ?? 0;
    const endTime = time(check, 'endTime') ?? MAX_TIME;
    const pattern = check.string('filterPattern', { min: 0, max: 1024 });
    const nextToken = check.string('nextToken', { min: 1 });
    const limit = check.integer('limit', { min: 1, max: 10_000 }) ?? 10_000;
    flag(check, 'interleaved');
    flag(check, 'unmask');
    const group = findGroup(check, store);
    if (names !== undefined && prefix !== undefined) {
      throw logsError('InvalidParameterException', 'Provide logStreamNames or logStreamNamePrefix, not both.');
    }
    const matches = filterPatternMatcher(pattern);
    const streams = [...group.streams.values()].filter(
      (s) => (names === undefined || names.includes(s.name)) && (prefix === undefined || s.name.startsWith(prefix)),
    );
    // Oldest first across streams; ties by stream name, then delivery order.
    const found = streams
      .flatMap((s) => s.events.map((event) => ({ stream: s.name, event })))
      .filter(({ event }) => event.timestamp >= startTime && event.timestamp <= endTime && matches(event.message))
      .sort((a, b) => a.event.timestamp - b.event.timestamp || (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
    const offset = nextToken === undefined ? 0 : readOffsetToken(nextToken, ['n/']).offset;
    const page = found.slice(offset, offset + limit);
    /** @type {Record<string, unknown>} */
    const result = {
      events: page.map(({ stream, event }) => ({
        logStreamName: stream,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: event.eventId,
      })),
      searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
    };
    if (offset + page.length < found.length) result.nextToken = offsetToken('n/', offset + page.length);
    return result;
  },

  GetLogEvents(body, store) {
    const check = new RequestChecker(body);
    const streamName = check.string('logStreamName', { required: true, ...LOG_STREAM_NAME });
    const startTime = time(check, 'startTime') ?? 0;
    const endTime = time(check, 'endTime') ?? MAX_TIME;
    const nextToken = check.string('nextToken', { min: 1 });
    const limit = check.integer('limit', { min: 1, max: 10_000 }) ?? 10_000;
    const startFromHead = flag(check, 'startFromHead') ?? false;
    flag(check, 'unmask');
    const group = findGroup(check, store);
    const stream = group.streams.get(/** @type {string} */ (streamName));
    if (!stream) throw logsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    // startTime is inclusive, endTime exclusive (as documented for GetLogEvents).
    const window = stream.events.filter((e) => e.timestamp >= startTime && e.timestamp < endTime);
    const { from, to } = getLogEventsRange(window.length, limit, startFromHead, nextToken);
    return {
      events: window.slice(from, to).map(({ timestamp, message, ingestionTime }) => ({ timestamp, message, ingestionTime })),
      nextForwardToken: offsetToken('f/', to),
      nextBackwardToken: offsetToken('b/', from),
    };
  },

  DescribeLogStreams(body, store) {
    const check = new RequestChecker(body);
    const prefix = check.string('logStreamNamePrefix', LOG_STREAM_NAME);
    const orderBy = check.string('orderBy', { pattern: /^(LogStreamName|LastEventTime)$/, patternText: 'LogStreamName | LastEventTime' }) ?? 'LogStreamName';
    const descending = flag(check, 'descending') ?? false;
    const nextToken = check.string('nextToken', { min: 1 });
    const limit = check.integer('limit', { min: 1, max: 50 }) ?? 50;
    const group = findGroup(check, store);
    if (orderBy === 'LastEventTime' && prefix !== undefined) {
      throw logsError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    const lastEvent = (/** @type {LogStream} */ s) => s.events.at(-1)?.timestamp ?? 0;
    const streams = [...group.streams.values()]
      .filter((s) => prefix === undefined || s.name.startsWith(prefix))
      .sort((a, b) => (orderBy === 'LastEventTime' ? lastEvent(a) - lastEvent(b) : 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (descending) streams.reverse();
    const offset = nextToken === undefined ? 0 : readOffsetToken(nextToken, ['s/']).offset;
    const page = streams.slice(offset, offset + limit);
    /** @type {Record<string, unknown>} */
    const result = { logStreams: page.map((s) => describeStream(s, group, store)) };
    if (offset + page.length < streams.length) result.nextToken = offsetToken('s/', offset + page.length);
    return result;
  },

  DescribeLogGroups(body, store) {
    const check = new RequestChecker(body);
    const prefix = check.string('logGroupNamePrefix', LOG_GROUP_NAME);
    const nextToken = check.string('nextToken', { min: 1 });
    const limit = check.integer('limit', { min: 1, max: 50 }) ?? 50;
    throwIfInvalid(check);
    const groups = [...store.groups.values()]
      .filter((g) => prefix === undefined || g.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const offset = nextToken === undefined ? 0 : readOffsetToken(nextToken, ['g/']).offset;
    const page = groups.slice(offset, offset + limit);
    /** @type {Record<string, unknown>} */
    const result = {
      logGroups: page.map((g) => ({
        logGroupName: g.name,
        creationTime: g.creationTime,
        metricFilterCount: 0,
        arn: `${store.groupArn(g.name)}:*`,
        logGroupArn: store.groupArn(g.name),
        storedBytes: 0,
        logGroupClass: 'STANDARD',
      })),
    };
    if (offset + page.length < groups.length) result.nextToken = offsetToken('g/', offset + page.length);
    return result;
  },
};

/** @param {string} item */
function streamNameProblem(item) {
  return item.length < 1 || item.length > 512 || !LOG_STREAM_NAME.pattern.test(item)
    ? 'must be a log stream name of 1 to 512 characters without : or *'
    : undefined;
}

/**
 * The slice GetLogEvents returns: from a forward (`f/`) or backward (`b/`) token, else the first
 * (startFromHead) or last `limit` events. At the end, the forward token comes back unchanged.
 * @param {number} count events in the time window
 * @param {number} limit
 * @param {boolean} startFromHead
 * @param {string | undefined} token
 */
function getLogEventsRange(count, limit, startFromHead, token) {
  if (token === undefined) {
    return startFromHead ? { from: 0, to: Math.min(count, limit) } : { from: Math.max(0, count - limit), to: count };
  }
  const { prefix, offset } = readOffsetToken(token, ['f/', 'b/']);
  const at = Math.min(offset, count);
  return prefix === 'f/' ? { from: at, to: Math.min(count, at + limit) } : { from: Math.max(0, at - limit), to: at };
}

/**
 * @param {LogStream} stream @param {LogGroup} group @param {LogStore} store
 */
function describeStream(stream, group, store) {
  /** @type {Record<string, unknown>} */
  const description = { logStreamName: stream.name, creationTime: stream.creationTime };
  if (stream.events.length > 0) {
    description.firstEventTimestamp = stream.events[0].timestamp;
    description.lastEventTimestamp = stream.events[stream.events.length - 1].timestamp;
    description.lastIngestionTime = Math.max(...stream.events.map((e) => e.ingestionTime));
  }
  description.arn = `${store.groupArn(group.name)}:log-stream:${stream.name}`;
  description.storedBytes = 0;
  return description;
}
