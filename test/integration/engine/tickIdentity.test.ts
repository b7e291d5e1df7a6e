// A tick's identity includes the exchange's update id: two updates with equal prices in the same
// µs are both kept, the same update again is a duplicate. Ticks without an exchange time are
// stored without one. Both survive every path: the writer, paged queries, the `ticks` view and
// the spill journal (overflow, and a disk that refuses writes).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { dayFilePath } from '../../../electron/engine/storage/dayPath.ts';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { US_PER_HOUR, US_PER_MIN, utcDayIndex } from '../../../shared/time.ts';
import { assertAccounted } from '../../helpers/accounting.ts';
import { sqliteAll } from '../../helpers/sqliteFiles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { mountTmpfs } from '../../helpers/tmpfs.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const NOW = Date.UTC(2026, 7, 20, 15) * 1000;
const T = NOW - 10 * US_PER_MIN + 123;
const quote = { symbol: 'BTCUSDT', bid: 64_000.5, ask: 64_000.6, source: 'binance' };

interface ViewRow {
  ts_us: number;
  bid: number;
  ask: number;
  source: string;
  recv_us: number;
  exchange_us: number | null;
  seq: number | null;
}

function viewRows(store: TickStore, symbol: string, day = utcDayIndex(NOW)): ViewRow[] {
  return sqliteAll<ViewRow>(
    dayFilePath(store.config.sqliteDir, day),
    `SELECT ts_us, bid, ask, source, recv_us, exchange_us, seq FROM ticks WHERE symbol = ? ORDER BY ts_us, seq`,
    symbol,
  );
}

async function drained(store: TickStore): Promise<void> {
  await waitFor(
    'the queue and the journal to be written',
    () => {
      const s = store.getStorageStats();
      return s.queue_size === 0 && s.spill_pending_ticks === 0 && s.spill_inflight_ticks === 0;
    },
    30_000,
  );
  await store.flush();
}

test('equal prices in the same µs with different update ids are two ticks; the same id again is a duplicate', async () => {
  const { store } = await openTestStore('identity', NOW);
  try {
    assert.equal(store.ingest({ ...quote, tsUs: T, recvUs: T + 40, seq: 100 }), 'accepted');
    assert.equal(store.ingest({ ...quote, tsUs: T, recvUs: T + 41, seq: 101 }), 'accepted');
    assert.equal(store.ingest({ ...quote, tsUs: T, recvUs: T + 42 }), 'accepted');
    await store.flush();
    let s = store.getStorageStats();
    assert.equal(s.ticks_written, 3, 'three distinct updates');
    assert.equal(s.ticks_duplicate, 0);

    // The same update again (a reconnect replaying it), and the same tick without an id again.
    store.ingest({ ...quote, tsUs: T, recvUs: T + 90, seq: 100 });
    store.ingest({ ...quote, tsUs: T, recvUs: T + 91 });
    await store.flush();
    s = store.getStorageStats();
    assert.equal(s.ticks_written, 3);
    assert.equal(s.ticks_duplicate, 2, 'each counted once as a duplicate');
    assertAccounted(s, 'after the duplicates');

    const page = await store.range({ symbol: quote.symbol, fromUs: T - 1, toUs: T + 1 });
    assert.deepEqual(page.tsUs, [T, T, T], 'range returns both updates and the one without id');
    assert.deepEqual(page.bid, [quote.bid, quote.bid, quote.bid]);
    assert.deepEqual(page.ask, [quote.ask, quote.ask, quote.ask]);
    const rows = viewRows(store, quote.symbol);
    assert.deepEqual(
      rows.map((r) => [r.seq, r.recv_us, r.exchange_us]),
      [
        [null, T + 42, T],
        [100, T + 40, T],
        [101, T + 41, T],
      ],
      'the view: seq NULL for none, the first of each identity kept',
    );
    const bars = await store.bars({
      symbol: quote.symbol,
      fromUs: T - (T % US_PER_MIN),
      toUs: T - (T % US_PER_MIN) + US_PER_MIN,
      timeframeSec: 60,
    });
    assert.deepEqual(bars.count, [3], 'the minute bar counts the three stored ticks');
  } finally {
    await store.stop();
  }
});

test('the largest update id and 0 are kept exactly', async () => {
  const { store } = await openTestStore('identity-range', NOW);
  try {
    store.ingest({ ...quote, tsUs: T, seq: 0 });
    store.ingest({ ...quote, tsUs: T, seq: Number.MAX_SAFE_INTEGER });
    assert.equal(store.ingest({ ...quote, tsUs: T, seq: Number.MAX_SAFE_INTEGER + 1 }), 'rejected');
    await store.flush();
    assert.deepEqual(
      viewRows(store, quote.symbol).map((r) => r.seq),
      [0, Number.MAX_SAFE_INTEGER],
    );
    assert.equal(store.getStorageStats().rejected_by_reason.sequence_invalid, 1);
  } finally {
    await store.stop();
  }
});

