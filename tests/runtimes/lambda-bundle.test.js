// A Node function bundled into one file as Lambda tools bundle it (CDK's NodejsFunction, SAM:
// esbuild --bundle --platform=node --target=node20, CommonJS or ESM, @aws-sdk/* external), run
// in a fresh process from a folder with no node_modules (a Lambda's /var/task): the review
// handler must find its module, ivschat-review.wasm, beside the bundle with no flag, or in
// $IVSCHAT_WASM_DIR, and say exactly what to do when it is in neither (issue 20); and it carries
// only that module (issue 19: message review is its own module).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { build } from 'esbuild';

import { repoRoot } from './helpers.js';

const run = promisify(execFile);
const EVENT = {
  Content: 'hello',
  MessageId: 'AbCdEf123456',
  RoomArn: 'arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456',
  Attributes: {},
  Sender: { Attributes: {}, UserId: 'alice', Ip: '192.0.2.1' },
};
const SOURCE = `
import { createMessageReviewHandler } from 'ivschat-wasm/backend';
export const handler = createMessageReviewHandler(({ content }) => ({ allow: true, content: content + '!' }));
`;
const INVOKE = `
const [file, eventText] = process.argv.slice(2);
const loaded = await import(file);
const handler = loaded.handler ?? loaded.default.handler;
console.log(JSON.stringify(await handler(JSON.parse(eventText))));
`;

let work;
const bundles = {};
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'ivschat-lambda-bundle-'));
  const app = join(work, 'app');
  await mkdir(join(app, 'node_modules'), { recursive: true });
  await writeFile(join(app, 'review.mjs'), SOURCE);
  await writeFile(join(work, 'invoke.mjs'), INVOKE);
  const { symlink } = await import('node:fs/promises');
  await symlink(repoRoot, join(app, 'node_modules', 'ivschat-wasm'), 'dir');
  for (const [format, file] of [['cjs', 'index.js'], ['esm', 'index.mjs']]) {
    // Deployed: the function's folder alone, no node_modules above it.
    const dir = join(work, 'task', format);
    await mkdir(dir, { recursive: true });
    await build({
      entryPoints: [join(app, 'review.mjs')], outfile: join(dir, file), bundle: true, platform: 'node', target: 'node20',
      format, external: ['@aws-sdk/*'], logLevel: 'silent',
    });
    bundles[format] = { dir, file: join(dir, file) };
  }
});
after(() => rm(work, { recursive: true, force: true }));

/** Invokes a bundle in a fresh process; the answer and what it wrote to stderr. */
async function invoke(bundle, env = {}) {
  const { stdout, stderr } = await run(process.execPath, [join(work, 'invoke.mjs'), bundle.file, JSON.stringify(EVENT)], {
    cwd: bundle.dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    timeout: 30_000,
  });
  return { answer: JSON.parse(stdout.trim().split('\n').at(-1)), stderr };
}

for (const format of ['cjs', 'esm']) {
  test(`${format} bundle: finds ivschat-review.wasm beside itself with no flag; without it, the error says where it looked and what to do`, async () => {
    const bundle = bundles[format];
    const missing = await invoke(bundle);
    assert.deepEqual(missing.answer, { Attributes: {}, Content: '', ReviewResult: 'DENY' });
    assert.match(missing.stderr, /Could not read ivschat-review\.wasm: no such file in any of the places looked in \(/);
    assert.ok(missing.stderr.includes(join(bundle.dir, 'ivschat-review.wasm')), missing.stderr);
    assert.match(missing.stderr, /Copy node_modules\/ivschat-wasm\/dist\/ivschat-review\.wasm beside the bundle/);
    assert.match(missing.stderr, /set IVSCHAT_WASM_DIR to the folder that holds it/);

    // $IVSCHAT_WASM_DIR: the one documented setting.
    const chosen = await invoke(bundle, { IVSCHAT_WASM_DIR: join(repoRoot, 'dist') });
    assert.deepEqual(chosen.answer, { Attributes: {}, Content: 'hello!', ReviewResult: 'ALLOW' });

    // What CDK's commandHooks.afterBundling (or the user) does: the file beside the bundle.
    await copyFile(join(repoRoot, 'dist', 'ivschat-review.wasm'), join(bundle.dir, 'ivschat-review.wasm'));
    try {
      const beside = await invoke(bundle);
      assert.deepEqual(beside.answer, { Attributes: {}, Content: 'hello!', ReviewResult: 'ALLOW' });
      assert.equal(beside.stderr, '');
    } finally {
      await rm(join(bundle.dir, 'ivschat-review.wasm'));
    }
  });

  test(`${format} bundle: the review handler carries the review module's glue and reader only, not the token backend's`, async () => {
    const text = await readFile(bundles[format].file, 'utf8');
    assert.match(text, /readReviewInput/);
    assert.match(text, /ivschat-review\.wasm/);
    // The backend's calls and its glue's factory are not in it (nor is its wasm looked for).
    assert.doesNotMatch(text, /signRequest|createIvsChatBackend/);
  });
}
