// The short JSON summary the CLI prints on stdout (the full report is in the report files).
import type { MigrationReport } from '../../shared/migration.ts';

export function migrationSummary(r: MigrationReport, exitCode: number) {
  const v = r.validation;
  return {
    outcome: r.outcome,
    exitCode,
    error: r.error,
    runId: r.runId,
    inputDir: r.inputDir,
    outputDir: r.outputDir,
    dryRun: r.options.dryRun,
    totals: r.totals,
    badFiles: r.badFiles,
    skippedPaths: r.skippedPaths.slice(0, 50),
    skippedPathsTotal: r.skippedPathsTotal,
    rejectionsTotal: r.rejectionsTotal,
    rejectionsByReason: r.rejectionsByReason,
    validation: v
      ? {
          ok: v.ok,
          checkedDays: v.checkedDays,
          decidedByChecksum: v.decidedByChecksum,
          recheckedDays: v.recheckedDays,
          sourceFilesRead: v.sourceFilesRead,
          sourceTicks: v.sourceTicks,
          dbTicks: v.dbTicks,
          missing: v.missing,
          extra: v.extra,
          mismatches: v.mismatches.slice(0, 20),
        }
      : null,
    archive: r.archive,
    reportPaths: r.reportPaths,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
