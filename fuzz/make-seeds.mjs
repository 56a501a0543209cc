// Writes the seed corpus fuzz/corpus/<target>/ from the shared test fixtures (tests/fixtures), in
// each target's input format (see the comment at the top of fuzz/<target>.cpp). Run it again
// when the fixtures change: node fuzz/make-seeds.mjs, or node fuzz/make-seeds.mjs <target>...
// for some targets only (e.g. after a change of one target's input format). Only small, varied
// cases are taken: the fuzzer finds the long ones itself, and a small corpus keeps the short CI
// runs effective.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = (name) => JSON.parse(readFileSync(join(root, 'tests/fixtures', name), 'utf8'));
const MAX_SEED_BYTES = 600;
const MAX_SEEDS = 16;
// Cases asked for by name may be longer: they take libFuzzer's length limit, which otherwise
// grows slowly from the longest seed, past the 1 KB and 500-character limits at once.
const MAX_WANTED_BYTES = 2500;
// The targets named on the command line, or all of them.
const only = process.argv.slice(2);
const wantedTarget = (target) => only.length === 0 || only.includes(target);

// Expands {"$repeat": s, "count": n} as the fixture harnesses do.
function expand(value) {
  if (Array.isArray(value)) return value.map(expand);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 2 && '$repeat' in value && 'count' in value) return value.$repeat.repeat(value.count);
    return Object.fromEntries(keys.map((k) => [k, expand(value[k])]));
  }
  return value;
}

const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

// Keeps up to MAX_SEEDS small seeds: the `extra` ones, the cases named in `wanted`, then others
// spread evenly over the list so every kind of case is there.
function write(target, seeds, extra = [], wanted = [], maxSeeds = MAX_SEEDS) {
  if (!wantedTarget(target)) return;
  extra = [...extra, ...seeds.filter(([name, data]) => wanted.includes(name) && Buffer.byteLength(data) <= MAX_WANTED_BYTES)];
  seeds = seeds.filter(([name]) => !wanted.includes(name));
  const dir = join(root, 'fuzz/corpus', target);
  mkdirSync(dir, { recursive: true });
  // Regression inputs (regression-*) and merged finds (named by their SHA-1) are kept.
  for (const file of readdirSync(dir)) {
    if (!/^regression-|^[0-9a-f]{40}$/.test(file)) rmSync(join(dir, file));
  }
  const small = seeds.filter(([, data]) => Buffer.byteLength(data) <= MAX_SEED_BYTES);
  const step = Math.max(1, small.length / (maxSeeds - extra.length));
  const chosen = [];
  for (let i = 0; i < small.length && chosen.length < maxSeeds - extra.length; i += step) chosen.push(small[Math.floor(i)]);
  const names = new Set();
  for (const [name, data] of [...chosen, ...extra]) {
    let file = slug(name) || 'seed';
    while (names.has(file)) file += '-';
    names.add(file);
    writeFileSync(join(dir, file), data);
  }
  console.log(`${target}: ${readdirSync(dir).length} seeds`);
}

// CreateChatToken validation: the request JSON text.
{
  const { cases } = fixture('create-chat-token-validation.json');
  write('create_chat_token_request',
    cases.map((c) => [c.name, c.inputJson ?? JSON.stringify(expand(c.input))]),
    [['raw invalid utf-8 in userId', Buffer.from('{"roomIdentifier":"arn:aws:ivschat:us-east-1:1:room/a","userId":"a\xff\xfeb"}', 'latin1')],
     ['text ending inside an escape', '{"userId":"abc\\'],
     ['valid with escapes in the body', '{"roomIdentifier":"arn:aws:ivschat:us-east-1:1:room/a","userId":"a\\"b\\\\c\\u0001\\b\\u007f\\u2028","attributes":{"k\\n":"v\\t\\u001f"}}'],
     ['non-finite duration from the JS shim', '{"roomIdentifier":"arn:aws:ivschat:us-east-1:1:room/a","userId":"a","sessionDurationInMinutes":{"$nonFinite":"NaN"}}'],
     // Marker-shaped objects: plain objects with markers off, markers with them on.
     ['attribute value an oversized-string marker', '{"roomIdentifier":"arn:aws:ivschat:us-east-1:1:room/a","userId":"u","attributes":{"a":{"$oversizedString":3}}}'],
     ['attribute value a forged oversized-string marker of 0', '{"roomIdentifier":"arn:aws:ivschat:us-east-1:1:room/a","userId":"u","attributes":{"a":{"$oversizedString":0}}}']],
    ['attributes named like the shim\'s markers are ordinary attributes', 'every member', 'null members count as absent', 'roomIdentifier empty', 'sessionDurationInMinutes fractional',
     'attributes 1025 bytes', 'userId 129 four-byte code points']);
}

