#!/usr/bin/env node
// @ts-check
/**
 * `ivschat-local`: runs the local IVS Chat server until SIGINT/SIGTERM.
 * Prints ONE JSON line on stdout once it listens:
 *   {"controlPlaneUrl", "messagingUrl", "region", "credentials": {accessKeyId, secretAccessKey}, "roomArn"}
 * The credentials are random for each run, unless IVSCHAT_LOCAL_ACCESS_KEY_ID and
 * IVSCHAT_LOCAL_SECRET_ACCESS_KEY give them; the room is ready-made.
 */
import { parseArgs } from 'node:util';
import { AWS_LOG_DELIVERY_DELAYS_MS, startLocalIvsChat } from '../js/local/index.js';

const USAGE = `Usage: ivschat-local [--host 127.0.0.1] [--port 0] [--region us-east-1]
                     [--time-scale 1] [--token-lifetime 300] [--allowed-host name]...
                     [--allowed-origin origin]... [--log-delay-ms 0] [--log-folder dir]
                     [--no-admin] [--verbose]

Runs a local stand-in for Amazon IVS Chat (control plane over HTTP, messaging over WebSocket,
same port) and prints one JSON line with the URLs, region, credentials and a room ARN.

The credentials are made at random for this run (the server accepts no others), unless both
IVSCHAT_LOCAL_ACCESS_KEY_ID and IVSCHAT_LOCAL_SECRET_ACCESS_KEY are set in the environment.

  --host            interface to bind (default 127.0.0.1)
  --port            TCP port, 0 picks a free one (default 0)
  --region          region of the credential scope and room ARNs (default us-east-1)
  --time-scale      token lifetimes and sessions pass this many times faster (default 1)
  --token-lifetime  chat-token lifetime in seconds (default 300)
  --allowed-host    a host name to answer for besides loopback and --host (repeat for more;
                    any other Host header, e.g. a DNS-rebinding page's, gets 421)
  --allowed-origin  a browser origin (http://localhost:5173) whose pages may call the control
                    plane directly (repeat for more); other origins and cross-site browser
                    requests get 403
  --log-delay-ms    chat logs reach their destinations this many ms after the message
                    (default 0), or 'aws': AWS's averages (10 s for CloudWatch Logs and
                    Firehose, 5 minutes for S3)
  --log-folder      write S3 chat logs under this folder, as {bucket}/AWSLogs/... files
  --no-admin        do not serve /_local/* (fault controls and stats)
  --verbose         log one line per request / connection to stderr (never secrets)
`;

/** @param {string} message */
function fail(message) {
  process.stderr.write(`ivschat-local: ${message}\n`);
  process.exit(2);
}

/** @param {string | undefined} text @param {string} flag */
function numberFlag(text, flag) {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) fail(`${flag} expects a number, got '${text}'`);
  return value;
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        region: { type: 'string' },
        'time-scale': { type: 'string' },
        'token-lifetime': { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        'allowed-origin': { type: 'string', multiple: true },
        'log-delay-ms': { type: 'string' },
        'log-folder': { type: 'string' },
        'no-admin': { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : error}\n\n${USAGE}`);
    return;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }

  // Credentials from the environment (never flags: a secret on the command line shows in the
  // process list), both or neither; without them the server makes random ones.
  const accessKeyId = process.env.IVSCHAT_LOCAL_ACCESS_KEY_ID || undefined;
  const secretAccessKey = process.env.IVSCHAT_LOCAL_SECRET_ACCESS_KEY || undefined;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    fail('set both IVSCHAT_LOCAL_ACCESS_KEY_ID and IVSCHAT_LOCAL_SECRET_ACCESS_KEY, or neither (then the credentials are random)');
  }
  const credentials = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;

  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>> | undefined} */
  let server;
  // Handlers go in before anything is printed: a caller may signal as soon as it reads the line.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server?.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    server = await startLocalIvsChat({
      host: values.host,
      port: numberFlag(values.port, '--port'),
      region: values.region,
      timeScale: numberFlag(values['time-scale'], '--time-scale'),
      tokenLifetimeSeconds: numberFlag(values['token-lifetime'], '--token-lifetime'),
      adminRoutes: !values['no-admin'],
      allowedHosts: values['allowed-host'] ?? [],
      allowedOrigins: values['allowed-origin'] ?? [],
      logDeliveryDelayMs: values['log-delay-ms'] === 'aws' ? AWS_LOG_DELIVERY_DELAYS_MS : numberFlag(values['log-delay-ms'], '--log-delay-ms'),
      logFolder: values['log-folder'],
      ...(credentials ? { credentials } : {}),
      logger: values.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
    });
  } catch (error) {
    process.stderr.write(`ivschat-local: cannot start: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
    return;
  }
  if (stopping) return; // signalled during start-up: stop() closes the server
  const room = await server.createRoom({ name: 'local-demo' });
  // The secret is printed on purpose: it is a throwaway made for this run of a loopback server
  // (it opens nothing else), and the local operator needs it to sign requests. This line goes
  // to the operator's own console or to the program that started the CLI, nowhere else.
  process.stdout.write(
    `${JSON.stringify({
      controlPlaneUrl: server.controlPlaneUrl,
      messagingUrl: server.messagingUrl,
      region: server.region,
      credentials: { accessKeyId: server.credentials.accessKeyId, secretAccessKey: server.credentials.secretAccessKey },
      roomArn: room.arn,
    })}\n`,
  );
}

main();
