// Queries over day files: paged ranges across days, recent N from the ring and from disk, symbol
// and day catalogs, typed errors for bad queries, and idempotent re-ingest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryError, StoreClosedError } from '../../../electron/engine/errors.ts';
import { listDayFiles } from '../../../electron/engine/storage/dayFileCatalog.ts';
import { barsFromTicks } from '../../../shared/bars.ts';
import type { TickColumns, TickInput } from '../../../shared/tick.ts';
import { US_PER_DAY, US_PER_HOUR, US_PER_MIN, dayIndexToKey, utcDayIndex } from '../../../shared/time.ts';
import { sqliteCountAll } from '../../helpers/sqliteFiles.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const MIDNIGHT = Date.UTC(2026, 4, 20) * 1000; // 2026-05-20T00:00Z
const NOW = MIDNIGHT + 3 * US_PER_HOUR;
const SOURCES = ['LP-A', 'LP-B', 'LP-C'];

/** EURUSD from 22:00 to 02:00 across midnight, every 2 s; every third instant has three LPs quoting. */
function twoDayTicks(): TickInput[] {
  const out: TickInput[] = [];
  let k = 0;
  for (let ts = MIDNIGHT - 2 * US_PER_HOUR; ts < MIDNIGHT + 2 * US_PER_HOUR; ts += 2_000_000) {
    const lps = k % 3 === 0 ? 3 : 1;
    for (let j = 0; j < lps; j++) {
      const bid = Math.round((1.08 + 0.0001 * Math.sin(k / 50) + j / 1e5) * 1e5) / 1e5;
      out.push({
        symbol: 'EURUSD',
        bid,
        ask: Math.round((bid + 0.00008) * 1e5) / 1e5,
        source: SOURCES[j],
        tsUs: ts,
      });
    }
    k++;
  }
  return out;
}

const key = (c: { tsUs: number[]; bid: number[]; ask: number[] }, i: number) =>
  `${c.tsUs[i]}|${c.bid[i]}|${c.ask[i]}`;

function assertColumnsEqual(got: TickColumns, want: TickInput[], msg: string): void {
  assert.deepEqual(
    got.tsUs,
    want.map((t) => t.tsUs),
    `${msg}: ts`,
  );
  assert.deepEqual(
    got.bid,
    want.map((t) => t.bid),
    `${msg}: bid`,
  );
  assert.deepEqual(
    got.ask,
    want.map((t) => t.ask),
    `${msg}: ask`,
  );
  assert.deepEqual(
    got.source.map((s) => got.sources[s]),
    want.map((t) => t.source ?? 'default'),
    `${msg}: source`,
  );
}

test('range pages across two day files return every tick once, in time order', async () => {
  const { store } = await openTestStore('range-pages', NOW);
  try {
    const ticks = twoDayTicks();
    for (const t of ticks) store.ingest(t);
    // Another symbol in the same files must not leak into EURUSD's pages.
    for (let i = 0; i < 500; i++)
      store.ingest({ symbol: 'GBPUSD', bid: 1.27, ask: 1.2701, tsUs: MIDNIGHT - 60e6 + i });
    await store.flush();
    assert.equal(listDayFiles(store.config.sqliteDir).length, 2);

    const fromUs = MIDNIGHT - 2 * US_PER_HOUR;
    const toUs = MIDNIGHT + 2 * US_PER_HOUR;
    const whole = await store.range({ symbol: 'EURUSD', fromUs, toUs, limit: 1_000_000 });
    assert.equal(whole.nextCursor, null);
    assert.equal(whole.tsUs.length, ticks.length);
    assert.deepEqual(
      Array.from(whole.tsUs.keys(), (i) => key(whole, i)).sort(),
      ticks.map((t) => `${t.tsUs}|${t.bid}|${t.ask}`).sort(),
    );
    for (let i = 1; i < whole.tsUs.length; i++) assert.ok(whole.tsUs[i] >= whole.tsUs[i - 1], 'time order');

    // Odd page sizes so boundaries fall between ticks sharing a timestamp and on the day boundary.
    for (const limit of [1_000, 997, 7]) {
      const got: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const p = await store.range({ symbol: 'EURUSD', fromUs, toUs, limit, cursor });
        assert.ok(p.tsUs.length <= limit);
        for (let i = 0; i < p.tsUs.length; i++) got.push(key(p, i));
        cursor = p.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 5_000);
      assert.deepEqual(
        got,
        Array.from(whole.tsUs.keys(), (i) => key(whole, i)),
        `limit ${limit}`,
      );
    }

    // [from, to) is half-open and may start or end mid-day.
    const mid = await store.range({
      symbol: 'EURUSD',
      fromUs: MIDNIGHT - 2_000_000,
      toUs: MIDNIGHT + 2_000_000,
    });
    assert.deepEqual([...new Set(mid.tsUs)], [MIDNIGHT - 2_000_000, MIDNIGHT]);
    const none = await store.range({ symbol: 'NOPE', fromUs, toUs });
    assert.deepEqual([none.tsUs, none.nextCursor], [[], null]);
  } finally {
    await store.stop();
  }
});

