// Values come back to the last digit: through the engine's own queries, through the documented
// `ticks` view (better-sqlite3, read-only) and through the stock sqlite3 shell.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { dayFilePath } from '../../../electron/engine/storage/dayPath.ts';
import { SCHEMA_VERSION } from '../../../electron/engine/storage/daySchema.ts';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { US_PER_DAY, US_PER_HOUR, utcDayIndex } from '../../../shared/time.ts';
import { DUKASCOPY_FILES, loadDukascopyTicks } from '../../helpers/dukascopy.ts';
import { sqliteAll, sqliteCount } from '../../helpers/sqliteFiles.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const NOW = Date.UTC(2026, 6, 14, 1) * 1000;
let store: TickStore;
let sqliteDir: string;
const files: { file: string; symbol: string; ticks: TickInput[]; day: number }[] = [];

before(async () => {
  const t = await openTestStore('roundtrip', NOW);
  store = t.store;
  sqliteDir = store.config.sqliteDir;
  for (const [file, symbol] of Object.entries(DUKASCOPY_FILES)) {
    const ticks = loadDukascopyTicks(file, symbol);
    files.push({ file, symbol, ticks, day: utcDayIndex(ticks[0].tsUs) });
    for (const tk of ticks) assert.equal(store.ingest(tk), 'accepted');
  }
  await store.flush();
});
after(async () => {
  await store?.stop();
});

test('store.range returns exactly the ingested ts, bid and ask of every file', async () => {
  for (const f of files) {
    const fromUs = f.ticks[0].tsUs - (f.ticks[0].tsUs % US_PER_HOUR);
    const page = await store.range({ symbol: f.symbol, fromUs, toUs: fromUs + US_PER_HOUR });
    assert.equal(page.nextCursor, null);
    assert.equal(page.tsUs.length, f.ticks.length, f.file);
    assert.deepEqual(
      page.tsUs,
      f.ticks.map((t) => t.tsUs),
      `${f.file} ts`,
    );
    assert.deepEqual(
      page.bid,
      f.ticks.map((t) => t.bid),
      `${f.file} bid`,
    );
    assert.deepEqual(
      page.ask,
      f.ticks.map((t) => t.ask),
      `${f.file} ask`,
    );
    assert.deepEqual(page.sources, ['dukascopy']);
  }
});

test('the ticks view answers the documented query with identical values, sizes included', () => {
  for (const f of files) {
    const db = dayFilePath(sqliteDir, f.day);
    const rows = sqliteAll<{ symbol: string; ts_us: number; bid: number; ask: number; source: string }>(
      db,
      'SELECT symbol, ts_us, bid, ask, source FROM ticks WHERE symbol = ? ORDER BY ts_us',
      f.symbol,
    );
    assert.deepEqual(
      rows,
      f.ticks.map((t) => ({ symbol: f.symbol, ts_us: t.tsUs, bid: t.bid, ask: t.ask, source: 'dukascopy' })),
      f.file,
    );
    const sizes = sqliteAll<{ bid_size: number; ask_size: number }>(
      db,
      'SELECT bid_size, ask_size FROM ticks WHERE symbol = ? ORDER BY ts_us',
      f.symbol,
    );
    assert.deepEqual(
      sizes,
      f.ticks.map((t) => ({ bid_size: t.bidSize, ask_size: t.askSize })),
      `${f.file} sizes`,
    );
  }
});

test('day files carry the schema version', () => {
  for (const f of files) {
    const [row] = sqliteAll<{ user_version: number }>(dayFilePath(sqliteDir, f.day), 'PRAGMA user_version');
    assert.equal(row.user_version, SCHEMA_VERSION);
  }
});

