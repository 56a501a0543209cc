// Calls one binding of a built module n times, for counting instructions with callgrind
// (bench/tools/wasm-instructions.sh): node bench/tools/wasm-calls.mjs <dir with ivschat-core.mjs> <op> <n>
import { readFileSync } from 'node:fs';
const [dir, op, nArg] = process.argv.slice(2);
const n = Number(nArg);
const { default: factory } = await import(`${dir}/ivschat-core.mjs`);
const bytes = readFileSync(`${dir}/ivschat-core.wasm`);
const core = await factory({ locateFile: (p) => p, instantiateWasm(imports, receive) { WebAssembly.instantiate(bytes, imports).then((r) => receive(r.instance, r.module)); return {}; } });
const frame = '{"Type":"MESSAGE","Id":"AbCdEfGh1234","RequestId":"d3b07384-d9a7-4f0e-9d55-5f5b1a2c3e4f","Attributes":{"lang":"en"},"Content":"hello everyone, this is message number 42 in the benchmark stream","SendTime":"2025-01-15T12:30:45.123456789Z","Sender":{"UserId":"alice-42","Attributes":{"displayName":"Alice","color":"#ff0000"}}}';
const request = '{"roomIdentifier":"arn:aws:ivschat:us-east-1:123456789012:room/Room00000001","userId":"Zoë-2","capabilities":["SEND_MESSAGE","DELETE_MESSAGE"],"sessionDurationInMinutes":32,"attributes":{"displayName":"José María","color":"#00aa00","avatar":"https://cdn.example.com/a/2.png"}}';
const ops = {
  exc: () => core.buildValidationExceptionBody('[]'),
  frame: () => (core.parseServerFramePacked ? core.parseServerFramePacked(frame) : core.parseServerFrame(frame)),
  send: () => (core.buildSendMessageFramePacked ?? core.buildSendMessageFrame)('{"content":"hello everyone, this is a message","attributes":{"lang":"en"}}', 'd3b07384-d9a7-4f0e-9d55-5f5b1a2c3e4f', 500),
  sign: () => (core.signCreateChatTokenRequestPacked ?? core.signCreateChatTokenRequest)(request, '', '', 'AKIABENCHMARK0000001', 'benchmarkSecretAccessKey/0123456789abcdefg', '', 1736944245000),
  url: () => core.messagingUrlForRoom('arn:aws:ivschat:us-east-1:123456789012:room/Room00000001'),
};
let sink;
for (let i = 0; i < n; i++) sink = ops[op]();
if (!sink) throw new Error('no result');