test('long single-day ranges page exactly whatever the page size (first half exactly one page, etc.)', async () => {
  const { store } = await openTestStore('range-day', NOW);
  try {
    // 6 hours of one day; denser in the first three so page sizes can land on the midpoint.
    const day = MIDNIGHT - US_PER_DAY;
    const ticks: TickInput[] = [];
    for (let i = 0; i < 1_200; i++)
      ticks.push({ symbol: 'EURUSD', bid: 1.1, ask: 1.1 + (i % 7) / 1e5, tsUs: day + i * 9_000_000 });
    for (let i = 0; i < 300; i++)
      ticks.push({
        symbol: 'EURUSD',
        bid: 1.2,
        ask: 1.2 + (i % 5) / 1e5,
        tsUs: day + 3 * US_PER_HOUR + i * 36_000_000,
      });
    for (const t of ticks) store.ingest(t);
    await store.flush();
    const firstHalf = ticks.filter((t) => t.tsUs < day + 3 * US_PER_HOUR).length;
    assert.equal(firstHalf, 1_200);
    const q = { symbol: 'EURUSD', fromUs: day, toUs: day + 6 * US_PER_HOUR };
    const want = ticks.map((t) => `${t.tsUs}|${t.bid}|${t.ask}`);
    assertColumnsEqual(await store.range({ ...q, limit: 1_000_000 }), ticks, 'whole');
    for (const limit of [
      firstHalf,
      firstHalf - 1,
      firstHalf + 1,
      ticks.length,
      ticks.length - 1,
      1_499,
      750,
      1,
    ]) {
      const got: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const p = await store.range({ ...q, limit, cursor });
        assert.ok(p.tsUs.length <= limit, `page of at most ${limit}`);
        for (let i = 0; i < p.tsUs.length; i++) got.push(key(p, i));
        cursor = p.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 3_000);
      assert.deepEqual(got, want, `limit ${limit}`);
    }
  } finally {
    await store.stop();
  }
});

test('recent N: from the ring while live, from the day files after a restart, identical', async () => {
  const first = await openTestStore('recent', NOW, { ringSize: 1_000 });
  const ticks = twoDayTicks().filter((t) => t.source === 'LP-A');
  const afterMidnight = ticks.filter((t) => t.tsUs >= MIDNIGHT).length;
  let fromRing: TickColumns;
  try {
    for (const t of ticks) first.store.ingest(t);
    // Served from memory: correct even before anything is written.
    fromRing = await first.store.recent('EURUSD', 100);
    assertColumnsEqual(fromRing, ticks.slice(-100), 'ring');
    await first.store.flush();
    // More than the ring holds: answered from disk, still the newest N in order.
    assertColumnsEqual(await first.store.recent('EURUSD', 1_500), ticks.slice(-1_500), 'disk while live');
  } finally {
    await first.store.stop();
  }
  const second = await openTestStore('recent', NOW, { dataDir: first.dir });
  try {
    assert.deepEqual(await second.store.recent('EURUSD', 100), fromRing);
    // Spanning both day files.
    const n = afterMidnight + 250;
    assertColumnsEqual(await second.store.recent('EURUSD', n), ticks.slice(-n), 'across days');
    assertColumnsEqual(await second.store.recent('EURUSD', 1e6), ticks, 'more than exists');
    assert.deepEqual((await second.store.recent('NOPE', 10)).tsUs, []);
  } finally {
    await second.store.stop();
  }
});

test('listSymbols and listDays report counts, first/last times and sizes', async () => {
  const { store } = await openTestStore('catalog', NOW);
  try {
    const ticks = twoDayTicks();
    for (const t of ticks) store.ingest(t);
    for (let i = 0; i < 10; i++)
      store.ingest({ symbol: 'XAUUSD', bid: 2331.45, ask: 2331.7, tsUs: MIDNIGHT + i * US_PER_MIN });
    await store.flush();
    assert.deepEqual(await store.listSymbols(), [
      {
        symbol: 'EURUSD',
        firstUs: ticks[0].tsUs,
        lastUs: ticks.at(-1)!.tsUs,
        count: ticks.length,
        sources: SOURCES,
        priceDecimals: 5,
      },
      {
        symbol: 'XAUUSD',
        firstUs: MIDNIGHT,
        lastUs: MIDNIGHT + 9 * US_PER_MIN,
        count: 10,
        sources: ['default'],
        priceDecimals: 2,
      },
    ]);
    const days = await store.listDays();
    const before = ticks.filter((t) => t.tsUs < MIDNIGHT).length;
    assert.deepEqual(
      days.map((d) => [d.day, d.ticks, d.symbols]),
      [
        [dayIndexToKey(utcDayIndex(MIDNIGHT - 1)), before, 1],
        [dayIndexToKey(utcDayIndex(MIDNIGHT)), ticks.length - before + 10, 2],
      ],
    );
    for (const d of days) {
      assert.ok(d.bytes > 0);
      assert.ok(d.path.endsWith(`ticks_${d.day}.db`));
    }
  } finally {
    await store.stop();
  }
});

