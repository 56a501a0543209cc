// @ts-check
// The demo room's history (issue 22): a room that logs to CloudWatch Logs, as a room on AWS does
// with a logging configuration, and GET /api/history, which reads its recent messages back with
// createHistoryHandler for a caller the demo knows (its session's ticket) and has not banned.
// On the local server the demo makes the logging configuration itself; against Amazon IVS the
// room's operator has (docs/history.md), and IVSCHAT_HISTORY_LOG_GROUP names its log group.
import { createHistoryHandler, createLoggingConfiguration, toNodeListener } from 'ivschat-wasm/backend';

import { unbannedCaller } from './bans.js';

/** The local server's log group for the demo room. */
export const LOCAL_LOG_GROUP = '/ivschat-demo/chat';

/**
 * On the local server: a logging configuration that sends to {@link LOCAL_LOG_GROUP}, through the
 * package's own call (as `ivschat create-logging-configuration` would make it), for the room to name.
 * @param {{ credentials: import('ivschat-wasm/backend').AwsCredentials, region: string, controlPlaneUrl: string }} local
 * @returns {Promise<string>} its ARN
 */
export async function createLocalLoggingConfiguration(local) {
  const configuration = await createLoggingConfiguration(
    { name: 'demo-history', destinationConfiguration: { cloudWatchLogs: { logGroupName: LOCAL_LOG_GROUP } } },
    { credentials: local.credentials, region: local.region, endpoint: local.controlPlaneUrl },
  );
  return configuration.arn;
}

/**
 * The /api/history route: the demo room's recent messages, for the page's chatHistory({ url }).
 * @param {object} settings
 * @param {string} settings.logGroupName
 * @param {string} settings.roomArn
 * @param {import('ivschat-wasm/backend').AwsCredentials} settings.credentials
 * @param {string | undefined} settings.endpoint the local server's (CloudWatch Logs is there too)
 * @param {typeof fetch | undefined} settings.fetch
 * @param {string[]} settings.allowedHosts
 * @param {import('./identity.js').SessionKeys} settings.sessions
 * @param {import('./bans.js').BanList} settings.bans
 * @param {boolean} settings.trustProxy
 */
export function demoHistoryRoute({ logGroupName, roomArn, credentials, endpoint, fetch, allowedHosts, sessions, bans, trustProxy }) {
  const handler = createHistoryHandler({
    credentials,
    ...(endpoint ? { endpoint } : {}),
    ...(fetch ? { fetch } : {}),
    logGroupName,
    allowedHosts,
    // Read per visitor (authorize below), so no shared cache may keep it.
    cacheControl: 'private, max-age=5',
    authorize: (request) => {
      unbannedCaller(sessions, bans, request);
      return { roomIdentifier: roomArn };
    },
  });
  return toNodeListener(handler, { trustProxy });
}
