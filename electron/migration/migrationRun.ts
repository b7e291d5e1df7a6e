// One migration run: every source file through its reader into the sink, recorded in the ledger,
// then validation, archive and the report. The same code serves the CLI (sink = its own store)
// and the app (runs in a worker; sink = the app's store on the main thread).
import { randomUUID } from 'node:crypto';
import type {
  FileOutcome,
  FileProblem,
  MigrationOptions,
  MigrationProgress,
  MigrationReport,
  TickRejection,
  ValidationResult,
  ArchiveResult,
} from '../../shared/migration.ts';
import { MAX_LISTED_SKIPPED_PATHS } from '../../shared/migration.ts';
import { dayIndexToKey, US_PER_DAY } from '../../shared/time.ts';
import { archiveSources } from './archiveSources.ts';
import { hashFile } from './fileChunks.ts';
import { planFile } from './fileFormat.ts';
import type { FilePlan } from './fileFormat.ts';
import { MigrationLedger, migrationStateDir } from './migrationLedger.ts';
import { writeMigrationReport } from './migrationReport.ts';
import { InputFolderError, listSourceFiles } from './sourceFiles.ts';
import type { TickBatch } from './tickBatch.ts';
import { MigrationCancelledError, jsonTailProblem, readTickFile } from './tickFileReader.ts';
import type { TickSink } from './tickSink.ts';
import { validateMigration } from './validateMigration.ts';

/** Rejections kept with their location in the report; the rest are counted by reason. */
export const MAX_REPORTED_REJECTIONS = 1000;
const PROGRESS_EVERY_MS = 250;
const BATCHES_IN_FLIGHT = 4;

export interface RunDeps {
  /** Null for a dry run: files are parsed and counted, nothing is stored. */
  sink: TickSink | null;
  /** SQLite base of the store (the engine's `sqliteDir`). */
  outputDir: string;
  onProgress?(p: MigrationProgress): void;
  signal?: AbortSignal;
  /** Verbose lines (per file), for the CLI's --verbose. */
  log?(line: string): void;
  runId?: string;
}

