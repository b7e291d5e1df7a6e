// Day-file schema 3 and on: the update id in the key of q, r NULL for ticks without an exchange
// time, the feed_events table, symbol_sources (version 4), and the migration of a version 2 file
// (a fixture the version 2 engine wrote): read as it is before, every tick read back after.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { dayFilePath } from '../../../electron/engine/storage/dayPath.ts';
import { SCHEMA_VERSION, migrateDayFile } from '../../../electron/engine/storage/daySchema.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { US_PER_DAY, US_PER_HOUR, dayIndexToStartUs, dayKeyToIndex } from '../../../shared/time.ts';
import { sqliteAll } from '../../helpers/sqliteFiles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures/engine/v2');
const V2_FILE = path.join(FIXTURES, 'ticks_2026-03-04.db');
const V2_TICKS = (
  JSON.parse(fs.readFileSync(path.join(FIXTURES, 'ticks_2026-03-04.json'), 'utf8')) as { ticks: TickInput[] }
).ticks;
const DAY = dayKeyToIndex('2026-03-04')!;
const DAY_START = dayIndexToStartUs(DAY);

/** The fixture placed where a store under `dir` finds it. */
function placeV2(dir: string): string {
  const target = dayFilePath(path.join(dir, 'sqlite'), DAY);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(V2_FILE, target);
  return target;
}

const SYMBOLS = [...new Set(V2_TICKS.map((t) => t.symbol))];

interface TicksRow {
  symbol: string;
  ts_us: number;
  bid: number;
  ask: number;
  source: string;
  recv_us: number;
  exchange_us: number | null;
  seq: number | null;
  bid_size: number | null;
  ask_size: number | null;
}

test('the fixture is a version 2 file', () => {
  assert.deepEqual(sqliteAll(V2_FILE, 'PRAGMA user_version'), [{ user_version: 2 }]);
  assert.equal(V2_TICKS.length, 43);
});

