// Channels of the JSON -> SQLite migration wizard. Paths are absolute on the machine that runs
// main (the desktop, or the headless server).
import { z } from 'zod';
import type {
  ArchiveResult,
  MigrationProgress,
  MigrationStatus,
  PreviewResult,
  ScanSummary,
} from '../migration.ts';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, MIGRATION_FORMATS } from '../migration.ts';
import { MAX_SYMBOL_LENGTH } from '../tick.ts';
import { event, request } from './define.ts';

const none = z.strictObject({});
const folder = z.string().trim().min(1).max(4096);
const importOptions = {
  format: z.enum(['auto', ...MIGRATION_FORMATS]).default('auto'),
  serverOffsetHours: z.number().min(-24).max(24).default(0),
  symbol: z.string().min(1).max(MAX_SYMBOL_LENGTH).nullable().default(null),
};

export const migrationRequests = {
  /** Walks the folder and sniffs every file: what a migration would do, without doing it. */
  'migration.scan': request<ScanSummary>()(z.strictObject({ inputDir: folder, ...importOptions })),
  /** The first rows of a few files as they would be stored (one file per format found). */
  'migration.preview': request<PreviewResult[]>()(
    z.strictObject({
      inputDir: folder,
      ...importOptions,
      /** Relative path of one file; default: the first file of each format. */
      path: z.string().min(1).max(4096).optional(),
      rows: z.int().min(1).max(200).default(10),
    }),
  ),
  /** Starts a run in the background; progress arrives as `migration.progress` events. */
  'migration.start': request<MigrationStatus>()(
    z.strictObject({
      inputDir: folder,
      ...importOptions,
      batchSize: z.int().min(1).max(MAX_BATCH_SIZE).default(DEFAULT_BATCH_SIZE),
      validate: z.boolean().default(true),
      archiveDir: folder.nullable().default(null),
      deleteAfterArchive: z.boolean().default(false),
      dryRun: z.boolean().default(false),
    }),
  ),
  'migration.cancel': request<MigrationStatus>()(none),
  /** The current or last run: lets a wizard that was closed reattach. */
  'migration.status': request<MigrationStatus>()(none),
  /** Archives the source files of the last run, which must have passed validation. */
  'migration.archive': request<ArchiveResult>()(
    z.strictObject({ archiveDir: folder, deleteAfterArchive: z.boolean().default(false) }),
  ),
  /** Electron only: native folder picker; the browser shows a path field instead. */
  'migration.chooseFolder': request<{ path: string | null }>()(none),
};

export const migrationEvents = {
  /** A few times per second while a run is active, and once when it ends. */
  'migration.progress': event<MigrationProgress>(),
};
