// State files are replaced whole: concurrent saves of one file each land complete (the last one
// wins), and no temp file is left behind, also when the write fails.
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { writeFileAtomic } from '../../../electron/engine/fs/writeFileAtomic.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

test('concurrent saves of one file never interleave: the file is one of them, whole', async () => {
  const dir = makeTempDir('atomic');
  const file = path.join(dir, 'state.json');
  const versions = Array.from({ length: 20 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(200_000 + i) }));
  await Promise.all(versions.map((v) => writeFileAtomic(file, v)));
  const text = await readFile(file, 'utf8');
  assert.ok(versions.includes(text), 'the file is not one whole version');
  assert.deepEqual(await readdir(dir), ['state.json']);
});

test('a failed write throws, leaves the old file as it was and no temp file', async () => {
  const dir = makeTempDir('atomic');
  const file = path.join(dir, 'state.json');
  await writeFileAtomic(file, 'old');
  // A folder in the target's place: the rename over it fails.
  const blocked = path.join(dir, 'blocked');
  await mkdir(blocked);
  await mkdir(path.join(blocked, 'inner'));
  await assert.rejects(writeFileAtomic(blocked, 'new'), /EISDIR|ENOTEMPTY|EEXIST|EPERM/);
  assert.equal(await readFile(file, 'utf8'), 'old');
  assert.deepEqual((await readdir(dir)).sort(), ['blocked', 'state.json']);
});
