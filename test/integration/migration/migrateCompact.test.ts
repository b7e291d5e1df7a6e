// `migrate --compact`: the closed days the migrated files hold end in the archive tier with every
// tick as the sources have it, today stays live, and a re-run with --compact after a run without
// it compacts the days the first run wrote (they come from the ledger, not from what changed).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { migrationStoreInput } from '../../../electron/cli/migrationCompaction.ts';
import { openTickStore } from '../../../electron/engine/tickStore.ts';
import type { DayInfo } from '../../../shared/catalog.ts';
import { US_PER_DAY, utcDayIndex, utcDayKey } from '../../../shared/time.ts';
import { ArchiveBuilder, bySymbolDay } from '../../fixtures/migration/archiveBuilder.ts';
import type { ExpectedTick } from '../../fixtures/migration/archiveBuilder.ts';
import { expectedRows, runMigrateCli } from '../../fixtures/migration/runMigrateCli.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const T0 = Date.UTC(2024, 0, 2) * 1000;
const TODAY = utcDayIndex(Date.now() * 1000);

interface CompactionSummary {
  exitCode: number;
  compacted: Array<{ day: string; ticks: number }>;
  skipped: unknown[];
  failed: unknown[];
}

function buildArchive(root: string): ArchiveBuilder {
  const b = new ArchiveBuilder(root);
  b.legacyArray('EURUSD/2024-01-02.json', b.ticks('EURUSD', T0 + 1, 3000, 20_011, 'LP1'));
  b.legacyArray('GBPUSD/2024-01-02.json', b.ticks('GBPUSD', T0 + 7, 2000, 30_001, 'LP2', 1.27));
  // One file over midnight UTC: two day files.
  b.histData(
    'hist/DAT_ASCII_GBPUSD_T_202401.csv',
    b.ticks('GBPUSD', T0 + 2 * US_PER_DAY - 3_600e6, 1200, 6e6, 'histdata', 1.27),
  );
  // Ticks of today, early enough to be in the past whenever the test runs.
  const today = utcDayKey(TODAY * US_PER_DAY);
  b.legacyArray(`USDJPY/${today}.json`, b.ticks('USDJPY', TODAY * US_PER_DAY + 1, 50, 1_000, 'LP3', 141.5));
  return b;
}

/** Ticks per UTC day, as the sources hold them. */
function expectedPerDay(ticks: ExpectedTick[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, list] of bySymbolDay(ticks)) {
    const day = key.split('|')[1];
    out.set(day, (out.get(day) ?? 0) + list.length);
  }
  return out;
}

/** The output folder's days and every tick read back through the engine, sorted as expectedRows. */
async function readBack(outputDir: string, symbols: string[]): Promise<{ days: DayInfo[]; rows: string[] }> {
  const store = await openTickStore(migrationStoreInput(outputDir));
  try {
    const rows: string[] = [];
    for (const symbol of symbols) {
      let cursor: string | undefined;
      do {
        const p = await store.range({ symbol, fromUs: 0, toUs: (TODAY + 1) * US_PER_DAY, cursor });
        for (let i = 0; i < p.tsUs.length; i++)
          rows.push(`${symbol}|${p.tsUs[i]}|${p.bid[i]}|${p.ask[i]}|${p.sources[p.source[i]]}`);
        cursor = p.nextCursor ?? undefined;
      } while (cursor);
    }
    return { days: await store.listDays(), rows: rows.sort() };
  } finally {
    await store.stop();
  }
}

test('migrate --compact archives the closed days it wrote, with every tick, and leaves today live', async () => {
  const base = makeTempDir('migrate-compact');
  const b = buildArchive(path.join(base, 'src'));
  const out = path.join(base, 'out');
  const r = await runMigrateCli(['--input-dir', b.root, '--output-dir', out, '--compact']);
  assert.equal(r.code, 0, r.stderr);
  const expected = expectedPerDay(b.expected);
  const today = utcDayKey(TODAY * US_PER_DAY);
  const closed = [...expected.keys()].filter((d) => d !== today).sort();
  assert.deepEqual(closed, ['2024-01-02', '2024-01-03', '2024-01-04']);

  const compaction = r.summary.compaction as CompactionSummary;
  assert.deepEqual(
    compaction.compacted.map((d) => [d.day, d.ticks]),
    closed.map((d) => [d, expected.get(d)]),
  );
  assert.deepEqual(compaction.failed, []);
  assert.match(r.stderr, /migrate: 2024-01-02 +5000 ticks .* -> .*x\)/);

  const back = await readBack(out, ['EURUSD', 'GBPUSD', 'USDJPY']);
  const byDay = new Map(back.days.map((d) => [d.day, d]));
  for (const day of closed) {
    assert.equal(byDay.get(day)?.tier, 'archived', day);
    assert.equal(byDay.get(day)?.ticks, expected.get(day), day);
  }
  assert.equal(byDay.get(today)?.tier, 'live', 'today is never compacted');
  assert.equal(byDay.get(today)?.ticks, expected.get(today));
  assert.deepEqual(back.rows, expectedRows(b.expected), 'every tick reads back from the archive tier');

  // Nothing new: the days are archived already and the re-run has nothing to compact.
  const again = await runMigrateCli(['--input-dir', b.root, '--output-dir', out, '--compact']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual((again.summary.compaction as CompactionSummary).compacted, []);
});

test('a re-run with --compact compacts what an earlier run without it migrated', async () => {
  const base = makeTempDir('migrate-compact-rerun');
  const b = buildArchive(path.join(base, 'src'));
  const out = path.join(base, 'out');
  const first = await runMigrateCli(['--input-dir', b.root, '--output-dir', out]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.summary.compaction, null);
  assert.ok((await readBack(out, [])).days.every((d) => d.tier === 'live'));

  const second = await runMigrateCli(['--input-dir', b.root, '--output-dir', out, '--compact']);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.summary.totals?.migrated, 0, 'every file was skipped as done');
  const expected = expectedPerDay(b.expected);
  const back = await readBack(out, ['EURUSD', 'GBPUSD', 'USDJPY']);
  for (const d of back.days) {
    if (!expected.has(d.day)) continue;
    assert.equal(d.tier, d.day === utcDayKey(TODAY * US_PER_DAY) ? 'live' : 'archived', d.day);
    assert.equal(d.ticks, expected.get(d.day), d.day);
  }
  assert.deepEqual(back.rows, expectedRows(b.expected));
});

test('--compact refuses --dry-run and --preview', async () => {
  const dir = makeTempDir('migrate-compact-usage');
  const dry = await runMigrateCli(['--input-dir', dir, '--output-dir', dir, '--dry-run', '--compact']);
  assert.equal(dry.code, 2);
  assert.match(dry.stderr, /^migrate: --compact cannot be combined with --dry-run\n/);
  const preview = await runMigrateCli(['--input-dir', dir, '--preview', '--compact']);
  assert.equal(preview.code, 2);
  assert.match(preview.stderr, /^migrate: --compact cannot be combined with --preview\n/);
});
