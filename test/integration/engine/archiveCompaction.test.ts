// Compaction into the archive tier is lossless: day files written by the real engine (every value
// kind, and the vendored Dukascopy days) are compacted and swapped in, and every stored value,
// bar, dictionary and feed event reads back the same, through the archive's own decoders and
// through the engine's reader.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { before, test } from 'node:test';
import Database from 'better-sqlite3';
import { swapInArchive } from '../../../electron/engine/archive/archiveSwap.ts';
import { decodeBars, BAR_COLUMNS } from '../../../electron/engine/archive/barsCodec.ts';
import type { PreparedArchive } from '../../../electron/engine/archive/compactDay.ts';
import { TMP_SUFFIX, prepareArchive } from '../../../electron/engine/archive/compactDay.ts';
import { TickReader } from '../../../electron/engine/reader/tickReader.ts';
import { dayFilePath } from '../../../electron/engine/storage/dayPath.ts';
import { FEED_EVENT_COLUMNS, SCHEMA_VERSION } from '../../../electron/engine/storage/daySchema.ts';
import { PACKED_COLUMNS } from '../../../electron/engine/workers/readerApi.ts';
import type { PackedTicks } from '../../../electron/engine/workers/readerApi.ts';
import type { BarColumns } from '../../../shared/bars.ts';
import type { DayInfo } from '../../../shared/catalog.ts';
import { US_PER_DAY, dayIndexToStartUs, utcDayIndex } from '../../../shared/time.ts';
import { DUKASCOPY_FILES, loadDukascopyTicks } from '../../helpers/dukascopy.ts';
import type { StoredDay } from '../../fixtures/archive/archiveDay.ts';
import { readBars, readBlock } from '../../fixtures/archive/readmeReader.ts';
import {
  ARCHIVE_DAY,
  assertSameRows,
  everyKindFeedEvents,
  everyKindTicks,
  readStoredDay,
  recordDays,
} from '../../fixtures/archive/archiveDay.ts';

const BLOCK_ROWS = 1000;

/** What a day file held before compaction, read every way the tests compare. */
interface Before {
  day: number;
  path: string;
  stored: StoredDay;
  /** Table contents that must survive as they are (dictionaries, feed events, day meta). */
  tables: Record<string, unknown[][]>;
  bars: Map<string, unknown[][]>;
  ticks: Map<string, PackedTicks>;
  charts: Map<string, BarColumns>;
  info: DayInfo;
}

let dataDir = '';
let sqliteDir = '';
const days: Before[] = [];
const prepared = new Map<number, PreparedArchive>();

function tablesOf(db: Database.Database): Record<string, unknown[][]> {
  const all = (sql: string) => db.prepare(sql).raw(true).all() as unknown[][];
  return {
    symbols: all(
      'SELECT id, name, scale, size_scale, count, src_min, src_max, first_t, last_t FROM symbols ORDER BY id',
    ),
    sources: all('SELECT id, name FROM sources ORDER BY id'),
    symbol_sources: all('SELECT sym, src FROM symbol_sources ORDER BY sym, src'),
    feed_events: all(`SELECT ${FEED_EVENT_COLUMNS} FROM feed_events ORDER BY ts_us, rowid`),
    day_start: all("SELECT value FROM meta WHERE key = 'day_start_us'"),
  };
}

function symbolNames(stored: StoredDay): string[] {
  return [...stored.rows.keys()].sort();
}

/** Everything the engine's reader answers for a day: ticks and 1-minute charts of each symbol. */
function readerView(
  reader: TickReader,
  day: number,
  names: readonly string[],
): { ticks: Map<string, PackedTicks>; charts: Map<string, BarColumns> } {
  const from = dayIndexToStartUs(day);
  const ticks = new Map<string, PackedTicks>();
  const charts = new Map<string, BarColumns>();
  for (const s of names) {
    ticks.set(s, reader.range(s, from, from + US_PER_DAY, 10_000_000, undefined, null, true));
    charts.set(s, reader.bars(s, from, from + US_PER_DAY, 60, null));
  }
  return { ticks, charts };
}

