// --validate reuses what migrating computed: per symbol-day, the count and checksum of the ticks
// the store accepted. A passing archive is validated from the day files alone; only symbol-days
// the checksums cannot decide (repeated source ticks, other rows in the day, a ledger from before
// the checksums) have their sources read again, and those still validate exactly.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { MigrationOptions, MigrationReport, ValidationEntry } from '../../../shared/migration.ts';
import { openTickStore } from '../../../electron/engine/tickStore.ts';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import { readDayFileTicks } from '../../../electron/migration/dayFileTicks.ts';
import { runMigration } from '../../../electron/migration/migrationRun.ts';
import { storeTickSink } from '../../../electron/migration/storeTickSink.ts';
import { ArchiveBuilder } from '../../fixtures/migration/archiveBuilder.ts';
import { expectedRows, storedTicks } from '../../fixtures/migration/runMigrateCli.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const DAY = 86_400_000_000;
const T0 = Date.UTC(2024, 1, 5) * 1000;

function options(inputDir: string): MigrationOptions {
  return {
    inputDir,
    format: 'auto',
    serverOffsetHours: 0,
    symbol: null,
    batchSize: 500,
    validate: true,
    archiveDir: null,
    deleteAfterArchive: false,
    dryRun: false,
  };
}

async function withStore<T>(fn: (store: TickStore) => Promise<T>): Promise<T> {
  const store = await openTickStore({ dataDir: makeTempDir('mig-vc-data'), backend: 'sqlite' });
  try {
    return await fn(store);
  } finally {
    await store.stop();
  }
}

function migrate(store: TickStore, input: string, onValidating?: () => void): Promise<MigrationReport> {
  return runMigration(options(input), {
    sink: storeTickSink(() => store),
    outputDir: store.config.sqliteDir,
    onProgress: (p) => {
      if (p.phase === 'validating') onValidating?.();
    },
  });
}

function entry(r: MigrationReport, symbol: string, day: string): ValidationEntry {
  const e = r.validation!.entries.find((x) => x.symbol === symbol && x.day === day);
  assert.ok(e, `entry ${symbol} ${day}`);
  return e;
}

function buildArchive(root: string): ArchiveBuilder {
  const b = new ArchiveBuilder(root);
  for (let d = 0; d < 3; d++) {
    const day0 = T0 + d * DAY;
    const key = new Date(day0 / 1000).toISOString().slice(0, 10);
    b.legacyArray(`EURUSD/${key}.json`, b.ticks('EURUSD', day0, 2000, 40_000_000, 'LP1'));
    b.legacyArray(`USDJPY/${key}.json.gz`, b.ticks('USDJPY', day0, 1000, 80_000_000, 'LP2', 150.1), {
      gzip: true,
    });
  }
  // Ticks without a source: the store gives them its default source, and so must the checksum.
  b.records(
    'nosource/GBPUSD_2024-02-05.jsonl',
    b.ticks('GBPUSD', T0, 700, 100_000_000, 'LP9', 1.26),
    (t) => ({
      symbol: t.symbol,
      bid: t.bid,
      ask: t.ask,
      ts: t.tsUs / 1000,
    }),
    { lines: true, expect: false },
  );
  return b;
}

test('a passing archive validates from the day files alone: the sources are gone by then', async () => {
  const input = makeTempDir('mig-vc-in');
  const b = buildArchive(input);
  await withStore(async (store) => {
    // Once validation starts, every source file is deleted: reading one would fail the run.
    const r = await migrate(store, input, () => rmSync(input, { recursive: true, force: true }));
    assert.equal(r.outcome, 'done', r.error ?? '');
    const v = r.validation!;
    assert.equal(v.ok, true);
    assert.equal(v.checkedDays, 7);
    assert.equal(v.decidedByChecksum, 7);
    assert.equal(v.recheckedDays, 0);
    assert.equal(v.sourceFilesRead, 0);
    assert.equal(v.sourceTicks, 3 * 3000 + 700);
    assert.equal(v.missing + v.extra, 0);
    const gbp = entry(r, 'GBPUSD', '2024-02-05');
    assert.equal(gbp.sourceChecksum, gbp.dbChecksum);
    const stored = storedTicks(store.config.sqliteDir).filter((row) => !row.startsWith('GBPUSD'));
    assert.deepEqual(stored, expectedRows(b.expected));
  });
});

test('a re-run validates the skipped files from the ledger without reading them again', async () => {
  const input = makeTempDir('mig-vc-rerun');
  buildArchive(input);
  await withStore(async (store) => {
    await migrate(store, input);
    const again = await migrate(store, input);
    assert.equal(again.totals.skippedDone, 7);
    assert.deepEqual(
      [again.validation!.ok, again.validation!.decidedByChecksum, again.validation!.sourceFilesRead],
      [true, 7, 0],
    );
  });
});