// CreateChatToken response body.
{
  const { responses } = fixture('create-chat-token-responses.json');
  write('create_chat_token_response', responses.map((c) => [c.name, c.body]));
}

// AWS errors: status line, X-Amzn-ErrorType line, body.
{
  const { errors } = fixture('create-chat-token-responses.json');
  write('aws_error', errors.map((c) => [c.name, `${c.status}\n${c.header}\n${c.body}`]),
    [['field list item shaped as a marker', '400\n\n{"message":"m","fieldList":[{"$bigint":"1"},{"name":"a","message":"b"}]}']]);
}

// RFC 3339.
{
  const { valid, invalid } = fixture('rfc3339.json');
  const all = [];
  for (let i = 0; i < Math.max(valid.length, invalid.length); i++) {
    if (valid[i]) all.push([`valid ${valid[i][0]}`, valid[i][0]]);
    if (invalid[i] !== undefined) all.push([`invalid ${invalid[i]}`, invalid[i]]);
  }
  write('rfc3339', all);
}

// Chat log records (room history): the record's text.
{
  const { records } = fixture('chat-logs.json');
  write('chat_log_record', records.map((c) => [c.name, c.text ?? JSON.stringify(expand(c.record))]),
    [['record with escapes in the payload', '{"event_timestamp":"2024-01-15T10:30:00Z","type":"MESSAGE","version":"1.0","payload":{"Type":"MESSAGE","Id":"i\\u0041","Content":"a\\"b\\n","Attributes":{"k\\t":"v"},"SendTime":"2024-01-15T10:30:00.1Z","Sender":{"UserId":"u","Attributes":{"\\ud83d\\ude00":""}}}}'],
     ['record with repeated members', '{"version":"2.0","type":"EVENT","version":"1.0","event_timestamp":"2024-01-15T10:30:00Z","payload":{"Type":"EVENT","Id":"e","EventName":"x","SendTime":"2024-01-15T10:30:00Z"}}']],
    ['a message with every member', 'aws:DELETE_MESSAGE', "an app's removal event", 'another version', 'a sender attribute that is not a string (four levels down)']);
}

// Server frames: the frame text.
{
  const { cases } = fixture('chat-frames-parse.json');
  // Frames are plain JSON: objects shaped as the shim's markers are attribute maps like others.
  write('server_frame', cases.map((c) => [c.name, c.text ?? JSON.stringify(expand(c.frame))]),
    [['message: attributes {"$bigint":""}, sender attributes {"$nonFinite":"NaN"}', '{"Type":"MESSAGE","Id":"i","Content":"c","Attributes":{"$bigint":""},"SendTime":"2022-12-02T08:21:20Z","Sender":{"UserId":"u","Attributes":{"$nonFinite":"NaN"}}}'],
     ['event: attributes {"$nonFinite":"NaN"}', '{"Type":"EVENT","Id":"i","EventName":"e","Attributes":{"$nonFinite":"NaN"},"SendTime":"2022-12-02T08:21:20Z"}'],
     ['message: attributes a forged oversized-string marker of 0', '{"Type":"MESSAGE","Id":"i","Content":"c","Attributes":{"$oversizedString":0},"SendTime":"2022-12-02T08:21:20Z","Sender":{"UserId":"u"}}']],
    ['message: attributes named like the shim\'s markers are ordinary attributes', 'message: as IVS writes it (real frame text)', 'event: delete with MessageId and Reason',
     'event: disconnect with UserId and Reason', 'error: every field', 'message: 500 astral characters']);
}

