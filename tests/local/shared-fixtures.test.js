// The shared fixtures (tests/fixtures/: the core's rules, which GoogleTest and the JS tests read)
// replayed against the local server the way a client reaches it: CreateChatToken, SendEvent,
// DeleteMessage and DisconnectUser as signed HTTP requests, the chat actions as frames over the
// WebSocket. A valid case must be accepted; an invalid one refused in IVS's shape, naming the
// same member: a ValidationException whose fieldList names it with a message of the same kind,
// or an ERROR frame whose ErrorMessage names its frame key.
//
// A few rules of the core are the client's own (IVS publishes nothing a server would hold them
// to): their errors are left out of what the server must report, each by a reason listed in
// CLIENT_ONLY below; a case left with no error to check is skipped, with its reasons.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalIvsChat } from '../../js/local/index.js';
import { expandFixture, readFixture } from '../js/helpers.js';
import { createToken, signedRequest, TestSocket, waitUntil } from './helpers.js';

/** The room ARN the fixtures use; replayed as the local room's ARN (the same length). */
const FIXTURE_ROOM_ARN = 'arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456';
const SOCKET_ACTIONS = ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'];

/**
 * @typedef {{ field: string, code: string }} FixtureError
 * @typedef {{ field: string, code: string, why: string }} LeftOut
 */

/**
 * The core's errors no server is held to, each with the reason. `where` is the operation or
 * the socket action of the case.
 * @type {Array<{ applies: (error: FixtureError, where: string) => boolean, why: string }>}
 */
const CLIENT_ONLY = [
  {
    applies: (error) => error.code === 'UNKNOWN_FIELD',
    why: 'unknown members: the core refuses them so that a misspelt member fails before anything is sent; IVS publishes no rule for them, and the local server ignores them',
  },
  {
    applies: (error) => error.code === 'DUPLICATE',
    why: 'repeated capabilities: IVS documents the three values only (no uniqueness); the core refuses a repeat as a client-side rule',
  },
  {
    applies: (error) => error.field === 'maxMessageLength',
    why: "maxMessageLength is the client's own argument, not part of the frame: the server holds Content to the room's maximumMessageLength (the replay's room has the case's limit, within the 1-500 a room can have)",
  },
  {
    applies: (error, where) => error.field === 'requestId' && SOCKET_ACTIONS.includes(where),
    why: "RequestId has no published format at IVS; 1-128 printable ASCII is the core's own bound",
  },
  {
    applies: (error, where) => where === 'SEND_MESSAGE' && error.field === 'attributes' && error.code === 'TOO_LARGE',
    why: 'IVS publishes no limit for message attributes; the core applies the "1 KB total" of token and event attributes',
  },
  {
    applies: (error, where) =>
      (where === 'DELETE_MESSAGE' || where === 'DISCONNECT_USER') && error.field === 'reason' && (error.code === 'TOO_SHORT' || error.code === 'TOO_LONG'),
    why: "Reason has no published limit on the socket; the core applies its HTTP twins' 1-256",
  },
];

/** Frame-build cases about the client API's own member names, which a frame does not have. */
const CLIENT_API_CASES = {
  'send: PascalCase frame keys are not request fields': 'the client API takes camelCase members; on the wire `Content` is the frame key itself',
  'delete: frame key instead of request field': 'the client API takes camelCase members; on the wire `Id` is the frame key itself',
};

/**
 * Splits a case's errors into those the server must report and those left out (with why).
 * @param {FixtureError[]} errors
 * @param {string} where
 */
function serverErrors(errors, where) {
  /** @type {FixtureError[]} */
  const kept = [];
  /** @type {LeftOut[]} */
  const leftOut = [];
  for (const error of errors) {
    const rule = CLIENT_ONLY.find((r) => r.applies(error, where));
    if (rule) leftOut.push({ field: error.field, code: error.code, why: rule.why });
    else kept.push(error);
  }
  return { kept, leftOut };
}