before(async () => {
  const ticks = everyKindTicks(ARCHIVE_DAY, 6_000);
  for (const [file, symbol] of Object.entries(DUKASCOPY_FILES))
    ticks.push(...loadDukascopyTicks(file, symbol));
  const rec = await recordDays('archive-compaction', ticks, everyKindFeedEvents(ARCHIVE_DAY));
  dataDir = rec.dataDir;
  sqliteDir = rec.sqliteDir;
  const dayIndexes = [...new Set(ticks.map((t) => utcDayIndex(t.tsUs)))].sort((a, b) => a - b);
  const reader = new TickReader(sqliteDir);
  try {
    const infos = reader.days();
    for (const day of dayIndexes) {
      const path = dayFilePath(sqliteDir, day);
      const stored = readStoredDay(path);
      assert.equal(stored.archived, false);
      const db = new Database(path, { readonly: true, fileMustExist: true });
      const bars = new Map<string, unknown[][]>();
      let tables: Record<string, unknown[][]>;
      try {
        tables = tablesOf(db);
        for (const [id, name] of tables.symbols as [number, string][])
          bars.set(
            name,
            db
              .prepare(`SELECT ${BAR_COLUMNS.join(', ')} FROM bars_1m WHERE sym = ? ORDER BY m`)
              .raw(true)
              .all(id) as unknown[][],
          );
      } finally {
        db.close();
      }
      const info = infos.find((d) => d.path === path);
      assert.ok(info, `reader lists ${path}`);
      days.push({ day, path, stored, tables, bars, info, ...readerView(reader, day, symbolNames(stored)) });
    }
  } finally {
    reader.close();
  }
  for (const b of days) {
    const p = prepareArchive(b.path, b.day, { blockRows: BLOCK_ROWS });
    assert.equal(swapInArchive(p), 'swapped', b.path);
    prepared.set(b.day, p);
  }
});

test('the day files hold every value kind before compaction', () => {
  const mixed = days.find((b) => b.day === ARCHIVE_DAY)!.stored.rows.get('MIXED')!;
  let crossed = 0;
  let wide = 0;
  let repeatedT = 0;
  let noSize = 0;
  let negatedSize = 0;
  let withSeq = 0;
  let noExchangeTime = 0;
  for (let i = 0; i < mixed.n; i++) {
    if (mixed.src[i] >= 0 && mixed.s[i] < 0) crossed++;
    if (mixed.src[i] < 0) wide++;
    if (i > 0 && mixed.t[i] === mixed.t[i - 1]) repeatedT++;
    if (Number.isNaN(mixed.bs[i])) noSize++;
    if (mixed.bs[i] < 0) negatedSize++;
    if (mixed.u[i] > 0) withSeq++;
    if (Number.isNaN(mixed.r[i])) noExchangeTime++;
  }
  for (const [what, n] of Object.entries({
    crossed,
    wide,
    repeatedT,
    noSize,
    negatedSize,
    withSeq,
    noExchangeTime,
  }))
    assert.ok(n > 10, `MIXED has ${n} ${what} rows`);
  assert.ok(mixed.n > 3 * BLOCK_ROWS, 'several blocks');
  const sources = new Set<number>();
  for (let i = 0; i < mixed.n; i++) sources.add(mixed.src[i] >= 0 ? mixed.src[i] : -1 - mixed.src[i]);
  assert.equal(sources.size, 3);
});

test('every stored value reads back bit for bit from the archived files', () => {
  for (const b of days) {
    const after = readStoredDay(b.path);
    assert.equal(after.archived, true, b.path);
    assertSameRows(after.rows, b.stored.rows, b.path);
    assert.deepEqual(after.checksums, b.stored.checksums, `${b.path} checksums`);
  }
});

