// The run's report, as JSON (for tools) and as text (for people), written atomically next to the
// ledger: <output>/.migration/report-<timestamp>.{json,txt}.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationReport } from '../../shared/migration.ts';
import { writeFileAtomic } from '../engine/fs/writeFileAtomic.ts';

export async function writeMigrationReport(
  report: MigrationReport,
  dir: string,
): Promise<{ json: string; txt: string }> {
  await mkdir(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const json = path.join(dir, `report-${stamp}.json`);
  const txt = path.join(dir, `report-${stamp}.txt`);
  const withPaths = { ...report, reportPaths: { json, txt } };
  await writeFileAtomic(json, `${JSON.stringify(withPaths, null, 2)}\n`);
  await writeFileAtomic(txt, formatReportText(withPaths));
  return { json, txt };
}

export function formatReportText(r: MigrationReport): string {
  const t = r.totals;
  const lines: string[] = [];
  lines.push(`Tickscope migration ${r.runId}: ${r.outcome.toUpperCase()}${r.error ? ` (${r.error})` : ''}`);
  lines.push(`From ${r.inputDir}`);
  lines.push(`Into ${r.outputDir}`);
  lines.push(`Started ${r.startedAt}, finished ${r.finishedAt} (${(t.durationMs / 1000).toFixed(1)} s)`);
  lines.push('');
  lines.push(
    `Files: ${t.files} (${t.migrated} migrated, ${t.skippedDone} already migrated earlier, ` +
      `${t.skippedIdentical} identical to another file, ${t.bad} bad)`,
  );
  lines.push(
    `Ticks: ${t.ticksRead} read, ${t.ticksAccepted} accepted, ${t.ticksRejected} rejected, ` +
      `${t.ticksThrottled} throttled; store wrote ${t.ticksWritten}, ${t.ticksDuplicate} were already stored`,
  );
  lines.push(`Speed: ${t.ticksPerSec} ticks/s`);
  if (r.badFiles.length > 0) {
    lines.push('', 'Files skipped or incomplete:');
    for (const f of r.badFiles) lines.push(`  ${f.path}: ${f.reason}`);
  }
  const identical = r.files.filter((f) => f.status === 'skipped_identical');
  if (identical.length > 0) {
    lines.push('', 'Files not read again (the same bytes were migrated):');
    for (const f of identical) lines.push(`  ${f.path}: ${f.reason}`);
  }
  if (r.skippedPathsTotal > 0) {
    lines.push('', `Paths in the input folder not read: ${r.skippedPathsTotal}`);
    for (const p of r.skippedPaths) lines.push(`  ${p.path}: ${p.reason}`);
    if (r.skippedPathsTotal > r.skippedPaths.length) {
      lines.push(`  (${r.skippedPathsTotal - r.skippedPaths.length} more not listed)`);
    }
  }
  const noted = r.files.filter((f) => f.notes.length > 0);
  if (noted.length > 0) {
    lines.push('', 'Notes (decisions taken while reading):');
    for (const f of noted) for (const n of f.notes) lines.push(`  ${f.path}: ${n}`);
  }
  if (r.rejectionsTotal > 0) {
    lines.push('', `Rejected ticks: ${r.rejectionsTotal}`);
    for (const [reason, n] of Object.entries(r.rejectionsByReason)) lines.push(`  ${reason}: ${n}`);
    lines.push(`First ${r.rejections.length}:`);
    for (const x of r.rejections) lines.push(`  ${x.file} ${x.location}: ${x.reason}`);
  }
  if (r.validation) {
    const v = r.validation;
    lines.push(
      '',
      `Validation: ${v.ok ? 'PASSED' : 'FAILED'} over ${v.checkedDays} symbol-days; ` +
        `${v.sourceTicks} source ticks, ${v.missing} missing, ${v.extra} extra rows in the store`,
      `  ${v.decidedByChecksum} symbol-days checked against the counts and checksums taken while migrating; ` +
        `${v.recheckedDays} against their ${v.sourceFilesRead} source files read again`,
    );
    for (const e of v.mismatches.slice(0, 100)) {
      lines.push(
        `  ${e.symbol} ${e.day}: ${e.missing} of ${e.sourceDistinct} missing (e.g. ${e.missingSamples.join(', ')}); ` +
          `checksums ${e.sourceChecksum} vs ${e.dbChecksum}`,
      );
    }
  }
  if (r.archive) {
    lines.push(
      '',
      `Archive: ${r.archive.files} files into ${r.archive.archivePath} (${r.archive.bytes} bytes)` +
        (r.archive.deleted ? '; originals deleted' : '; originals kept') +
        (r.archive.keptLinked > 0 ? ` (${r.archive.keptLinked} reached through a symlink kept)` : ''),
    );
  }
  return `${lines.join('\n')}\n`;
}