// Action frames: maxMessageLength line, then the request JSON text carrying its requestId as
// the first member, as the fixture harnesses write it (for `inputText`, when it is an object).
{
  const { cases } = fixture('chat-frames-build.json');
  const withRequestId = (text, requestId) => {
    const start = text.search(/\S/);
    if (start < 0 || text[start] !== '{') return text;
    const empty = /^\{\s*\}/.test(text.slice(start));
    return `${text.slice(0, start + 1)}"requestId":${JSON.stringify(requestId)}${empty ? '' : ','}${text.slice(start + 1)}`;
  };
  write('action_frames', cases.map((c) => {
    const requestId = expand(c.requestId ?? 'req-1');
    const limit = c.maxMessageLength === undefined ? '' : String(c.maxMessageLength);
    const input = expand(c.input);
    const request = c.inputText !== undefined ? withRequestId(c.inputText, requestId)
      : input && typeof input === 'object' && !Array.isArray(input) ? JSON.stringify({ requestId, ...input })
        : JSON.stringify(input);
    return [c.name, `${limit}\n${request}`];
  }), [['limit nan', 'nan\n{"requestId":"req-1","content":"hi"}'],
    ['limit infinity', 'inf\n{"requestId":"req-1","content":"hi","attributes":{"a":"b"}}'],
    ['action member names the action', '\n{"action":"DELETE_MESSAGE","requestId":"r","id":"AbCdEf123456","reason":"spam"}'],
    ['escaped request id', '\n{"userId":"u","requestId":"a\\u0041\\/b"}'],
    // Marker-shaped objects: plain objects with markers off, markers with them on.
    ['send attribute value an oversized-string marker', '\n{"requestId":"r","content":"hi","attributes":{"a":{"$oversizedString":3}}}'],
    ['delete attribute value a forged oversized-string marker of 0', '\n{"requestId":"r","id":"AbCdEf123456","attributes":{"a":{"$oversizedString":0}}}']],
  ['send: attributes named like the shim\'s markers are ordinary attributes', 'send: attributes are written in sorted key order', 'delete: id and reason', 'disconnect: user id and reason',
   'send: attributes of 1025 bytes', 'send: 501 astral characters', 'delete: reason of 257 characters']);
}

// SigV4: credentials, region, service, endpoint host and base path (split from the vector's
// endpoint URL as js/backend/sign.js splits it), operation, time, flags, method, path, query,
// headers, body. The general request is the IVS call's own, so that the two signers meet.
{
  const { vectors } = fixture('sigv4-create-chat-token.json');
  const body = (v) => v.expected?.body ?? JSON.stringify(v.request);
  const endpointParts = (endpoint) => {
    if (!endpoint) return { host: '', basePath: '' };
    const url = new URL(endpoint);
    return { host: url.host, basePath: url.pathname.replace(/\/+$/, '') };
  };
  const seeds = vectors.map((v) => {
    const { host, basePath } = endpointParts(v.endpoint);
    return [v.name, [
      v.credentials.accessKeyId, v.credentials.secretAccessKey, v.credentials.sessionToken ?? '',
      v.region, 'ivschat', host, basePath, '', String(v.epochMillis), '',
      'POST', `${basePath}/CreateChatToken`, '', 'content-type:application/json',
      `host:${host || `ivschat.${v.region}.amazonaws.com`}`, '', body(v)].join('\n')];
  });
  const general = (name, lines) => [name, lines.join('\n')];
  write('sigv4', seeds, [
    // From the aws-sig-v4 test suite's shapes: query, repeated and folded headers, dot segments.
    general('get with query and repeated headers', ['AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '', 'us-east-1', 'service', '', '', '', '1440938160000', 'n',
      'GET', '/example/../a/./b//c', 'Param2=value2&Param1=value1&Param1=value0', 'Host:example.amazonaws.com', 'My-Header1:value4', 'My-Header1:  value1  b   c ', 'X-Amz-Date:20150830T123600Z', '', '']),
    general('unsignable headers and a session token', ['AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'AQoDYXdzEPT//////////wEXAMPLE', 'us-east-1', 's3', '[2001:db8::1]:8080', '/base', 'SendEvent', '1440938160000', '',
      'PUT', '/a b/%2F', 'a=%&b', 'host:example.amazonaws.com', 'user-agent:x', 'sec-fetch-mode:cors', 'x-amz-security-token:old', '', 'Param1=value1']),
    general('header value with a carriage return', ['AKID', 'secret', '', 'us-east-1', 'ivschat', 'user@host', '', '', '-1', '',
      'POST', '/', '', 'host:example.com', 'x-bad:a\rb', '', '{}']),
    general('time in seconds past the last date', ['AKID', 'secret', 'token', 'us-east-1', 'ivschat', 'localhost:4566', '/a/../b', 'CreateChatToken', '253402300800', 's',
      'POST', '/CreateChatToken', '', 'host:localhost:4566', '', '{}']),
  ]);
}

