// Types of the JSON -> SQLite migration and the importers, shared by the CLI, the main-side
// service and the wizard.

export const MIGRATION_FORMATS = ['legacy-json', 'dukascopy', 'truefx', 'histdata', 'mt5'] as const;
export type MigrationFormat = (typeof MIGRATION_FORMATS)[number];
/** 'auto' sniffs each file's first bytes; a named format forces it for every file. */
export type FormatChoice = 'auto' | MigrationFormat;

export interface ImportOptions {
  format: FormatChoice;
  /** MetaTrader 5 exports are in broker server time: UTC = server time - offset. */
  serverOffsetHours: number;
  /** Symbol for files whose records and names do not say it. */
  symbol: string | null;
}

export interface ScannedFile {
  /** Relative to the input folder, with forward slashes. */
  path: string;
  bytes: number;
  format: MigrationFormat | null;
  /** Why the file cannot be migrated; null when it can. */
  problem: string | null;
  estimatedTicks: number;
  symbols: string[];
  days: string[];
  /** Finished in an earlier run with the same size and modification time. */
  alreadyMigrated: boolean;
}

export interface FileProblem {
  path: string;
  reason: string;
}

/** Paths listed in a scan or a report as not read, at most this many (the total is counted). */
export const MAX_LISTED_SKIPPED_PATHS = 1000;

export interface ScanSummary {
  inputDir: string;
  /** Files that look like tick data (by extension). */
  files: number;
  bytes: number;
  symbols: string[];
  /** Distinct symbol-days seen in names or sampled records. */
  days: number;
  firstDay: string | null;
  lastDay: string | null;
  estimatedTicks: number;
  formats: Partial<Record<MigrationFormat, number>>;
  problems: FileProblem[];
  /** Files ignored because their extension is not a tick format (README, .DS_Store...). */
  ignored: number;
  alreadyMigrated: number;
  /**
   * Paths inside the folder that were not read, with why: folders that cannot be read, names
   * that are not UTF-8, symlink loops, dangling links, FIFOs (at most MAX_LISTED_SKIPPED_PATHS).
   */
  skippedPaths: FileProblem[];
  skippedPathsTotal: number;
  /** The first files, for display. */
  sample: ScannedFile[];
}

export interface PreviewRow {
  /** Where the row is in its file, e.g. "line 3" or "record 12". */
  location: string;
  symbol: string;
  tsUs: number;
  /** RFC 3339 UTC with microseconds. */
  time: string;
  bid: number;
  ask: number;
  source: string | null;
}

export interface PreviewResult {
  path: string;
  format: MigrationFormat | null;
  rows: PreviewRow[];
  rejected: TickRejection[];
  /** What the reader decided on its own (timestamp unit, zone-less times, offsets). */
  notes: string[];
  problem: string | null;
}

export interface MigrationOptions extends ImportOptions {
  inputDir: string;
  batchSize: number;
  validate: boolean;
  /** Archive after a passing validation; null skips the archive step. */
  archiveDir: string | null;
  deleteAfterArchive: boolean;
  dryRun: boolean;
}

export type MigrationPhase =
  'idle' | 'scanning' | 'migrating' | 'validating' | 'archiving' | 'done' | 'failed' | 'cancelled';

export interface MigrationProgress {
  runId: string;
  phase: MigrationPhase;
  filesTotal: number;
  filesDone: number;
  filesSkipped: number;
  filesBad: number;
  currentFile: string | null;
  bytesTotal: number;
  bytesDone: number;
  ticksRead: number;
  ticksAccepted: number;
  ticksRejected: number;
  ticksPerSec: number;
  etaSec: number | null;
  elapsedSec: number;
  /** 0..1 by bytes read. */
  fraction: number;
}

export type FileStatus =
  | 'migrated'
  | 'partial'
  | 'skipped_done'
  /** Same bytes as a file migrated earlier in the run or in an earlier run: not parsed again. */
  | 'skipped_identical'
  | 'bad'
  | 'cancelled'
  | 'dry_run';

export interface FileOutcome {
  path: string;
  format: MigrationFormat | null;
  status: FileStatus;
  reason: string | null;
  bytes: number;
  ticksRead: number;
  ticksAccepted: number;
  ticksRejected: number;
  ticksThrottled: number;
  notes: string[];
  durationMs: number;
}

export interface TickRejection {
  file: string;
  /** "line 12", "record 5". */
  location: string;
  reason: string;
}

export interface ValidationEntry {
  symbol: string;
  day: string;
  /** Ticks read from the source files for this symbol and day (repeats included). */
  sourceTicks: number;
  /** Distinct source ticks: what the store should hold at least. */
  sourceDistinct: number;
  /** Rows for this symbol in the day file, whatever their origin. */
  dbTicks: number;
  /** Source ticks that are not in the day file. */
  missing: number;
  /** Rows in the day file that no source tick accounts for (live recording, other imports). */
  extra: number;
  /** Order-independent checksum of the distinct source ticks (ts, bid, ask, source). */
  sourceChecksum: string;
  /** The same checksum over the day file's rows that match a source tick. */
  dbChecksum: string;
  ok: boolean;
  /** First few missing ticks, for the report. */
  missingSamples: string[];
}

export interface ValidationResult {
  ok: boolean;
  checkedDays: number;
  /**
   * Symbol-days decided from the count and checksum the migration computed of the ticks the
   * store accepted, against the day file alone (the sources were not read again).
   */
  decidedByChecksum: number;
  /** Symbol-days whose sources were read again (duplicates in the sources, other rows in the day). */
  recheckedDays: number;
  /** Source files read again for those. */
  sourceFilesRead: number;
  sourceTicks: number;
  dbTicks: number;
  missing: number;
  extra: number;
  mismatches: ValidationEntry[];
  entries: ValidationEntry[];
}

export interface ArchiveResult {
  archivePath: string;
  files: number;
  bytes: number;
  deleted: boolean;
  /** Files reached through a symlink: archived but not deleted (their real file may lie elsewhere). */
  keptLinked: number;
}

export interface MigrationTotals {
  files: number;
  migrated: number;
  skippedDone: number;
  skippedIdentical: number;
  bad: number;
  ticksRead: number;
  ticksAccepted: number;
  ticksRejected: number;
  ticksThrottled: number;
  /** Engine counters over the run (in the app they include ticks recorded meanwhile). */
  ticksWritten: number;
  ticksDuplicate: number;
  bytes: number;
  durationMs: number;
  /** Time spent reading and storing (before validation and archive). */
  migrateMs: number;
  ticksPerSec: number;
}

export interface MigrationReport {
  runId: string;
  startedAt: string;
  finishedAt: string;
  inputDir: string;
  outputDir: string;
  options: MigrationOptions;
  outcome: 'done' | 'failed' | 'cancelled';
  error: string | null;
  totals: MigrationTotals;
  files: FileOutcome[];
  badFiles: FileProblem[];
  /** Paths in the input folder that were not read, as in ScanSummary. */
  skippedPaths: FileProblem[];
  skippedPathsTotal: number;
  rejectionsTotal: number;
  rejectionsByReason: Record<string, number>;
  /** The first rejections with their location (capped). */
  rejections: TickRejection[];
  validation: ValidationResult | null;
  archive: ArchiveResult | null;
  reportPaths: { json: string; txt: string } | null;
}

export interface MigrationStatus {
  running: boolean;
  progress: MigrationProgress | null;
  report: MigrationReport | null;
  error: string | null;
}

export const MAX_BATCH_SIZE = 100_000;
export const DEFAULT_BATCH_SIZE = 1_000;
