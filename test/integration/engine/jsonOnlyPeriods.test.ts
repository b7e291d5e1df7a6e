// JSON-only periods through the engine and the service: switching to `json` opens a period at the
// engine clock's time, switching away closes it with exactly the ticks accepted meanwhile (the
// ticks History's day files do not have), and the list survives a restart of the store.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTickscopeService } from '../../../electron/app/tickscopeService.ts';
import { ManualClock } from '../../../electron/engine/clock.ts';
import type { JsonOnlyPeriod } from '../../../shared/catalog.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { US_PER_HOUR } from '../../../shared/time.ts';
import { sqliteCountAll } from '../../helpers/sqliteFiles.ts';
import { readJsonBackend } from '../../helpers/jsonFiles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const NOW = Date.UTC(2026, 8, 7, 12) * 1000;
const tick = (i: number): TickInput => ({
  symbol: 'EURUSD',
  bid: 1.1,
  ask: 1.1001,
  tsUs: NOW - US_PER_HOUR + i,
});

test('a JSON-only period counts exactly the ticks only the JSON files got, and survives a restart', async () => {
  const dir = makeTempDir('json-only');
  const first = await openTestStore('json-only', NOW, { dataDir: dir, batchIntervalMs: 5 });
  let i = 0;
  try {
    for (; i < 50; i++) first.store.ingest(tick(i));
    // Unsealed ticks keep the backend they were accepted under: the switch splits exactly here.
    await first.store.setBackend('json');
    for (; i < 80; i++) first.store.ingest(tick(i));
    first.clock.advance(90_000_000);
    await first.store.setBackend('sqlite');
    for (; i < 100; i++) first.store.ingest(tick(i));
    first.clock.advance(10_000_000);
    await first.store.setBackend('json');
    for (; i < 105; i++) first.store.ingest(tick(i));
    await first.store.flush();
    assert.deepEqual(first.store.jsonOnlyPeriods(), [
      { fromUs: NOW, toUs: NOW + 90_000_000, ticks: 30 },
      { fromUs: NOW + 100_000_000, toUs: null, ticks: 5 },
    ]);
    // The counts are the ticks missing from the day files.
    assert.equal(sqliteCountAll(first.store.config.sqliteDir), 70);
    assert.equal(readJsonBackend(first.store.config.jsonDir).length, 35);
  } finally {
    await first.store.stop();
  }
  // Still json at the next start: the open period goes on counting.
  const second = await openTestStore('json-only', NOW + 3_600_000_000, { dataDir: dir, backend: 'json' });
  try {
    for (let k = 0; k < 3; k++) second.store.ingest(tick(1000 + k));
    assert.deepEqual(second.store.jsonOnlyPeriods().at(-1), {
      fromUs: NOW + 100_000_000,
      toUs: null,
      ticks: 8,
    });
    second.clock.advance(1_000_000);
    await second.store.setBackend('dual');
    assert.deepEqual(second.store.jsonOnlyPeriods().at(-1), {
      fromUs: NOW + 100_000_000,
      toUs: NOW + 3_601_000_000,
      ticks: 8,
    });
  } finally {
    await second.store.stop();
  }
});

test('storage.jsonOnlyPeriods answers over the contract, following storage.setBackend', async () => {
  const dataDir = makeTempDir('json-only-service');
  const clock = new ManualClock(NOW);
  const service = await createTickscopeService({ dataDir, feed: 'none', clock, log: () => undefined });
  try {
    const periods = async () => {
      const r = await service.dispatch('storage.jsonOnlyPeriods', {});
      assert.ok(r.ok, JSON.stringify(r));
      return r.value as JsonOnlyPeriod[];
    };
    assert.deepEqual(await periods(), []);
    assert.ok((await service.dispatch('storage.setBackend', { backend: 'json' })).ok);
    for (let k = 0; k < 4; k++) service.store().ingest(tick(k));
    clock.advance(2_000_000);
    assert.ok((await service.dispatch('storage.setBackend', { backend: 'sqlite' })).ok);
    assert.deepEqual(await periods(), [{ fromUs: NOW, toUs: NOW + 2_000_000, ticks: 4 }]);
    const bad = await service.dispatch('storage.jsonOnlyPeriods', { from: 1 });
    assert.equal(bad.ok, false);
  } finally {
    await service.close();
  }
});
