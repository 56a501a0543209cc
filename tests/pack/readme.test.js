// README.md is also the registry's page for the package, where relative image paths do not
// resolve (docs/ is not shipped): every image is an absolute URL into the repository named in
// package.json.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));

test('README images are absolute URLs into the package\'s repository', () => {
  const repository = /github\.com\/([^/]+\/[^/.]+)/.exec(manifest.repository.url)?.[1];
  assert.ok(repository, 'package.json repository is a GitHub URL');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g), ...readme.matchAll(/<img[^>]+src="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(images.length > 0);
  for (const src of images) assert.ok(src.startsWith(`https://raw.githubusercontent.com/${repository}/`), `${src} is not an absolute URL into ${repository}`);
});
