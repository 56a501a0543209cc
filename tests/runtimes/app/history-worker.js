// Room history on Cloudflare Workers (workerd): the backend entry imports no history wasm (a
// token handler's worker would carry it), so the app imports ivschat-history.wasm itself and
// passes it to initHistory. /init loads the module; any other path is the history handler, whose
// answers come with its last log entry in X-Log.
import historyWasm from 'ivschat-wasm/ivschat-history.wasm';
import { createHistoryHandler, initHistory } from 'ivschat-wasm/backend';

/** @type {unknown[]} */
const entries = [];
/** @type {((request: Request) => Promise<Response>) | undefined} */
let handler;

export default {
  /** @param {Request} request @param {Record<string, string>} env */
  async fetch(request, env) {
    if (new URL(request.url).pathname === '/init') {
      const error = await initHistory({ wasm: historyWasm }).then(() => undefined, (e) => `${e.name} ${e.code}: ${e.message}`);
      return Response.json({ error });
    }
    handler ??= createHistoryHandler({
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN },
      endpoint: env.IVSCHAT_ENDPOINT,
      logGroupName: env.LOG_GROUP,
      logger: (entry) => entries.push(entry),
      authorize: (_request, query) => (query.roomIdentifier === env.ROOM_ARN ? { roomIdentifier: env.ROOM_ARN } : null),
    });
    const response = await handler(request);
    const headers = new Headers(response.headers);
    headers.set('x-log', JSON.stringify(entries.at(-1) ?? null));
    return new Response(response.body, { status: response.status, headers });
  },
};
