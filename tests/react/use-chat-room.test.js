// ivschat-wasm/react in Node, fast: the server render (no room, no socket, no warning), the
// checks made while rendering, the entry Node resolves, and the hook module importing nothing
// but `react` and the package's own modules. The hook's behaviour in a browser (StrictMode,
// connections, messages) is tests/browser/react.test.js.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';

import { ChatError, InvalidOptionError } from 'ivschat-wasm';
import { DEFAULT_MAX_EVENTS, DEFAULT_MAX_MESSAGES, useChatRoom } from 'ivschat-wasm/react';

const hookSource = new URL('../../js/react/use-chat-room.js', import.meta.url);

/** Renders a component calling useChatRoom(options) on the server; returns what it saw. */
function serverRender(options) {
  let seen;
  function Chat() {
    seen = useChatRoom(options);
    return h('p', null, `${seen.state}:${seen.messages.length}`);
  }
  return { html: renderToString(h(Chat)), seen };
}

test('server render: disconnected, empty, no room made, no token asked for, no warning', async () => {
  const logged = [];
  const { error, warn } = console;
  console.error = (...args) => logged.push(args.join(' '));
  console.warn = (...args) => logged.push(args.join(' '));
  let tokenCalls = 0;
  try {
    const { html, seen } = serverRender({ regionOrUrl: 'us-east-1', tokenProvider: () => { tokenCalls += 1; return { token: 't' }; } });
    assert.equal(html, '<p>disconnected:0</p>');
    assert.equal(seen.state, 'disconnected');
    assert.deepEqual([seen.messages, seen.events], [[], []]);
    assert.equal(seen.error, undefined);
    assert.equal(seen.disconnectReason, undefined);
    assert.equal(seen.room, undefined);
    for (const name of ['connect', 'disconnect', 'sendMessage', 'deleteMessage', 'disconnectUser']) assert.equal(typeof seen[name], 'function');
    // With no room, the calls reject as a disconnected ChatRoom's do.
    const refused = await seen.sendMessage({ content: 'x' }).catch((e) => e);
    assert.ok(refused instanceof ChatError, String(refused));
    assert.equal(refused.code, 'DISCONNECTED');
    assert.equal((await seen.connect().catch((e) => e)).code, 'DISCONNECTED');
    seen.disconnect(); // a no-op
  } finally {
    console.error = error;
    console.warn = warn;
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(tokenCalls, 0);
  assert.deepEqual(logged, []);
});

test('defaults, and the options checked while rendering', () => {
  assert.equal(DEFAULT_MAX_MESSAGES, 500);
  assert.equal(DEFAULT_MAX_EVENTS, 100);
  const base = { regionOrUrl: 'us-east-1', tokenProvider: () => ({ token: 't' }) };
  for (const [name, value] of [['maxMessages', -1], ['maxMessages', 1.5], ['maxMessages', '10'], ['maxEvents', Number.NaN], ['autoConnect', 'yes'], ['listeners', 5]]) {
    assert.throws(() => serverRender({ ...base, [name]: value }), (e) => e instanceof InvalidOptionError && e.option === name, `${name}: ${String(value)}`);
  }
  for (const value of [0, 1, Infinity]) serverRender({ ...base, maxMessages: value, maxEvents: value });
  assert.throws(() => serverRender(undefined), (e) => e instanceof InvalidOptionError && e.option === 'options');
});

test('ivschat-wasm/react is the hook module, which takes its wasm source as the main entry does', async () => {
  const { exports, typesVersions } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.deepEqual(Object.keys(exports['./react']), Object.keys(exports['.']), 'the same conditions, in the same order, as the main entry');
  assert.equal(exports['./react'].types, './types/react.d.ts');
  assert.deepEqual(typesVersions['*'].react, ['types/react.d.ts']);
  assert.match(import.meta.resolve('ivschat-wasm/react'), /\/js\/react\/use-chat-room\.js$/);
  assert.match(await readFile(new URL('../../js/client-core.js', import.meta.url), 'utf8'), /^import '#client-wasm-source';$/m, 'the loader the hook uses imports the source');
});

test('the hook module imports React only as `react`, and nothing else from outside the package', async () => {
  const source = await readFile(hookSource, 'utf8');
  const specifiers = [...source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gm), ...source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]/g), ...source.matchAll(/^\s*import\s+'([^']+)'/gm)].map((m) => m[1]);
  assert.ok(specifiers.includes('react'));
  assert.deepEqual(specifiers.filter((s) => s !== 'react' && !s.startsWith('../')), [], 'only react and the package\'s own modules');
  assert.doesNotMatch(source, /require\s*\(/);
});
