// Command line of `npm run compact`: which closed days go into the archive tier. Parsed and checked
// up front, so a typo is exit code 2 with a message naming the option; its parser and its --help
// both come from the option table below.
import { dayKeyToIndex } from '../../shared/time.ts';
import type { CommandSpec } from './helpText.ts';
import { formatHelp } from './helpText.ts';
import { integerFrom, pathValue, shown } from './optionReaders.ts';
import { UsageError, flag, option, parseOptions } from './optionTable.ts';

export { UsageError } from './optionTable.ts';

/** The engine's own bound of compactAfterDays (shared/catalog.ts), so the CLI accepts what it does. */
const MAX_OLDER_THAN_DAYS = 36_500;

/** A real calendar day as YYYY-MM-DD: 2024-02-30 is refused, not read as March 1st. */
function dayValue(raw: string, flagName: string): string {
  if (dayKeyToIndex(raw) === null) {
    throw new UsageError(`${flagName} must be a UTC day as YYYY-MM-DD, got ${shown(raw)}`);
  }
  return raw;
}

export const COMPACT_OPTIONS = {
  'data-dir': option<string | null>({
    arg: 'DIR',
    help: 'the data folder whose day files are compacted (DIR/sqlite)',
    default: null,
    defaultText: '$TICK_DATA_DIR; one of the two is required',
    read: pathValue,
  }),
  'older-than': option<number | null>({
    arg: 'DAYS',
    help: 'every live day older than DAYS days; 0 takes every closed day (all but today UTC)',
    default: null,
    defaultText: 'the compactAfterDays setting, 7',
    read: integerFrom(0, MAX_OLDER_THAN_DAYS),
  }),
  day: option<string | null>({
    arg: 'YYYY-MM-DD',
    help: 'only this UTC day (never today, which is still being written)',
    default: null,
    defaultText: 'the days --older-than selects',
    read: dayValue,
  }),
  help: flag('print this help and exit', 'h'),
};

export const COMPACT_COMMAND: CommandSpec<typeof COMPACT_OPTIONS> = {
  name: 'compact',
  synopsis: '--data-dir DIR [--older-than DAYS | --day YYYY-MM-DD]',
  summary:
    'Compacts closed UTC days from SQLite rows into compressed column blocks inside the same day ' +
    'files (the archive tier), in an engine worker, one day at a time. One line per day on stderr ' +
    '(ticks, bytes before -> after, ratio), a JSON summary on stdout.',
  options: COMPACT_OPTIONS,
  environment: [
    ['TICK_DATA_DIR', 'data folder when --data-dir is not given'],
    ['TICK_STORAGE_BACKEND', 'sqlite, json or dual (default sqlite); compaction only concerns the day files'],
  ],
  exitCodes: [
    [0, 'every selected day was compacted, or left as it was for a reason printed on stderr'],
    [
      1,
      'finished, but not everything: a day failed (its live file is untouched), the --day given was not compacted, or the run was interrupted',
    ],
    [2, 'usage error (bad option or environment variable): message and usage on stderr'],
    [3, 'run-time failure, e.g. the data folder cannot be opened: message on stderr'],
  ],
  notes: [
    'SIGINT and SIGTERM let the day being compacted finish, then the command stops and exits 1; ' +
      'the next run takes on the days still live. A killed run leaves at most a half-written copy ' +
      'beside a day file, which is harmless.',
    'The app, serve and record compact their own folder by themselves once a day (the ' +
      'compactAfterDays setting); this command is for a folder nothing is recording into, or for ' +
      'compacting sooner.',
  ],
};

/** The help, as `--help` prints it. */
export const COMPACT_USAGE = formatHelp(COMPACT_COMMAND);

/** Which days a run takes on. */
export type CompactSelection =
  | { kind: 'day'; day: string }
  | { kind: 'olderThan'; days: number }
  /** Neither option: the compactAfterDays setting decides. */
  | { kind: 'setting' };

export interface CompactCli {
  /** --data-dir; null: TICK_DATA_DIR decides (configFromEnv says when neither is set). */
  dataDir: string | null;
  selection: CompactSelection;
  help: boolean;
}

export function parseCompactArgs(argv: readonly string[]): CompactCli {
  const v = parseOptions(COMPACT_OPTIONS, argv);
  if (v.day !== null && v['older-than'] !== null) {
    throw new UsageError('--day and --older-than cannot be combined: give one of them');
  }
  const selection: CompactSelection =
    v.day !== null
      ? { kind: 'day', day: v.day }
      : v['older-than'] !== null
        ? { kind: 'olderThan', days: v['older-than'] }
        : { kind: 'setting' };
  return { dataDir: v['data-dir'], selection, help: v.help };
}
