// `npm run quality` end to end: a stored day in, a report out on stdout (JSON and CSV), exit 0;
// a missing --day is a usage error (2).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { dayIndexToStartUs, dayKeyToIndex, US_PER_DAY } from '../../../shared/time.ts';
import { removeTempDirs } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { injectedDay } from '../../unit/quality/injectedDay.ts';

const DAY = '2024-03-05';
const START = dayIndexToStartUs(dayKeyToIndex(DAY) ?? 0);
let dataDir = '';
let stored = 0;

before(async () => {
  const { ticks } = injectedDay(START, 1);
  const { store, dir } = await openTestStore('quality-cli', START + US_PER_DAY);
  for (const t of ticks) store.ingest(t);
  await store.flush();
  await store.stop();
  dataDir = dir;
  stored = ticks.length;
});
after(removeTempDirs);

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['electron/cli/tickscope.mjs', 'quality', ...args], { encoding: 'utf8' });

test('JSON report of the day on stdout', () => {
  const r = cli('--data-dir', dataDir, '--day', DAY);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.day, DAY);
  assert.equal(report.ticks, stored);
  assert.equal(report.rows[0].gaps, 1);
});

test('CSV report, one row per symbol and source', () => {
  const r = cli('--data-dir', dataDir, '--day', DAY, '--format', 'csv');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[1], new RegExp(`^${DAY},EURUSD,LP1,`));
});

test('a missing --day is a usage error', () => {
  const r = cli('--data-dir', dataDir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--day is required/);
});
