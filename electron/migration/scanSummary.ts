// What a migration of a folder would do, from file names and each file's first 64 KB: files,
// symbols, days, size, estimated ticks, formats and problems, and the paths it could not read.
// Nothing is parsed in full.
import type { ImportOptions, ScanSummary, ScannedFile } from '../../shared/migration.ts';
import { MAX_LISTED_SKIPPED_PATHS } from '../../shared/migration.ts';
import { utcDayKey } from '../../shared/time.ts';
import { planFile } from './fileFormat.ts';
import { MigrationLedger } from './migrationLedger.ts';
import { previewPlan } from './previewFiles.ts';
import { listSourceFiles } from './sourceFiles.ts';
import { dayFromPath } from './symbolFromPath.ts';

const SAMPLE_FILES = 50;

export async function scanInput(
  inputDir: string,
  opts: ImportOptions,
  outputDir: string | null,
): Promise<ScanSummary> {
  const { files, ignored, skipped } = await listSourceFiles(inputDir, outputDir ? [outputDir] : []);
  const ledger = outputDir ? new MigrationLedger(outputDir) : null;
  const summary: ScanSummary = {
    inputDir,
    files: files.length,
    bytes: 0,
    symbols: [],
    days: 0,
    firstDay: null,
    lastDay: null,
    estimatedTicks: 0,
    formats: {},
    problems: [],
    ignored: ignored.length,
    alreadyMigrated: 0,
    skippedPaths: skipped.slice(0, MAX_LISTED_SKIPPED_PATHS),
    skippedPathsTotal: skipped.length,
    sample: [],
  };
  const symbols = new Set<string>();
  const symbolDays = new Set<string>();
  const allDays: string[] = [];
  try {
    for (const f of files) {
      summary.bytes += f.size;
      const plan = await planFile(f, opts);
      const scanned: ScannedFile = {
        path: f.rel,
        bytes: f.size,
        format: plan.format,
        problem: plan.problem,
        estimatedTicks: 0,
        symbols: [],
        days: [],
        alreadyMigrated: ledger !== null && ledger.finishedEntry(f.abs, f.size, f.mtimeMs) !== null,
      };
      if (scanned.alreadyMigrated) summary.alreadyMigrated++;
      if (plan.problem !== null || plan.format === null) {
        summary.problems.push({ path: f.rel, reason: plan.problem ?? 'unknown format' });
      } else {
        summary.formats[plan.format] = (summary.formats[plan.format] ?? 0) + 1;
        const s = plan.sniff;
        const bytesPerRecord = s.sampleRecords > 0 ? s.sampleBytes / s.sampleRecords : 100;
        scanned.estimatedTicks = Math.round((f.size * plan.compressionRatio) / bytesPerRecord);
        // A few parsed rows give the symbols and the first day without reading the file.
        const pv = await previewPlan(plan, opts, 20);
        const fileSymbols = new Set(pv.rows.map((r) => r.symbol));
        const fileDays = new Set(
          pv.rows.filter((r) => Number.isFinite(r.tsUs)).map((r) => utcDayKey(r.tsUs)),
        );
        const named = dayFromPath(f.rel);
        if (named && plan.format === 'legacy-json') fileDays.add(named);
        scanned.symbols = [...fileSymbols];
        scanned.days = [...fileDays];
        for (const sym of fileSymbols) {
          symbols.add(sym);
          for (const d of fileDays) symbolDays.add(`${sym}|${d}`);
        }
        allDays.push(...fileDays);
        summary.estimatedTicks += scanned.estimatedTicks;
      }
      if (summary.sample.length < SAMPLE_FILES) summary.sample.push(scanned);
    }
  } finally {
    ledger?.close();
  }
  allDays.sort();
  summary.symbols = [...symbols].sort();
  summary.days = symbolDays.size;
  summary.firstDay = allDays[0] ?? null;
  summary.lastDay = allDays[allDays.length - 1] ?? null;
  return summary;
}
