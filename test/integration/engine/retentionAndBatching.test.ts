import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ManualClock } from '../../../electron/engine/clock.ts';
import { listDayFiles } from '../../../electron/engine/storage/dayFileCatalog.ts';
import { openTickStore } from '../../../electron/engine/tickStore.ts';
import { dayIndexToKey, US_PER_DAY } from '../../../shared/time.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { waitFor } from '../../helpers/waitFor.ts';

test('retention deletes day files older than the setting at the rotation check', async () => {
  const dir = makeTempDir('retention');
  const today = Date.UTC(2026, 10, 20) * 1000;
  const clock = new ManualClock(today + 3_600e6);
  const store = await openTickStore({ dataDir: dir, retentionDays: 2, rotationCheckMs: 1_000 }, { clock });
  try {
    for (let d = 0; d < 5; d++) {
      const dayStart = today - d * US_PER_DAY;
      for (let i = 0; i < 10; i++) {
        store.ingest({ symbol: 'EURUSD', bid: 1.1, ask: 1.1001, source: 'LP', tsUs: dayStart + i * 1000 });
      }
    }
    store.ingest({ symbol: 'EURUSD', bid: 1.1, ask: 1.1001, tsUs: today, source: 'LP' });
    await store.setBackend('dual');
    store.ingest({ symbol: 'EURUSD', bid: 1.2, ask: 1.2001, tsUs: today - 4 * US_PER_DAY + 5, source: 'LP' });
    await store.flush();
    assert.equal(listDayFiles(path.join(dir, 'sqlite')).length, 5);
    clock.advance(1_000_000);
    await waitFor('retention to run', () => store.getStorageStats().retention_deleted_days === 2);
    const left = listDayFiles(path.join(dir, 'sqlite')).map((f) => dayIndexToKey(f.day));
    assert.deepEqual(left, ['2026-11-18', '2026-11-19', '2026-11-20']);
    assert.equal(
      fs.existsSync(path.join(dir, 'json', 'EURUSD', '2026-11-16.json')),
      false,
      'old JSON files go too',
    );
  } finally {
    await store.stop();
  }
});

test('under load the writer takes everything queued in one transaction, not 500 at a time', async () => {
  const dir = makeTempDir('batching');
  const store = await openTickStore({ dataDir: dir, batchSize: 500 });
  try {
    const t0 = Date.UTC(2026, 10, 20, 10) * 1000;
    for (let i = 0; i < 50_000; i++) {
      store.ingest({
        symbol: `S${i % 50}`,
        bid: 100 + (i % 7) / 100,
        ask: 100.05,
        source: 'LP',
        tsUs: t0 + i * 10,
      });
    }
    await store.flush();
    const s = store.getStorageStats();
    assert.equal(s.ticks_written, 50_000);
    assert.ok(s.max_batch_ticks > 5_000, `largest transaction held ${s.max_batch_ticks} ticks`);
    assert.ok(s.batches_written < 100, `${s.batches_written} transactions for 100 sealed batches`);
  } finally {
    await store.stop();
  }
});