// JSON scanning: texts around every rule of the grammar and the table (escapes, surrogates,
// ill-formed bytes for the lossless reading, numbers at the limits of a double, depth, markers).
{
  const deep = (n) => '['.repeat(n) + ']'.repeat(n);
  const texts = [
    ['empty object', '{}'], ['empty array', '[]'], ['scalars', '[null,true,false,0,-0,1,-1]'],
    ['root string', '"text"'], ['root number', '-12.5e+3'], ['whitespace around', ' \t\r\n{ "a" : [ 1 , 2 ] }\n'],
    ['escapes', '{"e":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\\u007f\\u00e9\\u2028"}'],
    ['escaped key', '{"\\u006bey":"v","k\\"q":1}'],
    ['surrogate pair', '["\\ud83d\\ude00","\\uD83D\\uDE00x"]'],
    ['lone high surrogate', '{"a":"x\\ud800y"}'], ['lone low surrogate', '["\\udc00"]'],
    ['reversed pair', '["\\ude00\\ud83d"]'], ['high then high', '["\\ud800\\ud800\\udc00"]'],
    ['high then escape', '["\\ud800\\n"]'], ['lone surrogate key', '{"\\udbff":1}'],
    ['raw utf-8', '["é","😀","\u2028"]'],
    ['ill-formed bytes', Buffer.from('["\xff","\xc3\xa9\xc0\x80","\xed\xa0\x80","\xf4\x90\x80\x80"]', 'latin1')],
    ['ill-formed byte in key', Buffer.from('{"k\xfe":"v"}', 'latin1')],
    ['control character', '["a\tb"]'], ['unterminated string', '["abc'], ['bad escape', '["\\x"]'],
    ['short unicode escape', '["\\u12"]'], ['dbl max', '[1.7976931348623157e308]'],
    ['just over dbl max', '[1.7976931348623159e308]'], ['dbl max tie', '[1.7976931348623158e308]'],
    ['overflow', '[1e309,-1e309]'], ['underflow', '[4e-330,2.2250738585072014e-308,1e-400]'],
    ['big integers', '[9223372036854775807,-9223372036854775808,18446744073709551615,18446744073709551616,-9223372036854775809]'],
    ['exact numbers', '[60,60.0,6e1,600E-1,0.6e+2,9007199254740992,9007199254740993,9.007199254740993e15,60.5,1e-7,-0.0]'],
    ['bad numbers', '[01,1.,.5,-,1e,+1,0x10,NaN,Infinity]'], ['trailing comma', '[1,2,]'],
    ['trailing text', '{} x'], ['two documents', '{}{}'], ['comment', '[1/*x*/]'], ['empty text', ''],
    ['duplicate keys', '{"a":1,"a":2,"b":{"a":3}}'],
    ['depth 3 and 4', '{"a":{"b":{"c":{"d":[1,2,3]},"e":[[1]]}}}'], ['deep nesting', deep(200)],
    ['deep objects', '{"a":'.repeat(40) + '1' + '}'.repeat(40)],
    ['markers', '[{"$nonFinite":"NaN"},{"$nonFinite":"-Infinity"},{"$bigint":"12"},{"$oversizedString":5000},{"$oversizedArray":65},{"$oversizedObject":2049}]'],
    ['not markers', '[{"$nonFinite":"nan"},{"$oversizedString":-1},{"$bigint":"1","x":1},{"$bigint":1}]'],
    ['marker at depth 3', '{"a":{"b":{"$bigint":"1"},"c":[{"$nonFinite":"NaN"}]}}'],
    ['marker edges', '[{"$oversizedString":0},{"$oversizedString":-0},{"$oversizedArray":1e2},{"\\u0024bigint":""},{"$nonFinite":"NaN","$nonFinite":"NaN"}]'],
    ['request', '{"roomIdentifier":"arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456","userId":"u","capabilities":["SEND_MESSAGE"],"sessionDurationInMinutes":60,"attributes":{"k":"v"}}'],
    ['server frame', '{"Type":"MESSAGE","Id":"AbCdEf123456","RequestId":"r","Content":"hi","Attributes":{"a":"b"},"SendTime":"2022-12-02T08:21:20.754Z","Sender":{"UserId":"u","Attributes":{"x":"y"}}}'],
  ];
  write('json_scan', [], texts, [], texts.length);
}

