// The archive tier read through the engine as a user would: a day compacted by storage.compact
// reads back exactly as it did live (range pages, recent, bars, symbols, days), across days of
// both tiers, and a late tick for the archived day is stored, read with it, and folded into its
// blocks by the next compaction.
import assert from 'node:assert/strict';
import test from 'node:test';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import type { TickColumns } from '../../../shared/tick.ts';
import { loadDukascopyTicks } from '../../helpers/dukascopy.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const US_PER_DAY = 86_400_000_000;
const DAY1 = Date.UTC(2019, 1, 4) * 1000; // the fixtures' EURUSD hour
const NOW = Date.UTC(2019, 1, 20, 12) * 1000;

async function allPages(
  store: TickStore,
  symbol: string,
  fromUs: number,
  toUs: number,
  limit: number,
): Promise<TickColumns> {
  const cols: TickColumns = {
    symbol,
    tsUs: [],
    bid: [],
    ask: [],
    source: [],
    bidSize: [],
    askSize: [],
  } as unknown as TickColumns;
  let cursor: string | undefined;
  do {
    const p = await store.range({ symbol, fromUs, toUs, limit, cursor });
    for (const k of ['tsUs', 'bid', 'ask', 'bidSize', 'askSize'] as const)
      (cols[k] as unknown as unknown[]).push(...((p[k] ?? []) as unknown as unknown[]));
    // Source indexes are per page: compare names.
    (cols.source as unknown as string[]).push(...Array.from(p.source, (i) => p.sources[i]));
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
  return cols;
}

async function compactAndWait(store: TickStore, days: string[]) {
  store.compact({ days });
  await waitFor('compaction to finish', () => !store.compactionStatus().running, 60_000);
  return store.compactionStatus();
}

test('an archived day reads exactly as it did live, alone and next to a live day', async () => {
  const { store } = await openTestStore('archive-reads', NOW);
  try {
    const day1 = loadDukascopyTicks('eurusd-2019-02-04T00.json', 'EURUSD');
    // A second source with crossed quotes and repeated times, and a second (live) day.
    for (const t of day1) store.ingest(t);
    for (const t of day1.slice(0, 500)) store.ingest({ ...t, source: 'lp2', bid: t.ask, ask: t.bid });
    for (const t of day1.slice(0, 800)) store.ingest({ ...t, tsUs: t.tsUs + US_PER_DAY });
    await store.flush();
    const span = [DAY1, DAY1 + 2 * US_PER_DAY] as const;
    const before = await allPages(store, 'EURUSD', ...span, 700);
    const barsBefore = await store.bars({
      symbol: 'EURUSD',
      fromUs: span[0],
      toUs: span[1],
      timeframeSec: 60,
    });
    const bars5Before = await store.bars({
      symbol: 'EURUSD',
      fromUs: DAY1 + 1_234_567,
      toUs: span[1],
      timeframeSec: 300,
    });
    const lp2Before = await store.bars({
      symbol: 'EURUSD',
      fromUs: span[0],
      toUs: span[1],
      timeframeSec: 60,
      source: 'lp2',
    });
    const recentBefore = await store.recent('EURUSD', 1000);
    const symbolsBefore = await store.listSymbols();

    const run = await compactAndWait(store, ['2019-02-04']);
    assert.deepEqual(run.failed, []);
    assert.equal(run.daysDone, 1);
    assert.equal(run.ticks, day1.length + 500);
    const days = await store.listDays();
    const d1 = days.find((d) => d.day === '2019-02-04')!;
    const d2 = days.find((d) => d.day === '2019-02-05')!;
    assert.equal(d1.tier, 'archived');
    assert.equal(d2.tier, 'live');
    assert.equal(d1.ticks, day1.length + 500);
    assert.ok(d1.liveBytes! > d1.bytes * 5, `ratio ${d1.liveBytes}/${d1.bytes}`);
    assert.equal(store.getStorageStats().compacted_days, 1);

    // Every page size crosses block and day boundaries differently.
    for (const limit of [700, 1, 100_000]) {
      const after = await allPages(store, 'EURUSD', ...span, limit);
      const first = (after.tsUs as unknown as number[]).findIndex(
        (t, i) => t !== before.tsUs[i] || after.bid[i] !== before.bid[i],
      );
      assert.equal(
        after.tsUs.length,
        before.tsUs.length,
        `pages of ${limit}: count (first difference at ${first})`,
      );
      assert.deepEqual(after, before, `pages of ${limit}`);
    }
    assert.deepEqual(
      await store.bars({ symbol: 'EURUSD', fromUs: span[0], toUs: span[1], timeframeSec: 60 }),
      barsBefore,
    );
    assert.deepEqual(
      await store.bars({ symbol: 'EURUSD', fromUs: DAY1 + 1_234_567, toUs: span[1], timeframeSec: 300 }),
      bars5Before,
    );
    assert.deepEqual(
      await store.bars({ symbol: 'EURUSD', fromUs: span[0], toUs: span[1], timeframeSec: 60, source: 'lp2' }),
      lp2Before,
    );
    assert.deepEqual(await store.recent('EURUSD', 1000), recentBefore);
    assert.deepEqual(await store.listSymbols(), symbolsBefore);

    // A late tick for the archived day: stored, read with the day, a re-sent one stored once.
    const late = { symbol: 'EURUSD', bid: 1.2, ask: 1.2001, source: 'late', tsUs: DAY1 + 5 * 3_600_000_000 };
    store.ingest(late);
    store.ingest({ ...day1[10] });
    await store.flush();
    assert.equal(store.getStorageStats().ticks_duplicate, 1);
    const withLate = await allPages(store, 'EURUSD', DAY1, DAY1 + US_PER_DAY, 1000);
    assert.equal(withLate.tsUs.length, day1.length + 500 + 1);
    const at = (withLate.tsUs as unknown as number[]).indexOf(late.tsUs);
    assert.ok(at >= 0);
    assert.equal(withLate.bid[at], 1.2);
    const lateBars = await store.bars({
      symbol: 'EURUSD',
      fromUs: DAY1,
      toUs: DAY1 + US_PER_DAY,
      timeframeSec: 3600,
    });
    assert.equal(
      lateBars.count.reduce((a, b) => a + b, 0),
      day1.length + 500 + 1,
    );
    let info = (await store.listDays()).find((d) => d.day === '2019-02-04')!;
    assert.equal(info.lateTicks, 1);

    // The next run folds the late tick into the blocks.
    const again = await compactAndWait(store, ['2019-02-04']);
    assert.deepEqual(again.failed, []);
    info = (await store.listDays()).find((d) => d.day === '2019-02-04')!;
    assert.equal(info.lateTicks, 0);
    assert.deepEqual(await allPages(store, 'EURUSD', DAY1, DAY1 + US_PER_DAY, 1000), withLate);
  } finally {
    await store.stop();
  }
});

test('today and unknown days are skipped with a reason, never compacted', async () => {
  const { store } = await openTestStore('archive-skip', NOW);
  try {
    store.ingest({ symbol: 'X', bid: 1, ask: 2, tsUs: NOW - 1000 });
    await store.flush();
    const run = await compactAndWait(store, ['2019-02-20', '2019-01-01']);
    assert.equal(run.skipped.length, 2);
    assert.match(run.skipped[0].reason, /today/);
    assert.match(run.skipped[1].reason, /no day file/);
    assert.equal(
      (await store.listDays()).every((d) => d.tier === 'live'),
      true,
    );
  } finally {
    await store.stop();
  }
});

test('stopping the recorder while it compacts leaves the day whole, live or archived', async () => {
  const { store, dir } = await openTestStore('archive-stop', NOW);
  const day1 = loadDukascopyTicks('eurusd-2019-02-04T00.json', 'EURUSD');
  // Enough rows that the stop lands while the workers code them.
  for (let k = 0; k < 40; k++) for (const t of day1) store.ingest({ ...t, source: `lp${k}` });
  await store.flush();
  const total = day1.length * 40;
  store.compact({ days: ['2019-02-04'] });
  const t0 = Date.now();
  await store.stop();
  assert.ok(Date.now() - t0 < 10_000, 'stop does not wait for the compaction');
  const again = await openTestStore('archive-stop', NOW, { dataDir: dir });
  try {
    const info = (await again.store.listDays()).find((d) => d.day === '2019-02-04')!;
    assert.equal(info.ticks, total);
    const page = await again.store.range({
      symbol: 'EURUSD',
      fromUs: DAY1,
      toUs: DAY1 + US_PER_DAY,
      limit: 500_000,
    });
    assert.equal(page.tsUs.length, total);
    // A later run compacts it (replacing any half-written file the stop left).
    const run = await compactAndWait(again.store, ['2019-02-04']);
    assert.deepEqual(run.failed, []);
    const after = (await again.store.listDays()).find((d) => d.day === '2019-02-04')!;
    assert.equal(after.tier, 'archived');
    assert.equal(after.ticks, total);
  } finally {
    await again.store.stop();
  }
});
