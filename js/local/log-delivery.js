// @ts-check
/**
 * Chat logging (issue 22): every MESSAGE and EVENT of a room with ACTIVE logging configurations
 * is recorded in IVS's format and, after the delivery delay, delivered to each configuration's
 * destination: CloudWatch Logs (the local {@link LogStore}), S3 (gzip files in IVS's key layout
 * under a local folder) or Firehose (recorded in the inspectable delivery list only).
 *
 * Facts (IVS Chat user guide, "IVS Chat Logging"; real logs quoted in AWS's own blog post
 * "Archiving Web Chat Messages with Amazon IVS Chat Logging" and in public code reading them):
 * - a record is `{ "event_timestamp", "type": "MESSAGE" | "EVENT", "version": "1.0", "payload" }`,
 *   payload the frame clients receive; event_timestamp is RFC 3339 UTC with milliseconds
 *   (in the published samples it is the payload's SendTime cut to milliseconds);
 * - CloudWatch Logs stream `aws/IVSChatLogs/1.0/room_{roomId}` in the configured group;
 * - S3 objects under `AWSLogs/{account}/IVSChatLogs/1.0/{region}/room_{roomId}/`, named
 *   `{account}_IVSChatLogs_1.0_{region}_room_{roomId}_….log.gz`, gzip of one JSON record per line;
 * - average delays: S3 5 minutes, CloudWatch Logs and Firehose 10 seconds.
 * Not confirmed (chosen here): the folders between the room prefix and the file
 * (`{YYYY}/{MM}/{DD}/{HH}/`) and the file name's tail (`{YYYYMMDDTHHmmZ}_{8 hex}`), shaped like
 * other AWSLogs deliveries; one file per delivery batch; that denied (reviewed) messages and
 * ERROR frames are not logged.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { destinationOf } from './logging.js';

const LOG_FORMAT_VERSION = '1.0';
/** The average delays the IVS Chat user guide gives, per destination: use them to see AWS's lag. */
export const AWS_LOG_DELIVERY_DELAYS_MS = Object.freeze({ s3: 300_000, cloudWatchLogs: 10_000, firehose: 10_000 });
const MAX_DELAY_MS = 3_600_000;
const DESTINATION_KINDS = /** @type {const} */ (['s3', 'cloudWatchLogs', 'firehose']);

/** @typedef {{ s3: number, cloudWatchLogs: number, firehose: number }} DeliveryDelays milliseconds per destination */
/** Delivery batches kept for `logDeliveries()`; older ones are forgotten. */
const MAX_KEPT_DELIVERIES = 10_000;

/**
 * @typedef {object} PendingRecord
 * @property {number} dueAtMs
 * @property {string} configurationArn
 * @property {'s3' | 'cloudWatchLogs' | 'firehose'} kind
 * @property {string} name bucket, log group or delivery stream
 * @property {string} roomArn
 * @property {string} roomId
 * @property {number} timestampMs
 * @property {string} line the record, one line of JSON
 */

/**
 * @typedef {object} LogDeliveryBatch what one delivery wrote (see `logDeliveries()`)
 * @property {'s3' | 'cloudWatchLogs' | 'firehose'} destination
 * @property {string} name bucket, log group or delivery stream
 * @property {string} loggingConfigurationArn
 * @property {string} roomArn
 * @property {string[]} records
 * @property {string} [logStreamName] CloudWatch Logs
 * @property {string} [key] S3 object key
 * @property {string} [file] S3: the file written under the log folder
 */

/** @param {string} roomId */
export function logStreamName(roomId) {
  return `aws/IVSChatLogs/${LOG_FORMAT_VERSION}/room_${roomId}`;
}

/**
 * The S3 key of a log file (see the module notes for what is confirmed).
 * @param {{ accountId: string, region: string, roomId: string, timeMs: number, suffix: string }} parts
 */
function s3LogKey({ accountId, region, roomId, timeMs, suffix }) {
  const iso = new Date(timeMs).toISOString();
  const [yyyy, mm, dd, hh, mi] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), iso.slice(11, 13), iso.slice(14, 16)];
  const base = `IVSChatLogs/${LOG_FORMAT_VERSION}`;
  return `AWSLogs/${accountId}/${base}/${region}/room_${roomId}/${yyyy}/${mm}/${dd}/${hh}/` +
    `${accountId}_IVSChatLogs_${LOG_FORMAT_VERSION}_${region}_room_${roomId}_${yyyy}${mm}${dd}T${hh}${mi}Z_${suffix}.log.gz`;
}

