// sign: CreateChatToken (and SendEvent) requests validated, built and signed per second, on the same requests.
//   ours (public)   await signCreateChatTokenRequest(request, options): what an app calls
//   ours (core)     the handler's path: one synchronous call into the wasm core (validate, build, sign)
//   @smithy         SignatureV4.sign with @smithy/hash-node (the AWS SDK's signer in Node)
//   aws4fetch       AwsClient.sign (WebCrypto, returns a Request)
//   node:crypto     bench/sigv4-node-crypto.js, the native ceiling (no validation)
// Competitors get the body as JSON.stringify(request); only ours validates it.
import assert from 'node:assert/strict';

import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsClient } from 'aws4fetch';
import { init, signCreateChatTokenRequest } from 'ivschat-wasm/backend';

import { SIGNING_OPTIONS } from '../js/backend/sign.js';
import { readOptions } from '../js/option-table.js';
import { asyncOpsPerSecond, median, opsPerSecond } from './lib/measure.js';
import { CREDENTIALS, HOST, REGION, REQUESTS, SIGNING_DATE } from './lib/requests.js';
import { signWithNodeCrypto } from './sigv4-node-crypto.js';

const URL_STRING = `https://${HOST}/CreateChatToken`;

/** @param {{ quick: boolean }} options */
export async function run({ quick }) {
  const core = await init();
  const repeats = quick ? 3 : 7;
  const budget = { ms: quick ? 100 : 400 };
  // The handler's path: its signer and credentials, read once as createTokenHandler reads them.
  const { signer, credentials } = readOptions(SIGNING_OPTIONS, { credentials: CREDENTIALS, now: SIGNING_DATE }, { owner: 'bench', notAnObject: '' });
  const signWithCore = (/** @type {any} */ call, /** @type {unknown} */ request) => signer((inputs) => core.signRequest(inputs), call, request, credentials);
  const smithy = new SignatureV4({ credentials: CREDENTIALS, region: REGION, service: 'ivschat', sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
  const aws = new AwsClient({ ...CREDENTIALS, service: 'ivschat', region: REGION });
  const amzDate = SIGNING_DATE.toISOString().replace(/[:-]|\.\d{3}/g, '');
  const count = REQUESTS.length;
  // SendEvent requests of the same rooms, with the same attributes.
  const EVENTS = REQUESTS.map((request) => ({ roomIdentifier: request.roomIdentifier, eventName: 'app:DELETE_USER_MESSAGES', attributes: { userId: request.userId, ...request.attributes } }));
  assert.ok(EVENTS.every((event) => signWithCore('SendEvent', event).ok), 'every SendEvent request is valid');

  // The ceiling computes the same signature as ours for the same body (a check that it is real).
  const first = signWithCore('CreateChatToken', REQUESTS[1]);
  assert.ok(first.ok);
  const ceiling = signWithNodeCrypto({ host: HOST, body: first.request.body, region: REGION, date: SIGNING_DATE, credentials: CREDENTIALS });
  assert.equal(ceiling.authorization, first.request.headers.authorization, 'node:crypto SigV4 = the core');

  /** @type {Record<string, { label: string, measure: () => Promise<number> | number }>} */
  const contenders = {
    oursPublic: {
      label: 'ours: signCreateChatTokenRequest',
      measure: () => asyncOpsPerSecond((i) => signCreateChatTokenRequest(REQUESTS[i % count], { credentials: CREDENTIALS, now: SIGNING_DATE }), budget),
    },
    oursCore: {
      label: 'ours: core path (createTokenHandler)',
      measure: () => opsPerSecond((i) => signWithCore('CreateChatToken', REQUESTS[i % count]), budget),
    },
    smithy: {
      label: '@smithy/signature-v4 SignatureV4.sign',
      measure: () => asyncOpsPerSecond((i) => smithy.sign({
        method: 'POST', protocol: 'https:', hostname: HOST, path: '/CreateChatToken', query: {},
        headers: { host: HOST, 'content-type': 'application/json' }, body: JSON.stringify(REQUESTS[i % count]),
      }, { signingDate: SIGNING_DATE }), budget),
    },
    aws4fetch: {
      label: 'aws4fetch AwsClient.sign',
      measure: () => asyncOpsPerSecond((i) => aws.sign(URL_STRING, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(REQUESTS[i % count]), aws: { datetime: amzDate },
      }), budget),
    },
    oursSendEvent: {
      label: 'ours: SendEvent validated, built and signed (core path of sendEvent)',
      measure: () => opsPerSecond((i) => signWithCore('SendEvent', EVENTS[i % count]), budget),
    },
    smithySendEvent: {
      label: '@smithy/signature-v4 SignatureV4.sign, SendEvent',
      measure: () => asyncOpsPerSecond((i) => smithy.sign({
        method: 'POST', protocol: 'https:', hostname: HOST, path: '/SendEvent', query: {},
        headers: { host: HOST, 'content-type': 'application/json' }, body: JSON.stringify(EVENTS[i % count]),
      }, { signingDate: SIGNING_DATE }), budget),
    },
    nodeCrypto: {
      label: 'node:crypto SigV4 (ceiling)',
      measure: () => opsPerSecond((i) => signWithNodeCrypto({
        host: HOST, body: JSON.stringify(REQUESTS[i % count]), region: REGION, date: SIGNING_DATE, credentials: CREDENTIALS,
      }), budget),
    },
  };
  /** @type {Record<string, number[]>} */
  const runs = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  // Interleaved, so that load from elsewhere on the machine spreads over every contender.
  for (let r = 0; r < repeats; r++) {
    for (const [name, contender] of Object.entries(contenders)) runs[name].push(await contender.measure());
  }
  return {
    unit: 'requests/s',
    contenders: Object.fromEntries(Object.entries(contenders).map(([name, { label }]) => [name, { label, median: median(runs[name]), runs: runs[name] }])),
  };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(result));
}