test('repeated source ticks and other rows in the day fall back to the full check, which still passes', async () => {
  const input = makeTempDir('mig-vc-dup');
  const b = new ArchiveBuilder(input);
  const eur = b.ticks('EURUSD', T0, 1500, 50_000_000, 'LP1');
  b.legacyArray('EURUSD/2024-02-05.json', eur);
  // The same 200 ticks twice in one file: the store keeps one of each.
  const gbp = b.ticks('GBPUSD', T0, 800, 90_000_000, 'LP1', 1.26);
  b.legacyArray('GBPUSD/2024-02-05.json', [...gbp, ...gbp.slice(0, 200)], { expect: false });
  b.expected.push(...gbp);
  const jpy = b.ticks('USDJPY', T0, 600, 90_000_000, 'LP1', 150.2);
  b.legacyArray('USDJPY/2024-02-05.json', jpy);
  await withStore(async (store) => {
    // The day already holds other EURUSD rows (live recording, another import).
    for (let i = 0; i < 37; i++)
      store.ingest({ symbol: 'EURUSD', bid: 1.2, ask: 1.2001, tsUs: T0 + 7 + i, source: 'LIVE' });
    await store.flush();
    const r = await migrate(store, input);
    const v = r.validation!;
    assert.equal(v.ok, true, JSON.stringify(v.mismatches));
    assert.deepEqual([v.checkedDays, v.decidedByChecksum, v.recheckedDays, v.sourceFilesRead], [3, 1, 2, 2]);
    const e = entry(r, 'EURUSD', '2024-02-05');
    assert.deepEqual(
      [e.sourceTicks, e.sourceDistinct, e.dbTicks, e.missing, e.extra],
      [1500, 1500, 1537, 0, 37],
    );
    const g = entry(r, 'GBPUSD', '2024-02-05');
    assert.deepEqual(
      [g.sourceTicks, g.sourceDistinct, g.dbTicks, g.missing, g.extra],
      [1000, 800, 800, 0, 0],
    );
    assert.equal(entry(r, 'USDJPY', '2024-02-05').dbTicks, 600);
    const stored = storedTicks(store.config.sqliteDir).filter((row) => !row.endsWith('|LIVE'));
    assert.deepEqual(stored, expectedRows(b.expected));
  });
});

test('a ledger from before the checksums is validated against the sources', async () => {
  const input = makeTempDir('mig-vc-old');
  buildArchive(input);
  await withStore(async (store) => {
    await migrate(store, input);
    const ledger = new Database(path.join(store.config.sqliteDir, '.migration', 'ledger.db'));
    ledger.exec('UPDATE file_days SET sum_hi = NULL, sum_lo = NULL');
    ledger.close();
    const again = await migrate(store, input);
    const v = again.validation!;
    assert.deepEqual([v.ok, v.decidedByChecksum, v.recheckedDays, v.sourceFilesRead], [true, 0, 7, 7]);
  });
});

test('a day file reads back exactly what was ingested, for the symbols asked', async () => {
  const data = makeTempDir('mig-vc-read');
  const store = await openTickStore({ dataDir: data, backend: 'sqlite' });
  const ingested: string[] = [];
  const add = (symbol: string, tsUs: number, bid: number, ask: number, source?: string): void => {
    assert.equal(store.ingest({ symbol, tsUs, bid, ask, source }), 'accepted');
    ingested.push(`${symbol}|${tsUs}|${bid}|${ask}|${source ?? store.config.defaultSource}`);
  };
  for (let i = 0; i < 600; i++) {
    add('EURUSD', T0 + i * 1000, 1.1 + i / 1e5, 1.1001 + i / 1e5, `LP${i % 3}`);
    add('USDJPY', T0 + i * 1000 + 1, 150.123 + i / 1e3, 150.126 + i / 1e3);
    store.ingest({ symbol: 'GBPUSD', tsUs: T0 + i * 1000 + 2, bid: 1.25, ask: 1.2501 });
  }
  // Prices with more decimals than the symbol's scale are stored as exact doubles ("wide").
  add('EURUSD', T0 + 900_000, 1.123456789012, 1.1234567890123, 'LP1');
  add('EURUSD', T0 + 900_001, 0.1 + 0.2, 0.30000000000000004 + 1e-9, 'LP2');
  await store.stop();
  const rows: string[] = [];
  const found = readDayFileTicks(
    store.config.sqliteDir,
    '2024-02-05',
    ['EURUSD', 'USDJPY', 'NOSUCH'],
    (symbol, ts, bid, ask, source) => rows.push(`${symbol}|${ts}|${bid}|${ask}|${source}`),
  );
  assert.equal(found, true);
  assert.deepEqual(rows.sort(), [...ingested].sort());
  assert.equal(
    readDayFileTicks(store.config.sqliteDir, '2024-02-06', ['EURUSD'], () => assert.fail('no file')),
    false,
  );
});
