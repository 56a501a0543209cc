// A bundle that imports one function keeps where its runtime gets the wasm from. The sources are
// side-effect imports (js/wasm-source/), and Rollup (Vite's production builds) and webpack drop
// what a side-effect-free module imports for its side effects when an app's import can skip that
// module (a re-export: when public.js imported the source, `import { ChatRoom } from
// 'ivschat-wasm'` lost it, and the page had no wasm). So each loader imports its own source.
// Bundled here with Rollup as an app's build does: tree-shaken, package.json's sideEffects
// honoured, each platform's conditions.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';

import { createAppFolder } from './helpers.js';

const CASES = [
  ["import { ChatRoom } from 'ivschat-wasm'; console.log(new ChatRoom({ regionOrUrl: 'us-east-1', tokenProvider: async () => ({}) }));", ['browser'], 'client-browser.js'],
  ["import { createChatToken } from 'ivschat-wasm'; createChatToken({});", ['workerd', 'worker', 'browser'], 'client-workerd.js'],
  ["import { validateCreateChatTokenRequest } from 'ivschat-wasm'; validateCreateChatTokenRequest({});", ['node'], 'client-node.js'],
  ["import { useChatRoom } from 'ivschat-wasm/react'; console.log(useChatRoom);", ['browser'], 'client-browser.js'],
  ["import { createTokenHandler } from 'ivschat-wasm/backend'; console.log(createTokenHandler({}));", ['workerd', 'worker', 'browser'], 'backend-workerd.js'],
  ["import { createTokenHandler } from 'ivschat-wasm/backend'; console.log(createTokenHandler({}));", ['edge-light', 'worker', 'browser'], 'backend-edge-light.js'],
  ["import { createMessageReviewHandler } from 'ivschat-wasm/backend'; console.log(createMessageReviewHandler({}));", ['node'], 'backend-node.js'],
  ["import { createRoom } from 'ivschat-wasm/backend'; console.log(createRoom({}));", ['browser'], 'backend-browser.js'],
];

test("every surface keeps its runtime's wasm source through a tree-shaking bundler (Rollup)", { timeout: 60_000 }, async () => {
  const app = await createAppFolder('tree-shaking');
  try {
    for (const [source, conditions, expected] of CASES) {
      const entry = join(app.dir, 'entry.js');
      await writeFile(entry, `${source}\n`);
      const bundle = await rollup({
        input: entry,
        plugins: [nodeResolve({ exportConditions: conditions, browser: conditions.includes('browser') })],
        external: [/\.wasm(\?module)?$/, /^node:/, 'react'],
        onwarn() {},
      });
      const { output } = await bundle.generate({ format: 'es' });
      await bundle.close();
      const kept = output.flatMap((chunk) => (chunk.type === 'chunk' ? Object.entries(chunk.modules) : []))
        .filter(([, { renderedLength }]) => renderedLength > 0).map(([id]) => id);
      const sources = kept.filter((id) => id.includes('js/wasm-source/')).map((id) => id.replace(/.*js\/wasm-source\//, ''));
      assert.deepEqual(sources.filter((file) => file !== 'read-wasm-file.js'), [expected], `[${conditions}] ${source}`);
    }
  } finally {
    await app.remove();
  }
});
