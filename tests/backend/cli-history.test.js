// `ivschat get-room-history` against the local server: the room of the history tests (30 messages,
// one deleted by a moderator, one user's removed by a ban) prints the right 28 in order, the same
// answer the edge's createHistoryHandler gives; a bad limit exits 2 naming --limit, a log group
// that does not exist exits 1 naming it, and the CloudWatch Logs endpoint variable is read.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createHistoryHandler } from 'ivschat-wasm/backend';
import { closedPortUrl, commandEnvironment, runCommand } from './helpers.js';
import { HISTORY_GROUP, localServerWithHistory } from './history-helpers.js';

const fixture = localServerWithHistory();

/** Only the variables the CLI should see: credentials and the local CloudWatch Logs endpoint. */
const environment = (/** @type {Record<string, string>} */ overrides = {}) => commandEnvironment(fixture.server.credentials, { AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fixture.server.controlPlaneUrl, ...overrides });
/** Runs `ivschat`. */
const ivschat = (/** @type {string[]} */ args, env = environment()) => runCommand('ivschat', args, env);

test('get-room-history prints the right 28 messages, oldest first, as the history handler answers them', async () => {
  const result = await ivschat(['get-room-history', '--room-identifier', fixture.room.arn, '--log-group-name', HISTORY_GROUP]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  const printed = JSON.parse(result.stdout);
  assert.deepEqual(printed.messages.map((/** @type {any} */ m) => ({ id: m.id, content: m.content })), fixture.expected);
  assert.equal(printed.complete, true);

  const handler = createHistoryHandler({
    credentials: fixture.server.credentials,
    endpoint: fixture.server.controlPlaneUrl,
    logGroupName: HISTORY_GROUP,
    logger: false,
    authorize: () => ({ roomIdentifier: fixture.room.arn }),
  });
  const answer = await (await handler(new Request(`http://127.0.0.1/history?roomIdentifier=${encodeURIComponent(fixture.room.arn)}`))).json();
  const { readAt: printedAt, ...printedRest } = printed;
  const { readAt: answeredAt, ...answeredRest } = answer;
  assert.deepEqual(printedRest, answeredRest, 'the same messages the edge answers');
  assert.ok(!Number.isNaN(Date.parse(printedAt)) && !Number.isNaN(Date.parse(answeredAt)));

  const newest = JSON.parse((await ivschat(['get-room-history', '--room-identifier', fixture.room.arn, '--log-group-name', HISTORY_GROUP, '--limit', '3'])).stdout);
  assert.deepEqual(newest.messages.map((/** @type {any} */ m) => m.id), fixture.expected.slice(-3).map((m) => m.id), '--limit: the newest');
});

test('get-room-history: a bad limit exits 2 naming --limit; a missing log group exits 1 naming it; the endpoint variable is the CloudWatch Logs one', async () => {
  const bad = await ivschat(['get-room-history', '--room-identifier', fixture.room.arn, '--log-group-name', HISTORY_GROUP, '--limit', '0']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--limit/);
  assert.equal(bad.stdout, '');

  const missing = await ivschat(['get-room-history', '--room-identifier', fixture.room.arn, '--log-group-name', '/no/such/group']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /\/no\/such\/group/);
  assert.match(missing.stderr, /does not exist/);

  // The CloudWatch Logs variable is the one read, not the IVS Chat one (which points at a server
  // that would answer): an endpoint nothing listens on.
  const other = await ivschat(['get-room-history', '--room-identifier', fixture.room.arn, '--log-group-name', HISTORY_GROUP, '--timeout-ms', '3000'],
    environment({ AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: await closedPortUrl(), AWS_ENDPOINT_URL_IVSCHAT: fixture.server.controlPlaneUrl }));
  assert.equal(other.code, 1, other.stderr);
  assert.match(other.stderr, /Could not reach CloudWatch Logs/);
});
