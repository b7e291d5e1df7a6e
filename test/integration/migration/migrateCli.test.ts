// The migration CLI against the real engine: an archive with every layout and format, bad files,
// bad ticks and a duplicate file; then a re-run, then archiving. Counts per day and every value
// are compared with what was written into the sources.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { ArchiveBuilder, bySymbolDay } from '../../fixtures/migration/archiveBuilder.ts';
import {
  dayFiles,
  expectedRows,
  runMigrateCli,
  storedTicks,
} from '../../fixtures/migration/runMigrateCli.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const DAY = 86_400_000_000;
const T0 = Date.UTC(2024, 0, 2) * 1000;

function buildArchive(root: string): ArchiveBuilder {
  const b = new ArchiveBuilder(root);
  // Legacy layout, nested, as the old recorder wrote it; and gzip.
  b.legacyArray('EURUSD/2024-01-02.json', b.ticks('EURUSD', T0 + 1, 3000, 20_011, 'LP1'));
  b.legacyArray('GBPUSD/2024-01-02.json.gz', b.ticks('GBPUSD', T0 + 7, 2000, 30_001, 'LP2', 1.27), {
    gzip: true,
  });
  // Flat folder, records without symbol (from the file name), epoch ms, string prices, JSON Lines.
  const chf = b.ticks('USDCHF', T0 + DAY, 1500, 40_000, 'LP3', 0.85);
  b.records(
    'flat/USDCHF_2024-01-03.jsonl',
    chf,
    (t) => ({ Bid: String(t.bid), Ask: String(t.ask), TS: t.tsUs / 1000, Provider: t.source }),
    { lines: true },
  );
  // Nested deeper, ISO without zone, `sym`/`datetime`/`source` names.
  const aud = b.ticks('AUDUSD', T0 + DAY + 500, 1200, 50_000, 'LP4', 0.67);
  b.records('old/2023/AUDUSD/AUDUSD-2024-01-03.json', aud, (t) => ({
    sym: t.symbol,
    bid: t.bid,
    ask: t.ask,
    datetime:
      new Date(Math.floor(t.tsUs / 1000)).toISOString().slice(0, -1) + String(t.tsUs % 1000).padStart(3, '0'),
    source: t.source,
  }));
  // Importers.
  b.dukascopy(
    'duka/eurusd-2024-01-04T00.json',
    b.ticks('EURUSD', T0 + 2 * DAY + 84_000, 1000, 113_000, 'dukascopy'),
  );
  b.trueFx(
    'truefx/EURUSD-2024-01.csv',
    b.ticks('EURUSD', T0 + 3 * DAY + 959_000, 1000, 97_000, 'truefx'),
    'EUR/USD',
  );
  // Crosses midnight UTC (23:00 to 01:00): one file, two day files.
  b.histData(
    'hist/DAT_ASCII_GBPUSD_T_202401.csv',
    b.ticks('GBPUSD', T0 + 4 * DAY - 3_600_000_000, 1200, 6_000_000, 'histdata', 1.27),
  );
  b.mt5(
    'mt5/USDJPY_202401060000_202401062359.csv',
    b.ticks('USDJPY', T0 + 4 * DAY + 123_000, 800, 61_000, 'mt5', 141.5),
    2,
  );
  // A file with some bad ticks among good ones.
  const good = b.ticks('NZDUSD', T0 + 5 * DAY, 5, 1_000_000, 'LP5', 0.62);
  const recs: unknown[] = good.map((t) => ({
    symbol: t.symbol,
    bid: t.bid,
    ask: t.ask,
    timestamp: new Date(t.tsUs / 1000).toISOString(),
    lp: t.source,
  }));
  recs.splice(1, 0, { symbol: 'NZDUSD', ask: 0.62, timestamp: '2024-01-07T00:00:00Z', lp: 'LP5' });
  recs.splice(3, 0, { symbol: 'NZDUSD', bid: -1, ask: 0.62, timestamp: '2024-01-07T00:00:00Z', lp: 'LP5' });
  recs.splice(5, 0, { symbol: 'NZDUSD', bid: 0.61, ask: 0.62, timestamp: '1900-01-01T00:00:00Z', lp: 'LP5' });
  b.write('NZDUSD/2024-01-07.json', JSON.stringify(recs));
  b.expected.push(...good);
  return b;
}

