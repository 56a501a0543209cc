// The browser entries bundle with esbuild as a user would run it, with no flags: no error, no
// warning (esbuild's default IIFE output empties import.meta), and no node: built-in in them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

for (const [name, contents] of [
  ['ivschat-wasm (createChatToken + ChatRoom)', "import { ChatRoom, createChatToken } from 'ivschat-wasm'; console.log(ChatRoom, createChatToken);"],
  ['ivschat-wasm/backend', "import { createTokenHandler, sendEvent } from 'ivschat-wasm/backend'; console.log(createTokenHandler, sendEvent);"],
  ['ivschat-wasm/react (with React)', "import { useChatRoom } from 'ivschat-wasm/react'; console.log(useChatRoom);"],
]) {
  test(`esbuild --bundle --platform=browser of ${name}: no error, no warning, no node: built-in`, async () => {
    const result = await build({ stdin: { contents, resolveDir: root }, bundle: true, platform: 'browser', write: false, logLevel: 'silent' });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings.map((w) => w.text), []);
    const text = result.outputFiles[0].text;
    assert.doesNotMatch(text, /["']node:/);
    assert.doesNotMatch(text, /import\.meta/, 'import.meta stays out of IIFE output');
  });
}
