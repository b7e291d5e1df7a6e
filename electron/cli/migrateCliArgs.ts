// Command line of `npm run migrate`: parsed and checked up front, so a typo is exit code 2 with a
// message naming the option, never a half-started run. Its parser and its --help both come from
// the option table below.
import type { FormatChoice, MigrationOptions } from '../../shared/migration.ts';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, MIGRATION_FORMATS } from '../../shared/migration.ts';
import { checkSymbol } from '../../shared/tick.ts';
import type { CommandSpec } from './helpText.ts';
import { formatHelp } from './helpText.ts';
import { integerFrom, numberFrom, pathValue } from './optionReaders.ts';
import { UsageError, flag, option, parseOptions } from './optionTable.ts';

export { UsageError } from './optionTable.ts';

const MAX_PREVIEW_ROWS = 200;
const DEFAULT_PREVIEW_ROWS = 10;

function symbolName(raw: string, flagName: string): string {
  if (checkSymbol(raw) !== null)
    throw new UsageError(`${flagName} ${JSON.stringify(raw)} is not a valid symbol`);
  return raw;
}

function previewRows(raw: string, flagName: string): number {
  if (!/^\d+$/.test(raw))
    throw new UsageError(`${flagName} takes a number of rows, got ${JSON.stringify(raw)}`);
  return Math.min(MAX_PREVIEW_ROWS, Math.max(1, Number(raw)));
}

export const MIGRATE_OPTIONS = {
  'input-dir': option<string | null>({
    arg: 'DIR',
    help: 'folder with the tick files (legacy JSON layout, nested or flat)',
    default: null,
    defaultText: 'none, it is required',
    read: pathValue,
  }),
  'output-dir': option<string | null>({
    arg: 'DIR',
    help: 'SQLite base of the store (YYYY/MM/ticks_YYYY-MM-DD.db)',
    default: null,
    defaultText: 'none, it is required unless --preview',
    read: pathValue,
  }),
  'batch-size': option({
    arg: 'N',
    help: 'ticks per batch handed to the store',
    default: DEFAULT_BATCH_SIZE,
    read: integerFrom(1, MAX_BATCH_SIZE),
  }),
  format: option<FormatChoice>({
    arg: 'F',
    help: `auto (detected per file) or one of ${MIGRATION_FORMATS.join(', ')}`,
    default: 'auto',
    read: (raw, flagName) => {
      if (raw !== 'auto' && !(MIGRATION_FORMATS as readonly string[]).includes(raw)) {
        throw new UsageError(
          `${flagName} must be auto or one of ${MIGRATION_FORMATS.join(', ')}, got ${JSON.stringify(raw)}`,
        );
      }
      return raw as FormatChoice;
    },
  }),
  symbol: option<string | null>({
    arg: 'S',
    help: 'symbol for files whose records and names do not say it',
    default: null,
    defaultText: 'taken from each record or file name',
    read: symbolName,
  }),
  'server-offset-hours': option({
    arg: 'N',
    help: 'MetaTrader 5 server time offset from UTC (UTC = server - N)',
    default: 0,
    read: numberFrom(-24, 24, 'hours'),
  }),
  'dry-run': flag('read and count everything, store nothing'),
  validate: flag('compare every source tick with the day files afterwards'),
  archive: option<string | null>({
    arg: 'DIR',
    help: 'after a passing validation (implied), pack the source files into DIR/*.tar.gz',
    default: null,
    defaultText: 'none, the sources stay where they are',
    read: pathValue,
  }),
  'delete-after-archive': flag('delete the source files once they are archived'),
  compact: flag(
    'afterwards, compact the closed days the migration wrote into the archive tier (as npm run compact does)',
  ),
  preview: option<number | null>({
    arg: 'N',
    help: `print the first N rows (at most ${MAX_PREVIEW_ROWS}; ${DEFAULT_PREVIEW_ROWS} when N is left out) of each format as parsed, then exit`,
    default: null,
    defaultText: 'off',
    bare: DEFAULT_PREVIEW_ROWS,
    read: previewRows,
  }),
  verbose: flag('one line per file on stderr'),
  help: flag('print this help and exit', 'h'),
};

export const MIGRATE_COMMAND: CommandSpec<typeof MIGRATE_OPTIONS> = {
  name: 'migrate',
  synopsis: '--input-dir DIR --output-dir DIR [options]',
  summary:
    'Moves JSON tick archives (and Dukascopy, TrueFX, HistData, MetaTrader 5 files) into the SQLite ' +
    'day files through the real engine; safe to repeat and to interrupt. Progress on stderr, a JSON ' +
    'summary on stdout, reports in <output-dir>/.migration/.',
  options: MIGRATE_OPTIONS,
  // Deliberately none: the output folder is always --output-dir, so that TICK_DATA_DIR,
  // TICK_STORAGE_BACKEND and BROKER_ID set for the recorder cannot redirect a migration.
  environment: [],
  exitCodes: [
    [0, 'every file migrated (and validated, with --validate)'],
    [
      1,
      'finished, but not everything: files skipped as bad, paths in the input that could not be read, a failed validation, or a day that failed to compact (listed on stderr)',
    ],
    [2, 'usage error, or an input folder that cannot be read: message and usage on stderr'],
    [3, 'the run itself failed (disk, store): message on stderr'],
  ],
  notes: [
    'TICK_DATA_DIR, TICK_STORAGE_BACKEND and BROKER_ID are not read: the day files go to --output-dir. ' +
      'SIGINT and SIGTERM stop the run after the current batch (with --compact, during compaction: after ' +
      'the day being compacted); the next run picks up where it stopped.',
  ],
};

/** The help, as `--help` prints it. */
export const MIGRATE_USAGE = formatHelp(MIGRATE_COMMAND);

export interface MigrateCli {
  options: MigrationOptions;
  outputDir: string | null;
  verbose: boolean;
  /** --compact: the closed days written go into the archive tier after a successful run. */
  compact: boolean;
  preview: number | null;
  help: boolean;
}

export function parseMigrateArgs(argv: string[]): MigrateCli {
  const v = parseOptions(MIGRATE_OPTIONS, argv);
  const cli: MigrateCli = {
    options: {
      inputDir: v['input-dir'] ?? '',
      batchSize: v['batch-size'],
      validate: v.validate,
      archiveDir: v.archive,
      deleteAfterArchive: v['delete-after-archive'],
      dryRun: v['dry-run'],
      format: v.format,
      serverOffsetHours: v['server-offset-hours'],
      symbol: v.symbol,
    },
    outputDir: v['output-dir'],
    verbose: v.verbose,
    compact: v.compact,
    preview: v.preview,
    help: v.help,
  };
  const o = cli.options;
  if (cli.help) return cli;
  if (o.inputDir === '') throw new UsageError('--input-dir is required');
  if (cli.preview === null && cli.outputDir === null) throw new UsageError('--output-dir is required');
  if (o.deleteAfterArchive && o.archiveDir === null)
    throw new UsageError('--delete-after-archive needs --archive DIR');
  if (o.archiveDir !== null && o.dryRun) throw new UsageError('--archive cannot be combined with --dry-run');
  if (cli.compact && o.dryRun) throw new UsageError('--compact cannot be combined with --dry-run');
  if (cli.compact && cli.preview !== null)
    throw new UsageError('--compact cannot be combined with --preview');
  // Archiving is only ever allowed after a passing validation.
  if (o.archiveDir !== null) o.validate = true;
  return cli;
}
