// The package as users get it: `npm pack`, installed from the tarball into an empty project,
// imported by name from ESM, CommonJS and TypeScript (every moduleResolution users have).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const tsc = join(root, 'node_modules', '.bin', 'tsc');

let work;
let app;
/** @type {string[]} */
let shipped;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'ivschat-pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
  const [packed] = JSON.parse(stdout);
  shipped = packed.files.map((/** @type {{ path: string }} */ f) => f.path);
  app = join(work, 'app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed.filename)], { cwd: app });
});
after(() => rm(work, { recursive: true, force: true }));

/** Every file an `exports` or `bin` entry names, under every condition. */
function entryFiles() {
  /** @type {string[]} */
  const files = [];
  const walk = (/** @type {unknown} */ target) => {
    if (typeof target === 'string') files.push(normalize(target));
    else if (target && typeof target === 'object') Object.values(target).forEach(walk);
  };
  walk(manifest.exports);
  walk(manifest.bin);
  return [...new Set(files)];
}

/**
 * Static specifiers a module file imports (import/export from, import(), new URL(…, import.meta.url)),
 * outside comments (JSDoc's import('…') types are not imports).
 */
function specifiersOf(/** @type {string} */ text) {
  const source = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bnew URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]));
}

test('the tarball holds what the entries import, and no sources, tests, fixtures or build folders', async () => {
  for (const file of ['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json', 'dist/ivschat-wasm.iife.js']) assert.ok(shipped.includes(file), `${file} is in the tarball`);
  for (const file of shipped) {
    assert.doesNotMatch(file, /^(src|tests|fuzz|bench|build|examples|web-demo|reliability|scripts|test-output|docs)\//, `${file} should not be shipped`);
    assert.doesNotMatch(file, /(\.test\.js|\.tgz|\.map)$/, `${file} should not be shipped`);
  }
  const allowedPackages = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  const seen = new Set();
  const queue = entryFiles();
  while (queue.length) {
    const file = /** @type {string} */ (queue.shift());
    if (seen.has(file)) continue;
    seen.add(file);
    assert.ok(shipped.includes(file), `${file} is imported by an entry, so it must be shipped`);
    if (!/\.(m?js)$/.test(file)) continue;
    for (const specifier of specifiersOf(await readFile(join(root, file), 'utf8'))) {
      if (specifier.startsWith('.')) {
        queue.push(normalize(join(dirname(file), specifier.replace(/[?#].*$/, ''))));
      } else if (specifier.startsWith('#')) {
        // The package's own imports map: every runtime's file.
        assert.ok(manifest.imports?.[specifier], `${file} imports ${specifier}, which package.json's imports must name`);
        queue.push(...Object.values(manifest.imports[specifier]).map((target) => normalize(/** @type {string} */ (target))));
      } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        assert.ok(allowedPackages.has(name), `${file} imports ${specifier}: ${name} must be a dependency or a peer dependency`);
      }
    }
  }
  assert.ok(seen.size > 20, `the walk followed the imports (${seen.size} files)`);
});

test('ESM: imports by name in an empty project; the wasm subpath resolves', async () => {
  assert.ok((await readdir(join(app, 'node_modules', 'ivschat-wasm', 'dist'))).includes('ivschat-client.wasm'));
  await writeFile(join(app, 'main.js'), `
    import { validateCreateChatTokenRequest, ChatTokenValidationError } from 'ivschat-wasm';
    import { createTokenHandler } from 'ivschat-wasm/backend';
    import { createRequire } from 'node:module';
    const report = await validateCreateChatTokenRequest({ roomIdentifier: 'arn:aws:ivschat:us-east-1:1:room/a', userId: '' });
    const wasmPath = createRequire(import.meta.url).resolve('ivschat-wasm/ivschat-client.wasm');
    console.log(JSON.stringify({ codes: report.errors.map((e) => e.code), errorClass: typeof ChatTokenValidationError, handler: typeof createTokenHandler, wasmPath }));
  `);
  const result = JSON.parse((await run('node', ['main.js'], { cwd: app })).stdout);
  assert.deepEqual(result.codes, ['TOO_SHORT']);
  assert.equal(result.errorClass, 'function');
  assert.equal(result.handler, 'function');
  assert.match(result.wasmPath, /node_modules\/ivschat-wasm\/dist\/ivschat-client\.wasm$/);
});

test('CommonJS: require() works where Node can require ES modules (20.19+, 22.12+); import() everywhere', async () => {
  await writeFile(join(app, 'main.cjs'), `
    (async () => {
      const viaImport = await import('ivschat-wasm');
      const viaRequire = process.features.require_module ? require('ivschat-wasm') : viaImport;
      const backend = process.features.require_module ? require('ivschat-wasm/backend') : await import('ivschat-wasm/backend');
      const report = await viaRequire.validateCreateChatTokenRequest({ roomIdentifier: 'arn:aws:ivschat:us-east-1:1:room/a', userId: 'u' });
      console.log(JSON.stringify({ valid: report.ok, same: viaRequire.ChatRoom === viaImport.ChatRoom, sign: typeof backend.signCreateChatTokenRequest, requireModule: Boolean(process.features.require_module) }));
    })().catch((error) => { console.error(error); process.exit(1); });
  `);
  const result = JSON.parse((await run('node', ['main.cjs'], { cwd: app })).stdout);
  assert.deepEqual(result, { valid: true, same: true, sign: 'function', requireModule: result.requireModule });
});

test("ws is an optional peer: not installed with the package; ivschat-wasm/local imports without it and says what to install when a server starts", async () => {
  assert.equal(manifest.dependencies?.ws, undefined);
  assert.equal(manifest.peerDependenciesMeta?.ws?.optional, true);
  assert.ok(!(await readdir(join(app, 'node_modules'))).includes('ws'), 'ws is not installed');
  await writeFile(join(app, 'local.mjs'), `
    import { startLocalIvsChat } from 'ivschat-wasm/local';
    startLocalIvsChat().then(
      (server) => server.close().then(() => console.log('started')),
      (error) => console.log(error.message),
    );
  `);
  const { stdout } = await run('node', ['local.mjs'], { cwd: app });
  assert.match(stdout, /needs the 'ws' package, which is not installed: run `npm install --save-dev ws`/);
});

/**
 * One tsc run per setting below, each its own test: one run takes ~8 s of CPU on this 2-core
 * machine (about as long in real time when it is quiet, 25 s or more when it is busy). The five
 * had shared one 120 s timeout, which a loaded machine went past; each now has 180 s, over 20x
 * its quiet time.
 */
const TSC_RUN_TIMEOUT_MS = 180_000;
const usage = `
  import { validateCreateChatTokenRequest, ChatRoom } from 'ivschat-wasm';
  import { createTokenHandler } from 'ivschat-wasm/backend';
  import { startLocalIvsChat } from 'ivschat-wasm/local';
  import wasm from 'ivschat-wasm/ivschat-client.wasm';
  export const checks = [validateCreateChatTokenRequest, ChatRoom, createTokenHandler, startLocalIvsChat, wasm];
`;
const misuse = `
  import { validateCreateChatTokenRequest } from 'ivschat-wasm';
  export const x: string = validateCreateChatTokenRequest;
`;
const settings = [
  { module: 'commonjs', moduleResolution: 'node10', file: 'usage.ts', type: 'commonjs' },
  { module: 'node16', moduleResolution: 'node16', file: 'usage.mts', type: 'module' },
  { module: 'nodenext', moduleResolution: 'nodenext', file: 'usage.ts', type: 'module' },
  // CommonJS on nodenext: TypeScript 5.8+ knows Node can require() ES modules (node16 says TS1479: see docs/tokens.md).
  { module: 'nodenext', moduleResolution: 'nodenext', file: 'usage.cts', type: 'commonjs' },
  { module: 'esnext', moduleResolution: 'bundler', file: 'usage.ts', type: 'module' },
];
for (const { module, moduleResolution, file, type } of settings) {
  test(`TypeScript finds the types under moduleResolution ${moduleResolution} (module ${module}, ${file}, ${type}); misuse is an error`, { timeout: TSC_RUN_TIMEOUT_MS }, async () => {
    const dir = join(work, `ts-${moduleResolution}-${type}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `ts-${moduleResolution}-${type}`, private: true, type }));
    await run('ln', ['-sfn', join(app, 'node_modules'), join(dir, 'node_modules')]);
    const extension = file.split('.').pop();
    await writeFile(join(dir, file), usage);
    await writeFile(join(dir, `misuse.${extension}`), misuse);
    const options = ['--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,dom', '--types', 'node', '--typeRoots', join(root, 'node_modules', '@types'), '--module', module, '--moduleResolution', moduleResolution];
    // One run for both files: the only error must be the misuse (so the usage resolved and typed).
    const output = await run(tsc, [...options, file, `misuse.${extension}`], { cwd: dir }).then(() => '', (error) => String(error.stdout));
    const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
    assert.equal(errors.length, 1, `${moduleResolution}: ${output}`);
    assert.match(errors[0], new RegExp(`^misuse\\.${extension}\\(\\d+,\\d+\\): error TS2322`), `${moduleResolution}: assigning a function to a string is caught`);
  });
}

test('npm pack refuses a tree whose dist/ files are not built (npm would leave them out silently)', async () => {
  const tree = join(work, 'unbuilt');
  await mkdir(join(tree, 'dist'), { recursive: true });
  await writeFile(join(tree, 'package.json'), JSON.stringify({ files: ['js/', 'dist/built.mjs', 'dist/missing.wasm'] }));
  await writeFile(join(tree, 'dist', 'built.mjs'), '');
  const refused = await run(process.execPath, [join(root, 'scripts', 'check-pack.js'), tree]).then(() => undefined, (error) => error);
  assert.ok(refused, 'it exits with an error');
  assert.match(refused.stderr, /dist\/missing\.wasm is not built\. Run `npm run build` first/);
  assert.doesNotMatch(refused.stderr, /built\.mjs/);
  assert.equal(manifest.scripts.prepack, 'node scripts/check-pack.js');
});
