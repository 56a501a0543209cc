// @ts-check
/**
 * Fault controls for tests: drop, delay, stall or inject WebSocket frames, make the next
 * CreateChatToken calls fail or hang, delay chat-log delivery and put logging configurations
 * into any state.
 * @module
 */
import { deliveryDelays } from './log-delivery.js';
import { LOGGING_CONFIGURATION_STATES } from './logging.js';

/**
 * @typedef {object} CreateChatTokenFailure
 * @property {number} remaining how many more calls fail
 * @property {number} status HTTP status to answer with
 * @property {string} errorType `X-Amzn-ErrorType` and error name
 * @property {string} message body `message`
 * @property {boolean} hang when true the call gets no answer at all (the caller times out)
 */

/**
 * Integer check for fault arguments, with a message that names the argument.
 * @param {unknown} value @param {string} name @param {number} min @param {number} max
 * @returns {number}
 */
function requireInteger(value, name, min, max) {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return /** @type {number} */ (value);
}

/** @param {unknown} filter @param {string} operation */
function checkFilter(filter, operation) {
  if (filter === undefined || filter === null) return {};
  if (typeof filter !== 'object' || Array.isArray(filter)) {
    throw new TypeError(`${operation}: the filter must be an object like { userId?, roomIdentifier? }`);
  }
  const { userId, roomIdentifier } = /** @type {Record<string, unknown>} */ (filter);
  for (const [name, value] of Object.entries({ userId, roomIdentifier })) {
    if (value !== undefined && typeof value !== 'string') {
      throw new TypeError(`${operation}: ${name} must be a string when given, got ${JSON.stringify(value)}`);
    }
  }
  return /** @type {import('./messaging.js').ConnectionFilter} */ ({ userId, roomIdentifier });
}

/** The fault switchboard behind `server.faults` and `POST /_local/faults/<name>`. */
export class Faults {
  /**
   * @param {object} deps
   * @param {import('./messaging.js').MessagingHub} deps.hub
   * @param {import('./messaging.js').OutboundControl} deps.outbound
   * @param {() => void} deps.releaseHungRequests destroys CreateChatToken calls left hanging
   * @param {import('./log-delivery.js').LogDelivery} deps.logDelivery
   * @param {import('./logging.js').LoggingConfigurations} deps.logging
   */
  constructor({ hub, outbound, releaseHungRequests, logDelivery, logging }) {
    this.hub = hub;
    this.logDelivery = logDelivery;
    this.logging = logging;
    this.outbound = outbound;
    this.releaseHungRequests = releaseHungRequests;
    /** @type {CreateChatTokenFailure} */
    this.createChatTokenFailure = { remaining: 0, status: 500, errorType: 'InternalServerException', message: '', hang: false };
  }

  /**
   * Abruptly closes matching connections (no close frame, like a network cut).
   * @param {import('./messaging.js').ConnectionFilter} [filter] all connections when empty
   * @returns {number} how many were dropped
   */
  dropConnections(filter) {
    const targets = this.hub.matching(checkFilter(filter, 'dropConnections'));
    for (const connection of targets) connection.terminate();
    return targets.length;
  }

  /**
   * Delays every outbound frame sent from now on by `ms` (0 turns the delay off).
   * @param {number} ms
   */
  delayFrames(ms) {
    this.outbound.delayMs = requireInteger(ms, 'delayFrames: ms', 0, 600_000);
  }

  /**
   * `true` holds every outbound frame (and pong) until `stall(false)`, which sends them in order.
   * @param {boolean} stalled
   */
  stall(stalled) {
    if (typeof stalled !== 'boolean') throw new TypeError(`stall: expected true or false, got ${JSON.stringify(stalled)}`);
    this.outbound.stalled = stalled;
    if (!stalled) this.hub.flushAll();
  }

  /**
   * Sends raw text (for example malformed JSON) to matching live connections, in frame order.
   * @param {string} text
   * @param {import('./messaging.js').ConnectionFilter} [filter]
   * @returns {number} how many connections it was queued to
   */
  injectFrame(text, filter) {
    if (typeof text !== 'string') throw new TypeError(`injectFrame: text must be a string, got ${JSON.stringify(text)}`);
    const targets = this.hub.matching(checkFilter(filter, 'injectFrame')).filter((c) => !c.ended);
    for (const connection of targets) connection.enqueue({ kind: 'text', text });
    return targets.length;
  }

