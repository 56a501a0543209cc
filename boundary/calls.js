// @ts-check
// The boundary between the C++ core and JavaScript, declared once: every call each WebAssembly
// module exports, its inputs and the named numbers, strings and lists of each outcome.
// boundary/generate.js turns this file into
//   - the C++ side: a header of typed inputs and result writers per call (boundary_calls.hpp,
//     included by the hand-written call bodies in src/bindings/) and, per module, the embind
//     binding (boundary_<module>.cpp: the only file that includes an Emscripten header);
//   - the JavaScript side: per module, the reader (dist/ivschat-<module>-calls.js), which writes
//     the inputs into the module's I/O area and reads each result back by name.
// So adding a field is one edit here plus the line of C++ that computes it. The wire format
// (I/O area, result layout) is described in js/boundary-io.js and src/bindings/output.hpp.
//
// Declaration of a call:
//   modules   the modules that export it (names of MODULES)
//   doc       one sentence, copied to both sides
//   inputs    in wire order (JavaScript passes them as one object, by name): 'text' (a string
//             written into the I/O area as UTF-8), 'sliceableText' (the same; when it is all
//             ASCII, result strings that lie inside it are passed back as slices of it, not
//             copied: must be the first text),
//             'request' (a JavaScript value, written by js/value-table.js as the table of
//             values src/core/value_table.hpp reads: no JSON text), 'json' (JSON text from the
//             network: JavaScript passes the string, which the reader parses with JSON.parse and
//             writes as a table; text that is not JSON reads as a document that is not ok; a
//             request or json input is the first text, where its words align), 'int', 'double',
//             or an enum
//             ({ NAME: number }): JavaScript passes the name, C++ gets an enum class, and a number
//             outside the enum never reaches the body
//   ok / invalid / failed
//             the outcomes the call can have. Each lists `numbers` ({ name: kind }, kind 'number',
//             'boolean' (C++ writes 0 or 1), 'optional' (C++ writes a negative number for none:
//             JavaScript reads undefined) or an enum as above), `strings` (names) and `lists`
//             ({ name: [record fields] }, or { name: 'map' } for (name, value) pairs read into an
//             object, undefined when empty). `invalid` always carries the list `errors` of
//             field errors (field, code, message), so only its extra strings are declared.

/** @typedef {'text' | 'sliceableText' | 'request' | 'json' | 'int' | 'double' | Record<string, number>} InputKind */
/** @typedef {'number' | 'boolean' | 'optional' | Record<string, number>} NumberKind */
/**
 * @typedef {object} Outcome
 * @property {Record<string, NumberKind>} [numbers]
 * @property {string[]} [strings]
 * @property {Record<string, string[] | 'map'>} [lists]
 */
/**
 * @typedef {object} Call
 * @property {string[]} modules
 * @property {string} doc
 * @property {Record<string, InputKind>} inputs
 * @property {Outcome} ok
 * @property {Outcome} [invalid]
 * @property {Outcome} [failed]
 */

/** The modules: file name (dist/<file>.wasm) and the Emscripten factory's export name. */
export const MODULES = {
  client: { file: 'ivschat-client', factory: 'createIvsChatClient', doc: 'pages: validation, request bodies, chat frames' },
  backend: { file: 'ivschat-backend', factory: 'createIvsChatBackend', doc: 'token backends: validation, SigV4, moderation' },
  review: { file: 'ivschat-review', factory: 'createIvsChatReview', doc: 'message review handlers: the event IVS sends and the answer it expects' },
  admin: { file: 'ivschat-admin', factory: 'createIvsChatAdmin', doc: 'room administration (the CLI, createRoom ... deleteRoom): validation, SigV4' },
  history: { file: 'ivschat-history', factory: 'createIvsChatHistory', doc: "room history from CloudWatch Logs: the read requests (validation, SigV4) and IVS's chat log records" },
};

const CONTROL_PLANE_CALLS = { CreateChatToken: 0, SendEvent: 1, DeleteMessage: 2, DisconnectUser: 3 };
const { CreateChatToken, ...MODERATION_CALLS } = CONTROL_PLANE_CALLS;
// The room and logging-configuration calls: a module of their own, so that the token backend's
// never holds their rules.
const ROOM_CALLS = {
  CreateRoom: 0, GetRoom: 1, ListRooms: 2, UpdateRoom: 3, DeleteRoom: 4,
  CreateLoggingConfiguration: 5, GetLoggingConfiguration: 6, ListLoggingConfigurations: 7,
  UpdateLoggingConfiguration: 8, DeleteLoggingConfiguration: 9,
};
// The CloudWatch Logs read calls of room history: a module of their own (history), so that a
// token handler never holds them.
const LOGS_CALLS = { GetLogEvents: 0, FilterLogEvents: 1 };
/** What a signed call takes besides its request, and its outcomes (signRequest, signRoomRequest). */
const SIGNING = {
  inputs: {
    region: 'text', // '' = the room's
    host: 'text', // '' = the region's control plane
    basePath: 'text',
    accessKeyId: 'text',
    secretAccessKey: 'text',
    sessionToken: 'text',
    epochMillis: 'double',
  },
  ok: { strings: ['host', 'path', 'amzDate', 'authorization', 'body'] },
  invalid: {}, // the ValidationException body is written from the errors (js/backend/sign.js)
  failed: { strings: ['field', 'error'] }, // never a secret
};