/**
 * One record line: the payload is the frame's exact text, as clients received it.
 * @param {string} frameText
 * @param {'MESSAGE' | 'EVENT'} type
 * @param {number} timestampMs
 */
function chatLogRecord(frameText, type, timestampMs) {
  return `{"event_timestamp":${JSON.stringify(new Date(timestampMs).toISOString())},"type":"${type}","version":"${LOG_FORMAT_VERSION}","payload":${frameText}}`;
}

/**
 * Epoch ms of a frame's SendTime (digits past milliseconds dropped), or now when unreadable.
 * @param {unknown} sendTime
 */
function sendTimeMs(sendTime) {
  const ms = typeof sendTime === 'string' ? Date.parse(sendTime.replace(/(\.\d{3})\d+Z$/, '$1Z')) : NaN;
  return Number.isNaN(ms) ? Date.now() : ms;
}

/**
 * A delay setting: one number of milliseconds for every destination, or some of
 * `{ s3, cloudWatchLogs, firehose }` (the others 0). Each an integer from 0 to 3600000.
 * @param {unknown} value
 * @param {string} name for messages, e.g. `startLocalIvsChat: logDeliveryDelayMs`
 * @returns {DeliveryDelays}
 */
export function deliveryDelays(value, name) {
  const problem = `${name} must be an integer from 0 to ${MAX_DELAY_MS} (ms) or an object of them by destination { s3, cloudWatchLogs, firehose }, got ${JSON.stringify(value)}`;
  const isDelay = (/** @type {unknown} */ ms) => typeof ms === 'number' && Number.isInteger(ms) && ms >= 0 && ms <= MAX_DELAY_MS;
  if (isDelay(value)) return { s3: /** @type {number} */ (value), cloudWatchLogs: /** @type {number} */ (value), firehose: /** @type {number} */ (value) };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError(problem);
  const byKind = /** @type {Record<string, unknown>} */ (value);
  if (Object.keys(byKind).some((key) => !(/** @type {readonly string[]} */ (DESTINATION_KINDS)).includes(key))) throw new TypeError(problem);
  const delays = { s3: byKind.s3 ?? 0, cloudWatchLogs: byKind.cloudWatchLogs ?? 0, firehose: byKind.firehose ?? 0 };
  if (!Object.values(delays).every(isDelay)) throw new TypeError(problem);
  return /** @type {DeliveryDelays} */ (delays);
}

/** Records, delays and delivers chat logs. */
export class LogDelivery {
  /**
   * @param {object} options
   * @param {import('./state.js').ChatState} options.state
   * @param {import('./logging.js').LoggingConfigurations} options.logging
   * @param {import('./cloudwatch-logs.js').LogStore} options.store
   * @param {DeliveryDelays} options.delays delivery delay by destination (the setting)
   * @param {string | undefined} options.folder S3 log files go under `{folder}/{bucket}/{key}`; none: not written
   * @param {(line: string) => void} options.log
   */
  constructor({ state, logging, store, delays, folder, log }) {
    this.state = state;
    this.logging = logging;
    this.store = store;
    this.settingDelays = delays;
    this.delays = delays;
    this.folder = folder;
    this.log = log;
    /** @type {PendingRecord[]} in record order */
    this.pending = [];
    /** @type {LogDeliveryBatch[]} */
    this.batches = [];
    this.delivered = 0;
    /** @type {NodeJS.Timeout | undefined} */
    this.timer = undefined;
  }

