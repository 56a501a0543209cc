// Writes the seed corpus fuzz/corpus/<target>/ from the shared test fixtures (tests/fixtures), in
// each target's input format (see the comment at the top of fuzz/<target>.cpp). Run it again
// when the fixtures change: node fuzz/make-seeds.mjs. Only small, varied cases are taken: the
// fuzzer finds the long ones itself, and a small corpus keeps the short CI runs effective.
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
function write(target, seeds, extra = [], wanted = []) {
  extra = [...extra, ...seeds.filter(([name, data]) => wanted.includes(name) && Buffer.byteLength(data) <= MAX_WANTED_BYTES)];
  seeds = seeds.filter(([name]) => !wanted.includes(name));
  const dir = join(root, 'fuzz/corpus', target);
  mkdirSync(dir, { recursive: true });
  // Regression inputs (regression-*) and merged finds (named by their SHA-1) are kept.
  for (const file of readdirSync(dir)) {
    if (!/^regression-|^[0-9a-f]{40}$/.test(file)) rmSync(join(dir, file));
  }
  const small = seeds.filter(([, data]) => Buffer.byteLength(data) <= MAX_SEED_BYTES);
  const step = Math.max(1, small.length / (MAX_SEEDS - extra.length));
  const chosen = [];
  for (let i = 0; i < small.length && chosen.length < MAX_SEEDS - extra.length; i += step) chosen.push(small[Math.floor(i)]);
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
     ['non-finite duration from the JS shim', '{"roomIdentifier":"arn:aws:ivschat:us-east-1:1:room/a","userId":"a","sessionDurationInMinutes":{"$nonFinite":"NaN"}}']],
    ['every member', 'null members count as absent', 'roomIdentifier empty', 'sessionDurationInMinutes fractional',
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
  write('aws_error', errors.map((c) => [c.name, `${c.status}\n${c.header}\n${c.body}`]));
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

// Server frames: the frame text.
{
  const { cases } = fixture('chat-frames-parse.json');
  write('server_frame', cases.map((c) => [c.name, c.text ?? JSON.stringify(expand(c.frame))]), [],
    ['message: as IVS writes it (real frame text)', 'event: delete with MessageId and Reason',
     'event: disconnect with UserId and Reason', 'error: every field', 'message: 500 astral characters']);
}

// Action frames: request id line, maxMessageLength line, request JSON text.
{
  const { cases } = fixture('chat-frames-build.json');
  // A request id holding '\n' cannot be written in this format.
  write('action_frames', cases.filter((c) => !String(c.requestId ?? '').includes('\n')).map((c) => {
    const requestId = expand(c.requestId ?? 'req-1');
    const limit = c.maxMessageLength === undefined ? '' : String(c.maxMessageLength);
    const request = c.inputText ?? JSON.stringify(expand(c.input));
    return [c.name, `${requestId}\n${limit}\n${request}`];
  }), [['limit nan', 'req-1\nnan\n{"content":"hi"}'], ['limit infinity', 'req-1\ninf\n{"content":"hi","attributes":{"a":"b"}}']],
  ['send: attributes are written in sorted key order', 'delete: id and reason', 'disconnect: user id and reason',
   'send: attributes of 1025 bytes', 'send: 501 astral characters', 'delete: reason of 257 characters']);
}

// SigV4: credentials, region, service, endpoint, time, flags, method, path, query, headers, body.
{
  const { vectors } = fixture('sigv4-create-chat-token.json');
  const body = (v) => v.expected?.body ?? JSON.stringify(v.request);
  const seeds = vectors.map((v) => [v.name, [
    v.credentials.accessKeyId, v.credentials.secretAccessKey, v.credentials.sessionToken ?? '',
    v.region, 'ivschat', v.endpoint, String(v.epochMillis), 'n',
    'POST', '/CreateChatToken', '', 'content-type:application/json',
    `host:ivschat.${v.region}.amazonaws.com`, '', body(v)].join('\n')]);
  const general = (name, lines) => [name, lines.join('\n')];
  write('sigv4', seeds, [
    // From the aws-sig-v4 test suite's shapes: query, repeated and folded headers, dot segments.
    general('get with query and repeated headers', ['AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '', 'us-east-1', 'service', '', '1440938160000', 'n',
      'GET', '/example/../a/./b//c', 'Param2=value2&Param1=value1&Param1=value0', 'Host:example.amazonaws.com', 'My-Header1:value4', 'My-Header1:  value1  b   c ', 'X-Amz-Date:20150830T123600Z', '', '']),
    general('signed body and omitted token', ['AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'AQoDYXdzEPT//////////wEXAMPLE', 'us-east-1', 's3', 'http://[2001:db8::1]:8080/base', '1440938160000', 'bo',
      'PUT', '/a b/%2F', 'a=%&b', 'host:example.amazonaws.com', 'user-agent:x', 'sec-fetch-mode:cors', '', 'Param1=value1']),
    general('header value with a carriage return', ['AKID', 'secret', '', 'us-east-1', 'ivschat', 'https://user@host', '-1', '',
      'POST', '/', '', 'host:example.com', 'x-bad:a\rb', '', '{}']),
  ]);
}
