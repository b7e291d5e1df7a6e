// Validation must catch a day file that lost a tick or holds a different value, and say which
// symbol-day; the CLI then exits 1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ArchiveBuilder } from '../../fixtures/migration/archiveBuilder.ts';
import { dayFiles, runMigrateCli } from '../../fixtures/migration/runMigrateCli.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const T0 = Date.UTC(2024, 3, 8) * 1000;

test('a missing row and a changed price are reported per symbol-day', async () => {
  const input = makeTempDir('mig-val-in');
  const output = makeTempDir('mig-val-out');
  const b = new ArchiveBuilder(input);
  b.legacyArray('EURUSD/2024-04-08.json', b.ticks('EURUSD', T0, 2000, 10_000_000, 'LP1'));
  b.legacyArray('GBPUSD/2024-04-08.json', b.ticks('GBPUSD', T0, 1000, 20_000_000, 'LP1', 1.25));
  b.legacyArray('EURUSD/2024-04-09.json', b.ticks('EURUSD', T0 + 86_400_000_000, 500, 10_000_000, 'LP1'));
  const args = ['--input-dir', input, '--output-dir', output, '--validate'];
  const first = await runMigrateCli(args);
  assert.equal(first.code, 0, first.stderr);

  // Damage the first day's file behind the store's back: drop one EURUSD row, change one GBPUSD
  // price by one unit in its last decimal.
  const file = dayFiles(output).find((f) => f.endsWith('ticks_2024-04-08.db'))!;
  const db = new Database(file);
  const ids = db.prepare('SELECT id, name FROM symbols').all() as Array<{ id: number; name: string }>;
  const eur = ids.find((r) => r.name === 'EURUSD')!.id;
  const gbp = ids.find((r) => r.name === 'GBPUSD')!.id;
  // Keys are symbol id << 37 | time (electron/engine/storage/dayKey.ts).
  db.prepare(`DELETE FROM q WHERE k = (SELECT min(k) FROM q WHERE k >> 37 = ?)`).run(eur);
  db.prepare(`UPDATE q SET b = b + 1 WHERE k = (SELECT max(k) FROM q WHERE k >> 37 = ?)`).run(gbp);
  db.close();

  const second = await runMigrateCli(args);
  assert.equal(second.code, 1, second.stderr);
  assert.match(second.stderr, /validation FAILED: 2 source ticks missing in 2 symbol-day/);
  const v = second.summary.validation as {
    ok: boolean;
    decidedByChecksum: number;
    recheckedDays: number;
    sourceFilesRead: number;
    missing: number;
    extra: number;
    mismatches: Array<{
      symbol: string;
      day: string;
      missing: number;
      extra: number;
      sourceChecksum: string;
      dbChecksum: string;
    }>;
  };
  assert.equal(v.ok, false);
  // The undamaged day matched its checksum; the two damaged ones were rechecked from their sources.
  assert.deepEqual([v.decidedByChecksum, v.recheckedDays, v.sourceFilesRead], [1, 2, 2]);
  assert.deepEqual(
    v.mismatches.map((m) => [m.symbol, m.day, m.missing, m.extra]),
    [
      ['EURUSD', '2024-04-08', 1, 0],
      // The changed row no longer matches its source tick, and is a row no source accounts for.
      ['GBPUSD', '2024-04-08', 1, 1],
    ],
  );
  for (const m of v.mismatches) assert.notEqual(m.sourceChecksum, m.dbChecksum);
});
