// `npm run migrate`: JSON tick archives (and Dukascopy, TrueFX, HistData, MetaTrader 5 files) into
// the SQLite day files, through the real engine. Progress on stderr, JSON summary on stdout.
// With --compact, the closed days of the migrated files then go into the archive tier.
// Exit codes: 0 every file migrated, 1 some files skipped as bad, validation failed or a day failed
// to compact, 2 usage error, 3 the run itself failed (disk, store).
import { runCliMigration } from '../migration/cliMigration.ts';
import { createCliProgress } from '../migration/cliProgress.ts';
import { MIGRATE_COMMAND, MIGRATE_USAGE, UsageError, parseMigrateArgs } from './migrateCliArgs.ts';
import type { MigrateCli } from './migrateCliArgs.ts';
import { formatPreviewText, previewFiles } from '../migration/previewFiles.ts';
import { migrationSummary } from '../migration/migrationSummary.ts';
import { InputFolderError } from '../migration/sourceFiles.ts';
import { formatUsageError } from './helpText.ts';
import { compactMigratedDays } from './migrationCompaction.ts';
import type { MigrationCompaction } from './migrationCompaction.ts';

async function main(argv: string[]): Promise<number> {
  let cli: MigrateCli;
  try {
    cli = parseMigrateArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(formatUsageError(MIGRATE_COMMAND, err.message));
      return 2;
    }
    throw err;
  }
  if (cli.help) {
    process.stdout.write(MIGRATE_USAGE);
    return 0;
  }
  const opts = cli.options;
  try {
    if (cli.preview !== null) {
      const previews = await previewFiles(opts.inputDir, opts, { rows: cli.preview });
      process.stdout.write(formatPreviewText(previews));
      return 0;
    }
    const outputDir = cli.outputDir as string;
    const progress = createCliProgress(process.stderr);
    const abort = new AbortController();
    const onSignal = (): void => abort.abort();
    // `on`, not `once`: Ctrl-C under npm reaches node twice (terminal and npm), and a repeat must
    // not kill the run while it stops the store.
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let report;
    try {
      report = await runCliMigration({
        options: opts,
        outputDir,
        signal: abort.signal,
        onProgress: (p) => progress.update(p),
        log: cli.verbose ? (l) => progress.line(l) : undefined,
      });
    } finally {
      progress.done();
    }
    // A failed validation means some file did not migrate correctly: exit 1 like a bad file.
    const validationFailed = report.validation !== null && !report.validation.ok;
    // Paths inside the input that could not be read (unreadable folders, undecodable names,
    // dangling or looping links) were not migrated either: finished, but not everything.
    const skipped = report.skippedPathsTotal;
    const incomplete = report.badFiles.length > 0 || validationFailed || skipped > 0;
    let code = report.outcome !== 'done' ? 3 : incomplete ? 1 : 0;
    let compaction: MigrationCompaction | null = null;
    // Only after a run that finished; a failed validation leaves the days as rows to look at.
    if (cli.compact && report.outcome === 'done' && !validationFailed) {
      compaction = await compactMigratedDays(report, {
        signal: abort.signal,
        log: (l) => process.stderr.write(`${l}\n`),
      });
      if (compaction.exitCode !== 0) code = Math.max(code, compaction.exitCode);
    } else if (cli.compact) {
      process.stderr.write('migrate: --compact skipped: the migration did not finish cleanly\n');
    }
    const summary = { ...migrationSummary(report, code), compaction: compaction?.summary ?? null };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (report.badFiles.length > 0) {
      process.stderr.write(`migrate: ${report.badFiles.length} file(s) skipped as bad:\n`);
      for (const f of report.badFiles) process.stderr.write(`  ${f.path}: ${f.reason}\n`);
    }
    if (skipped > 0) {
      process.stderr.write(`migrate: ${skipped} path(s) in the input could not be read and were skipped:\n`);
      for (const p of report.skippedPaths.slice(0, 20)) process.stderr.write(`  ${p.path}: ${p.reason}\n`);
      if (skipped > 20) process.stderr.write(`  ... and ${skipped - 20} more (all in the report)\n`);
    }
    if (validationFailed) {
      const v = report.validation!;
      process.stderr.write(
        `migrate: validation FAILED: ${v.missing} source ticks missing in ${v.mismatches.length} symbol-day(s)\n`,
      );
    }
    if (report.reportPaths) process.stderr.write(`migrate: report in ${report.reportPaths.txt}\n`);
    return code;
  } catch (err) {
    if (err instanceof InputFolderError) {
      process.stderr.write(`migrate: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`migrate: ${(err as Error).stack ?? String(err)}\n`);
    return 3;
  }
}

process.exitCode = await main(process.argv.slice(2));
