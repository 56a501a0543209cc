// The package as a user gets it: `npm pack` of the repository once, installed from that tarball
// into each example's own node_modules (never the root's), leaving the example's package.json and
// package-lock.json as committed.
//
// The committed lock files describe the install a user gets once ivschat-wasm is on the npm
// registry: every dependency pinned with its integrity, and ivschat-wasm itself at the
// repository's version, with its registry URL and no integrity (the tarball of a release is not
// known before it is packed). Here the tarball replaces it: `npm install --no-save <tarball>`
// installs the locked tree with this build of the package and writes nothing back.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

import { run } from './proc.js';

const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
const STAMP = '.ivschat-examples-stamp';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/**
 * Packs the repository into `destination`.
 * @returns {Promise<{ tarball: string, version: string, sha: string }>}
 */
export async function pack(root, destination) {
  const output = await run('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', destination], { cwd: root });
  const [packed] = JSON.parse(output.slice(output.indexOf('[')));
  const tarball = join(destination, packed.filename);
  return { tarball, version: packed.version, sha: sha256(await readFile(tarball)) };
}

/** The ivschat-wasm entry a committed lock must have, for the repository's version. */
function registryEntry(version) {
  return `https://registry.npmjs.org/ivschat-wasm/-/ivschat-wasm-${version}.tgz`;
}

/**
 * Installs the example's locked dependencies and the packed ivschat-wasm into its node_modules.
 * Skipped when node_modules already holds exactly that (same package.json, lock and tarball).
 * @returns {Promise<'installed' | 'up to date'>}
 */
export async function install(dir, packed, env) {
  const packageText = await readFile(join(dir, 'package.json'), 'utf8');
  const lockFile = join(dir, 'package-lock.json');
  if (!existsSync(lockFile)) throw new Error(`${relative(process.cwd(), dir)} has no package-lock.json: run \`node examples/run.js --update-locks ${dir.split('/').pop()}\``);
  const lockText = await readFile(lockFile, 'utf8');
  const entry = JSON.parse(lockText).packages?.['node_modules/ivschat-wasm'];
  if (entry?.version !== packed.version || entry.resolved !== registryEntry(packed.version)) {
    throw new Error(`${relative(process.cwd(), lockFile)} locks ivschat-wasm ${entry?.version ?? '(none)'}, not ${packed.version} from the registry: run \`node examples/run.js --update-locks\``);
  }
  const stampFile = join(dir, 'node_modules', STAMP);
  const stamp = sha256(`${packageText}\0${lockText}\0${packed.sha}`);
  if (existsSync(stampFile) && (await readFile(stampFile, 'utf8')) === stamp) return 'up to date';

  await run('npm', ['install', '--no-save', ...NPM_FLAGS, packed.tarball], { cwd: dir, env });
  if ((await readFile(join(dir, 'package.json'), 'utf8')) !== packageText || (await readFile(lockFile, 'utf8')) !== lockText) {
    throw new Error(`npm install --no-save changed ${relative(process.cwd(), dir)}/package.json or package-lock.json`);
  }
  const installed = JSON.parse(await readFile(join(dir, 'node_modules', 'ivschat-wasm', 'package.json'), 'utf8'));
  if (installed.version !== packed.version) throw new Error(`node_modules/ivschat-wasm is ${installed.version}, not the packed ${packed.version}`);
  await writeFile(stampFile, stamp);
  return 'installed';
}

/**
 * Writes the example's package-lock.json for the packed version: npm resolves the dependencies
 * (keeping what the lock already pins), then the ivschat-wasm entry is put in its registry form.
 * Delete a lock first to re-resolve every dependency.
 */
export async function updateLock(dir, packed, env) {
  const packageFile = join(dir, 'package.json');
  const packageText = await readFile(packageFile, 'utf8');
  try {
    await run('npm', ['install', '--package-lock-only', ...NPM_FLAGS, packed.tarball], { cwd: dir, env });
  } finally {
    await writeFile(packageFile, packageText); // npm wrote the tarball's path as the dependency
  }
  const lockFile = join(dir, 'package-lock.json');
  const lock = JSON.parse(await readFile(lockFile, 'utf8'));
  const spec = JSON.parse(packageText).dependencies?.['ivschat-wasm'];
  lock.packages[''].dependencies['ivschat-wasm'] = spec;
  const entry = lock.packages['node_modules/ivschat-wasm'];
  entry.resolved = registryEntry(packed.version);
  delete entry.integrity;
  await writeFile(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
}

/**
 * Every bare import in the example's sources is one of its own dependencies: otherwise Node and
 * the bundlers would quietly find it in the repository's node_modules, and a copy of the example
 * would not install it.
 */
export async function checkImports(dir) {
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
  const problems = [];
  for (const file of await sources(dir)) {
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (!specifier || /^(\.|\/|node:|npm:|jsr:|bun:|https?:)/.test(specifier)) continue;
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      if (!declared.has(name)) problems.push(`${relative(dir, file)} imports ${specifier}, not a dependency in package.json`);
    }
  }
  if (problems.length) throw new Error(problems.join('\n'));
}

const SKIP = new Set(['node_modules', 'dist', '.next', '.wrangler', 'vendor']);

async function sources(dir) {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await sources(path)));
    else if (/\.(c|m)?jsx?$|\.tsx?$/.test(entry.name)) files.push(path);
  }
  return files;
}