test('the archived files keep their dictionaries, feed events and bars, and no q rows', () => {
  for (const b of days) {
    const db = new Database(b.path, { readonly: true, fileMustExist: true });
    try {
      assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      assert.deepEqual(tablesOf(db), b.tables, b.path);
      assert.equal(db.prepare('SELECT count(*) FROM q').pluck().get(), 0);
      const symbols = b.tables.symbols as [number, string][];
      for (const [id, name] of symbols) {
        const data = db.prepare('SELECT data FROM bars_blocks WHERE sym = ?').pluck().get(id) as Buffer;
        const bars = decodeBars(data);
        const want = b.bars.get(name)!;
        assert.equal(bars.length, want.length, `${name} bars`);
        for (let i = 0; i < want.length; i++)
          for (let c = 0; c < BAR_COLUMNS.length; c++)
            assert.ok(
              Object.is(bars[i][c], want[i][c]),
              `${name} bar ${i} ${BAR_COLUMNS[c]}: ${bars[i][c]} vs ${String(want[i][c])}`,
            );
        // Blocks of at most BLOCK_ROWS rows, in time order, their index columns true to their rows.
        const blocks = db
          .prepare(
            'SELECT t_first AS tFirst, t_last AS tLast, n FROM blocks WHERE sym = ? ORDER BY t_first, id',
          )
          .all(id) as { tFirst: number; tLast: number; n: number }[];
        const rows = b.stored.rows.get(name)!;
        let at = 0;
        for (const k of blocks) {
          assert.ok(k.n > 0 && k.n <= BLOCK_ROWS);
          assert.equal(k.tFirst, rows.t[at]);
          assert.equal(k.tLast, rows.t[at + k.n - 1]);
          at += k.n;
        }
        assert.equal(at, rows.n, `${name} blocks cover every row`);
      }
      const meta = Object.fromEntries(
        db.prepare('SELECT key, value FROM meta').raw(true).all() as [string, string][],
      );
      const p = prepared.get(b.day)!;
      assert.equal(meta.tier, 'archived');
      assert.equal(meta.live_bytes, String(p.bytesBefore));
      assert.equal(meta.block_rows, String(BLOCK_ROWS));
      assert.match(meta.codec, /^tsb1\+zstd\d+$/);
    } finally {
      db.close();
    }
    assert.equal(fs.existsSync(b.path + TMP_SUFFIX), false, 'no compacting file is left');
    const p = prepared.get(b.day)!;
    assert.ok(p.bytesAfter < p.bytesBefore, `${b.path}: ${p.bytesAfter} bytes from ${p.bytesBefore}`);
    assert.equal(
      p.ticks,
      [...b.stored.rows.values()].reduce((a, r) => a + r.n, 0),
    );
  }
});

test('the engine reader answers the same ticks, charts and day counts after compaction', () => {
  const reader = new TickReader(sqliteDir);
  try {
    const infos = reader.days();
    for (const b of days) {
      const now = readerView(reader, b.day, symbolNames(b.stored));
      for (const [symbol, want] of b.ticks) {
        const got = now.ticks.get(symbol)!;
        assert.deepEqual(got.sources, want.sources, `${symbol} sources`);
        assert.equal(got.nextCursor, null);
        for (const c of PACKED_COLUMNS) {
          assert.equal(got[c].length, want[c].length, `${b.path} ${symbol} ${c} length`);
          for (let i = 0; i < want[c].length; i++)
            if (!Object.is(got[c][i], want[c][i]))
              assert.fail(`${symbol} tick ${i} ${c}: ${got[c][i]} vs ${want[c][i]}`);
        }
      }
      for (const [symbol, want] of b.charts)
        assert.deepEqual(now.charts.get(symbol), want, `${symbol} 1-minute chart`);
      const info = infos.find((d) => d.path === b.path)!;
      assert.equal(info.ticks, b.info.ticks, `${b.path} ticks`);
      assert.equal(info.symbols, b.info.symbols, `${b.path} symbols`);
      assert.equal(b.info.tier, 'live');
      assert.equal(info.tier, 'archived');
      assert.equal(info.liveBytes, prepared.get(b.day)!.bytesBefore);
      assert.equal(info.lateTicks, 0);
    }
  } finally {
    reader.close();
  }
});