function addBadFiles(b: ArchiveBuilder): void {
  const full = JSON.stringify(
    b.ticks('EURUSD', T0, 50, 1000, 'LP1').map((t) => ({
      symbol: t.symbol,
      bid: t.bid,
      ask: t.ask,
      timestamp: new Date(t.tsUs / 1000).toISOString(),
      lp: 'LP1',
    })),
  );
  b.write('bad/EURUSD/2024-01-08.json', full.slice(0, Math.floor(full.length / 2)));
  b.write('bad/empty.json', '');
  b.write('bad/image.json', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  b.write('bad/settings.json', JSON.stringify({ theme: 'dark', symbols: ['EURUSD'] }));
  // A broken gzip of ticks that are also in a good file: the part read before the break is
  // stored (and then is all duplicates), and the file is still listed as bad.
  const gz = gzipSync(readFileSync(path.join(b.root, 'EURUSD/2024-01-02.json')));
  b.write('bad/cut.json.gz', gz.subarray(0, Math.floor(gz.length / 2)));
}

test('every layout and format migrates exactly; bad files and ticks are reported; re-runs store nothing twice', async () => {
  const input = makeTempDir('mig-in');
  const output = makeTempDir('mig-out');
  const b = buildArchive(input);
  // The same file twice under another folder: skipped as identical, never parsed again.
  mkdirSync(path.join(input, 'copy/EURUSD'), { recursive: true });
  copyFileSync(path.join(input, 'EURUSD/2024-01-02.json'), path.join(input, 'copy/EURUSD/2024-01-02.json'));
  addBadFiles(b);
  const args = [
    '--input-dir',
    input,
    '--output-dir',
    output,
    '--validate',
    '--server-offset-hours',
    '2',
    '--batch-size',
    '700',
  ];

  const first = await runMigrateCli(args);
  assert.equal(first.code, 1, first.stderr);
  const s = first.summary;
  const bad = new Map(s.badFiles!.map((f) => [f.path, f.reason]));
  assert.deepEqual([...bad.keys()].sort(), [
    'bad/EURUSD/2024-01-08.json',
    'bad/cut.json.gz',
    'bad/empty.json',
    'bad/image.json',
    'bad/settings.json',
  ]);
  assert.match(bad.get('bad/EURUSD/2024-01-08.json')!, /truncated/);
  assert.match(bad.get('bad/cut.json.gz')!, /truncated: the gzip stream ends early/);
  assert.match(bad.get('bad/empty.json')!, /empty/);
  assert.match(bad.get('bad/image.json')!, /binary/);
  assert.match(bad.get('bad/settings.json')!, /not a tick file/);
  assert.match(first.stderr, /5 file\(s\) skipped as bad/);

  // Every expected tick is stored, once, value for value; nothing else is.
  const expected = expectedRows(b.expected);
  assert.deepEqual(storedTicks(output), expected);
  assert.equal(s.totals!.ticksWritten, expected.length);
  assert.equal(s.totals!.skippedIdentical, 1);
  const report0 = JSON.parse(readFileSync(s.reportPaths!.json, 'utf8')) as {
    files: Array<{ path: string; status: string; reason: string | null; ticksRead: number }>;
  };
  const copy = report0.files.find((f) => f.path === 'copy/EURUSD/2024-01-02.json')!;
  assert.deepEqual(
    [copy.status, copy.reason, copy.ticksRead],
    ['skipped_identical', 'identical to EURUSD/2024-01-02.json', 0],
  );
  // The ticks read twice are the half of cut.json.gz before its break (all in EURUSD's file).
  assert.ok(
    s.totals!.ticksDuplicate > 0 && s.totals!.ticksDuplicate < 3000,
    `duplicates ${s.totals!.ticksDuplicate}`,
  );

  // Per-day files exist where the ticks' UTC days say.
  const days = [...bySymbolDay(b.expected).keys()].map((k) => k.split('|')[1]);
  for (const d of new Set(days)) {
    assert.ok(
      dayFiles(output).some((f) => f.endsWith(`ticks_${d}.db`)),
      `day file ${d}`,
    );
  }

  // Bad ticks: reason and location in the report.
  assert.equal(s.rejectionsByReason!.bid_missing, 1);
  assert.equal(s.rejectionsByReason!.bid_not_positive, 1);
  assert.equal(s.rejectionsByReason!.timestamp_out_of_range, 1);
  const report = JSON.parse(readFileSync(s.reportPaths!.json, 'utf8')) as {
    rejections: Array<{ file: string; location: string; reason: string }>;
  };
  assert.deepEqual(
    report.rejections
      .filter((r) => r.file === 'NZDUSD/2024-01-07.json')
      .map((r) => [r.location, r.reason.split(':')[0]]),
    [
      ['record 2', 'bid_missing'],
      ['record 4', 'bid_not_positive'],
      ['record 6', 'timestamp_out_of_range'],
    ],
  );
  const text = readFileSync(s.reportPaths!.txt, 'utf8');
  assert.match(text, /bad\/image\.json: binary file/);
  assert.match(text, /NZDUSD\/2024-01-07\.json record 2: bid_missing/);
  assert.match(text, /Validation: PASSED/);

  // Validation compared every source tick; all present, nothing extra.
  const v = s.validation as { ok: boolean; missing: number; extra: number; checkedDays: number };
  assert.equal(v.ok, true);
  assert.equal(v.missing, 0);
  assert.equal(v.extra, 0);
  assert.equal(v.checkedDays, bySymbolDay(b.expected).size);

  // Re-run: finished files are skipped by size, mtime and hash; the store gains nothing.
  const again = await runMigrateCli(args);
  assert.equal(again.code, 1);
  assert.equal(again.summary.totals!.ticksWritten, 0);
  assert.equal(again.summary.totals!.skippedDone, 9);
  assert.equal(again.summary.totals!.skippedIdentical, 1);
  assert.deepEqual(storedTicks(output), expected);
  assert.equal((again.summary.validation as { ok: boolean }).ok, true);

  // Once the bad files are gone, archive after validation and delete the sources.
  rmSync(path.join(input, 'bad'), { recursive: true });
  const archiveDir = makeTempDir('mig-archive');
  const last = await runMigrateCli([...args, '--archive', archiveDir, '--delete-after-archive']);
  assert.equal(last.code, 0, last.stderr);
  const archive = last.summary.archive as { archivePath: string; files: number; deleted: boolean };
  assert.equal(archive.files, 10);
  assert.equal(archive.deleted, true);
  const listed: string[] = [];
  await tar.list({ file: archive.archivePath, onReadEntry: (e) => listed.push(e.path) });
  assert.ok(
    listed.includes('EURUSD/2024-01-02.json') && listed.includes('mt5/USDJPY_202401060000_202401062359.csv'),
  );
  assert.equal(existsSync(path.join(input, 'EURUSD/2024-01-02.json')), false);
  assert.deepEqual(storedTicks(output), expected);
});

test('a file with a bad tick is still valid JSON for the rest; dry run stores nothing', async () => {
  const input = makeTempDir('mig-dry-in');
  const output = makeTempDir('mig-dry-out');
  const b = buildArchive(input);
  const r = await runMigrateCli([
    '--input-dir',
    input,
    '--output-dir',
    output,
    '--dry-run',
    '--server-offset-hours',
    '2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.summary.totals!.ticksAccepted + 1, r.summary.totals!.ticksRead);
  // Dry run: the parser's count (before the store's checks) is every tick in the sources.
  assert.equal(r.summary.totals!.ticksAccepted, b.expected.length + 2);
  assert.deepEqual(dayFiles(output), []);
});

test('usage errors exit 2 with a message naming the problem', async () => {
  const input = makeTempDir('mig-usage');
  const cases: Array<[string[], RegExp]> = [
    [[], /--input-dir is required/],
    [['--input-dir', input], /--output-dir is required/],
    [['--input-dir', input, '--output-dir', input, '--batch-size', '0'], /--batch-size must be an integer/],
    [['--input-dir', input, '--output-dir', input, '--format', 'xml'], /--format must be auto or one of/],
    [['--input-dir', input, '--output-dir', input, '--bogus'], /unknown option "--bogus"/],
    [['--input-dir', input, '--output-dir', input, '--delete-after-archive'], /needs --archive/],
    [['--input-dir', path.join(input, 'missing'), '--output-dir', input], /cannot be read/],
  ];
  for (const [args, re] of cases) {
    const r = await runMigrateCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
});

test('--preview prints the first rows of each format as they would be stored', async () => {
  const input = makeTempDir('mig-preview');
  buildArchive(input);
  writeFileSync(path.join(input, 'README.md'), 'not a tick file, ignored by extension');
  const r = await runMigrateCli(['--input-dir', input, '--preview', '3', '--server-offset-hours', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /EURUSD\/2024-01-02\.json \[legacy-json\]/);
  assert.match(r.stdout, /duka\/eurusd-2024-01-04T00\.json \[dukascopy\]/);
  assert.match(r.stdout, /\[truefx\]/);
  assert.match(r.stdout, /\[histdata\]/);
  assert.match(r.stdout, /\[mt5\]/);
  assert.match(r.stdout, /record 1 +EURUSD +2024-01-02T00:00:00\.000001Z/);
});
