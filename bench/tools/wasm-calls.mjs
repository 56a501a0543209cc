// Calls one operation of a built module n times as the package does per call (a request written
// as its value table, js/value-table.js; the inputs written, the embind call, the result read
// through the generated reader), for counting instructions with
// callgrind (bench/tools/wasm-instructions.sh): node bench/tools/wasm-calls.mjs <dir> <op> <n>
// <dir> holds ivschat-client.{mjs,wasm} and ivschat-backend.{mjs,wasm} (dist/ or build/wasm/); the
// readers come from dist/ (they are the same for any build of the same boundary/calls.js).
import { readFileSync } from 'node:fs';

import { wrapBackendCore } from '../../dist/ivschat-backend-calls.js';
import { wrapClientCore } from '../../dist/ivschat-client-calls.js';
import { createCoreLoader } from '../../js/loader.js';
import { requestTable } from '../../js/value-table.js';

const [dir, op, nArg] = process.argv.slice(2);
const n = Number(nArg);
const module = op === 'sign' ? 'backend' : 'client';
const { default: factory } = await import(`${dir}/ivschat-${module}.mjs`);
const loader = createCoreLoader({ factory, file: `ivschat-${module}.wasm`, wrap: module === 'backend' ? wrapBackendCore : wrapClientCore });
const core = /** @type {any} */ (await loader.init({ wasm: readFileSync(`${dir}/ivschat-${module}.wasm`) }));
const frame = '{"Type":"MESSAGE","Id":"AbCdEfGh1234","RequestId":"d3b07384-d9a7-4f0e-9d55-5f5b1a2c3e4f","Attributes":{"lang":"en"},"Content":"hello everyone, this is message number 42 in the benchmark stream","SendTime":"2025-01-15T12:30:45.123456789Z","Sender":{"UserId":"alice-42","Attributes":{"displayName":"Alice","color":"#ff0000"}}}';
const tokenRequest = { roomIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:room/Room00000001', userId: 'Zoë-2', capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'], sessionDurationInMinutes: 32, attributes: { displayName: 'José María', color: '#00aa00', avatar: 'https://cdn.example.com/a/2.png' } };
const sendRequest = { content: 'hello everyone, this is a message', attributes: { lang: 'en' } };
/** @param {unknown} value @param {string} [requestId] */
const tableOf = (value, requestId) => /** @type {any} */ (requestTable(value, requestId)).table;
const signing = { region: '', host: '', basePath: '', accessKeyId: 'AKIABENCHMARK0000001', secretAccessKey: 'benchmarkSecretAccessKey/0123456789abcdefg', sessionToken: '', epochMillis: 1736944245000 };
const ops = {
  frame: () => core.parseServerFrame({ frame }),
  send: () => core.buildActionFrame({ action: 'SEND_MESSAGE', request: tableOf(sendRequest, 'd3b07384-d9a7-4f0e-9d55-5f5b1a2c3e4f'), maxMessageLength: 500 }),
  validate: () => core.validateCreateChatTokenRequest({ request: tableOf(tokenRequest) }),
  sign: () => core.signRequest({ call: 'CreateChatToken', request: tableOf(tokenRequest), ...signing }),
};
let sink;
for (let i = 0; i < n; i++) sink = ops[op]();
if (!sink?.ok) throw new Error(`${op} failed: ${JSON.stringify(sink)}`);
