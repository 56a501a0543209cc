// scripts/setup.sh and scripts/build.sh, run on a copy of the scripts with stand-ins for apt,
// dpkg-query, npm, cmake, emcmake and esbuild that only record their calls (so: seconds, no
// compiler): `--runtime` (npm start) builds build/wasm and nothing native; a first run says
// so up front and names each long step with its time; npm ci runs while the core compiles; a
// second run is quiet; plain setup.sh (npm test) builds every directory; a failing step shows
// its output's last lines.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const made = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Stand-ins: each appends its arguments to calls.log; cmake makes what the build dirs hold. */
const STUBS = {
  'dpkg-query': `#!/usr/bin/env bash
echo "dpkg-query $*" >> "$CALLS"
shift 2 # -W -f=…
# As the real one: a package it has never seen is reported on stderr, and then it exits 1.
status=0
for pkg in "$@"; do
  if [[ " $MISSING_PACKAGES " == *" $pkg "* ]]; then
    echo "dpkg-query: no packages found matching $pkg" >&2; status=1
  else
    echo "$pkg install ok installed"
  fi
done
exit $status
`,
  'apt-get': `#!/usr/bin/env bash
echo "apt-get $*" >> "$CALLS"
`,
  npm: `#!/usr/bin/env bash
echo "npm $*" >> "$CALLS"
sleep "\${NPM_SECONDS:-0}"
mkdir -p node_modules/.bin && touch node_modules/.package-lock.json
cp "$ESBUILD_STUB" node_modules/.bin/esbuild
echo "npm done" >> "$CALLS"
`,
  emcmake: `#!/usr/bin/env bash
echo "emcmake $*" >> "$CALLS"
"$@"
`,
  cmake: `#!/usr/bin/env bash
echo "cmake $*" >> "$CALLS"
if [[ $1 == --build ]]; then
  [[ -n "$FAIL_BUILD" && $2 == "$FAIL_BUILD" ]] && { echo "[ 50%] Building CXX object x.o"; echo "error: the stand-in compiler failed" >&2; exit 3; }
  echo "[100%] Built target x"
  if [[ $2 == build/wasm ]]; then
    mkdir -p build/wasm/generated
    node boundary/generate.js --list-modules | while read -r m f _; do
      echo "$m" > "build/wasm/$f.mjs"; echo "$m" > "build/wasm/$f.wasm"
      echo "$m" > "build/wasm/generated/$f-calls.js"
    done
  fi
  exit 0
fi
while (($#)); do [[ $1 == -B ]] && { mkdir -p "$2"; touch "$2/CMakeCache.txt"; }; shift; done
`,
};

const ESBUILD = `#!/usr/bin/env bash
echo "esbuild $*" >> "$CALLS"
for arg in "$@"; do [[ $arg == --outfile=* ]] && echo "bundle" > "\${arg#--outfile=}"; done
exit 0
`;

/** A copy of the scripts in a fresh folder (no build/, no dist/), with the stand-ins on PATH. */
function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'ivschat-setup-'));
  made.push(dir);
  const root = join(dir, 'repo');
  const bin = join(dir, 'bin');
  mkdirSync(join(root, 'scripts'), { recursive: true });
  mkdirSync(join(root, 'src/bindings'), { recursive: true });
  mkdirSync(join(root, 'boundary'));
  mkdirSync(bin);
  for (const script of ['setup.sh', 'build.sh', 'steps.sh']) copyFileSync(join(repo, 'scripts', script), join(root, 'scripts', script));
  copyFileSync(join(repo, 'src/bindings/emscripten-factory.d.mts'), join(root, 'src/bindings/emscripten-factory.d.mts'));
  // build.sh asks the boundary's declaration which modules to copy into dist/.
  for (const file of ['calls.js', 'generate.js']) copyFileSync(join(repo, 'boundary', file), join(root, 'boundary', file));
  writeFileSync(join(root, 'package-lock.json'), '{}');
  for (const [name, text] of Object.entries(STUBS)) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  writeFileSync(join(dir, 'esbuild'), ESBUILD);
  chmodSync(join(dir, 'esbuild'), 0o755);
  return { root, bin, calls: join(dir, 'calls.log'), esbuild: join(dir, 'esbuild') };
}