test('a version 2 file is read as it is; written to, it becomes the current version and every tick reads back', async () => {
  const dir = makeTempDir('schema-v3');
  const file = placeV2(dir);
  // Two days later: the writer leaves the file alone until a tick of its day arrives.
  const { store } = await openTestStore('schema-v3', DAY_START + 2 * US_PER_DAY + US_PER_HOUR, {
    dataDir: dir,
  });
  const readAll = async () => {
    const out = new Map<string, { tsUs: number[]; bid: number[]; ask: number[]; source: string[] }>();
    for (const symbol of SYMBOLS) {
      // Page size 1: the cursor of an old layout (no update id) walks every row.
      const acc = { tsUs: [] as number[], bid: [] as number[], ask: [] as number[], source: [] as string[] };
      let cursor: string | undefined;
      do {
        const p = await store.range({
          symbol,
          fromUs: DAY_START,
          toUs: DAY_START + US_PER_DAY,
          limit: 1,
          cursor,
        });
        acc.tsUs.push(...p.tsUs);
        acc.bid.push(...p.bid);
        acc.ask.push(...p.ask);
        acc.source.push(...p.source.map((i) => p.sources[i]));
        cursor = p.nextCursor ?? undefined;
      } while (cursor);
      out.set(symbol, acc);
    }
    return out;
  };
  const expectAll = (got: Awaited<ReturnType<typeof readAll>>, ticks: TickInput[], when: string) => {
    for (const symbol of SYMBOLS) {
      const want = ticks.filter((t) => t.symbol === symbol);
      const g = got.get(symbol)!;
      // Equal times are in source-id order: compare as sets of rows at each time.
      const rows = g.tsUs.map((t, i) => `${t}|${g.source[i]}|${g.bid[i]}|${g.ask[i]}`).sort();
      const expected = want.map((t) => `${t.tsUs}|${t.source ?? 'default'}|${t.bid}|${t.ask}`).sort();
      assert.deepEqual(rows, expected, `${when}: ${symbol}`);
    }
  };
  const sourcesOf = (ticks: TickInput[]) =>
    SYMBOLS.map((symbol) => [
      symbol,
      [...new Set(ticks.filter((t) => t.symbol === symbol).map((t) => t.source ?? 'default'))].sort(),
    ]);
  const listedSources = async () => (await store.listSymbols()).map((x) => [x.symbol, x.sources]);
  try {
    expectAll(await readAll(), V2_TICKS, 'before the migration');
    // No symbol_sources in a version 2 file: the list reads the sources from the ticks.
    assert.deepEqual(await listedSources(), sourcesOf(V2_TICKS).sort());
    assert.deepEqual(
      sqliteAll(file, 'PRAGMA user_version'),
      [{ user_version: 2 }],
      'reading does not migrate',
    );

    // A late tick for that day: the writer opens the file, migrates it and adds the tick.
    const lateTick: TickInput = {
      symbol: 'EURUSD',
      bid: 1.081,
      ask: 1.0811,
      tsUs: DAY_START + 7_300_000_000,
      source: 'LP-A',
      seq: 5,
      recvUs: DAY_START + 7_300_000_009,
    };
    assert.equal(store.ingest(lateTick), 'accepted');
    await store.flush();
    const s = store.getStorageStats();
    assert.equal(s.ticks_written, 1, 'a tick equal to an old one but with an update id is a new tick');
    assert.equal(s.ticks_duplicate, 0);
    assert.deepEqual(sqliteAll(file, 'PRAGMA user_version'), [{ user_version: SCHEMA_VERSION }]);
    assert.equal(SCHEMA_VERSION, 5);

    expectAll(await readAll(), [...V2_TICKS, lateTick], 'after the migration');
    // The migration filled symbol_sources from the ticks it had; the list now reads only that.
    assert.deepEqual(await listedSources(), sourcesOf([...V2_TICKS, lateTick]).sort());
    const catalog = sqliteAll<{ name: string; source: string }>(
      file,
      `SELECT sy.name AS name, so.name AS source FROM symbol_sources ss
       JOIN symbols sy ON sy.id = ss.sym JOIN sources so ON so.id = ss.src ORDER BY 1, 2`,
    );
    assert.deepEqual(
      SYMBOLS.map((symbol) => [symbol, catalog.filter((r) => r.name === symbol).map((r) => r.source)]).sort(),
      sourcesOf([...V2_TICKS, lateTick]).sort(),
    );
  } finally {
    await store.stop();
  }

  // The layout on disk: u is the last key column, feed_events exists, the old pages were given back.
  const cols = sqliteAll<{ name: string; pk: number; notnull: number }>(file, 'PRAGMA table_info(q)');
  assert.deepEqual(
    cols.filter((c) => c.pk > 0).map((c) => [c.pk, c.name]),
    [
      [1, 'k'],
      [2, 'src'],
      [3, 'b'],
      [4, 's'],
      [5, 'u'],
    ],
  );
  assert.equal(cols.find((c) => c.name === 'u')?.notnull, 1);
  assert.deepEqual(
    sqliteAll(file, 'PRAGMA freelist_count'),
    [{ freelist_count: 0 }],
    'vacuumed after the rebuild',
  );
  assert.equal(
    sqliteAll<{ n: number }>(file, "SELECT count(*) AS n FROM sqlite_schema WHERE name = 'q_v3'")[0].n,
    0,
  );
  assert.deepEqual(sqliteAll(file, 'SELECT count(*) AS n FROM feed_events'), [{ n: 0 }]);

  // Every tick through the documented view of a plain connection, with the new columns.
  const rows = sqliteAll<TicksRow>(file, 'SELECT * FROM ticks ORDER BY symbol, ts_us, source, seq');
  assert.deepEqual(Object.keys(rows[0]), [
    'symbol',
    'ts_us',
    'bid',
    'ask',
    'source',
    'recv_us',
    'exchange_us',
    'seq',
    'bid_size',
    'ask_size',
  ]);
  assert.equal(rows.length, V2_TICKS.length + 1);
  const key = (r: { symbol: string; ts_us: number; source: string; seq: number | null }) =>
    `${r.symbol}|${r.ts_us}|${r.source}|${r.seq}`;
  const viewByKey = new Map(rows.map((r) => [key(r), r]));
  for (const t of V2_TICKS) {
    const r = viewByKey.get(
      key({ symbol: t.symbol, ts_us: t.tsUs, source: t.source ?? 'default', seq: null }),
    );
    assert.ok(r, `${t.symbol} ${t.tsUs} ${t.source} is in the view`);
    assert.deepEqual(
      [r.bid, r.ask, r.recv_us, r.exchange_us, r.seq, r.bid_size, r.ask_size],
      [t.bid, t.ask, t.recvUs, t.tsUs, null, t.bidSize ?? null, t.askSize ?? null],
      `${t.symbol} ${t.tsUs}`,
    );
  }
  const late = viewByKey.get(
    key({ symbol: 'EURUSD', ts_us: DAY_START + 7_300_000_000, source: 'LP-A', seq: 5 }),
  );
  assert.equal(late?.recv_us, DAY_START + 7_300_000_009);
});

test('a new day file is created at the current version with the documented tables', () => {
  const file = path.join(makeTempDir('schema-new'), 'ticks.db');
  const db = new Database(file);
  try {
    assert.equal(migrateDayFile(db, file, DAY_START), 0, 'reported as created now');
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    const cols = (t: string) =>
      (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
    assert.deepEqual(cols('q'), ['k', 'src', 'b', 's', 'u', 'r', 'bs', 'asz']);
    assert.deepEqual(cols('symbol_sources'), ['sym', 'src']);
    assert.deepEqual(cols('feed_events'), [
      'ts_us',
      'feed',
      'source',
      'kind',
      'symbol',
      'code',
      'reason',
      'from_seq',
      'to_seq',
      'since_us',
    ]);
    const plan = (
      db.prepare('EXPLAIN QUERY PLAN SELECT * FROM feed_events WHERE ts_us >= ? AND ts_us < ?').all(0, 1) as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    assert.ok(
      plan.some((d) => /USING INDEX feed_events_ts/.test(d)),
      plan.join(' | '),
    );
    // Opening it again changes nothing, and an outdated view is rewritten.
    db.exec('DROP VIEW ticks; CREATE VIEW ticks AS SELECT 1 AS stale');
    assert.equal(migrateDayFile(db, file, DAY_START), SCHEMA_VERSION);
    assert.deepEqual(
      db
        .prepare('SELECT * FROM ticks')
        .columns()
        .map((c) => c.name),
      ['symbol', 'ts_us', 'bid', 'ask', 'source', 'recv_us', 'exchange_us', 'seq', 'bid_size', 'ask_size'],
    );
  } finally {
    db.close();
  }
});