// Control-plane requests: the call's character ('0' CreateChatToken, '1' SendEvent, '2'
// DeleteMessage, '3' DisconnectUser, '4' CreateRoom, '5' GetRoom, '6' ListRooms, '7' UpdateRoom,
// '8' DeleteRoom, '9' CreateLoggingConfiguration, ':' GetLoggingConfiguration, ';'
// ListLoggingConfigurations, '<' UpdateLoggingConfiguration, '=' DeleteLoggingConfiguration: the
// target reads (first byte - '0') mod 14), then the request JSON text (for calls 1-3 also read
// as the call's answer).
{
  const calls = { CreateChatToken: '0', SendEvent: '1', DeleteMessage: '2', DisconnectUser: '3',
    CreateRoom: '4', GetRoom: '5', ListRooms: '6', UpdateRoom: '7', DeleteRoom: '8',
    CreateLoggingConfiguration: '9', GetLoggingConfiguration: ':', ListLoggingConfigurations: ';',
    UpdateLoggingConfiguration: '<', DeleteLoggingConfiguration: '=' };
  const room = 'arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456';
  const cases = [...fixture('moderation-requests.json').cases, ...fixture('room-requests.json').cases,
    ...fixture('logging-configuration-requests.json').cases];
  const token = fixture('create-chat-token-validation.json').cases;
  const tokenWanted = ['every member', 'null members count as absent', 'sessionDurationInMinutes fractional',
    'attribute value with a lone surrogate', 'every problem at once'];
  write('control_plane_requests', cases.map((c) => [c.name, calls[c.operation] + JSON.stringify(expand(c.input))]),
    [...token.filter((c) => tokenWanted.includes(c.name)).map((c) => [`create chat token: ${c.name}`, '0' + (c.inputJson ?? JSON.stringify(expand(c.input)))]),
      ['send event: attributes with a repeated name', `1{"roomIdentifier":"${room}","eventName":"e","attributes":{"a":"1","a":2}}`],
      ['send event: escapes in the body', `1{"roomIdentifier":"${room}","eventName":"a\\"b\\\\c\\u0001\\u007f\\u2028","attributes":{"k\\n":"v\\t\\u001f","\\ud83d\\ude00":""}}`],
      ['send event: lone surrogate in the event name', `1{"roomIdentifier":"${room}","eventName":"x\\ud800"}`],
      ['send event: attribute an oversized-string marker', `1{"roomIdentifier":"${room}","eventName":"e","attributes":{"a":{"$oversizedString":3}}}`],
      ['send event: attributes shaped as a marker', `1{"roomIdentifier":"${room}","eventName":"e","attributes":{"$bigint":"1"}}`],
      ['delete message: id a bigint marker', `2{"roomIdentifier":"${room}","id":{"$bigint":"123456789012"}}`],
      ['delete message: repeated reason, the last one valid', `2{"roomIdentifier":"${room}","id":"AbCdEf123456","reason":"\\udc00","reason":"ok"}`],
      ['delete message: non-ASCII id of 12 characters', `2{"roomIdentifier":"${room}","id":"AbCdEf12345\u00e9"}`],
      ['disconnect user: reason a NaN marker', `3{"roomIdentifier":"${room}","userId":"u","reason":{"$nonFinite":"NaN"}}`],
      ['disconnect user: raw invalid utf-8', Buffer.from(`3{"roomIdentifier":"${room}","userId":"a\xff\xfeb"}`, 'latin1')],
      ['disconnect user: a long unknown member name', `3{"roomIdentifier":"${room}","userId":"u","${'n'.repeat(300)}":1}`],
      ['answer: send event id', '1{"id":"AbCdEf123456"}'],
      ['answer: delete message id with a dash', '2{"id":"AbCdEf-23456","id":"AbCdEf123456"}'],
      ['answer: disconnect user empty object', '3{}'],
      ['not json', '1{"roomIdentifier":'],
      ['create logging configuration: odd member names in the destination', '9{"destinationConfiguration":{"s3":{"bucketName":"abc","a b":null},"x\\"y":null,"firehose":null}}'],
      ['update logging configuration: a misspelt destination', `<{"identifier":"${room.replace('room/', 'logging-configuration/')}","destinationconfiguration":{"s3":{"bucketName":"abc"}},"destinationConfiguration":{}}`],
      // At the limits, for the fuzzer to step over them.
      ['send event: attributes of exactly 1024 bytes', `1{"roomIdentifier":"${room}","eventName":"e","attributes":{"k":"${'v'.repeat(1019)}","ab":"\u00e9"}}`],
      ['delete message: reason of 256 characters', `2{"roomIdentifier":"${room}","id":"AbCdEf123456","reason":"${'r'.repeat(256)}"}`],
      ['disconnect user: user id of 128 characters', `3{"roomIdentifier":"${room}","userId":"${'\u00e9'.repeat(128)}"}`],
    ],
    ['send event: event name of 101 characters', 'send event: attributes over 1 KB', 'delete message: reason of 257 characters',
      'disconnect user: every problem at once', 'disconnect user: user id of 129 characters',
      'create logging configuration: every member, sorted', 'create logging configuration: destinationConfiguration sets two',
      'create logging configuration: an unknown member of the destination', 'update logging configuration: every problem at once',
      'list logging configurations: both members, sorted', 'delete logging configuration: an identifier',
      'create logging configuration: bucketName of 64 characters', 'create logging configuration: logGroupName of 513 characters',
      'create logging configuration: deliveryStreamName of 65 characters', 'get logging configuration: identifier of 129 characters'], 80);
}

