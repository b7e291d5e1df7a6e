// The engine's worker threads must be found next to a bundle, as they are in the Electron build
// (dist/electron/main.js + <worker>.js). The headless server is bundled the same way here and
// run: if the workers were not where the bundle looks, nothing would be written.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { bundleNodeEntry, bundleWorkers } from '../../../build/scripts/buildElectron.ts';
import { ROOT, startServe } from '../../e2e/harness.ts';

test('a bundled server finds the bundled engine workers and records', async () => {
  // Inside the repo so the bundle resolves node_modules (better-sqlite3) as dist/electron does.
  const bundleDir = path.join(ROOT, 'dist/bundle-check');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tickscope-bundle-'));
  try {
    const names = await bundleWorkers(bundleDir);
    await bundleNodeEntry(path.join(ROOT, 'electron/cli/serve.ts'), bundleDir, 'serve');
    for (const n of names) assert.ok(existsSync(path.join(bundleDir, `${n}.js`)), `${n}.js not bundled`);
    const serve = await startServe({ dataDir, entry: path.join(bundleDir, 'serve.js') });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await serve.stop(), 0, serve.output().stderr);
    const years = await readdir(path.join(dataDir, 'sqlite'));
    assert.ok(years.length > 0, 'nothing written by the bundled engine');
  } finally {
    await rm(bundleDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
});
