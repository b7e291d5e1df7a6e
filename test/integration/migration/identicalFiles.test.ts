// A source file with the same bytes as one already migrated (earlier in the run, or by an earlier
// run into the same store) is skipped as `identical to <path>` without being parsed, unless its
// name would change its ticks (records without a symbol take it from the file's folder).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FileIdentity } from '../../../electron/migration/fileIdentity.ts';
import type { FilePlan } from '../../../electron/migration/fileFormat.ts';
import { MigrationLedger } from '../../../electron/migration/migrationLedger.ts';
import { ArchiveBuilder } from '../../fixtures/migration/archiveBuilder.ts';
import type { ExpectedTick } from '../../fixtures/migration/archiveBuilder.ts';
import { expectedRows, runMigrateCli, storedTicks } from '../../fixtures/migration/runMigrateCli.ts';
import type { CliRun } from '../../fixtures/migration/runMigrateCli.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const T0 = Date.UTC(2024, 2, 4) * 1000;

type Files = Map<string, [string, string | null, number]>;

function fileStatuses(run: CliRun): Files {
  const report = JSON.parse(readFileSync(run.summary.reportPaths!.json, 'utf8')) as {
    files: Array<{ path: string; status: string; reason: string | null; ticksRead: number }>;
  };
  return new Map(report.files.map((f) => [f.path, [f.status, f.reason, f.ticksRead]]));
}