/** `attributes.color`, `attributes["a b"]`, `capabilities[1]` -> the request member. */
const memberOf = (/** @type {string} */ field) => field.split(/[.[]/)[0];

/**
 * The kind of problem a local-server fieldList message states, named as the core's codes. Every
 * message must be of exactly one kind.
 */
const MESSAGE_KINDS = {
  REQUIRED: /must not be null/,
  TOO_SHORT: /length greater than or equal/,
  TOO_LONG: /length less than or equal/,
  PATTERN: /regular expression pattern/,
  TYPE: /must be an? (string|integer|list|map|structure)\b/,
  RANGE: /value (greater|less) than or equal/,
  ENUM: /must be one of/,
  TOO_LARGE: /bytes in total/,
  INVALID_UTF8: /lone surrogate/,
};

/** @param {string} message */
function kindOf(message) {
  const kinds = Object.entries(MESSAGE_KINDS)
    .filter(([, pattern]) => pattern.test(message))
    .map(([kind]) => kind);
  assert.equal(kinds.length, 1, `a fieldList message of exactly one kind: ${message}`);
  return kinds[0];
}

/**
 * Member names in order of first appearance, each with the kinds of its problems.
 * @param {Array<{ member: string, kind: string }>} problems
 */
function byMember(problems) {
  /** @type {Map<string, Set<string>>} */
  const members = new Map();
  for (const { member, kind } of problems) {
    if (!members.has(member)) members.set(member, new Set());
    members.get(member)?.add(kind);
  }
  return [...members].map(([member, kinds]) => ({ member, kinds: [...kinds].sort() }));
}

/**
 * Every string equal to the fixtures' room ARN becomes `arn`.
 * @param {unknown} value
 * @param {string} arn
 * @returns {unknown}
 */
function withRoom(value, arn) {
  if (value === FIXTURE_ROOM_ARN) return arn;
  if (Array.isArray(value)) return value.map((item) => withRoom(item, arn));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withRoom(item, arn)]));
  }
  return value;
}

/** The chat actions' request members and their frame keys. */
const FRAME_KEYS = /** @type {Record<string, string>} */ ({ content: 'Content', attributes: 'Attributes', id: 'Id', reason: 'Reason', userId: 'UserId' });

/**
 * The frame a client sends for a frame-build case: the built frame when the case has one,
 * else the request with the frame's keys (what a client that checked nothing would send).
 * @param {any} fixture
 */
