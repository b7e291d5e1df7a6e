// Command line of `npm run quality`: which day of which data folder, which symbols, which format.
import type { CommandSpec } from './helpText.ts';
import { formatHelp } from './helpText.ts';
import { numberFrom, oneOf, pathValue, shown } from './optionReaders.ts';
import { UsageError, flag, option, parseOptions } from './optionTable.ts';

export { UsageError } from './optionTable.ts';

const FORMATS = ['json', 'csv'] as const;

export const QUALITY_OPTIONS = {
  'data-dir': option<string | null>({
    arg: 'DIR',
    help: 'the data folder whose day files are read (DIR/sqlite)',
    default: null,
    defaultText: '$TICK_DATA_DIR; one of the two is required',
    read: pathValue,
  }),
  day: option<string | null>({
    arg: 'YYYY-MM-DD',
    help: 'the UTC day to report on',
    default: null,
    defaultText: 'required',
    read: (raw, name) => {
      if (!/^\d{4}-\d\d-\d\d$/.test(raw) || !Number.isFinite(Date.parse(`${raw}T00:00:00Z`)))
        throw new UsageError(`${name} must be a UTC day such as 2019-02-04, got ${shown(raw)}`);
      return raw;
    },
  }),
  symbols: option<string[]>({
    arg: 'A,B',
    help: 'exact symbol names, comma-separated',
    default: [],
    defaultText: 'every symbol of the day',
    read: (raw) =>
      raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
  }),
  format: option<(typeof FORMATS)[number]>({
    arg: 'FORMAT',
    help: 'json (the whole report, marks included) or csv (one row per symbol and source)',
    default: 'json',
    read: oneOf(FORMATS),
  }),
  'spike-z': option<number>({
    arg: 'Z',
    help: 'robust z-score of a mid change above which it is a spike',
    default: 8,
    read: numberFrom(1, 1000, 'robust z'),
  }),
  help: flag('print this help and exit', 'h'),
};

export const QUALITY_COMMAND: CommandSpec<typeof QUALITY_OPTIONS> = {
  name: 'quality',
  synopsis: '--data-dir DIR --day YYYY-MM-DD [--symbols A,B] [--format json|csv]',
  summary:
    'Data-quality report of one stored day per symbol and source: ticks per hour, gaps beyond the ' +
    'learned normal spacing, crossed and locked quotes, spikes, timestamp regressions, duplicates, ' +
    'exchange-to-receive latency p50/p99. Computed in an engine worker; printed on stdout.',
  options: QUALITY_OPTIONS,
  environment: [['TICK_DATA_DIR', 'data folder when --data-dir is not given']],
  exitCodes: [
    [0, 'the report was printed'],
    [2, 'usage error: message and usage on stderr'],
    [3, 'the report failed (unreadable day file): message on stderr'],
  ],
  notes: ['The README section "Data-quality report" says what each figure means.'],
};

export const QUALITY_USAGE = formatHelp(QUALITY_COMMAND);

export interface QualityCli {
  dataDir: string | null;
  day: string;
  symbols: string[];
  format: (typeof FORMATS)[number];
  spikeZ: number;
  help: boolean;
}

export function parseQualityArgs(argv: readonly string[]): QualityCli {
  const v = parseOptions(QUALITY_OPTIONS, argv);
  if (!v.help && v.day === null) throw new UsageError('--day is required');
  return {
    dataDir: v['data-dir'],
    day: v.day ?? '',
    symbols: v.symbols,
    format: v.format,
    spikeZ: v['spike-z'],
    help: v.help,
  };
}
