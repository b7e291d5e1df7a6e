// The migration channels of the app (Electron and headless). A run lives here, in main, not in
// the page: closing the wizard does not stop it, and `migration.status` lets a wizard reattach.
// All file work runs in a worker thread; only batch ingest (and the bounded, async check of the
// input folder before a run) touches the main thread.
import path from 'node:path';
import type { migrationRequests } from '../../shared/ipc/migrationChannels.ts';
import type {
  ArchiveResult,
  MigrationOptions,
  MigrationProgress,
  MigrationReport,
  MigrationStatus,
  PreviewResult,
  ScanSummary,
} from '../../shared/migration.ts';
import type { HandlerMap, ParsedInput } from './handlerTypes.ts';
import { HandlerError } from './handlerTypes.ts';
import type { ServiceContext } from './serviceContext.ts';
import type { TickStore } from '../engine/tickStoreApi.ts';
import { checkInputFolder } from '../migration/inputFolder.ts';
import { startWorkerJob } from '../migration/migrationWorkerClient.ts';
import type { WorkerJob } from '../migration/migrationWorkerClient.ts';

export type MigrationChannel = keyof typeof migrationRequests;

export interface MigrationHandlers {
  handlers: HandlerMap<MigrationChannel>;
  /** Stops a running migration when the service shuts down. */
  close(): Promise<void>;
}

export interface MigrationHandlerOptions {
  /** Overrides the service's native folder picker (ctx.chooseFolder); for tests. */
  chooseFolder?: () => Promise<string | null>;
}

function absoluteFolder(p: string, what: string): string {
  if (!path.isAbsolute(p)) {
    throw new HandlerError('invalid_argument', `${what} must be an absolute path, got ${JSON.stringify(p)}`);
  }
  return path.resolve(p);
}

export function createMigrationHandlers(
  ctx: ServiceContext,
  opts: MigrationHandlerOptions = {},
): MigrationHandlers {
  let running: WorkerJob<MigrationReport> | null = null;
  let runDone: Promise<unknown> = Promise.resolve();
  let progress: MigrationProgress | null = null;
  let report: MigrationReport | null = null;
  let error: string | null = null;
  let archiving = false;

  const status = (): MigrationStatus => ({ running: running !== null, progress, report, error });
  const sqliteDir = (): string => ctx.store().config.sqliteDir;

  const handlers: HandlerMap<MigrationChannel> = {
    async 'migration.scan'(input: ParsedInput<'migration.scan'>) {
      const inputDir = absoluteFolder(input.inputDir, 'inputDir');
      return startWorkerJob<ScanSummary>({
        kind: 'scan',
        inputDir,
        options: { format: input.format, serverOffsetHours: input.serverOffsetHours, symbol: input.symbol },
        outputDir: sqliteDir(),
      }).result.catch(mapJobError);
    },
    async 'migration.preview'(input: ParsedInput<'migration.preview'>) {
      const inputDir = absoluteFolder(input.inputDir, 'inputDir');
      return startWorkerJob<PreviewResult[]>({
        kind: 'preview',
        inputDir,
        options: { format: input.format, serverOffsetHours: input.serverOffsetHours, symbol: input.symbol },
        path: input.path,
        rows: input.rows,
      }).result.catch(mapJobError);
    },
    async 'migration.start'(input: ParsedInput<'migration.start'>) {
      if (running) throw new HandlerError('busy', 'a migration is already running');
      if (archiving) throw new HandlerError('busy', 'the last run is being archived');
      const options: MigrationOptions = {
        ...input,
        inputDir: absoluteFolder(input.inputDir, 'inputDir'),
        archiveDir: input.archiveDir === null ? null : absoluteFolder(input.archiveDir, 'archiveDir'),
      };
      if (options.archiveDir !== null) options.validate = true;
      if (!options.dryRun) refuseUnsuitableStore(ctx.store());
      // Async and bounded in time: a hung network folder must not freeze the app's main thread,
      // and a wrong folder is an answer to this call, not a run that fails later.
      await checkInputFolder(options.inputDir).catch(mapJobError);
      const outputDir = sqliteDir();
      const runId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
      report = null;
      error = null;
      progress = null;
      const job = startWorkerJob<MigrationReport>(
        { kind: 'run', options, outputDir, runId },
        {
          getStore: () => ctx.store(),
          onProgress: (p) => {
            progress = p;
            ctx.emit('migration.progress', p);
          },
          onLog: (line) => ctx.log(`migration: ${line}`),
        },
      );
      running = job;
      runDone = job.result
        .then(
          (r) => {
            report = r;
            error = r.error;
          },
          (err: Error) => {
            error = err.message;
            if (progress) {
              progress = { ...progress, phase: 'failed' };
              ctx.emit('migration.progress', progress);
            }
          },
        )
        .finally(() => {
          running = null;
        });
      return status();
    },
    async 'migration.cancel'() {
      running?.cancel();
      await runDone;
      return status();
    },
    async 'migration.status'() {
      return status();
    },
    async 'migration.archive'(input: ParsedInput<'migration.archive'>) {
      if (running) throw new HandlerError('busy', 'a migration is running');
      if (archiving) throw new HandlerError('busy', 'an archive is already being written');
      const last = report;
      if (!last) throw new HandlerError('not_found', 'no finished migration to archive');
      if (!last.validation?.ok) {
        throw new HandlerError('invalid_argument', 'archive needs a migration whose validation passed');
      }
      if (last.badFiles.length > 0) {
        throw new HandlerError('invalid_argument', 'archive refused: some files were skipped as bad');
      }
      const files = last.files
        .filter(
          (f) => f.status === 'migrated' || f.status === 'skipped_done' || f.status === 'skipped_identical',
        )
        .map((f) => f.path);
      archiving = true;
      try {
        const result = await startWorkerJob<ArchiveResult>({
          kind: 'archive',
          inputDir: last.inputDir,
          files,
          archiveDir: absoluteFolder(input.archiveDir, 'archiveDir'),
          deleteAfter: input.deleteAfterArchive,
          runId: last.runId,
        }).result.catch(mapJobError);
        report = { ...last, archive: result };
        return result;
      } finally {
        archiving = false;
      }
    },
    async 'migration.chooseFolder'() {
      const picker = ctx.chooseFolder;
      if (opts.chooseFolder) return { path: await opts.chooseFolder() };
      if (!picker)
        throw new HandlerError('unsupported', 'no native folder dialog here: type the folder path');
      return { path: await picker('Choose the folder with the tick files to migrate') };
    },
  };

  return {
    handlers,
    async close() {
      running?.cancel();
      await runDone;
    },
  };
}

/**
 * The app's store takes the migrated ticks as it is configured: a JSON-only backend would not
 * write SQLite at all, and a throttle would drop historical ticks as if they were live repeats.
 */
function refuseUnsuitableStore(store: TickStore): void {
  const s = store.getSettings();
  if (s.backend === 'json') {
    throw new HandlerError(
      'invalid_argument',
      'the store writes JSON only: switch the backend to sqlite (or dual) in Storage before migrating',
    );
  }
  if (s.throttleRepeats || s.throttleMinIntervalMs > 0) {
    throw new HandlerError(
      'invalid_argument',
      'the store throttles ticks, which would drop migrated ticks: turn the throttle off in Storage settings first',
    );
  }
}

function mapJobError(err: Error): never {
  if (err.name === 'InputFolderError' || err.name === 'ArchiveError') {
    throw new HandlerError('invalid_argument', err.message);
  }
  throw err;
}
