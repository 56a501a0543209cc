// The harness of the CLI's control-plane tests (cli-rooms, cli-logging): a local server with its
// own credentials and region, started before the file's tests and closed after them, with an
// @aws-sdk/client-ivschat client of it as an independent reader, and `ivschat` run against it
// with only the credentials, the region and the local endpoint in its environment.
import { after, before } from 'node:test';

import { IvschatClient } from '@aws-sdk/client-ivschat';
import { startLocalIvsChat } from 'ivschat-wasm/local';

import { commandEnvironment, runCommand } from './helpers.js';

/**
 * @param {{ credentials: { accessKeyId: string, secretAccessKey: string }, region: string,
 *   prepare?: (server: { ivs: any, sdk: any }) => Promise<void> }} settings `prepare`: what the
 *   file sets up once the server is started (in the same hook: Node 20 does not wait for one
 *   top-level `before` hook before it starts the next)
 */
export function cliServer({ credentials, region, prepare }) {
  const server = {
    /** @type {any} the local server, once the `before` hook has run */
    ivs: undefined,
    /** @type {any} the SDK's client of it */
    sdk: undefined,
    /** Only the variables the CLI should see: credentials, the region and the local endpoint. */
    environment: (/** @type {Record<string, string>} */ overrides = {}) =>
      commandEnvironment(credentials, { AWS_REGION: region, AWS_ENDPOINT_URL_IVSCHAT: server.ivs.controlPlaneUrl, ...overrides }),
    /** Runs `ivschat`. */
    ivschat: (/** @type {string[]} */ args, env = server.environment()) => runCommand('ivschat', args, env),
    /**
     * A resource as the SDK reads it (a Get command's answer), with its times as the service's
     * JSON writes them, to compare with what the CLI prints.
     * @param {any} command
     */
    async read(command) {
      const { $metadata, ...resource } = await server.sdk.send(command);
      void $metadata;
      return { ...resource, createTime: resource.createTime.toISOString(), updateTime: resource.updateTime.toISOString() };
    },
  };
  before(async () => {
    server.ivs = await startLocalIvsChat({ credentials, region });
    server.sdk = new IvschatClient({ endpoint: server.ivs.controlPlaneUrl, region, credentials, maxAttempts: 1 });
    await prepare?.(server);
  });
  after(async () => {
    server.sdk.destroy();
    await server.ivs.close();
  });
  return server;
}
