// history: room history through the edge handler (createHistoryHandler) from the local server
// (issue 22), a room of 50 messages logged to CloudWatch Logs: how long an answer takes when it
// is read (no cache: GetLogEvents, the records read in WebAssembly, the JSON answer) and when it
// is kept (p50, p99), and how many CloudWatch Logs calls 1,000 concurrent joiners cost.
// Prints one JSON line. --quick: fewer requests.
import { CreateLoggingConfigurationCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { WebSocket } from 'ws';

import { createHistoryHandler, signCreateChatTokenRequest } from 'ivschat-wasm/backend';
import { startLocalIvsChat } from '../js/local/index.js';
import { percentile } from './lib/measure.js';

const quick = process.argv.includes('--quick');
const REQUESTS = quick ? 30 : 300;
const JOINERS = 1000;
const MESSAGES = 50;
const GROUP = '/bench/chat-history';

const server = await startLocalIvsChat();
try {
  const ivs = new IvschatClient({ region: server.region, endpoint: server.controlPlaneUrl, credentials: server.credentials, maxAttempts: 1 });
  const configuration = await ivs.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { cloudWatchLogs: { logGroupName: GROUP } } }));
  ivs.destroy();
  const room = await server.createRoom({ maximumMessageRatePerSecond: 100, loggingConfigurationIdentifiers: [configuration.arn ?? ''] });
  await sendMessages(room.arn);

  let calls = 0;
  /** @type {typeof fetch} */
  const countingFetch = (url, init) => {
    calls += 1;
    return fetch(url, init);
  };
  const options = {
    credentials: server.credentials,
    endpoint: server.controlPlaneUrl,
    logGroupName: GROUP,
    logger: false,
    fetch: countingFetch,
    authorize: () => ({ roomIdentifier: room.arn }),
  };
  const request = () => new Request(`http://localhost/history?roomIdentifier=${encodeURIComponent(room.arn)}`);

  /** @param {(request: Request) => Promise<Response>} handler */
  const timed = async (handler) => {
    const times = [];
    for (let i = 0; i < REQUESTS; i++) {
      const started = performance.now();
      const response = await handler(request());
      const body = await response.json();
      times.push(performance.now() - started);
      if (response.status !== 200 || body.messages.length !== MESSAGES) throw new Error(`history answered ${response.status} with ${body.messages?.length} messages`);
    }
    return { p50: percentile(times, 50), p99: percentile(times, 99), requests: REQUESTS };
  };

  const uncached = await timed(createHistoryHandler({ ...options, cacheTtlMs: 0 }));
  const cached = await timed(createHistoryHandler(options));

  calls = 0;
  const crowd = createHistoryHandler(options);
  const answers = await Promise.all(Array.from({ length: JOINERS }, () => crowd(request())));
  if (!answers.every((answer) => answer.status === 200)) throw new Error('a joiner was not answered 200');
  process.stdout.write(`${JSON.stringify({ messages: MESSAGES, uncached, cached, joiners: JOINERS, joinerCalls: calls })}\n`);
} finally {
  await server.close();
}

/**
 * Sends MESSAGES messages to the room over one WebSocket, each acknowledged before the next.
 * @param {string} roomArn
 */
async function sendMessages(roomArn) {
  const signed = await signCreateChatTokenRequest({ roomIdentifier: roomArn, userId: 'bench', capabilities: ['SEND_MESSAGE'] },
    { credentials: server.credentials, endpoint: server.controlPlaneUrl });
  const { token } = await (await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body })).json();
  const socket = new WebSocket(server.messagingUrl, token);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  try {
    for (let n = 1; n <= MESSAGES; n++) {
      const answered = new Promise((resolve) => {
        const onMessage = (/** @type {Buffer} */ data) => {
          if (JSON.parse(String(data)).RequestId === `r${n}`) {
            socket.off('message', onMessage);
            resolve(undefined);
          }
        };
        socket.on('message', onMessage);
      });
      socket.send(JSON.stringify({ Action: 'SEND_MESSAGE', RequestId: `r${n}`, Content: `message ${n} of the history bench` }));
      await answered;
    }
  } finally {
    socket.close();
  }
}