// Message review: '0' then IVS's review event, or '1' then an app's decision (the target takes
// the first byte mod 2).
{
  const room = 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456';
  const event = (fields) => '0' + JSON.stringify({ Content: 'hi', MessageId: 'AbCdEf123456', RoomArn: room, Attributes: { a: 'b' },
    Sender: { UserId: 'u', Ip: '127.0.0.1', Attributes: { name: 'Ann' } }, ...fields });
  const decision = (value) => '1' + JSON.stringify(value);
  write('message_review', [], [
    ['event: as IVS sends it', event({})],
    ['event: content only', '0{"Content":"hi"}'],
    ['event: nulls count as absent', '0{"Content":"","MessageId":null,"RoomArn":null,"Attributes":null,"Sender":null}'],
    ['event: extra members ignored', event({ Extra: 1, Other: [1, { a: 2 }] })],
    ['event: no content', '0{"MessageId":"AbCdEf123456"}'],
    ['event: content a number', event({ Content: 5 })],
    ['event: attribute a number', event({ Attributes: { a: 1 } })],
    ['event: attributes with a repeated name', '0{"Content":"c","Attributes":{"a":"1","a":2}}'],
    ['event: sender a string', event({ Sender: 'u' })],
    ['event: sender attribute an object', event({ Sender: { UserId: 'u', Attributes: { a: { b: 'c' } } } })],
    ['event: sender ip a number', event({ Sender: { Ip: 1 } })],
    ['event: repeated content, the last null', '0{"Content":"c","Content":null}'],
    ['event: escapes and astral text', '0{"Content":"a\\"b\\u0000\\ud83d\\ude00","Attributes":{"k\\n":"\\u2028"}}'],
    ['event: not an object', '0["Content"]'],
    ['decision: allow', decision({ allow: true, content: 'hello', attributes: { z: '1', a: '2' } })],
    ['decision: deny with a reason', decision({ allow: false, content: 'bad', reason: 'rude', attributes: { a: '1', b: '2' } })],
    ['decision: deny, reason only', decision({ allow: false, content: 'c', reason: 'r' })],
    ['decision: allow with a reason', decision({ allow: true, content: 'c', reason: 'kept in the log only' })],
    ['decision: attributes with a Reason and a reason', decision({ allow: false, content: 'c', reason: 'r', attributes: { Reason: 'x' } })],
    ['decision: reason pushes the attributes over 1 KB', decision({ allow: false, content: 'c', reason: 'r'.repeat(200), attributes: { k: 'v'.repeat(820) } })],
    ['decision: reason of 256 astral characters', decision({ allow: false, content: 'c', reason: '\u{1F600}'.repeat(256) })],
    ['decision: content of 501 characters', decision({ allow: true, content: 'x'.repeat(501) })],
    ['decision: allow a string', decision({ allow: 'yes', content: 'c' })],
    ['decision: unknown member', decision({ allow: true, content: 'c', ReviewResult: 'ALLOW' })],
    ['decision: nulls', decision({ allow: true, content: 'c', attributes: null, reason: null })],
    ['decision: escapes', '1{"allow":false,"content":"a\\"b\\\\c\\u0001\\u007f","reason":"\\n","attributes":{"k\\t":"v\\u001f","\\ud83d\\ude00":""}}'],
    ['decision: lone surrogate in content', '1{"allow":true,"content":"x\\ud800"}'],
    ['decision: content a NaN marker', '1{"allow":true,"content":{"$nonFinite":"NaN"}}'],
    ['decision: attribute an oversized-string marker', '1{"allow":true,"content":"c","attributes":{"a":{"$oversizedString":3}}}'],
    ['decision: attributes with a repeated name', '1{"allow":false,"content":"c","reason":"r","attributes":{"a":"1","a":"2"}}'],
    ['decision: not an object', '1[true,"c"]'],
    ['decision: not json', '1{"allow":tru'],
    // At the limits, for the fuzzer to step over them.
    ['decision: content of 500 characters', decision({ allow: true, content: '\u00e9'.repeat(500) })],
    ['decision: attributes of exactly 1024 bytes', decision({ allow: true, content: 'c', attributes: { k: 'v'.repeat(1019), ab: '\u00e9' } })],
    ['decision: deny, attributes and reason of exactly 1024 bytes', decision({ allow: false, content: 'c', reason: 'r'.repeat(256), attributes: { k: 'v'.repeat(761) } })],
    ['decision: reason of 256 characters', decision({ allow: true, content: 'c', reason: 'r'.repeat(256) })],
  ], [], 40);
}