  /**
   * Records a broadcast frame for every ACTIVE configuration of its room.
   * @param {string} roomArn
   * @param {string} frameText the JSON text sent to clients
   * @param {Record<string, unknown>} frame the same frame
   */
  record(roomArn, frameText, frame) {
    if (frame.Type !== 'MESSAGE' && frame.Type !== 'EVENT') return;
    const room = this.state.getRoom(roomArn);
    if (!room || room.loggingConfigurationIdentifiers.length === 0) return;
    const timestampMs = sendTimeMs(frame.SendTime);
    const line = chatLogRecord(frameText, frame.Type, timestampMs);
    const now = Date.now();
    for (const arn of room.loggingConfigurationIdentifiers) {
      const configuration = this.logging.get(arn);
      if (configuration?.state !== 'ACTIVE') continue;
      const { kind, name } = destinationOf(configuration.destinationConfiguration);
      const dueAtMs = now + this.delays[kind];
      this.pending.push({ dueAtMs, configurationArn: arn, kind, name, roomArn, roomId: room.id, timestampMs, line });
    }
    this.schedule();
  }

  /** Sets the delays for records made from now on (the fault control). @param {DeliveryDelays} delays */
  setDelays(delays) {
    this.delays = delays;
  }

  /** Back to the configured delay, and everything pending delivered now. */
  reset() {
    this.delays = this.settingDelays;
    this.releaseAll();
  }

  /** Delivers every pending record now, whatever its due time. */
  releaseAll() {
    for (const record of this.pending) record.dueAtMs = 0;
    this.deliverDue();
  }

  /** Records waiting for their delivery time. */
  get pendingCount() {
    return this.pending.length;
  }

  /** Copies of the delivery batches, oldest first. @returns {LogDeliveryBatch[]} */
  deliveries() {
    return this.batches.map((batch) => ({ ...batch, records: [...batch.records] }));
  }

  /** Stops the timer; what is pending is delivered (as the service would, later). */
  close() {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.releaseAll();
  }

  /** Arms the timer for the earliest pending record, or delivers at once when it is due. */
  schedule() {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const waitMs = Math.min(...this.pending.map((r) => r.dueAtMs)) - Date.now();
    if (waitMs <= 0) this.deliverDue();
    else this.timer = setTimeout(() => this.deliverDue(), waitMs);
  }

  /** Delivers due records, in batches of one configuration, destination and room. */
  deliverDue() {
    const now = Date.now();
    const due = this.pending.filter((r) => r.dueAtMs <= now);
    this.pending = this.pending.filter((r) => r.dueAtMs > now);
    /** @type {Map<string, PendingRecord[]>} */
    const batches = new Map();
    for (const record of due) {
      const key = `${record.configurationArn}\n${record.roomArn}\n${record.kind}\n${record.name}`;
      batches.set(key, [...(batches.get(key) ?? []), record]);
    }
    for (const records of batches.values()) this.deliver(records);
    if (this.pending.length > 0) this.schedule();
  }

  /** @param {PendingRecord[]} records one batch, not empty */
  deliver(records) {
    const { kind, name, configurationArn, roomArn, roomId } = records[0];
    /** @type {LogDeliveryBatch} */
    const batch = { destination: kind, name, loggingConfigurationArn: configurationArn, roomArn, records: records.map((r) => r.line) };
    if (kind === 'cloudWatchLogs') {
      batch.logStreamName = logStreamName(roomId);
      this.store.putEvents(name, batch.logStreamName, records.map((r) => ({ timestamp: r.timestampMs, message: r.line })));
    } else if (kind === 's3') {
      this.writeS3(batch, roomId, records[0].timestampMs);
    }
    this.delivered += records.length;
    this.batches.push(batch);
    if (this.batches.length > MAX_KEPT_DELIVERIES) this.batches.shift();
    this.log(`log delivery ${kind} ${name} records=${records.length}`);
  }

  /**
   * Writes one S3 log file (gzip, one record per line) under the folder, when there is one.
   * @param {LogDeliveryBatch} batch @param {string} roomId @param {number} timeMs
   */
  writeS3(batch, roomId, timeMs) {
    const { accountId, region } = this.state;
    batch.key = s3LogKey({ accountId, region, roomId, timeMs, suffix: randomBytes(4).toString('hex') });
    if (this.folder === undefined) return;
    const file = join(this.folder, batch.name, ...batch.key.split('/'));
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, gzipSync(`${batch.records.join('\n')}\n`));
      batch.file = file;
    } catch (error) {
      this.log(`log delivery s3 ${batch.name} failed: ${error instanceof Error ? error.message : error}`);
    }
  }
}