/** Runs a script of the sandbox with the stand-ins first on PATH. */
function run(box, args, env = {}) {
  const result = spawnSync('bash', args, {
    cwd: box.root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${box.bin}:${process.env.PATH}`, CALLS: box.calls, ESBUILD_STUB: box.esbuild, ...env },
  });
  return { ...result, calls: existsSync(box.calls) ? readFileSync(box.calls, 'utf8') : '' };
}

/** node_modules as npm ci leaves it (with esbuild's stand-in). */
function withEsbuild(box) {
  mkdirSync(join(box.root, 'node_modules/.bin'), { recursive: true });
  copyFileSync(box.esbuild, join(box.root, 'node_modules/.bin/esbuild'));
  chmodSync(join(box.root, 'node_modules/.bin/esbuild'), 0o755);
  writeFileSync(join(box.root, 'node_modules/.package-lock.json'), '{}');
}

test('setup.sh --runtime (npm start): a first run says what it does and times each step; only the WebAssembly build, nothing native', () => {
  const box = sandbox();
  withEsbuild(box);
  const first = run(box, ['scripts/setup.sh', '--runtime'], { MISSING_PACKAGES: 'emscripten' });
  assert.equal(first.status, 0, first.stderr);
  const lines = first.stdout.trim().split('\n');
  assert.equal(lines[0], 'First run: installing Debian packages and compiling the C++ core to WebAssembly; this takes a few minutes.');
  for (const step of [
    'setup: update the Debian package lists (apt-get update)',
    'setup: install Debian packages: emscripten (apt-get install)',
    'build: configure the WebAssembly build (emcmake cmake, build/wasm)',
    'build: compile the C++ core to WebAssembly (build/wasm)',
  ]) {
    assert.ok(lines.includes(`${step} …`), `${step}: said as it starts\n${first.stdout}`);
    assert.ok(lines.some((line) => new RegExp(`^${step.replace(/[()+.]/g, '\\$&')} — done in \\d+\\.\\d s$`).test(line)), `${step}: its time\n${first.stdout}`);
  }
  assert.match(lines.at(-1), /^setup: ready in \d+\.\d s$/);
  // Only the packages the WebAssembly build needs are asked about, and only the missing one installed.
  assert.match(first.calls, /^dpkg-query -W -f=\S+ \S+ cmake make emscripten nlohmann-json3-dev$/m);
  assert.match(first.calls, /^apt-get install -y -qq --no-install-recommends emscripten$/m);
  assert.doesNotMatch(first.calls, /build\/native|build\/fuzz|g\+\+|libgtest/);
  assert.match(first.calls, /^cmake --build build\/wasm /m);
  assert.match(first.calls, /^esbuild js\/entry\/script-tag\.js /m);
  assert.equal(readFileSync(join(box.root, 'dist/ivschat-client.wasm'), 'utf8'), 'client\n');

  // Everything there: quiet (an incremental build that takes under 2 s says nothing).
  const second = run(box, ['scripts/setup.sh', '--runtime']);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(second.stdout, '');
  assert.doesNotMatch(second.calls.split('\n').slice(first.calls.split('\n').length - 1).join('\n'), /apt-get|npm|-S \./, 'no install, no configure');
});

test('setup.sh --runtime with no node_modules: npm ci is a named step, run while the C++ core compiles; esbuild after it', () => {
  const box = sandbox();
  const result = run(box, ['scripts/setup.sh', '--runtime'], { NPM_SECONDS: '1' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^First run: installing npm dependencies and compiling the C\+\+ core to WebAssembly; this takes a few minutes\.$/m);
  assert.match(result.stdout, /^setup: install npm dependencies \(npm ci\) … \(alongside what follows\)$/m);
  assert.match(result.stdout, /^setup: install npm dependencies \(npm ci\) — done in \d+\.\d s$/m);
  const calls = result.calls.trim().split('\n').map((line) => line.split(' ').slice(0, 3).join(' '));
  const at = (call) => calls.indexOf(call);
  assert.ok(at('npm ci --no-audit') >= 0, result.calls);
  assert.ok(at('npm ci --no-audit') < at('cmake --build build/wasm') && at('cmake --build build/wasm') < at('npm done'), `the wasm build runs during npm ci:\n${result.calls}`);
  assert.ok(at('npm done') < at('esbuild js/entry/script-tag.js --bundle'), `esbuild once npm ci is done:\n${result.calls}`);
});

test('setup.sh (npm test) builds everything: WebAssembly, native GoogleTest, sanitizers, fuzz targets', () => {
  const box = sandbox();
  withEsbuild(box);
  const result = run(box, ['scripts/setup.sh']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^First run: compiling the C\+\+ core \(WebAssembly, native, sanitizer and fuzz builds\); this takes a few minutes\.$/m);
  for (const dir of ['build/wasm', 'build/native', 'build/native-asan', 'build/fuzz']) {
    assert.match(result.calls, new RegExp(`^cmake --build ${dir} `, 'm'), dir);
    assert.match(result.stdout, new RegExp(`\\(${dir}\\) — done in \\d+\\.\\d s$`, 'm'), dir);
  }
  assert.match(result.calls, /^dpkg-query -W -f=\S+ \S+ cmake g\+\+ make emscripten nlohmann-json3-dev libgtest-dev chromium clang/m);
});

test('a failing step names itself, shows the last lines of its output and fails the setup', () => {
  const box = sandbox();
  withEsbuild(box);
  const result = run(box, ['scripts/setup.sh', '--runtime'], { FAIL_BUILD: 'build/wasm' });
  assert.equal(result.status, 3);
  assert.match(result.stderr, /^build: compile the C\+\+ core to WebAssembly \(build\/wasm\) failed \(exit 3\)\. The last lines of its output:$/m);
  assert.match(result.stderr, /error: the stand-in compiler failed/);
  assert.match(result.stderr, /^build: full output in \S+$/m);
  assert.doesNotMatch(result.stdout, /ready in/);
});