// The value table: what js/value-table.js writes of the fixtures' requests (with a requestId,
// as ChatRoom sends them) and of their JSON texts (frames, token answers), as js/boundary-io.js
// lays it out in the I/O area.
{
  const { requestTable, jsonTable } = await import('../js/value-table.js');
  const { writeTable } = await import('../js/boundary-io.js');
  const bytesOf = (table) => {
    const area = new ArrayBuffer(1 << 20);
    const written = writeTable({ HEAPU8: new Uint8Array(area), HEAP32: new Int32Array(area) }, 0, table);
    return Buffer.from(area, 0, written);
  };
  const request = (value, requestId) => {
    const result = requestTable(value, requestId);
    return result.ok ? [bytesOf(result.table)] : [];
  };
  const tokenCases = fixture('create-chat-token-validation.json').cases;
  const frameCases = fixture('chat-frames-parse.json').cases;
  const buildCases = fixture('chat-frames-build.json').cases;
  write('value_table', [
    ...tokenCases.flatMap((c) => request(c.inputJson === undefined ? expand(c.input) : JSON.parse(c.inputJson)).map((data) => [`token: ${c.name}`, data])),
    ...buildCases.filter((c) => c.input !== undefined).flatMap((c) => request(expand(c.input), 'req-1').map((data) => [`action: ${c.name}`, data])),
    ...frameCases.map((c) => [`frame: ${c.name}`, bytesOf(jsonTable(c.text ?? JSON.stringify(expand(c.frame))))]),
  ], [
    ['values JSON cannot carry', request({ n: Number.NaN, i: -Infinity, b: 10n, s: 'x'.repeat(5000), a: new Array(65).fill(0), deep: { a: { b: { c: [1] } } } })[0]],
    ['a lone surrogate', request({ userId: 'a\ud800' })[0]],
    ['numbers at the 64-bit edges', bytesOf(jsonTable('[18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809,1e+21,-0.5]'))],
  ], [], 40);
}