function copy(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/** Records without a symbol: the reader takes it from the folder the file is in. */
function noSymbolFile(b: ArchiveBuilder, rel: string, ticks: ExpectedTick[]): string {
  return b.records(rel, ticks, (t) => ({ bid: t.bid, ask: t.ask, timestamp: t.tsUs / 1000, lp: t.source }), {
    expect: false,
  });
}

test('copies are skipped unread, in the run and across runs; a copy whose name changes its ticks is not', async () => {
  const first = makeTempDir('mig-same-a');
  const output = makeTempDir('mig-same-out');
  const a = new ArchiveBuilder(first);
  const eurFile = a.legacyArray('EURUSD/2024-03-04.json', a.ticks('EURUSD', T0, 2000, 40_000_000, 'LP1'));
  const bare = a.ticks('EURUSD', T0 + 86_400_000_000, 500, 100_000_000, 'LP1');
  const bareFile = noSymbolFile(a, 'EURUSD/2024-03-05.json', bare);
  a.expected.push(...bare);
  // In the same run: a backup copy, read never (its twin sorts first).
  copy(eurFile, path.join(first, 'backup/EURUSD/2024-03-04.json'));
  const args = (input: string): string[] => ['--input-dir', input, '--output-dir', output, '--validate'];
  const r1 = await runMigrateCli(args(first));
  assert.equal(r1.code, 0, r1.stderr);
  const f1 = fileStatuses(r1);
  assert.deepEqual(f1.get('backup/EURUSD/2024-03-04.json'), [
    'skipped_identical',
    'identical to EURUSD/2024-03-04.json',
    0,
  ]);
  assert.equal(r1.summary.totals!.skippedIdentical, 1);
  assert.equal(r1.summary.totals!.ticksRead, 2500);
  assert.equal(r1.summary.totals!.ticksDuplicate, 0);

  // A second folder: copies of the first folder's files and a near-copy.
  const second = makeTempDir('mig-same-b');
  copy(eurFile, path.join(second, 'old/EURUSD/2024-03-04.json'));
  copy(bareFile, path.join(second, 'again/EURUSD/2024-03-05.json'));
  // The same bytes in a GBPUSD folder are GBPUSD ticks: not a copy of anything migrated.
  copy(bareFile, path.join(second, 'GBPUSD/2024-03-05.json'));
  const gbp = bare.map((t) => ({ ...t, symbol: 'GBPUSD' }));
  // Same size as the EURUSD file, one digit different: hashed, found different, migrated.
  const text = readFileSync(eurFile, 'utf8');
  const at = text.indexOf('"bid":1.') + 8;
  const changed = text.slice(0, at) + (text[at] === '9' ? '8' : '9') + text.slice(at + 1);
  mkdirSync(path.join(second, 'USDCHF'), { recursive: true });
  writeFileSync(path.join(second, 'USDCHF/2024-03-04.json'), changed.replaceAll('EURUSD', 'USDCHF'));
  const r2 = await runMigrateCli(args(second));
  assert.equal(r2.code, 0, r2.stderr);
  const f2 = fileStatuses(r2);
  const runId = r1.summary.runId as string;
  assert.deepEqual(f2.get('old/EURUSD/2024-03-04.json'), [
    'skipped_identical',
    `identical to ${eurFile}, migrated by run ${runId}`,
    0,
  ]);
  assert.deepEqual(f2.get('again/EURUSD/2024-03-05.json'), [
    'skipped_identical',
    `identical to ${bareFile}, migrated by run ${runId}`,
    0,
  ]);
  assert.deepEqual(f2.get('GBPUSD/2024-03-05.json'), ['migrated', null, 500]);
  assert.deepEqual(f2.get('USDCHF/2024-03-04.json'), ['migrated', null, 2000]);
  assert.equal(r2.summary.totals!.ticksWritten, 2500);
  // The copies stand for the earlier run's files: their days are validated from the ledger.
  const v = r2.summary.validation as { ok: boolean; checkedDays: number; sourceFilesRead: number };
  assert.deepEqual([v.ok, v.checkedDays, v.sourceFilesRead], [true, 4, 0]);
  const stored = storedTicks(output);
  assert.equal(stored.length, 2500 + 2500);
  assert.deepEqual(
    stored.filter((r) => r.startsWith('EURUSD') || r.startsWith('GBPUSD')),
    expectedRows([...a.expected, ...gbp]),
  );

  // Touched, not changed: the first folder's file is recognised by its bytes, and its new time
  // recorded, so the run after that need not even compare.
  utimesSync(eurFile, new Date(), new Date(Date.now() + 5000));
  const r3 = await runMigrateCli(args(first));
  assert.equal(r3.code, 0, r3.stderr);
  assert.deepEqual(fileStatuses(r3).get('EURUSD/2024-03-04.json'), [
    'skipped_done',
    `already migrated by run ${runId} (same content)`,
    2000,
  ]);
  assert.equal(r3.summary.totals!.ticksWritten, 0);
  const r4 = await runMigrateCli(args(first));
  assert.deepEqual(fileStatuses(r4).get('EURUSD/2024-03-04.json'), [
    'skipped_done',
    `already migrated by run ${runId}`,
    2000,
  ]);
});

test('only a file whose size matches one already migrated is hashed before parsing', () => {
  const output = makeTempDir('mig-same-ledger');
  const ledger = new MigrationLedger(output);
  ledger.put({
    path: '/old/EURUSD/2024-03-04.json',
    rel: 'EURUSD/2024-03-04.json',
    size: 1234,
    mtimeMs: 1,
    sha256: 'ab'.repeat(32),
    format: 'legacy-json',
    status: 'migrated',
    ticksRead: 10,
    ticksAccepted: 10,
    ticksRejected: 0,
    reason: null,
    runId: 'r1',
    ticksKey: '["legacy-json",null,null]',
  });
  const id = new FileIdentity(ledger);
  assert.equal(id.mayHaveTwin(1234), true, 'size of a ledger entry');
  assert.equal(id.mayHaveTwin(999), false, 'a size nothing migrated has');
  id.addMigrated('a.json', 999, 'cd'.repeat(32), '["legacy-json",null,null]');
  assert.equal(id.mayHaveTwin(999), true, 'size of a file of this run');
  assert.equal(id.mayHaveTwin(0), false, 'empty files are never twins');
  const plan = (rel: string, fallbackSymbol: string | null): FilePlan =>
    ({
      file: { abs: `/new/${rel}`, rel, size: 999, mtimeMs: 2 },
      format: 'legacy-json',
      fallbackSymbol,
    }) as FilePlan;
  assert.equal(id.find('cd'.repeat(32), plan('b.json', 'GBPUSD'), 0)?.path, 'a.json');
  assert.equal(id.find('ab'.repeat(32), plan('c.json', null), 0)?.path, '/old/EURUSD/2024-03-04.json');
  assert.equal(id.find('ef'.repeat(32), plan('d.json', null), 0), null);
  ledger.close();
});