function frameText(fixture) {
  if (fixture.frame) return JSON.stringify(expandFixture(fixture.frame));
  const requestId = expandFixture(fixture.requestId ?? 'req-1');
  const head = `{"Action":${JSON.stringify(fixture.action)},"RequestId":${JSON.stringify(requestId)}`;
  if ('inputText' in fixture) {
    const text = /** @type {string} */ (fixture.inputText);
    if (!/^\s*\{/.test(text)) return text;
    const rest = text
      .replace(/^\s*\{/, '')
      .replace(/"(content|attributes|id|reason|userId)":/g, (_, key) => `"${FRAME_KEYS[key]}":`);
    return /^\s*\}/.test(rest) ? `${head}}` : `${head},${rest}`;
  }
  const input = expandFixture(fixture.input);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return JSON.stringify(input);
  const members = Object.entries(input).map(([key, value]) => [FRAME_KEYS[key] ?? key, value]);
  return JSON.stringify({ Action: fixture.action, RequestId: requestId, ...Object.fromEntries(members) });
}

/** @param {LeftOut[]} leftOut */
const describeLeftOut = (leftOut) => leftOut.map((l) => `${l.field} ${l.code}: ${l.why}`).join('; ');

const controlPlaneCases = [
  ...readFixture('create-chat-token-validation.json').cases.map((c) => ({ ...c, operation: 'CreateChatToken' })),
  ...readFixture('moderation-requests.json').cases,
];
const frameCases = readFixture('chat-frames-build.json').cases;

describe('the shared fixtures against the local server', () => {
  /** @type {Awaited<ReturnType<typeof startLocalIvsChat>>} */
  let server;
  /** @type {{ arn: string }} */
  let room;
  /** Rooms with a socket of every capability, by maximumMessageLength. */
  /** @type {Map<number, Promise<TestSocket>>} */
  const sockets = new Map();

  before(async () => {
    server = await startLocalIvsChat({ region: 'us-west-2', accountId: '123456789012' });
    room = await server.createRoom();
    assert.equal(room.arn.length, FIXTURE_ROOM_ARN.length);
  });
  after(async () => {
    for (const socket of sockets.values()) await (await socket).close();
    await server.close();
  });

  /**
   * A socket with every capability, in a room of this maximumMessageLength (its own room, so
   * the replays stay far from the room's rate limit).
   * @param {number} maximumMessageLength
   */
  function socketFor(maximumMessageLength) {
    let socket = sockets.get(maximumMessageLength);
    if (!socket) {
      socket = (async () => {
        const chatRoom = await server.createRoom({ maximumMessageLength, maximumMessageRatePerSecond: 100 });
        const { token } = await createToken(server, { roomIdentifier: chatRoom.arn, userId: 'fixture-replayer', capabilities: SOCKET_ACTIONS });
        return TestSocket.open(server.messagingUrl, token);
      })();
      sockets.set(maximumMessageLength, socket);
    }
    return socket;
  }

  for (const fixture of controlPlaneCases) {
    const { kept, leftOut } = serverErrors(fixture.errors, fixture.operation);
    const name = `${fixture.operation}: ${fixture.name}`;
    if (fixture.errors.length > 0 && kept.length === 0) {
      test(name, { skip: `not a server's rule: ${describeLeftOut(leftOut)}` }, () => {});
      continue;
    }
    test(name, async (t) => {
      if (leftOut.length > 0) t.diagnostic(`left out: ${describeLeftOut(leftOut)}`);
      const rawBody =
        'inputJson' in fixture
          ? fixture.inputJson.replaceAll(FIXTURE_ROOM_ARN, room.arn)
          : JSON.stringify(withRoom(expandFixture(fixture.input), room.arn));
      const response = await signedRequest(server, `/${fixture.operation}`, undefined, { rawBody });
      if (kept.length === 0) {
        if (rawBody.includes(room.arn)) {
          assert.equal(response.status, 200, response.text);
        } else {
          // A valid ARN of a room that does not exist here: past validation, to the lookup.
          assert.equal(response.status, 404, response.text);
          assert.equal(response.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
        }
        return;
      }
      assert.equal(response.status, 400, response.text);
      assert.equal(response.headers.get('x-amzn-errortype'), 'ValidationException');
      if (kept.every((error) => error.field === 'request')) {
        // The body is not an object: there is no member to name.
        assert.equal(response.json.reason, 'OTHER', response.text);
        return;
      }
      assert.equal(response.json.reason, 'FIELD_VALIDATION_FAILED', response.text);
      const expected = byMember(kept.map((error) => ({ member: memberOf(error.field), kind: error.code })));
      const actual = byMember(
        response.json.fieldList.map((/** @type {{ name: string, message: string }} */ f) => ({ member: f.name, kind: kindOf(f.message) })),
      );
      assert.deepEqual(actual, expected, response.text);
    });
  }

  for (const fixture of frameCases) {
    const name = `${fixture.action}: ${fixture.name}`;
    if (fixture.name in CLIENT_API_CASES) {
      test(name, { skip: `not a server's rule: ${CLIENT_API_CASES[/** @type {keyof typeof CLIENT_API_CASES} */ (fixture.name)]}` }, () => {});
      continue;
    }
    const { kept, leftOut } = serverErrors(fixture.errors ?? [], fixture.action);
    if ((fixture.errors ?? []).length > 0 && kept.length === 0) {
      test(name, { skip: `not a server's rule: ${describeLeftOut(leftOut)}` }, () => {});
      continue;
    }
    test(name, async (t) => {
      if (leftOut.length > 0) t.diagnostic(`left out: ${describeLeftOut(leftOut)}`);
      const limit = fixture.maxMessageLength ?? 500;
      const socket = await socketFor(Number.isInteger(limit) && limit >= 1 ? Math.min(limit, 500) : 500);
      const text = frameText(fixture);
      const notRequest = kept.length > 0 && kept[0].field === 'request';
      /** @type {string} */
      let requestId = '';
      if (!notRequest) requestId = JSON.parse(text).RequestId;
      const start = socket.frames.length;
      socket.ws.send(text);
      const reply = await waitUntil(
        () => socket.frames.slice(start).find((f) => f !== undefined && f.RequestId === requestId),
        `the answer to ${name}`,
      );
      if (kept.length === 0) {
        const frame = JSON.parse(text);
        if (fixture.action === 'SEND_MESSAGE') {
          assert.equal(reply.Type, 'MESSAGE', JSON.stringify(reply));
          assert.equal(reply.Content, frame.Content);
          if (frame.Attributes && Object.keys(frame.Attributes).length > 0) assert.deepEqual(reply.Attributes, frame.Attributes);
        } else {
          assert.equal(reply.Type, 'EVENT', JSON.stringify(reply));
          assert.equal(reply.EventName, `aws:${fixture.action}`);
          if (fixture.action === 'DELETE_MESSAGE') assert.equal(reply.Attributes.MessageId, frame.Id);
          else assert.equal(reply.Attributes.UserId, frame.UserId);
        }
        return;
      }
      assert.equal(reply.Type, 'ERROR', JSON.stringify(reply));
      const first = kept[0];
      if (notRequest) {
        assert.equal(reply.ErrorCode, 400, JSON.stringify(reply));
        return;
      }
      // Content over the room's limit is IVS's 413 (payload too large); every other problem a 400.
      const code = first.field === 'content' && first.code === 'TOO_LONG' ? 413 : 400;
      assert.equal(reply.ErrorCode, code, JSON.stringify(reply));
      const key = FRAME_KEYS[memberOf(first.field)];
      assert.ok(key, `a frame key for ${first.field}`);
      assert.ok(reply.ErrorMessage.includes(key), `${reply.ErrorMessage} names ${key}`);
    });
  }
});
