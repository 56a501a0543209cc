// The history handler (createHistoryHandler) against the local server: the right 28 as JSON with
// cache headers; a crowd of 1,000 concurrent joiners costs one CloudWatch Logs call, repeats
// within cacheTtlMs none; throttling answers the last answer or an empty history (200, never an
// error wall); a missing log group answers 502 naming the cause, and logs it; and the token
// handler's steps: CORS, the host allow-list, methods, authorize.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createHistoryHandler, TokenHandlerError } from 'ivschat-wasm/backend';
import { countingFetch, HISTORY_GROUP, localServerWithHistory, logsError } from './history-helpers.js';

const URL_BASE = 'http://localhost:8787/history';

describe('createHistoryHandler on the local server', () => {
  const fixture = localServerWithHistory();

  /** A handler reading `room` (any roomIdentifier query is the app's to check: here it must be the room's). */
  const handlerWith = (/** @type {Record<string, unknown>} */ options = {}) =>
    createHistoryHandler({
      credentials: fixture.server.credentials,
      endpoint: fixture.server.controlPlaneUrl,
      logGroupName: HISTORY_GROUP,
      logger: false,
      authorize: (_request, query) => (query.roomIdentifier === fixture.room.arn ? { roomIdentifier: fixture.room.arn } : null),
      ...options,
    });
  const get = (/** @type {Record<string, string>} */ headers = {}, query = `?roomIdentifier=${encodeURIComponent(fixture.room.arn)}`) => new Request(`${URL_BASE}${query}`, { headers });

  test('GET answers the right 28, oldest first, with Cache-Control for a CDN', async () => {
    const { fetch, counter } = countingFetch();
    const handler = handlerWith({ fetch });
    const response = await handler(get());
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=5, s-maxage=5');
    assert.equal(response.headers.get('x-ivschat-history'), 'read');
    assert.equal(response.headers.get('content-type'), 'application/json');
    const body = await response.json();
    assert.deepEqual(body.messages.map(({ id, content }) => ({ id, content })), fixture.expected);
    assert.equal(body.complete, true);
    assert.ok(!Number.isNaN(Date.parse(body.readAt)));
    assert.equal(typeof body.messages[0].sendTime, 'string');
    assert.ok(!Number.isNaN(Date.parse(body.messages[0].sendTime)));
    assert.deepEqual(body.messages[0].sender, { userId: 'alice', attributes: { displayName: 'ALICE' } });
    assert.equal(counter.calls, 1);
  });

  test('1,000 concurrent joiners cost one CloudWatch Logs call; repeats within cacheTtlMs none; after it, one more', async () => {
    const { fetch, counter } = countingFetch();
    const handler = handlerWith({ fetch, cacheTtlMs: 60_000 });
    const responses = await Promise.all(Array.from({ length: 1000 }, () => handler(get())));
    assert.ok(responses.every((r) => r.status === 200));
    const sources = responses.map((r) => r.headers.get('x-ivschat-history'));
    assert.equal(sources.filter((s) => s === 'read').length, 1);
    assert.equal(sources.filter((s) => s === 'shared').length, 999);
    assert.equal(counter.calls, 1);
    const bodies = await Promise.all(responses.slice(0, 3).map((r) => r.json()));
    assert.deepEqual(bodies[1], bodies[0]);
    assert.equal(bodies[2].messages.length, 28);

    const repeat = await handler(get());
    assert.equal(repeat.headers.get('x-ivschat-history'), 'cache');
    assert.match(repeat.headers.get('cache-control') ?? '', /^public, max-age=(59|60), s-maxage=(59|60)$/);
    assert.equal(counter.calls, 1);

    // The expiry, counted from the end of the read.
    const brief = handlerWith({ fetch, cacheTtlMs: 100 });
    assert.equal((await brief(get())).headers.get('x-ivschat-history'), 'read');
    assert.equal(counter.calls, 2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal((await brief(get())).headers.get('x-ivschat-history'), 'read');
    assert.equal(counter.calls, 3);
  });

  test('throttled: the last answer kept (stale), else an empty history; 200 either way, and no call while it is kept', async () => {
    let throttle = false;
    const { fetch, counter } = countingFetch(() => (throttle ? logsError('ThrottlingException', 'Rate exceeded') : undefined));
    const entries = [];
    // A short read deadline: the backoffs end with it.
    const handler = handlerWith({ fetch, cacheTtlMs: 1000, timeoutMs: 300, logger: (entry) => entries.push(entry) });
    assert.equal((await handler(get())).headers.get('x-ivschat-history'), 'read');
    await new Promise((resolve) => setTimeout(resolve, 1050));
    throttle = true;
    const stale = await handler(get());
    assert.equal(stale.status, 200);
    assert.equal(stale.headers.get('x-ivschat-history'), 'stale');
    assert.equal((await stale.json()).messages.length, 28);
    const calls = counter.calls;
    assert.equal((await handler(get())).headers.get('x-ivschat-history'), 'cache', 'the stale answer is kept for cacheTtlMs');
    assert.equal(counter.calls, calls);
    assert.deepEqual(entries.map((e) => e.level), ['info', 'warn', 'info'], 'the failed read is said once, as a warning');
    assert.match(entries[1].message, /\(stale: CloudWatch Logs throttled GetLogEvents/);

    const fresh = handlerWith({ fetch, timeoutMs: 300 });
    const none = await fresh(get());
    assert.equal(none.status, 200);
    assert.equal(none.headers.get('x-ivschat-history'), 'throttled');
    const body = await none.json();
    assert.deepEqual({ ...body, readAt: undefined }, { messages: [], complete: false, readAt: undefined });
  });

  test("records that are not IVS's are skipped, and said once: by the read, not by the requests sharing it", async () => {
    const fetch = async (url, init) => {
      const response = await globalThis.fetch(url, init);
      const page = await response.json();
      page.events.push({ timestamp: 1, message: 'not json', ingestionTime: 1 }, { timestamp: 1, message: '{"version":"9"}', ingestionTime: 1 });
      return new Response(JSON.stringify(page), { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' } });
    };
    const entries = [];
    const handler = handlerWith({ fetch, logger: (entry) => entries.push(entry) });
    const responses = await Promise.all([handler(get()), handler(get()), handler(get())]);
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200]);
    assert.equal((await responses[0].json()).messages.length, 28);
    const said = entries.filter((entry) => /skipped records/.test(entry.message));
    assert.equal(said.length, 1);
    assert.match(said[0].message, /1 not JSON, 1 of another version/);
    assert.equal(said[0].level, 'warn');
  });

  test('a log group that does not exist: 502 with the cause, no-store, and one log line naming the group', async () => {
    const entries = [];
    const { fetch, counter } = countingFetch();
    const handler = handlerWith({ fetch, logGroupName: 'no-such-group', logger: (entry) => entries.push(entry) });
    const response = await handler(get());
    assert.equal(response.status, 502);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('x-amzn-errortype'), 'BadGatewayException');
    assert.deepEqual(await response.json(), { message: 'Chat history is unavailable (LOG_GROUP_NOT_FOUND).', reason: 'LOG_GROUP_NOT_FOUND' });
    assert.equal(entries.length, 1);
    assert.match(entries[0].message, /no-such-group/);
    assert.equal(entries[0].status, 502);
    // Kept like an answer: the repeat makes no call.
    assert.equal((await handler(get())).status, 502);
    assert.equal(counter.calls, 1);
  });

  test('access denied: 502 ACCESS_DENIED; the default logger writes it once per read, not once per request', async () => {
    const { fetch } = countingFetch(() => logsError('AccessDeniedException', 'not authorized'));
    const warnings = [];
    const warn = console.warn;
    console.warn = (line) => warnings.push(line);
    try {
      const handler = handlerWith({ fetch, logger: undefined });
      const responses = await Promise.all([handler(get()), handler(get())]);
      responses.push(await handler(get()));
      for (const response of responses) {
        assert.equal(response.status, 502);
        assert.equal((await response.json()).reason, 'ACCESS_DENIED');
      }
      assert.deepEqual(responses.map((r) => r.headers.get('x-amzn-errortype')), ['BadGatewayException', 'BadGatewayException', 'BadGatewayException']);
    } finally {
      console.warn = warn;
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^ivschat-wasm history handler: answered 502 BadGatewayException to a GET: .*logs:GetLogEvents.*createHistoryHandler's `logger` option/);
  });

  test("the token handler's steps: CORS, preflight, methods, host allow-list, authorize's refusals", async () => {
    const handler = handlerWith({ allowedOrigins: ['https://app.example.com'] });
    const cors = await handler(get({ origin: 'https://app.example.com' }));
    assert.equal(cors.status, 200);
    assert.equal(cors.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(cors.headers.get('vary'), 'Origin');

    const refused = await handler(get({ origin: 'https://evil.example' }));
    assert.equal(refused.status, 403);
    assert.equal((await refused.json()).message, 'This origin may not read chat history.');

    const preflight = await handler(new Request(URL_BASE, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } }));
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET, OPTIONS');

    const post = await handler(new Request(URL_BASE, { method: 'POST', body: '{}' }));
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, OPTIONS');

    const rebinding = await handler(new Request(`http://rebind.evil.example/history?roomIdentifier=${encodeURIComponent(fixture.room.arn)}`));
    assert.equal(rebinding.status, 421);
    assert.match((await rebinding.json()).message, /createHistoryHandler's allowedHosts/);

    const notAllowed = await handler(get({}, '?roomIdentifier=arn:aws:ivschat:us-east-1:123456789012:room/OtherRoom123'));
    assert.equal(notAllowed.status, 403);
    assert.equal((await notAllowed.json()).message, 'You may not read this chat history.');

    const thrown = handlerWith({ authorize: () => { throw new TokenHandlerError(401, 'Sign in to read the chat.'); } });
    const unauthorized = await thrown(get());
    assert.equal(unauthorized.status, 401);
    assert.equal((await unauthorized.json()).message, 'Sign in to read the chat.');
  });

  test('authorize chooses the room and the limit; a room that is not an ARN is a 400 naming the field', async () => {
    const limited = handlerWith({ authorize: () => ({ roomIdentifier: fixture.room.arn, limit: 10 }) });
    const body = await (await limited(get())).json();
    assert.deepEqual(body.messages.map((m) => m.id), fixture.expected.slice(-10).map((m) => m.id));

    const bad = handlerWith({ authorize: () => ({ roomIdentifier: 'lobby' }) });
    const response = await bad(get());
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('x-amzn-errortype'), 'ValidationException');
    assert.equal((await response.json()).fieldList[0].name, 'roomIdentifier');

    const broken = handlerWith({ authorize: () => ({ room: fixture.room.arn }) });
    assert.equal((await broken(get())).status, 500);
  });

  test('options are checked when the handler is made', () => {
    assert.throws(() => createHistoryHandler({ credentials: fixture.server.credentials }), /authorize/);
    assert.throws(() => handlerWith({ region: 'US EAST' }), (error) => error.name === 'InvalidOptionError' && error.option === 'region');
    assert.throws(() => handlerWith({ cacheTtlMs: -1 }), /cacheTtlMs/);
    assert.throws(() => handlerWith({ cacheControl: 'max-age=5\r\nx: y' }), /cacheControl/);
    assert.throws(() => handlerWith({ unknownOption: 1 }), /unknownOption/);
  });
});