test('a reader written from the README alone gets every tick and bar out of the archived files', () => {
  for (const b of days) {
    const db = new Database(b.path, { readonly: true, fileMustExist: true });
    try {
      const dayStart = Number(db.prepare("SELECT value FROM meta WHERE key = 'day_start_us'").pluck().get());
      const symbols = db.prepare('SELECT id, name, scale, size_scale FROM symbols').all() as {
        id: number;
        name: string;
        scale: number;
        size_scale: number;
      }[];
      for (const sym of symbols) {
        const cols: Record<string, number[]> = {};
        const blocks = db
          .prepare('SELECT data, crc FROM blocks WHERE sym = ? ORDER BY t_first, id')
          .all(sym.id) as { data: Buffer; crc: number }[];
        for (const k of blocks) {
          const { columns, crcOk } = readBlock(k.data, k.crc);
          assert.ok(crcOk, `${sym.name}: block crc`);
          for (const [c, v] of Object.entries(columns)) (cols[c] ??= []).push(...v);
        }
        // Prices, sizes and times by the README's rules, against what the reader answered before.
        const want = b.ticks.get(sym.name)!;
        const size = (v: number) => (Number.isNaN(v) ? Number.NaN : v >= 0 ? v / sym.size_scale : -v);
        const got = {
          tsUs: cols.t.map((t) => dayStart + t),
          bid: cols.src.map((src, i) => (src >= 0 ? cols.b[i] / sym.scale : cols.b[i])),
          ask: cols.src.map((src, i) => (src >= 0 ? (cols.b[i] + cols.s[i]) / sym.scale : cols.s[i])),
          bidSize: cols.bs.map(size),
          askSize: cols.asz.map(size),
        };
        for (const [c, values] of Object.entries(got)) {
          const expected = want[c as keyof typeof got];
          assert.equal(values.length, expected.length, `${sym.name} ${c}`);
          for (let i = 0; i < values.length; i++)
            if (!Object.is(values[i], expected[i]))
              assert.fail(`${sym.name} tick ${i} ${c}: ${values[i]} vs ${expected[i]}`);
        }
        const data = db.prepare('SELECT data FROM bars_blocks WHERE sym = ?').pluck().get(sym.id) as Buffer;
        assert.deepEqual(readBars(data), b.bars.get(sym.name), `${sym.name} bars`);
      }
    } finally {
      db.close();
    }
  }
});

test('compacting an archived day again changes nothing', () => {
  const b = days.find((x) => x.day === ARCHIVE_DAY)!;
  const p = prepareArchive(b.path, b.day, { blockRows: BLOCK_ROWS });
  assert.equal(swapInArchive(p), 'swapped');
  const again = readStoredDay(b.path);
  assertSameRows(again.rows, b.stored.rows, 'second compaction');
  assert.deepEqual(again.checksums, b.stored.checksums);
});

