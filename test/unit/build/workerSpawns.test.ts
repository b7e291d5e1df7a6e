// The Electron build bundles exactly the workers spawnWorker.ts names, and packaging unpacks what
// it bundles. A worker entry started any other way (a hand-built URL relative to its caller) is
// bundled by nobody and points nowhere once the caller sits inside main.js: it works from source
// and fails only in the packaged app. So every engine worker entry must be a WorkerName, and no
// engine module may start a Worker itself.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { workerEntries } from '../../../build/scripts/buildElectron.ts';

const ENGINE = fileURLToPath(new URL('../../../electron/engine/', import.meta.url));
const SPAWN = path.join(ENGINE, 'workers/spawnWorker.ts');

async function engineSources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await engineSources(p)));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('every worker entry in electron/engine/workers is a WorkerName the build bundles', async () => {
  const entries = (await readdir(path.join(ENGINE, 'workers')))
    .filter((f) => /Worker\.ts$/.test(f) && f !== 'spawnWorker.ts')
    .map((f) => f.slice(0, -'.ts'.length));
  assert.ok(entries.includes('qualityWorker'), entries.join(', '));
  const named = new Set(await workerEntries());
  assert.deepEqual(
    entries.filter((e) => !named.has(e)),
    [],
    'worker entries the Electron build would leave out (add them to WorkerName in spawnWorker.ts)',
  );
});

test('no engine module starts a Worker except through spawnWorker', async () => {
  const offenders: string[] = [];
  for (const file of await engineSources(ENGINE)) {
    if (file === SPAWN) continue;
    const text = await readFile(file, 'utf8');
    if (/new\s+Worker\s*\(|workerEntryUrl\s*\(/.test(text)) offenders.push(path.relative(ENGINE, file));
  }
  assert.deepEqual(offenders, []);
});