test(
  'the stock sqlite3 shell reads the same values',
  { skip: !fs.existsSync('/usr/bin/sqlite3') && 'no /usr/bin/sqlite3 on this machine' },
  () => {
    const f = files.find((x) => x.file === 'btcusd-2023-02-20T12.json')!;
    const out = execFileSync(
      '/usr/bin/sqlite3',
      [
        '-readonly',
        '-json',
        dayFilePath(sqliteDir, f.day),
        'SELECT symbol, ts_us, bid, ask, source FROM ticks ORDER BY ts_us',
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    // The shell prints 17+ significant digits in JSON mode; parsing gives back the stored doubles.
    const rows = JSON.parse(out) as {
      symbol: string;
      ts_us: number;
      bid: number;
      ask: number;
      source: string;
    }[];
    assert.equal(rows.length, f.ticks.length);
    for (let i = 0; i < rows.length; i++) {
      const t = f.ticks[i];
      assert.deepEqual(rows[i], {
        symbol: 'BTCUSD',
        ts_us: t.tsUs,
        bid: t.bid,
        ask: t.ask,
        source: 'dukascopy',
      });
    }
  },
);

test('prices beyond the file scale (wide rows), integral and huge prices round-trip exactly', async () => {
  const base = Date.UTC(2026, 6, 13, 20) * 1000;
  const prices: [number, number][] = [
    [1.08123, 1.08131], // fixes WIDE's scale at 1e5
    [1.0812345678901234, 1.0812445678901237], // needs more digits than any scale
    [2, 3], // integral
    [123456789012.12344, 123456789012.12346], // scaled value beyond 2^53
    [1e-9, 2e-9], // smaller than the scale
    [1.08124, 1.08124], // back to normal
    [Number.MIN_VALUE, Number.MAX_VALUE],
  ];
  prices.forEach(([bid, ask], i) =>
    assert.equal(
      store.ingest({ symbol: 'WIDE', bid, ask, tsUs: base + i, bidSize: 1.123456789, askSize: 0 }),
      'accepted',
    ),
  );
  await store.flush();
  const page = await store.range({ symbol: 'WIDE', fromUs: base, toUs: base + 1000 });
  assert.deepEqual(
    page.bid,
    prices.map((p) => p[0]),
  );
  assert.deepEqual(
    page.ask,
    prices.map((p) => p[1]),
  );
  const rows = sqliteAll<{ bid: number; ask: number; bid_size: number; ask_size: number }>(
    dayFilePath(sqliteDir, utcDayIndex(base)),
    "SELECT bid, ask, bid_size, ask_size FROM ticks WHERE symbol = 'WIDE' ORDER BY ts_us",
  );
  assert.deepEqual(
    rows.map((r) => [r.bid, r.ask]),
    prices,
  );
  assert.ok(rows.every((r) => r.bid_size === 1.123456789 && r.ask_size === 0));
  const bars = await store.bars({
    symbol: 'WIDE',
    fromUs: base,
    toUs: base + US_PER_DAY,
    timeframeSec: 60,
  });
  assert.deepEqual(
    [bars.bid.open[0], bars.bid.high[0], bars.bid.low[0], bars.bid.close[0]],
    [1.08123, 123456789012.12344, Number.MIN_VALUE, Number.MIN_VALUE],
  );
});

test('ticks without sizes read back as NULL sizes; recv_us is kept', async () => {
  const base = Date.UTC(2026, 6, 13, 21) * 1000;
  store.ingest({ symbol: 'NOSIZE', bid: 10.5, ask: 10.6, tsUs: base, recvUs: base + 777 });
  await store.flush();
  const db = dayFilePath(sqliteDir, utcDayIndex(base));
  assert.equal(sqliteCount(db, "symbol = 'NOSIZE'"), 1);
  const [row] = sqliteAll<Record<string, unknown>>(db, "SELECT * FROM ticks WHERE symbol = 'NOSIZE'");
  assert.deepEqual(row, {
    symbol: 'NOSIZE',
    ts_us: base,
    bid: 10.5,
    ask: 10.6,
    source: 'default',
    recv_us: base + 777,
    exchange_us: base,
    seq: null,
    bid_size: null,
    ask_size: null,
  });
});

test('the ticks view reads one symbol by its key range, not the whole day', () => {
  const f = files[0];
  const plan = sqliteAll<{ detail: string }>(
    dayFilePath(sqliteDir, f.day),
    'EXPLAIN QUERY PLAN SELECT ts_us, bid, ask FROM ticks WHERE symbol = ?',
    f.symbol,
  ).map((r) => r.detail);
  assert.ok(
    plan.some((d) => /SEARCH q USING PRIMARY KEY \(k>\? AND k<\?\)/.test(d)),
    plan.join(' | '),
  );
  assert.ok(!plan.some((d) => /SCAN q/.test(d)), plan.join(' | '));
});
