// The short JSON summary the CLI prints on stdout (the full report is in the report files).
import { readFileSync } from 'node:fs';
import type { MigrationReport } from '../../shared/migration.ts';

/**
 * This process's peak RSS in MB. On Linux getrusage's maxrss also counts the pages the child
 * shared with its parent between fork and exec, so a CLI started by a big process (the bench)
 * reported the parent's size; /proc's VmHWM is this process's own high-water mark.
 */
export function peakRssMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    // Not Linux: getrusage below.
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

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
    peakRssMb: peakRssMb(),
  };
}