test(
  "the stock sqlite3 shell reads an archived day's catalogs and block index (the README query)",
  { skip: !fs.existsSync('/usr/bin/sqlite3') && 'no /usr/bin/sqlite3 on this machine' },
  () => {
    const b = days.find((x) => x.day === ARCHIVE_DAY)!;
    const sql = `SELECT s.name AS symbol, count(*) AS blocks, sum(b.n) AS ticks,
        (SELECT value FROM meta WHERE key = 'day_start_us') + min(b.t_first) AS first_us,
        min(b.bid_min) AS bid_low, max(b.ask_max) AS ask_high
      FROM blocks AS b JOIN symbols AS s ON s.id = b.sym GROUP BY s.name ORDER BY s.name`;
    const out = execFileSync('/usr/bin/sqlite3', ['-readonly', '-json', b.path, sql], { encoding: 'utf8' });
    const rows = JSON.parse(out) as {
      symbol: string;
      blocks: number;
      ticks: number;
      first_us: number;
      bid_low: number;
      ask_high: number;
    }[];
    assert.deepEqual(
      rows.map((r) => r.symbol),
      symbolNames(b.stored),
    );
    const start = dayIndexToStartUs(b.day);
    for (const r of rows) {
      const stored = b.stored.rows.get(r.symbol)!;
      assert.equal(r.ticks, stored.n);
      assert.equal(r.blocks, Math.ceil(stored.n / BLOCK_ROWS));
      assert.equal(r.first_us, start + stored.t[0]);
      const ticks = b.ticks.get(r.symbol)!;
      assert.equal(r.bid_low, Math.min(...ticks.bid));
      assert.equal(r.ask_high, Math.max(...ticks.ask));
    }
  },
);

test('a late tick on an archived day is kept as a row, and compacting the day again folds it in', async () => {
  const b = days.find((x) => x.day === ARCHIVE_DAY)!;
  const archivedTick = everyKindTicks(ARCHIVE_DAY, 6_000).find((t) => t.symbol === 'HUGE')!;
  const late = {
    symbol: 'MIXED',
    source: 'lp4',
    bid: 1.5,
    ask: 1.25,
    tsUs: dayIndexToStartUs(ARCHIVE_DAY) + 7,
  };
  await recordDays('unused', [late, archivedTick], [], { dataDir });
  const withLate = readStoredDay(b.path);
  assert.equal(withLate.archived, true);
  // The writer added back what it needs; bars_1m and the ticks view cover the late tick only.
  const shell = new Database(b.path, { readonly: true, fileMustExist: true });
  try {
    assert.deepEqual(shell.prepare('SELECT symbol, bid, ask, source FROM ticks').all(), [
      { symbol: 'MIXED', bid: 1.5, ask: 1.25, source: 'lp4' },
    ]);
    assert.equal(shell.prepare('SELECT count(*) FROM bars_1m').pluck().get(), 1);
  } finally {
    shell.close();
  }
  const mixed = withLate.rows.get('MIXED')!;
  assert.equal(
    mixed.n,
    b.stored.rows.get('MIXED')!.n + 1,
    'the late tick is stored once, the re-sent one not again',
  );
  assert.equal(withLate.rows.get('HUGE')!.n, b.stored.rows.get('HUGE')!.n);
  const reader = new TickReader(sqliteDir);
  let chart: BarColumns;
  try {
    assert.equal(reader.days().find((d) => d.path === b.path)!.lateTicks, 1);
    chart = reader.bars('MIXED', dayIndexToStartUs(b.day), dayIndexToStartUs(b.day) + US_PER_DAY, 60, null);
  } finally {
    reader.close();
  }
  const p = prepareArchive(b.path, b.day, { blockRows: BLOCK_ROWS });
  assert.equal(swapInArchive(p), 'swapped');
  const folded = readStoredDay(b.path);
  assertSameRows(folded.rows, withLate.rows, 'after folding the late tick in');
  const db = new Database(b.path, { readonly: true, fileMustExist: true });
  try {
    assert.equal(db.prepare('SELECT count(*) FROM q').pluck().get(), 0);
  } finally {
    db.close();
  }
  const again = new TickReader(sqliteDir);
  try {
    assert.equal(again.days().find((d) => d.path === b.path)!.lateTicks, 0);
    assert.deepEqual(
      again.bars('MIXED', dayIndexToStartUs(b.day), dayIndexToStartUs(b.day) + US_PER_DAY, 60, null),
      chart,
    );
  } finally {
    again.close();
  }
});
