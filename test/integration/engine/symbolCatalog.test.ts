// symbols.list from the day files' dictionaries: every source a symbol has on any day (wide rows
// included), the price decimals of its most recent day's scale, and the same answer from a
// version 3 file (no symbol_sources: read from its ticks) before and after the writer upgrades it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { dayFilePath } from '../../../electron/engine/storage/dayPath.ts';
import { SCHEMA_VERSION } from '../../../electron/engine/storage/daySchema.ts';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import type { SymbolInfo } from '../../../shared/catalog.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { US_PER_DAY, US_PER_HOUR, utcDayIndex } from '../../../shared/time.ts';
import { sqliteAll } from '../../helpers/sqliteFiles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const DAY1 = Date.UTC(2026, 2, 2) * 1000;
const DAY2 = DAY1 + US_PER_DAY;
const NOW = DAY2 + 2 * US_PER_HOUR;

/** Prices as a feed parses them: the doubles nearest to decimals of at most 10 places. */
const px = (p: number) => Math.round(p * 1e10) / 1e10;

function quote(symbol: string, source: string, tsUs: number, bid: number, spread: number): TickInput {
  return { symbol, source, tsUs, bid: px(bid), ask: px(bid + spread) };
}

const day1: TickInput[] = [
  // EURUSD quoted to 4 decimals by LP-A on the first day...
  ...Array.from({ length: 20 }, (_, i) => quote('EURUSD', 'LP-A', DAY1 + i * 1e6, 1.0812 + i / 1e4, 0.0001)),
  quote('USDJPY', 'LP-B', DAY1 + 5e6, 151.234, 0.012),
  quote('USDJPY', 'LP-C', DAY1 + 6e6, 151.236, 0.01),
];
const day2: TickInput[] = [
  // ...to 5 on the second, by another LP.
  ...Array.from({ length: 20 }, (_, i) =>
    quote('EURUSD', 'LP-B', DAY2 + i * 1e6, 1.08123 + i / 1e5, 0.00008),
  ),
  quote('BTCUSD', 'binance', DAY2 + 40e6, 67250.5, 0.5),
];
// Later that day a third LP with a price beyond the scale the first ticks fixed (a wide row).
const wide = quote('EURUSD', 'LP-W', DAY2 + 30e6, 1.0812345678, 0.0001);

async function record(store: TickStore): Promise<void> {
  for (const t of [...day1, ...day2]) assert.equal(store.ingest(t), 'accepted');
  await store.flush();
  assert.equal(store.ingest(wide), 'accepted');
  await store.flush();
}

function expectedList(
  extra: Record<string, string[]> = {},
): Pick<SymbolInfo, 'symbol' | 'sources' | 'priceDecimals' | 'count'>[] {
  return [
    { symbol: 'BTCUSD', sources: ['binance'], priceDecimals: 1, count: 1 },
    {
      symbol: 'EURUSD',
      sources: ['LP-A', 'LP-B', 'LP-W', ...(extra.EURUSD ?? [])].sort(),
      priceDecimals: 5,
      count: 41 + (extra.EURUSD?.length ?? 0),
    },
    { symbol: 'USDJPY', sources: ['LP-B', 'LP-C'], priceDecimals: 3, count: 2 },
  ];
}

const summary = (list: SymbolInfo[]) =>
  list.map(({ symbol, sources, priceDecimals, count }) => ({ symbol, sources, priceDecimals, count }));

test('sources across days and the precision of the most recent day, from the dictionaries', async () => {
  const { store } = await openTestStore('catalog-sources', NOW);
  try {
    await record(store);
    const list = await store.listSymbols();
    assert.deepEqual(summary(list), expectedList());
    const eur = list.find((s) => s.symbol === 'EURUSD')!;
    assert.deepEqual([eur.firstUs, eur.lastUs], [DAY1, DAY2 + 30e6]);
    // The catalog table itself: one row per (symbol, source), the wide row's source included.
    const file2 = dayFilePath(store.config.sqliteDir, utcDayIndex(DAY2));
    assert.deepEqual(
      sqliteAll(
        file2,
        `SELECT sy.name AS symbol, so.name AS source FROM symbol_sources ss JOIN symbols sy ON sy.id = ss.sym
         JOIN sources so ON so.id = ss.src ORDER BY 1, 2`,
      ),
      [
        { symbol: 'BTCUSD', source: 'binance' },
        { symbol: 'EURUSD', source: 'LP-B' },
        { symbol: 'EURUSD', source: 'LP-W' },
      ],
    );
  } finally {
    await store.stop();
  }
});

test('a version 3 file lists the same sources from its ticks, and again once the writer upgrades it', async () => {
  const dir = makeTempDir('catalog-v3');
  const first = await openTestStore('catalog-v3', NOW, { dataDir: dir });
  try {
    await record(first.store);
  } finally {
    await first.store.stop();
  }
  // Make the second day what a version 3 engine wrote: the same layout without symbol_sources.
  const file2 = dayFilePath(first.store.config.sqliteDir, utcDayIndex(DAY2));
  const db = new Database(file2);
  db.exec('DROP TABLE symbol_sources');
  db.pragma('user_version = 3');
  db.close();

  // Two days later the writer leaves that file alone until a tick of its day arrives.
  const second = await openTestStore('catalog-v3', NOW + 2 * US_PER_DAY, { dataDir: dir });
  try {
    assert.deepEqual(
      summary(await second.store.listSymbols()),
      expectedList(),
      'version 3, read from the ticks',
    );
    second.store.ingest(quote('EURUSD', 'LP-Z', DAY2 + 50e6, 1.08125, 0.0001));
    await second.store.flush();
    assert.deepEqual(sqliteAll(file2, 'PRAGMA user_version'), [{ user_version: SCHEMA_VERSION }]);
    assert.deepEqual(
      summary(await second.store.listSymbols()),
      expectedList({ EURUSD: ['LP-Z'] }),
      'upgraded: symbol_sources filled from the ticks, then kept on write',
    );
  } finally {
    await second.store.stop();
  }
});