test('bad queries are QueryErrors; queries after stop are StoreClosedErrors', async () => {
  const { store } = await openTestStore('bad-queries', NOW);
  try {
    store.ingest({ symbol: 'EURUSD', bid: 1.1, ask: 1.2, tsUs: NOW - 1 });
    await store.flush();
    const q = { symbol: 'EURUSD', fromUs: NOW - US_PER_DAY, toUs: NOW };
    for (const cursor of ['garbage', 'W10', Buffer.from('[1,2,"x",4,5]').toString('base64url')]) {
      await assert.rejects(store.range({ ...q, cursor }), QueryError, `cursor ${cursor}`);
    }
    await assert.rejects(store.range({ ...q, fromUs: NOW, toUs: NOW - 1 }), QueryError);
    await assert.rejects(store.range({ ...q, fromUs: 1.5 }), QueryError);
    for (const timeframeSec of [0, 1.5, 86_401, Number.NaN]) {
      await assert.rejects(store.bars({ ...q, timeframeSec }), QueryError, `tf ${timeframeSec}`);
    }
    // Still answering after the errors.
    assert.equal((await store.range(q)).tsUs.length, 1);
  } finally {
    await store.stop();
  }
  await assert.rejects(store.range({ symbol: 'EURUSD', fromUs: 0, toUs: 1 }), StoreClosedError);
  await assert.rejects(store.listDays(), StoreClosedError);
});

test('query sizes and bar sources are checked: QueryErrors, never garbage or a broken cursor', async () => {
  const { store } = await openTestStore('bad-args', NOW);
  try {
    for (let i = 0; i < 20; i++) store.ingest({ symbol: 'EURUSD', bid: 1.1, ask: 1.2, tsUs: NOW - 100 + i });
    await store.flush();
    const q = { symbol: 'EURUSD', fromUs: NOW - US_PER_HOUR, toUs: NOW };
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(store.range({ ...q, limit }), QueryError, `range limit ${limit}`);
      // Answered from the ring (20 ticks held) or from disk: both must refuse the same way.
      await assert.rejects(store.recent('EURUSD', limit), QueryError, `recent limit ${limit}`);
    }
    for (const source of ['', 'two words', 'x'.repeat(33)])
      await assert.rejects(store.bars({ ...q, timeframeSec: 60, source }), QueryError, `source ${source}`);
    assert.equal((await store.range({ ...q, limit: 1 })).tsUs.length, 1);
    assert.equal((await store.recent('EURUSD', 5)).tsUs.length, 5);
  } finally {
    await store.stop();
  }
});

test('re-ingesting the same ticks stores nothing twice; overlapping imports keep bars exact', async () => {
  const ticks = twoDayTicks();
  const first = await openTestStore('idempotent', NOW);
  try {
    for (const t of ticks) first.store.ingest(t);
    await first.store.flush();
    assert.equal(first.store.getStorageStats().ticks_written, ticks.length);
  } finally {
    await first.store.stop();
  }
  const sqliteDir = first.store.config.sqliteDir;
  assert.equal(sqliteCountAll(sqliteDir), ticks.length);

  const second = await openTestStore('idempotent', NOW, { dataDir: first.dir });
  try {
    for (const t of ticks) assert.equal(second.store.ingest(t), 'accepted');
    await second.store.flush();
    let s = second.store.getStorageStats();
    assert.equal(s.ticks_duplicate, ticks.length);
    assert.equal(s.ticks_written, 0);
    assert.equal(sqliteCountAll(sqliteDir), ticks.length);
    assert.equal((await second.store.listSymbols())[0].count, ticks.length);

    // Half old, half new ticks in the same minutes: the minute bars are rebuilt, not double-counted.
    const extra: TickInput[] = ticks
      .filter((_, i) => i % 2 === 0)
      .map((t) => ({ ...t, tsUs: t.tsUs + 1, bid: Math.round((t.bid + 0.0003) * 1e5) / 1e5 }));
    const mixed = ticks.filter((_, i) => i % 3 === 0).concat(extra);
    for (const t of mixed) second.store.ingest(t);
    await second.store.flush();
    s = second.store.getStorageStats();
    assert.equal(s.ticks_written, extra.length);
    assert.equal(sqliteCountAll(sqliteDir), ticks.length + extra.length);
    const all = [...ticks, ...extra].sort((a, b) => a.tsUs - b.tsUs);
    const fromUs = MIDNIGHT - 2 * US_PER_HOUR;
    const toUs = MIDNIGHT + 2 * US_PER_HOUR;
    const page = await second.store.range({ symbol: 'EURUSD', fromUs, toUs });
    for (const tf of [60, 300, 3600]) {
      const bars = await second.store.bars({
        symbol: 'EURUSD',
        fromUs,
        toUs,
        timeframeSec: tf,
      });
      const want = barsFromTicks('EURUSD', tf, null, page.tsUs, page.bid, page.ask);
      assert.deepEqual(bars, want, `${tf}s bars after overlap`);
      assert.equal(
        bars.count.reduce((a, b) => a + b, 0),
        all.length,
      );
    }
  } finally {
    await second.store.stop();
  }
});
