// `tickscope export` end to end: a store's ticks to a CSV file through the real command, its
// summary on stdout, and the exit codes for a bad option (2) and an unknown symbol (3).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { ExportProgress } from '../../../shared/export.ts';
import { makeTempDir, removeTempDirs } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const run = promisify(execFile);
const CLI = path.resolve(import.meta.dirname, '../../../electron/cli/tickscope.mjs');
const DAY_US = Date.UTC(2024, 0, 2) * 1000;
let dir: string;

before(async () => {
  const t = await openTestStore('export-cli', DAY_US + 2 * 86_400e6);
  dir = t.dir;
  for (let i = 0; i < 2000; i++)
    t.store.ingest({
      symbol: i % 2 ? 'A' : 'B',
      bid: 100 + i / 100,
      ask: 100.5 + i / 100,
      tsUs: DAY_US + i * 1000,
      source: 's',
    });
  await t.store.flush();
  await t.store.stop();
});
after(removeTempDirs);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, 'export', ...args]);
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

test('exports one symbol to CSV with a JSON summary, and names the problems with exit 2 and 3', async () => {
  const out = path.join(makeTempDir('export-cli-out'), 'a.csv');
  const base = ['--data-dir', dir, '--from', '2024-01-02', '--to', '2024-01-03'];
  const ok = await cli([
    ...base,
    '--symbols',
    'A',
    '--format',
    'csv',
    '--time',
    'us',
    '--columns',
    'time,bid',
    '--out',
    out,
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  const summary = JSON.parse(ok.stdout) as ExportProgress;
  assert.equal(summary.state, 'done');
  assert.equal(summary.rowsWritten, 1000);
  const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], 'time,bid');
  assert.equal(lines[1], `${DAY_US + 1000},${100 + 1 / 100}`);
  const bad = await cli([...base, '--format', 'xml', '--out', out]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--format must be one of/);
  const unknown = await cli([...base, '--symbols', 'ZZZ', '--format', 'jsonl', '--out', `${out}.jsonl`]);
  assert.equal(unknown.code, 3);
  assert.match(unknown.stderr, /unknown symbol: ZZZ/);
  assert.equal(fs.existsSync(`${out}.jsonl.partial`), false);
});