  /**
   * Makes the next `count` CreateChatToken calls (after their signature checked out) fail with
   * `status` / `errorType`, or hang without an answer when `hang` is true.
   * @param {{ count?: number, status?: number, errorType?: string, message?: string, hang?: boolean }} [options]
   */
  failCreateChatToken({ count = 1, status = 500, errorType = 'InternalServerException', message, hang = false } = {}) {
    requireInteger(count, 'failCreateChatToken: count', 0, 1_000_000);
    requireInteger(status, 'failCreateChatToken: status', 400, 599);
    if (typeof errorType !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(errorType)) {
      throw new TypeError(`failCreateChatToken: errorType must be a name like ThrottlingException, got ${JSON.stringify(errorType)}`);
    }
    if (message !== undefined && typeof message !== 'string') {
      throw new TypeError('failCreateChatToken: message must be a string when given');
    }
    if (typeof hang !== 'boolean') throw new TypeError('failCreateChatToken: hang must be true or false');
    this.createChatTokenFailure = {
      remaining: count,
      status,
      errorType,
      message: message ?? `Injected failure (${errorType}) from the local IVS Chat server`,
      hang,
    };
  }

  /**
   * Takes one injected CreateChatToken failure if any is pending.
   * @returns {CreateChatTokenFailure | undefined}
   */
  takeCreateChatTokenFailure() {
    if (this.createChatTokenFailure.remaining <= 0) return undefined;
    this.createChatTokenFailure.remaining -= 1;
    return { ...this.createChatTokenFailure };
  }

  /**
   * Chat logs recorded from now on are delivered `ms` later: one number for every destination or
   * `{ s3?, cloudWatchLogs?, firehose? }` (AWS averages 10 s for CloudWatch Logs and Firehose,
   * 5 minutes for S3: AWS_LOG_DELIVERY_DELAYS_MS); until `reset()`, which restores the
   * `logDeliveryDelayMs` setting.
   * @param {number | Partial<import('./log-delivery.js').DeliveryDelays>} ms
   */
  delayLogDelivery(ms) {
    this.logDelivery.setDelays(deliveryDelays(ms, 'delayLogDelivery: ms'));
  }

  /**
   * Delivers every chat-log record still waiting for its delay, now.
   * @returns {number} how many records were delivered
   */
  releaseLogDelivery() {
    const count = this.logDelivery.pendingCount;
    this.logDelivery.releaseAll();
    return count;
  }

  /**
   * Puts a logging configuration into any of the service's states (CREATING, UPDATE_FAILED, ...),
   * as the service's own workflows would; only an ACTIVE one records chat logs.
   * @param {string} arn
   * @param {string} state
   */
  setLoggingConfigurationState(arn, state) {
    const configuration = typeof arn === 'string' ? this.logging.get(arn) : undefined;
    if (!configuration) throw new TypeError(`setLoggingConfigurationState: no logging configuration ${JSON.stringify(arn)}`);
    const states = /** @type {readonly string[]} */ (LOGGING_CONFIGURATION_STATES);
    if (!states.includes(state)) {
      throw new TypeError(`setLoggingConfigurationState: state must be one of ${states.join(', ')}, got ${JSON.stringify(state)}`);
    }
    configuration.state = /** @type {typeof LOGGING_CONFIGURATION_STATES[number]} */ (state);
  }

  /**
   * Turns every fault off: no delay, no stall, no pending failures. Frames held by a stall or a
   * delay are sent at once, in order; hung CreateChatToken calls are cut off; chat logs waiting
   * for a delay are delivered and the delay is the setting again.
   */
  reset() {
    this.logDelivery.reset();
    this.outbound.delayMs = 0;
    this.createChatTokenFailure.remaining = 0;
    this.releaseHungRequests();
    this.outbound.stalled = false;
    this.hub.releaseDelayed();
  }
}