test('pages through ticks that differ only by update id return each tick once, whatever the page size', async () => {
  const { store } = await openTestStore('identity-paging', NOW, { readers: 1 });
  try {
    // Runs of equal (time, source, price) that differ by update id, in two sources and two times,
    // with ticks without an id among them.
    const ticks: TickInput[] = [];
    const runs = [
      { tsUs: T, source: 'binance', n: 7 },
      { tsUs: T, source: 'coinbase', n: 3 },
      { tsUs: T + 1, source: 'binance', n: 5 },
      { tsUs: T + 2, source: 'binance', n: 1 },
    ];
    let seq = 5_000;
    for (const r of runs)
      for (let k = 0; k < r.n; k++) ticks.push({ ...quote, source: r.source, tsUs: r.tsUs, seq: seq++ });
    ticks.push({ ...quote, tsUs: T + 1 }, { ...quote, source: 'coinbase', tsUs: T });
    for (const t of ticks) assert.equal(store.ingest(t), 'accepted');
    await store.flush();
    assert.equal(store.getStorageStats().ticks_written, ticks.length);
    const want = new Map<string, number>();
    for (const t of ticks) want.set(`${t.tsUs}|${t.source}`, (want.get(`${t.tsUs}|${t.source}`) ?? 0) + 1);
    for (const limit of [1, 2, 3, 4, 6, 100]) {
      const got = new Map<string, number>();
      let cursor: string | undefined;
      let pages = 0;
      do {
        const p = await store.range({ symbol: quote.symbol, fromUs: T - 10, toUs: T + 10, limit, cursor });
        assert.ok(p.tsUs.length <= limit);
        for (let i = 0; i < p.tsUs.length; i++) {
          const k = `${p.tsUs[i]}|${p.sources[p.source[i]]}`;
          got.set(k, (got.get(k) ?? 0) + 1);
        }
        cursor = p.nextCursor ?? undefined;
        assert.ok(++pages <= ticks.length + 1, `limit ${limit}: paging ends`);
      } while (cursor);
      assert.deepEqual(
        Object.fromEntries([...got].sort()),
        Object.fromEntries([...want].sort()),
        `limit ${limit}: every tick once`,
      );
      assert.equal(pages, Math.max(1, Math.ceil(ticks.length / limit)), `limit ${limit}: pages`);
    }
  } finally {
    await store.stop();
  }
});

test('a tick without an exchange time is stored without one and read back with recv = ts', async () => {
  const { store } = await openTestStore('no-exchange-time', NOW);
  try {
    // tsUs is the receive time; any recvUs given alongside is not a second time.
    store.ingest({ ...quote, tsUs: T, noExchangeTime: true });
    store.ingest({ ...quote, tsUs: T + 5, recvUs: T + 9, noExchangeTime: true, seq: 7 });
    // A tick with an exchange time, received 1 µs later: nothing is rounded.
    store.ingest({ ...quote, tsUs: T + 10, recvUs: T + 11 });
    await store.flush();
    const rows = viewRows(store, quote.symbol);
    assert.deepEqual(
      rows.map((r) => [r.ts_us, r.recv_us, r.exchange_us, r.seq]),
      [
        [T, T, null, null],
        [T + 5, T + 5, null, 7],
        [T + 10, T + 11, T + 10, null],
      ],
    );
    const raw = sqliteAll<{ r: number | null }>(
      dayFilePath(store.config.sqliteDir, utcDayIndex(NOW)),
      'SELECT r FROM q ORDER BY k',
    );
    assert.deepEqual(
      raw.map((x) => x.r),
      [null, null, 1],
      'stored as r NULL, not as an invented offset',
    );
    const page = await store.range({ symbol: quote.symbol, fromUs: T, toUs: T + 11 });
    assert.deepEqual(page.tsUs, [T, T + 5, T + 10]);
  } finally {
    await store.stop();
  }
});

/** Ticks that share time and prices in threes and differ by update id; every fourth has no exchange time. */
function journalTicks(n: number): TickInput[] {
  return Array.from({ length: n }, (_, i) => ({
    ...quote,
    tsUs: T + Math.floor(i / 3),
    ...(i % 4 === 0 ? { noExchangeTime: true } : { recvUs: T + Math.floor(i / 3) + 17 }),
    seq: 1_000_000 + i,
  }));
}