/** @type {Record<string, Call>} */
export const CALLS = {
  parseChatTokenResponse: {
    modules: ['client', 'backend'],
    doc: "Reads a CreateChatToken answer (IVS's, or a token backend's that passes it on).",
    inputs: { body: 'json' },
    ok: { numbers: { tokenExpirationMillis: 'number', sessionExpirationMillis: 'number' }, strings: ['token'] },
    failed: { strings: ['error'] },
  },
  parseAwsError: {
    modules: ['client', 'backend', 'admin', 'history'],
    doc: 'Reads an AWS error answer as the AWS SDKs do (the type from the header or the body).',
    inputs: { body: 'json', status: 'int', errorTypeHeader: 'text' },
    ok: {
      numbers: { limit: 'optional' },
      strings: ['type', 'message', 'reason', 'resourceId', 'resourceType'],
      lists: { fieldList: ['name', 'message'] },
    },
  },
  validateCreateChatTokenRequest: {
    modules: ['client'],
    doc: 'Checks a CreateChatToken request against every rule of the service; builds its body.',
    inputs: { request: 'request' },
    ok: { strings: ['body', 'region'] },
    invalid: {},
  },
  buildActionFrame: {
    modules: ['client'],
    doc: 'Checks a chat request and builds its frame.',
    inputs: { action: { SEND_MESSAGE: 0, DELETE_MESSAGE: 1, DISCONNECT_USER: 2 }, request: 'request', maxMessageLength: 'double' },
    ok: { strings: ['frame'] },
    invalid: {},
  },
  parseServerFrame: {
    modules: ['client'],
    doc: 'Reads one frame IVS Chat sent over the WebSocket.',
    inputs: { frame: 'sliceableText' },
    ok: {
      numbers: { kind: { MESSAGE: 0, EVENT: 1, ERROR: 2, UNKNOWN: 3 }, sendTimeMillis: 'number', errorCode: 'number' },
      strings: ['type', 'id', 'requestId', 'content', 'senderUserId', 'eventName', 'errorMessage', 'deletedMessageId',
        'disconnectedUserId', 'reason'],
      lists: { attributes: 'map', senderAttributes: 'map' },
    },
    failed: { strings: ['error'] },
  },
  signRequest: {
    modules: ['backend'],
    doc: 'Validates, builds and SigV4-signs one IVS Chat control-plane call.',
    inputs: { call: CONTROL_PLANE_CALLS, request: 'request', ...SIGNING.inputs },
    ok: SIGNING.ok,
    invalid: SIGNING.invalid,
    failed: SIGNING.failed,
  },
  signRoomRequest: {
    modules: ['admin'],
    doc: 'Validates, builds and SigV4-signs one IVS Chat room or logging-configuration call (CreateRoom ... DeleteRoom, CreateLoggingConfiguration ... DeleteLoggingConfiguration).',
    inputs: { call: ROOM_CALLS, request: 'request', ...SIGNING.inputs },
    ok: SIGNING.ok,
    invalid: SIGNING.invalid,
    failed: SIGNING.failed, // also region, for the Create and List calls without one
  },
  signLogsRequest: {
    modules: ['history'],
    doc: "Validates, builds and SigV4-signs one CloudWatch Logs read of a room's chat log stream (GetLogEvents, FilterLogEvents).",
    inputs: { call: LOGS_CALLS, request: 'request', ...SIGNING.inputs },
    ok: { strings: [...SIGNING.ok.strings, 'target', 'logStreamName'] },
    invalid: SIGNING.invalid,
    failed: SIGNING.failed,
  },
  readChatLogPage: {
    modules: ['history'],
    doc: "Reads a 2xx answer of GetLogEvents or FilterLogEvents: IVS's chat log records, each checked (others skipped and counted).",
    inputs: { body: 'text' },
    ok: {
      numbers: {
        events: 'number', skippedTooLarge: 'number', skippedNotJson: 'number', skippedOtherVersion: 'number',
        skippedMalformed: 'number', firstTimestamp: 'optional', lastTimestamp: 'optional',
      },
      strings: ['nextForwardToken', 'nextBackwardToken', 'nextToken'],
      // kind: MESSAGE, DELETE_MESSAGE or EVENT; sendTimeMillis in decimal; userId (MESSAGE);
      // target: the deleted id (DELETE_MESSAGE) or the event's name (EVENT); json: the message
      // in ChatRoom's shape (MESSAGE) or the event's attributes (EVENT).
      lists: { items: ['kind', 'id', 'sendTimeMillis', 'userId', 'target', 'json'] },
    },
    failed: { strings: ['error'] },
  },
  parseModerationAnswer: {
    modules: ['backend'],
    doc: 'Reads a 2xx answer of SendEvent, DeleteMessage or DisconnectUser.',
    inputs: { call: MODERATION_CALLS, body: 'json' },
    ok: { strings: ['id'] }, // '' for DisconnectUser
    failed: { strings: ['error'] },
  },
  readReviewInput: {
    modules: ['review'],
    doc: 'Reads the event IVS sends a message review handler.',
    inputs: { event: 'json' },
    ok: {
      strings: ['content', 'messageId', 'roomArn', 'senderUserId', 'senderIp'],
      lists: { attributes: 'map', senderAttributes: 'map' },
    },
    failed: { strings: ['error'] },
  },
  buildReviewAnswer: {
    modules: ['review'],
    doc: "Checks an app's review decision and writes the answer IVS expects.",
    inputs: { decision: 'request' },
    ok: { numbers: { allow: 'boolean' }, strings: ['answer'] },
    invalid: {},
  },
};

void CreateChatToken;
