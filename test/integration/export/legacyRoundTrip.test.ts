// legacy-json is the reverse of migration: ticks exported in the legacy backend's layout and
// migrated back into a fresh store (the real `npm run migrate` command, validating its run) are
// the same ticks, symbol, time, prices and source, including a day boundary crossed mid-export.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { startExport } from '../../../electron/engine/export/exportJob.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { runMigrateCli, storedTicks } from '../../fixtures/migration/runMigrateCli.ts';
import { makeTempDir, removeTempDirs } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';

after(removeTempDirs);

const DAY_US = Date.UTC(2024, 2, 4) * 1000;

test('ticks exported as legacy-json and migrated back are the stored ticks', async () => {
  const { store, dir } = await openTestStore('legacy-rt', DAY_US + 3 * 86_400e6);
  // Two symbols and sources, prices on 5 and 3 decimals, µs times, the last hour of one day and
  // the first of the next.
  const ticks: TickInput[] = [];
  const from = DAY_US + 23 * 3_600e6;
  for (let i = 0; i < 3000; i++) {
    const tsUs = from + i * 2_400_017 + (i % 997);
    const usd = i % 3 !== 0;
    const bid = usd
      ? Math.round((1.08 + (i % 250) * 1e-5) * 1e5) / 1e5
      : Math.round((151.2 + (i % 90) * 1e-3) * 1e3) / 1e3;
    const ask = usd ? Math.round((bid + 0.00011) * 1e5) / 1e5 : Math.round((bid + 0.012) * 1e3) / 1e3;
    ticks.push({ symbol: usd ? 'EURUSD' : 'USDJPY', source: i % 5 === 0 ? 'LP2' : 'LP1', bid, ask, tsUs });
  }
  try {
    for (const t of ticks) assert.equal(store.ingest(t), 'accepted');
    await store.flush();
    const original = storedTicks(path.join(dir, 'sqlite'));
    assert.equal(original.length, ticks.length);

    const exported = path.join(makeTempDir('legacy-rt-out'), 'legacy');
    const job = startExport(path.join(dir, 'sqlite'), {
      format: 'legacy-json',
      symbols: [],
      fromUs: DAY_US,
      toUs: DAY_US + 3 * 86_400e6,
      outPath: exported,
    });
    const done = await job.done;
    assert.equal(done.state, 'done', done.error);
    // One file per symbol and day: both symbols on both sides of midnight.
    assert.deepEqual(done.files.map((f) => path.relative(exported, f)).sort(), [
      'EURUSD/2024-03-04.json',
      'EURUSD/2024-03-05.json',
      'USDJPY/2024-03-04.json',
      'USDJPY/2024-03-05.json',
    ]);

    const migrated = makeTempDir('legacy-rt-store');
    const run = await runMigrateCli(['--input-dir', exported, '--output-dir', migrated, '--validate']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.summary.totals!.ticksRead, ticks.length);
    assert.deepEqual(storedTicks(migrated), original);
  } finally {
    await store.stop();
  }
});
