// `migrate --compact`: after a migration, the closed days its files hold go into the archive tier,
// so a migrated year lands small. Which days those are is what the migration ledger keeps per
// file and symbol-day: the files migrated by this run, and those an earlier run migrated (a re-run
// with --compact, or one after an interrupted compaction, takes their days on too).
import path from 'node:path';
import type { DayInfo } from '../../shared/catalog.ts';
import type { FileStatus, MigrationReport } from '../../shared/migration.ts';
import type { StorageConfigInput } from '../engine/config.ts';
import { openTickStore } from '../engine/tickStore.ts';
import { MigrationLedger } from '../migration/migrationLedger.ts';
import type { CompactionOutcome } from './compactionReport.ts';
import { compactionExitCode, compactionSummary, dayLine, totalLine } from './compactionReport.ts';
import { closedLiveDays, idleStatus, runCompaction, settleAfterStop } from './compactionRun.ts';

/** How long the store's stop may take; it waits for the day being compacted. */
const STOP_DEADLINE_MS = 60_000;

/** Files whose ticks are in the day files: the ledger lists their symbol-days. */
const STORED: ReadonlySet<FileStatus> = new Set<FileStatus>(['migrated', 'partial', 'skipped_done']);

/**
 * The output folder as the migration's own store opens it (cliMigration.ts, openMigrationStore):
 * the same SQLite base, spill journal and JSON folder, so nothing lands beside them.
 */
export function migrationStoreInput(outputDir: string): StorageConfigInput {
  return {
    dataDir: outputDir,
    sqliteDir: outputDir,
    spillDir: path.join(outputDir, '.spill'),
    jsonDir: path.join(outputDir, '.json'),
    backend: 'sqlite',
  };
}

/**
 * The UTC days of the files the report lists as stored, from the ledger. The ledger keys a file by
 * its absolute path: the input folder resolved, joined with the path the report gives.
 */
export function daysOfMigratedFiles(report: MigrationReport): Set<string> {
  const root = path.resolve(report.inputDir);
  const ledger = new MigrationLedger(report.outputDir);
  try {
    const days = new Set<string>();
    for (const f of report.files) {
      if (!STORED.has(f.status)) continue;
      for (const d of ledger.daysOf(path.join(root, f.path))) days.add(d.day);
    }
    return days;
  } finally {
    ledger.close();
  }
}

/** Of the migrated days, the closed ones with rows to compact (not archived already). */
export function daysToCompact(
  migrated: ReadonlySet<string>,
  stored: readonly DayInfo[],
  nowMs = Date.now(),
): string[] {
  return closedLiveDays(
    stored.filter((d) => migrated.has(d.day)),
    nowMs,
  );
}

export interface MigrationCompaction {
  outcome: CompactionOutcome;
  exitCode: number;
  summary: ReturnType<typeof compactionSummary>;
}

/** Compacts the closed days the migration's files hold and waits for it; lines on `log`. */
export async function compactMigratedDays(
  report: MigrationReport,
  o: { signal: AbortSignal; log(line: string): void },
): Promise<MigrationCompaction> {
  const migrated = daysOfMigratedFiles(report);
  const store = await openTickStore(migrationStoreInput(report.outputDir));
  let outcome: CompactionOutcome;
  try {
    const days = daysToCompact(migrated, await store.listDays());
    o.log(`migrate: compacting ${days.length} closed day(s) of the migrated files`);
    outcome =
      days.length === 0 || o.signal.aborted
        ? { status: idleStatus(), days: [], interrupted: o.signal.aborted, durationMs: 0 }
        : await runCompaction(store, { days }, { name: 'migrate', log: o.log, signal: o.signal });
  } finally {
    await store.stop({ deadlineMs: STOP_DEADLINE_MS });
  }
  const seen = outcome.days.length;
  outcome = settleAfterStop(outcome, store.compactionStatus());
  for (const d of outcome.days.slice(seen))
    o.log(dayLine('migrate', d, outcome.status.daysDone, outcome.status.daysTotal));
  const exitCode = compactionExitCode(outcome);
  o.log(totalLine('migrate', outcome));
  return { outcome, exitCode, summary: compactionSummary(outcome, exitCode) };
}