export async function runMigration(opts: MigrationOptions, deps: RunDeps): Promise<MigrationReport> {
  const runId = deps.runId ?? `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const log = deps.log ?? (() => undefined);
  const progress: MigrationProgress = {
    runId,
    phase: 'scanning',
    filesTotal: 0,
    filesDone: 0,
    filesSkipped: 0,
    filesBad: 0,
    currentFile: null,
    bytesTotal: 0,
    bytesDone: 0,
    ticksRead: 0,
    ticksAccepted: 0,
    ticksRejected: 0,
    ticksPerSec: 0,
    etaSec: null,
    elapsedSec: 0,
    fraction: 0,
  };
  let lastEmit = 0;
  const emit = (force = false): void => {
    const now = Date.now();
    if (!force && now - lastEmit < PROGRESS_EVERY_MS) return;
    lastEmit = now;
    const elapsed = (now - started) / 1000;
    progress.elapsedSec = elapsed;
    progress.ticksPerSec = elapsed > 0 ? Math.round(progress.ticksRead / elapsed) : 0;
    progress.fraction = progress.bytesTotal > 0 ? Math.min(1, progress.bytesDone / progress.bytesTotal) : 1;
    const rate = elapsed > 0 ? progress.bytesDone / elapsed : 0;
    progress.etaSec =
      progress.phase === 'migrating' && rate > 0 ? (progress.bytesTotal - progress.bytesDone) / rate : null;
    deps.onProgress?.({ ...progress });
  };

  const ledger = opts.dryRun ? null : new MigrationLedger(deps.outputDir);
  const files: FileOutcome[] = [];
  const badFiles: FileProblem[] = [];
  let skippedPaths: FileProblem[] = [];
  const rejections: TickRejection[] = [];
  const rejectionsByReason: Record<string, number> = {};
  let rejectionsTotal = 0;
  let outcome: MigrationReport['outcome'] = 'done';
  let error: string | null = null;
  let validation: ValidationResult | null = null;
  let archive: ArchiveResult | null = null;
  const before = deps.sink ? await deps.sink.counters() : { ticksWritten: 0, ticksDuplicate: 0 };
  const migratedPlans: FilePlan[] = [];
  let migrateMs = 0;

  const countRejection = (file: string, location: string, reason: string): void => {
    rejectionsTotal++;
    const key = reason.split(':')[0];
    rejectionsByReason[key] = (rejectionsByReason[key] ?? 0) + 1;
    if (rejections.length < MAX_REPORTED_REJECTIONS) rejections.push({ file, location, reason });
  };

  try {
    const listing = await listSourceFiles(opts.inputDir, [deps.outputDir]);
    const sources = listing.files;
    skippedPaths = listing.skipped;
    for (const s of skippedPaths) log(`${'not read'.padEnd(12)} ${s.path} (${s.reason})`);
    progress.filesTotal = sources.length;
    progress.bytesTotal = sources.reduce((s, f) => s + f.size, 0);
    progress.phase = 'migrating';
    emit(true);
    for (const src of sources) {
      if (deps.signal?.aborted) throw new MigrationCancelledError();
      const t0 = Date.now();
      progress.currentFile = src.rel;
      const plan = await planFile(src, opts);
      const base: FileOutcome = {
        path: src.rel,
        format: plan.format,
        status: 'migrated',
        reason: null,
        bytes: src.size,
        ticksRead: 0,
        ticksAccepted: 0,
        ticksRejected: 0,
        ticksThrottled: 0,
        notes: [],
        durationMs: 0,
      };
      const bytesBefore = progress.bytesDone;
      const finishFile = (o: FileOutcome): void => {
        o.durationMs = Date.now() - t0;
        files.push(o);
        progress.bytesDone = bytesBefore + src.size;
        if (o.status === 'bad' || o.status === 'partial') {
          progress.filesBad++;
          badFiles.push({ path: src.rel, reason: o.reason ?? 'unknown' });
        } else if (o.status === 'skipped_done') progress.filesSkipped++;
        progress.filesDone++;
        log(
          `${o.status.padEnd(12)} ${src.rel}${o.format ? ` [${o.format}]` : ''}: ${o.ticksAccepted} ticks` +
            (o.ticksRejected ? `, ${o.ticksRejected} rejected` : '') +
            (o.reason ? ` (${o.reason})` : ''),
        );
        emit(true);
      };
      let problem = plan.problem;
      if (problem === null && plan.format === null) problem = 'unknown format';
      if (problem === null && !plan.gzip && (plan.format === 'legacy-json' || plan.format === 'dukascopy')) {
        problem = await jsonTailProblem(src.abs, src.size);
      }
      if (problem !== null || plan.format === null) {
        finishFile({ ...base, status: 'bad', reason: problem });
        ledger?.put({ ...ledgerBase(src, plan, runId), status: 'bad', reason: problem });
        continue;
      }
      const done = ledger?.finishedEntry(src.abs, src.size, src.mtimeMs) ?? null;
      if (done && (await hashFile(src.abs)) === done.sha256) {
        finishFile({
          ...base,
          status: 'skipped_done',
          reason: `already migrated by run ${done.runId}`,
          ticksRead: done.ticksRead,
          ticksAccepted: done.ticksAccepted,
          ticksRejected: done.ticksRejected,
        });
        migratedPlans.push(plan);
        continue;
      }
      ledger?.put({ ...ledgerBase(src, plan, runId), status: 'in_progress' });
      const days = new Map<string, number>();
      const o = { ...base };
      const sink = deps.sink;
      // Up to BATCHES_IN_FLIGHT batches may be with the store at once, so that in the app the
      // worker parses the next batch while the main thread ingests this one.
      const inFlight = new Set<Promise<void>>();
      let ingestError: unknown = null;
      const onBatch = async (b: TickBatch, locKind: string): Promise<void> => {
        if (ingestError !== null) throw ingestError;
        if (!sink) {
          o.ticksAccepted += b.count;
          countDays(b, null, days);
          return;
        }
        const p = sink.ingest(b).then((r) => {
          o.ticksAccepted += r.accepted;
          o.ticksThrottled += r.throttled;
          o.ticksRejected += r.rejectedIndex.length;
          progress.ticksAccepted += r.accepted;
          progress.ticksRejected += r.rejectedIndex.length;
          for (let k = 0; k < r.rejectedIndex.length; k++) {
            countRejection(src.rel, `${locKind} ${b.loc[r.rejectedIndex[k]]}`, r.rejectedReason[k]);
          }
          countDays(b, r.rejectedIndex, days);
        });
        inFlight.add(p);
        p.then(
          () => inFlight.delete(p),
          (err: unknown) => {
            inFlight.delete(p);
            ingestError ??= err;
          },
        );
        if (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
      };
      let lastTicks = 0;
      const result = await readTickFile({
        absPath: src.abs,
        relPath: src.rel,
        format: plan.format,
        batchSize: opts.batchSize,
        serverOffsetHours: opts.serverOffsetHours,
        fallbackSymbol: plan.fallbackSymbol,
        hash: true,
        signal: deps.signal,
        onReject: (loc, reason) => {
          o.ticksRejected++;
          progress.ticksRejected++;
          countRejection(src.rel, loc, reason);
        },
        onBatch: async (b, locKind) => {
          progress.ticksRead += b.count;
          await onBatch(b, locKind);
        },
        onProgress: (raw) => {
          progress.bytesDone = bytesBefore + raw;
          emit();
        },
      });
      await Promise.allSettled(inFlight);
      if (ingestError !== null) throw ingestError;
      if (!sink) progress.ticksAccepted += o.ticksAccepted;
      lastTicks = result.ticksRead;
      progress.ticksRead += result.rejected;
      o.ticksRead = lastTicks;
      o.notes = result.notes;
      if (sink) await sink.flush();
      if (result.structureProblem !== null) {
        o.status = 'partial';
        o.reason = `${result.structureProblem}; the ${o.ticksAccepted} ticks before it were migrated`;
      } else if (opts.dryRun) {
        o.status = 'dry_run';
      }
      ledger?.put(
        {
          ...ledgerBase(src, plan, runId),
          sha256: result.sha256,
          status: o.status,
          ticksRead: o.ticksRead,
          ticksAccepted: o.ticksAccepted,
          ticksRejected: o.ticksRejected,
          reason: o.reason,
        },
        days,
      );
      if (o.status === 'migrated') migratedPlans.push(plan);
      finishFile(o);
    }
    progress.currentFile = null;
    migrateMs = Date.now() - started;
    if (opts.validate && !opts.dryRun && ledger && deps.sink) {
      progress.phase = 'validating';
      emit(true);
      validation = await validateMigration({
        plans: migratedPlans,
        ledger,
        sqliteDir: deps.outputDir,
        options: opts,
        defaultSource: await deps.sink.defaultSource(),
        signal: deps.signal,
      });
      log(`validation: ${validation.ok ? 'passed' : 'FAILED'} over ${validation.checkedDays} symbol-days`);
    }
    if (opts.archiveDir !== null && !opts.dryRun) {
      if (validation?.ok && badFiles.length === 0) {
        progress.phase = 'archiving';
        emit(true);
        archive = await archiveSources({
          inputDir: opts.inputDir,
          files: migratedPlans.map((p) => p.file.rel),
          archiveDir: opts.archiveDir,
          deleteAfter: opts.deleteAfterArchive,
          runId,
        });
        log(
          `archived ${archive.files} files into ${archive.archivePath}${archive.deleted ? ' (sources deleted)' : ''}`,
        );
      } else {
        log('archive skipped: it needs a passing validation (--validate) and no bad files');
      }
    }
  } catch (err) {
    // A wrong input folder is the caller's mistake, not a failed run: no report for it.
    if (err instanceof InputFolderError) {
      ledger?.close();
      throw err;
    }
    if (err instanceof MigrationCancelledError) {
      outcome = 'cancelled';
      error = 'cancelled';
    } else {
      outcome = 'failed';
      error = (err as Error).message;
    }
    if (deps.sink) await deps.sink.flush().catch(() => undefined);
  }
  const after = deps.sink ? await deps.sink.counters() : before;
  const durationMs = Date.now() - started;
  const totals = {
    files: files.length,
    migrated: files.filter((f) => f.status === 'migrated' || f.status === 'dry_run').length,
    skippedDone: files.filter((f) => f.status === 'skipped_done').length,
    bad: badFiles.length,
    ticksRead: progress.ticksRead,
    ticksAccepted: progress.ticksAccepted,
    ticksRejected: progress.ticksRejected,
    ticksThrottled: files.reduce((s, f) => s + f.ticksThrottled, 0),
    ticksWritten: after.ticksWritten - before.ticksWritten,
    ticksDuplicate: after.ticksDuplicate - before.ticksDuplicate,
    bytes: progress.bytesDone,
    durationMs,
    migrateMs: migrateMs || durationMs,
    // Over the reading and storing phase: validation re-reads everything and would halve it.
    ticksPerSec: Math.round((progress.ticksRead * 1000) / Math.max(1, migrateMs || durationMs)),
  };
  const report: MigrationReport = {
    runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    inputDir: opts.inputDir,
    outputDir: deps.outputDir,
    options: opts,
    outcome,
    error,
    totals,
    files,
    badFiles,
    skippedPaths: skippedPaths.slice(0, MAX_LISTED_SKIPPED_PATHS),
    skippedPathsTotal: skippedPaths.length,
    rejectionsTotal,
    rejectionsByReason,
    rejections,
    validation,
    archive,
    reportPaths: null,
  };
  ledger?.close();
  if (!opts.dryRun) {
    report.reportPaths = await writeMigrationReport(report, migrationStateDir(deps.outputDir)).catch(
      () => null,
    );
  }
  progress.phase = outcome;
  emit(true);
  return report;
}

function ledgerBase(
  src: { abs: string; rel: string; size: number; mtimeMs: number },
  plan: FilePlan,
  runId: string,
) {
  return {
    path: src.abs,
    rel: src.rel,
    size: src.size,
    mtimeMs: src.mtimeMs,
    sha256: '',
    format: plan.format,
    ticksRead: 0,
    ticksAccepted: 0,
    ticksRejected: 0,
    reason: null as string | null,
    runId,
  };
}

/** Adds the batch's stored ticks to per symbol-day counts (`SYMBOL|YYYY-MM-DD`). */
function countDays(b: TickBatch, rejected: number[] | null, days: Map<string, number>): void {
  const skip = rejected && rejected.length > 0 ? new Set(rejected) : null;
  let lastSym = -1;
  let lastDay = -1;
  let run = 0;
  const flush = (): void => {
    if (run === 0) return;
    const key = `${b.symbols[lastSym]}|${dayIndexToKey(lastDay)}`;
    days.set(key, (days.get(key) ?? 0) + run);
    run = 0;
  };
  for (let i = 0; i < b.count; i++) {
    if (skip?.has(i)) continue;
    const d = Math.floor(b.tsUs[i] / US_PER_DAY);
    if (b.sym[i] !== lastSym || d !== lastDay) {
      flush();
      lastSym = b.sym[i];
      lastDay = d;
    }
    run++;
  }
  flush();
}
