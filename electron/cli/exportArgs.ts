// Command line of `npm run export`: what to export, from which data folder, into which file.
// Parsed and checked up front, so a typo is exit code 2 naming the option; --help comes from the
// same option table.
import type {
  BarSide,
  CsvColumn,
  CsvPreset,
  CsvTimeFormat,
  ExportFormat,
  ExportRequest,
} from '../../shared/export.ts';
import {
  BAR_SIDES,
  CSV_COLUMNS,
  CSV_PRESETS,
  CSV_TIME_FORMATS,
  EXPORT_FORMATS,
} from '../../shared/export.ts';
import type { CommandSpec } from './helpText.ts';
import { formatHelp } from './helpText.ts';
import { oneOf, pathValue, shown } from './optionReaders.ts';
import { UsageError, flag, option, parseOptions } from './optionTable.ts';

export { UsageError } from './optionTable.ts';

/** ISO-8601 (a bare YYYY-MM-DD is that day's UTC midnight; no zone means UTC) -> epoch µs. */
function isoTime(raw: string, flagName: string): number {
  const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(raw.slice(10)) || raw.length === 10 ? raw : `${raw}Z`;
  const ms = Date.parse(zoned);
  if (!/^\d{4}-\d\d-\d\d/.test(raw) || !Number.isFinite(ms))
    throw new UsageError(
      `${flagName} must be an ISO-8601 time such as 2019-02-04T00:00:00Z, got ${shown(raw)}`,
    );
  return ms * 1000;
}

const UNIT_SEC: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `30s`, `1m`, `5m`, `1h`, `1d` -> seconds. */
export function timeframeValue(raw: string, flagName: string): number {
  const m = /^(\d+)([smhd])$/.exec(raw);
  const sec = m ? Number(m[1]) * UNIT_SEC[m[2]!]! : NaN;
  if (!(sec > 0 && sec <= 7 * 86_400))
    throw new UsageError(`${flagName} must be a bar length such as 30s, 1m, 5m, 1h or 1d, got ${shown(raw)}`);
  return sec;
}

function nameList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function columnList(raw: string, flagName: string): CsvColumn[] {
  const cols = nameList(raw);
  const bad = cols.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  if (cols.length === 0 || bad.length > 0)
    throw new UsageError(`${flagName} takes a comma list of ${CSV_COLUMNS.join(', ')}; got ${shown(raw)}`);
  return cols as CsvColumn[];
}

export const EXPORT_OPTIONS = {
  'data-dir': option<string | null>({
    arg: 'DIR',
    help: 'the data folder whose day files are read (DIR/sqlite)',
    default: null,
    defaultText: '$TICK_DATA_DIR; one of the two is required',
    read: pathValue,
  }),
  symbols: option<string[]>({
    arg: 'A,B',
    help: 'exact symbol names, comma-separated',
    default: [],
    defaultText: 'every symbol in the range',
    read: (raw) => nameList(raw),
  }),
  sources: option<string[]>({
    arg: 'X,Y',
    help: 'exact source names, comma-separated',
    default: [],
    defaultText: 'every source',
    read: (raw) => nameList(raw),
  }),
  from: option<number | null>({
    arg: 'ISO',
    help: 'start time, inclusive',
    default: null,
    defaultText: 'required',
    read: isoTime,
  }),
  to: option<number | null>({
    arg: 'ISO',
    help: 'end time, exclusive',
    default: null,
    defaultText: 'required',
    read: isoTime,
  }),
  format: option<ExportFormat | null>({
    arg: EXPORT_FORMATS.join('|'),
    help: 'output format',
    default: null,
    defaultText: 'required',
    read: oneOf(EXPORT_FORMATS),
  }),
  out: option<string | null>({
    arg: 'PATH',
    help: 'output file (a folder for legacy-json); written as PATH.partial, then renamed',
    default: null,
    defaultText: 'required',
    read: pathValue,
  }),
  time: option<CsvTimeFormat>({
    arg: CSV_TIME_FORMATS.join('|'),
    help: 'csv: time as ISO-8601 with µs, epoch ms or epoch µs',
    default: 'iso',
    read: oneOf(CSV_TIME_FORMATS),
  }),
  columns: option<CsvColumn[] | null>({
    arg: 'C1,C2',
    help: `csv: which columns, in order (${CSV_COLUMNS.join(',')})`,
    default: null,
    defaultText: 'all',
    read: columnList,
  }),
  preset: option<CsvPreset | null>({
    arg: CSV_PRESETS.join('|'),
    help: 'csv: a fixed layout: MetaTrader 5 "Import ticks" or tardis.dev quotes',
    default: null,
    defaultText: 'none',
    read: oneOf(CSV_PRESETS),
  }),
  timeframe: option<number>({
    arg: '1m',
    help: 'bars-csv: bar length (30s, 1m, 5m, 1h, 1d...)',
    default: 60,
    defaultText: '1m',
    read: timeframeValue,
  }),
  side: option<BarSide>({
    arg: BAR_SIDES.join('|'),
    help: 'bars-csv: price side',
    default: 'bid',
    read: oneOf(BAR_SIDES),
  }),
  quiet: flag('no progress lines on stderr', 'q'),
  help: flag('print this help and exit', 'h'),
};

export const EXPORT_COMMAND: CommandSpec<typeof EXPORT_OPTIONS> = {
  name: 'export',
  synopsis: '--data-dir DIR --from ISO --to ISO --format FORMAT --out PATH [--symbols A,B] [options]',
  summary:
    'Exports stored ticks (live and archived days alike, in the stream order) to Parquet, CSV, ' +
    'JSON Lines or the legacy JSON layout, or OHLC bars of any timeframe as CSV, in an engine ' +
    'worker. Progress and ETA on stderr, a JSON summary on stdout.',
  options: EXPORT_OPTIONS,
  environment: [['TICK_DATA_DIR', 'data folder when --data-dir is not given']],
  exitCodes: [
    [0, 'the export was written'],
    [1, 'interrupted (SIGINT/SIGTERM): the partial output was removed'],
    [2, 'usage error: message and usage on stderr'],
    [
      3,
      'the export failed (unknown symbol, unwritable path, disk full): message on stderr, partial output removed',
    ],
  ],
  notes: [
    'Parquet: time and recv_time TIMESTAMP (µs, UTC), symbol/source dictionary strings, prices and sizes DOUBLE, seq BIGINT, zstd, 1M-row groups.',
  ],
};

export const EXPORT_USAGE = formatHelp(EXPORT_COMMAND);

export interface ExportCli {
  dataDir: string | null;
  request: Omit<ExportRequest, 'outPath'> & { outPath: string };
  quiet: boolean;
  help: boolean;
}

export function parseExportArgs(argv: readonly string[]): ExportCli {
  const v = parseOptions(EXPORT_OPTIONS, argv);
  const base = { dataDir: v['data-dir'], quiet: v.quiet, help: v.help };
  if (v.help) return { ...base, request: { format: 'csv', symbols: [], fromUs: 0, toUs: 0, outPath: '' } };
  for (const k of ['from', 'to', 'format', 'out'] as const)
    if (v[k] === null) throw new UsageError(`--${k} is required`);
  if (v.to! <= v.from!) throw new UsageError('--to must be after --from');
  const request: ExportRequest = {
    format: v.format!,
    symbols: v.symbols,
    sources: v.sources,
    fromUs: v.from!,
    toUs: v.to!,
    outPath: v.out!,
    csv: { time: v.time, preset: v.preset ?? undefined, columns: v.columns ?? undefined },
    timeframeSec: v.timeframe,
    side: v.side,
  };
  return { ...base, request };
}
