// Child processes for the smoke tests: commands that must succeed, and servers that must say
// they are ready. Each child leads a process group of its own and is stopped by that group's id
// (npm, wrangler and next start children of their own), never by name. Every group still alive
// is known, so that the runner can stop them all when it is interrupted.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** Process group ids of the children not known to be gone yet. */
const liveGroups = new Set();

/** The last `max` characters of a process's output, for error messages. */
const tail = (text, max = 4000) => (text.length > max ? `…${text.slice(-max)}` : text);

/** Colour codes would split the words a `ready` pattern looks for. */
const withoutColours = (text) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv }} options
 */
function spawnGroup(command, args, { cwd, env = process.env }) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid !== undefined) {
    liveGroups.add(child.pid);
    // The group may outlive its leader (a grandchild holding the pipes): forgotten only once
    // the pipes close too, and SIGKILLed at that point in case something ignored them.
    child.on('close', () => {
      killGroup(child.pid, 'SIGKILL');
      liveGroups.delete(child.pid);
    });
  }
  return child;
}

/**
 * Runs a command to its end; rejects with its output when it fails or outlives `timeoutMs`.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} options
 * @returns {Promise<string>} stdout and stderr, interleaved
 */
export function run(command, args, { cwd, env = process.env, timeoutMs = 10 * 60_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawnGroup(command, args, { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk) => { output += withoutColours(String(chunk)); });
    child.stderr.on('data', (chunk) => { output += withoutColours(String(chunk)); });
    const timer = setTimeout(() => {
      killGroup(child.pid, 'SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} took over ${timeoutMs / 1000} s\n${tail(output)}`));
    }, timeoutMs);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}) in ${cwd}\n${tail(output)}`));
    });
  });
}

/**
 * A server that has said it is ready.
 * @typedef {{ match: RegExpMatchArray, output: () => string, stop: () => Promise<void> }} Started
 */

/**
 * Starts a server and waits until its output matches `ready`.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, ready: RegExp, timeoutMs?: number }} options
 * @returns {Promise<Started>}
 */
export function start(command, args, { cwd, env = process.env, ready, timeoutMs = 60_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawnGroup(command, args, { cwd, env });
    let output = '';
    let settled = false;
    let closed = false;
    const exited = new Promise((done) => child.on('close', () => { closed = true; done(); }));
    const stop = async () => {
      if (!closed) {
        killGroup(child.pid, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      killGroup(child.pid, 'SIGKILL'); // whatever of the group outlived its leader
    };
    const fail = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop().finally(() => reject(error));
    };
    const timer = setTimeout(() => fail(new Error(`${command} ${args.join(' ')}: not ready after ${timeoutMs / 1000} s\n${tail(output)}`)), timeoutMs);
    const onData = (chunk) => {
      output += withoutColours(String(chunk));
      const match = settled ? null : output.match(ready);
      if (match) {
        settled = true;
        clearTimeout(timer);
        resolve({ match, output: () => tail(output), stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', fail);
    child.on('close', (code, signal) => fail(new Error(`${command} ${args.join(' ')} ended before it was ready (${signal ?? `exit ${code}`})\n${tail(output)}`)));
  });
}

/** SIGKILLs every process group started here that may still be alive (on an interruption). */
export function killAll() {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  liveGroups.clear();
}

/** Signals the process group `pid` leads (our own child's); ignores a group already gone. */
function killGroup(pid, signal) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

/**
 * A TCP port free on 127.0.0.1 right now, for tools that want one named.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}