function assertJournalTicksStored(store: TickStore, n: number): void {
  const rows = viewRows(store, quote.symbol);
  assert.equal(rows.length, n, 'every tick is in the day file');
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  journalTicks(n).forEach((t) => {
    const r = bySeq.get(t.seq!);
    assert.ok(r, `seq ${t.seq} stored`);
    assert.equal(r.ts_us, t.tsUs);
    assert.equal(r.exchange_us, t.noExchangeTime ? null : t.tsUs, `seq ${t.seq}: exchange time`);
    assert.equal(r.recv_us, t.recvUs ?? t.tsUs, `seq ${t.seq}: receive time`);
  });
}

test('update ids and absent exchange times survive the spill journal (queue overflow)', async () => {
  // A small queue: a synchronous burst sends most batches straight to the journal.
  const { store } = await openTestStore('identity-overflow', NOW, { queueCapacity: 1_000, batchSize: 500 });
  try {
    const N = 6_000;
    for (const t of journalTicks(N)) assert.equal(store.ingest(t), 'accepted');
    await store.flush();
    assert.ok(store.getStorageStats().ticks_spilled > 0, 'some ticks went through the journal');
    await drained(store);
    const s = store.getStorageStats();
    assertAccounted(s, 'after replay');
    assert.equal(s.ticks_written, N, 'replay kept ticks that differ only by update id apart');
    assert.equal(s.ticks_duplicate, 0);
    assertJournalTicksStored(store, N);
  } finally {
    await store.stop();
  }
});

test('update ids and absent exchange times survive the journal when the disk refuses writes', async (t) => {
  const dir = makeTempDir('identity-diskfull');
  const fsys = mountTmpfs(t, path.join(dir, 'sqlite'), '4m');
  if (!fsys) return;
  // The day files on a small disk that fills up, the journal on another one.
  const { store } = await openTestStore('identity-diskfull', NOW, {
    dataDir: dir,
    retryBaseMs: 5,
    maxRetries: 1,
  });
  try {
    store.ingest({ ...quote, tsUs: T - 1 });
    await store.flush();
    const filler = fsys.fill();
    const N = 3_000;
    for (const tk of journalTicks(N)) store.ingest(tk);
    await waitFor('the full disk to refuse a write', () => store.getStorageStats().write_errors > 0, 10_000);
    await waitFor(
      'parked ticks to reach the journal',
      () => store.getStorageStats().ticks_spilled > 0,
      10_000,
    );
    await store.flush();
    assertAccounted(store.getStorageStats(), 'while the disk is full');
    fs.rmSync(filler);
    await drained(store);
    const s = store.getStorageStats();
    assertAccounted(s, 'after the disk freed');
    assert.equal(s.ticks_lost, 0, JSON.stringify(s.lost_by_reason));
    assert.equal(s.ticks_written, N + 1);
    await store.stop();
    const rows = viewRows(store, quote.symbol).filter((r) => r.ts_us >= T);
    assert.equal(rows.length, N);
    assert.equal(new Set(rows.map((r) => r.seq)).size, N, 'each update id once');
    assert.equal(rows.filter((r) => r.exchange_us === null).length, N / 4);
  } finally {
    await store.stop();
    fsys.unmount();
  }
});

test('journal replay from an earlier run keeps ticks of the same µs and price apart by update id', async () => {
  const { store, dir } = await openTestStore('identity-restart', NOW, {
    queueCapacity: 1_000,
    batchSize: 500,
  });
  const N = 4_500;
  // Stopped at once with a deadline of 0: what is not written waits in the journal for the next run.
  for (const tk of journalTicks(N)) store.ingest(tk);
  const r = await store.stop({ deadlineMs: 0 });
  const s1 = store.getStorageStats();
  assert.equal(s1.ticks_lost, 0, JSON.stringify(s1.lost_by_reason));
  assert.ok(r.pendingInJournal > 0, 'the next run has a journal to replay');
  const next = await openTestStore('identity-restart', NOW, { dataDir: dir });
  try {
    await waitFor(
      'the earlier run’s journal to be written',
      () => next.store.getStorageStats().spill_inherited_ticks === 0,
      30_000,
    );
    await next.store.flush();
    assertJournalTicksStored(next.store, N);
    assert.ok(r.pendingInJournal + s1.ticks_written === N, 'the first run wrote or journaled every tick');
  } finally {
    await next.store.stop();
  }
});

test('ticks of an hour ago without ids are unchanged by the new key (regression)', async () => {
  const { store } = await openTestStore('identity-noseq', NOW);
  try {
    for (let i = 0; i < 100; i++)
      store.ingest({
        symbol: 'EURUSD',
        bid: 1.1,
        ask: 1.1002,
        tsUs: NOW - US_PER_HOUR + (i >> 1),
        source: 'LP-A',
      });
    await store.flush();
    const s = store.getStorageStats();
    assert.equal(s.ticks_written, 50, 'equal ticks without an id are still one tick');
    assert.equal(s.ticks_duplicate, 50);
  } finally {
    await store.stop();
  }
});
