// Run by `npm pack` / `npm publish` (prepack): refuses to pack a tree whose built files are
// missing. npm silently leaves out a `files` entry that does not exist, and dist/ is build
// output (not in git), so a clone packed before `npm run build` made a tarball that could not
// load its wasm.
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const root = process.argv[2] ?? process.cwd();
const { files = [] } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const missing = [];
for (const file of files) {
  if (!file.startsWith('dist/')) continue;
  await access(join(root, file)).catch(() => missing.push(file));
}
if (missing.length > 0) {
  console.error(`npm pack: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not built. Run \`npm run build\` first (after \`npm run setup\` on a new machine).`);
  process.exit(1);
}
