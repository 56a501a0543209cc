// send path: validate + build one SEND_MESSAGE frame, as ChatRoom#sendMessage does before the
// socket: a request id added to the request, the request as JSON, the wasm call
// (buildActionFrame: every rule checked, the frame written), the result checked. Reported
// in µs per frame. For context, the official client's equivalent: SendMessageRequest (a uuid)
// and its serializeRequest (type checks, JSON.stringify), which checks no length or UTF-8 rule.
import { init } from 'ivschat-wasm';

import { requestTable } from '../js/value-table.js';
import { median, opsPerSecond } from './lib/measure.js';

const officialModule = new URL('../node_modules/amazon-ivs-chat-messaging/dist/esm/', import.meta.url);
const { SendMessageRequest } = await import(new URL('index.js', officialModule).href);
const { serializeRequest } = await import(new URL('utils/serialize.js', officialModule).href);

const MESSAGES = Array.from({ length: 32 }, (_, i) => ({
  content: i % 4 === 0 ? `Grüße aus Köln 🎉 message ${i}` : `hello everyone, this is message number ${i} of the benchmark`,
  ...(i % 2 === 0 ? { attributes: { lang: i % 4 === 0 ? 'de' : 'en', replyTo: `AbCdEfGh${String(i).padStart(4, '0')}` } } : {}),
}));

/** @param {{ quick: boolean }} options */
export async function run({ quick }) {
  const core = await init();
  const repeats = quick ? 3 : 7;
  const budget = { ms: quick ? 100 : 400 };
  const count = MESSAGES.length;

  /** ChatRoom#submit's synchronous part for sendMessage (js/chat/chat-room.js). */
  const oursBuild = (/** @type {Record<string, unknown>} */ request) => {
    const table = requestTable(request, request.requestId === undefined ? crypto.randomUUID() : undefined);
    if (!table.ok) throw new Error(table.error.message);
    const built = core.buildActionFrame({ action: 'SEND_MESSAGE', request: table.table, maxMessageLength: 500 });
    if (!built.ok) throw new Error(JSON.stringify(built.errors));
    return built.frame;
  };
  const officialBuild = (/** @type {{ content: string, attributes?: Record<string, string> }} */ request) =>
    serializeRequest(new SendMessageRequest(request.content, request.attributes));

  /** @type {Record<string, { label: string, measure: () => number }>} */
  const contenders = {
    ours: { label: 'ours: ChatRoom request -> frame (wasm validate + build)', measure: () => opsPerSecond((i) => oursBuild(MESSAGES[i % count]), budget) },
    oursWasmOnly: {
      label: 'ours: the wasm call alone',
      measure: () => {
        const tables = MESSAGES.map((message) => /** @type {{ ok: true, table: import('../js/value-table.js').ValueTable }} */ (requestTable(message, 'd3b07384-d9a7-4f0e-9d55-5f5b1a2c3e4f')).table);
        return opsPerSecond((i) => core.buildActionFrame({ action: 'SEND_MESSAGE', request: tables[i % count], maxMessageLength: 500 }), budget);
      },
    },
    official: { label: 'official: SendMessageRequest + serializeRequest (no length/UTF-8 rules)', measure: () => opsPerSecond((i) => officialBuild(MESSAGES[i % count]), budget) },
  };
  /** @type {Record<string, number[]>} */
  const runs = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (let r = 0; r < repeats; r++) {
    for (const [name, contender] of Object.entries(contenders)) runs[name].push(1e6 / contender.measure());
  }
  return {
    unit: 'µs per frame',
    contenders: Object.fromEntries(Object.entries(contenders).map(([name, { label }]) => [name, { label, median: median(runs[name]), runs: runs[name] }])),
  };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  console.log(JSON.stringify(await run({ quick: process.argv.includes('--quick') })));
}
