// A ~200 MB legacy JSON file migrates in bounded memory: the reader streams it in 1 MB chunks.
// The dry run (reader alone) must stay near its small-file footprint; the full run adds the
// engine's writer (SQLite page cache and mmap of the day file, bounded by its settings).
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeLegacyFile } from '../../bench/migrationBench.ts';
import { runMigrateCli, storedTicks } from '../../fixtures/migration/runMigrateCli.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const TICKS = 1_700_000;

test('a 200 MB file migrates completely with bounded peak RSS', async () => {
  const input = makeTempDir('mig-huge-in');
  const output = makeTempDir('mig-huge-out');
  const file = path.join(input, 'EURUSD', '2024-05-06.json');
  await writeLegacyFile(file, 'EURUSD', TICKS, Date.UTC(2024, 4, 6), 50);
  const bytes = statSync(file).size;
  assert.ok(bytes > 190 * 1024 * 1024, `${bytes} bytes`);

  const dry = await runMigrateCli(['--input-dir', input, '--output-dir', output, '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(dry.summary.totals!.ticksAccepted, TICKS);
  // Holding the file (or its parsed ticks) would take well over 200 MB of heap on its own.
  assert.ok(dry.summary.peakRssMb! < 260, `dry-run peak RSS ${dry.summary.peakRssMb} MB`);

  const run = await runMigrateCli(['--input-dir', input, '--output-dir', output]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.summary.totals!.ticksWritten, TICKS);
  assert.ok(run.summary.peakRssMb! < 520, `peak RSS ${run.summary.peakRssMb} MB`);
  assert.equal(storedTicks(output).length, TICKS);
});
