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
import { archiveSources } from './archiveSources.ts';
import { hashFile } from './fileChunks.ts';
import { FileIdentity, ticksKeyOfRead } from './fileIdentity.ts';
import { planFile } from './fileFormat.ts';
import type { FilePlan } from './fileFormat.ts';
import { ingestFile } from './ingestFile.ts';
import { MigrationLedger, migrationStateDir } from './migrationLedger.ts';
import type { LedgerEntry } from './migrationLedger.ts';
import { writeMigrationReport } from './migrationReport.ts';
import { InputFolderError, listSourceFiles } from './sourceFiles.ts';
import type { SourceFile } from './sourceFiles.ts';
import { MigrationCancelledError, jsonTailProblem } from './tickFileReader.ts';
import type { TickSink } from './tickSink.ts';
import { validateMigration } from './validateMigration.ts';
import type { ValidationSource } from './validateMigration.ts';

/** Rejections kept with their location in the report; the rest are counted by reason. */
export const MAX_REPORTED_REJECTIONS = 1000;
const PROGRESS_EVERY_MS = 250;

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
  const defaultSource = deps.sink ? await deps.sink.defaultSource() : null;
  const identity = new FileIdentity(ledger);
  // What validation checks, and what a passing validation may archive.
  const toValidate: ValidationSource[] = [];
  const toArchive: string[] = [];
  let migrateMs = 0;

  const countRejection = (file: string, location: string, reason: string): void => {
    rejectionsTotal++;
    progress.ticksRejected++;
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
        } else if (o.status === 'skipped_done' || o.status === 'skipped_identical') progress.filesSkipped++;
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

      // Another name (a symlink, a hard link) of a file this run already has in the store.
      if (src.sameFileAs !== undefined && identity.isPresent(src.sameFileAs)) {
        finishFile({
          ...base,
          status: 'skipped_identical',
          reason: `identical to ${src.sameFileAs} (the same file)`,
        });
        identity.addPresent(src.rel);
        toArchive.push(src.rel);
        continue;
      }

      // Migrated earlier at this path, unchanged.
      let sha256: string | null = null;
      const done = ledger?.finishedEntry(src.abs, src.size, src.mtimeMs) ?? null;
      if (done) {
        sha256 = await hashFile(src.abs);
        if (sha256 === done.sha256) {
          finishFile(skippedDone(base, done, `already migrated by run ${done.runId}`));
          identity.addMigrated(src.rel, src.size, sha256, done.ticksKey ?? '');
          toValidate.push({ plan, ledgerPath: src.abs });
          toArchive.push(src.rel);
          continue;
        }
      }

      // The same bytes as a file migrated before, here or in an earlier run.
      if (sha256 === null && identity.mayHaveTwin(src.size)) sha256 = await hashFile(src.abs);
      const twin = sha256 !== null ? identity.find(sha256, plan, opts.serverOffsetHours) : null;
      if (twin !== null && sha256 !== null) {
        if (twin.self && twin.entry) {
          // Only the modification time changed: remember the new one, so the next run need not hash.
          ledger?.put({ ...twin.entry, mtimeMs: src.mtimeMs });
          finishFile(
            skippedDone(base, twin.entry, `already migrated by run ${twin.entry.runId} (same content)`),
          );
          identity.addMigrated(src.rel, src.size, sha256, twin.entry.ticksKey ?? '');
          toValidate.push({ plan, ledgerPath: src.abs });
        } else {
          const reason =
            `identical to ${twin.path}` + (twin.entry ? `, migrated by run ${twin.entry.runId}` : '');
          finishFile({ ...base, status: 'skipped_identical', reason });
          ledger?.put({ ...ledgerBase(src, plan, runId), sha256, status: 'skipped_identical', reason });
          identity.addPresent(src.rel);
          // A copy of a file from an earlier run stands in for it: validation checks that file's
          // days (and reads this copy if it must). A copy of a file of this run adds nothing.
          if (twin.ledgerPath !== null) toValidate.push({ plan, ledgerPath: twin.ledgerPath });
        }
        toArchive.push(src.rel);
        continue;
      }

      ledger?.put({ ...ledgerBase(src, plan, runId), status: 'in_progress' });
      const o = { ...base };
      const r = await ingestFile({
        absPath: src.abs,
        relPath: src.rel,
        format: plan.format,
        fallbackSymbol: plan.fallbackSymbol,
        batchSize: opts.batchSize,
        serverOffsetHours: opts.serverOffsetHours,
        hash: sha256 === null,
        sink: deps.sink,
        tallySource: ledger ? defaultSource : null,
        signal: deps.signal,
        onRead: (n) => {
          progress.ticksRead += n;
        },
        onAccepted: (n) => {
          progress.ticksAccepted += n;
        },
        onReject: (loc, reason) => countRejection(src.rel, loc, reason),
        onProgress: (raw) => {
          progress.bytesDone = bytesBefore + raw;
          emit();
        },
      });
      progress.ticksRead += r.read.rejected;
      o.ticksRead = r.read.ticksRead;
      o.ticksAccepted = r.accepted;
      o.ticksRejected = r.rejected;
      o.ticksThrottled = r.throttled;
      o.notes = r.read.notes;
      if (r.read.structureProblem !== null) {
        o.status = 'partial';
        o.reason = `${r.read.structureProblem}; the ${o.ticksAccepted} ticks before it were migrated`;
      } else if (opts.dryRun) {
        o.status = 'dry_run';
      }
      // A file that ended early has no hash: nothing may be taken as its copy.
      const fileSha = r.read.structureProblem === null ? (sha256 ?? r.read.sha256) : '';
      const ticksKey = ticksKeyOfRead(plan, r.read.fallbackSymbolUsed, opts.serverOffsetHours);
      ledger?.put(
        {
          ...ledgerBase(src, plan, runId),
          sha256: fileSha,
          status: o.status,
          ticksRead: o.ticksRead,
          ticksAccepted: o.ticksAccepted,
          ticksRejected: o.ticksRejected,
          reason: o.reason,
          ticksKey,
        },
        r.days ?? undefined,
      );
      if (o.status === 'migrated' || o.status === 'dry_run') {
        identity.addMigrated(src.rel, src.size, fileSha, ticksKey);
        toValidate.push({ plan, ledgerPath: src.abs });
        toArchive.push(src.rel);
      }
      finishFile(o);
    }
    progress.currentFile = null;
    migrateMs = Date.now() - started;
    if (opts.validate && !opts.dryRun && ledger && deps.sink && defaultSource !== null) {
      progress.phase = 'validating';
      emit(true);
      validation = await validateMigration({
        sources: toValidate,
        ledger,
        sqliteDir: deps.outputDir,
        options: opts,
        defaultSource,
        signal: deps.signal,
      });
      log(
        `validation: ${validation.ok ? 'passed' : 'FAILED'} over ${validation.checkedDays} symbol-days ` +
          `(${validation.decidedByChecksum} by checksum, ${validation.recheckedDays} against ${validation.sourceFilesRead} source files)`,
      );
    }
    if (opts.archiveDir !== null && !opts.dryRun) {
      if (validation?.ok && badFiles.length === 0) {
        progress.phase = 'archiving';
        emit(true);
        archive = await archiveSources({
          inputDir: opts.inputDir,
          files: toArchive,
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
  const count = (...status: FileOutcome['status'][]): number =>
    files.filter((f) => status.includes(f.status)).length;
  const totals = {
    files: files.length,
    migrated: count('migrated', 'dry_run'),
    skippedDone: count('skipped_done'),
    skippedIdentical: count('skipped_identical'),
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
    // Over the reading and storing phase, so that it compares with earlier runs' figures.
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

function skippedDone(base: FileOutcome, e: LedgerEntry, reason: string): FileOutcome {
  return {
    ...base,
    status: 'skipped_done',
    reason,
    ticksRead: e.ticksRead,
    ticksAccepted: e.ticksAccepted,
    ticksRejected: e.ticksRejected,
  };
}

function ledgerBase(src: SourceFile, plan: FilePlan, runId: string): LedgerEntry {
  return {
    path: src.abs,
    rel: src.rel,
    size: src.size,
    mtimeMs: src.mtimeMs,
    sha256: '',
    format: plan.format,
    status: 'in_progress',
    ticksRead: 0,
    ticksAccepted: 0,
    ticksRejected: 0,
    reason: null,
    runId,
    ticksKey: null,
  };
}
