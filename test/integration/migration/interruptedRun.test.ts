// A migration killed with SIGKILL in the middle, then run again: the second run finishes the job,
// and the day files hold every source tick exactly once.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ArchiveBuilder } from '../../fixtures/migration/archiveBuilder.ts';
import {
  expectedRows,
  runMigrateCli,
  startMigrateCli,
  storedTicks,
} from '../../fixtures/migration/runMigrateCli.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const T0 = Date.UTC(2024, 2, 1) * 1000;
const FILES = 24;
const PER_FILE = 25_000;

function ledgerDone(output: string): number {
  const file = path.join(output, '.migration', 'ledger.db');
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM files WHERE status = 'migrated'").get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

test('kill -9 mid-run, run again: every tick stored exactly once', async () => {
  const input = makeTempDir('mig-kill-in');
  const output = makeTempDir('mig-kill-out');
  const b = new ArchiveBuilder(input);
  for (let f = 0; f < FILES; f++) {
    const symbol = `SYM${f % 6}`;
    const day = Math.floor(f / 6);
    const day0 = T0 + day * 86_400_000_000;
    b.legacyArray(
      `${symbol}/${new Date(day0 / 1000).toISOString().slice(0, 10)}.json`,
      b.ticks(symbol, day0, PER_FILE, 3_000_000, 'LP1'),
    );
  }
  const args = ['--input-dir', input, '--output-dir', output, '--batch-size', '2000'];
  const run = startMigrateCli(args);
  // Kill once a few files are marked done, so one is half-way.
  await waitFor('three files migrated', () => ledgerDone(output) >= 3, 60_000);
  run.child.kill('SIGKILL');
  const killed = await run.done;
  assert.equal(killed.code, null, 'killed by signal');
  const doneBefore = ledgerDone(output);
  assert.ok(doneBefore < FILES, `killed before the end (${doneBefore} of ${FILES} done)`);

  const second = await runMigrateCli([...args, '--validate']);
  assert.equal(second.code, 0, second.stderr);
  assert.ok(second.summary.totals!.skippedDone >= doneBefore, 'finished files are skipped');
  assert.equal((second.summary.validation as { ok: boolean }).ok, true);
  const stored = storedTicks(output);
  assert.equal(stored.length, FILES * PER_FILE);
  assert.deepEqual(stored, expectedRows(b.expected));
  assert.equal(ledgerDone(output), FILES);
});
