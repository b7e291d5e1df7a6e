// What an export is asked to do and how far it got: the engine's export job, the CLI, the IPC
// contract and the renderer's export dialog all speak these types.

export const EXPORT_FORMATS = ['parquet', 'csv', 'jsonl', 'legacy-json', 'bars-csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** CSV time column: ISO-8601 UTC with microseconds, epoch milliseconds, or epoch microseconds. */
export const CSV_TIME_FORMATS = ['iso', 'ms', 'us'] as const;
export type CsvTimeFormat = (typeof CSV_TIME_FORMATS)[number];

/** Columns a tick CSV can carry, in this order unless a preset says otherwise. */
export const CSV_COLUMNS = [
  'time',
  'symbol',
  'source',
  'bid',
  'ask',
  'bidSize',
  'askSize',
  'recvTime',
  'seq',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** mt5: MetaTrader 5 "Import ticks" layout; tardis: tardis.dev's quotes CSV layout. */
export const CSV_PRESETS = ['mt5', 'tardis'] as const;
export type CsvPreset = (typeof CSV_PRESETS)[number];

export const BAR_SIDES = ['bid', 'ask', 'mid'] as const;
export type BarSide = (typeof BAR_SIDES)[number];

export interface ExportRequest {
  format: ExportFormat;
  /** Exact symbol names; empty: every symbol in the range. */
  symbols: string[];
  /** Exact source names; empty or absent: every source. */
  sources?: string[];
  fromUs: number;
  toUs: number;
  /**
   * Where to write: a file for parquet/csv/jsonl/bars-csv, a folder for legacy-json (one
   * SYMBOL/YYYY-MM-DD.json file per symbol and day, as the legacy backend wrote them).
   */
  outPath: string;
  csv?: { time?: CsvTimeFormat; columns?: CsvColumn[]; preset?: CsvPreset };
  /** bars-csv only: bar length in seconds (default 60) and the price side (default bid). */
  timeframeSec?: number;
  side?: BarSide;
}

export type ExportState = 'running' | 'done' | 'failed' | 'cancelled';

export interface ExportProgress {
  id: string;
  state: ExportState;
  format: ExportFormat;
  outPath: string;
  /** Ticks read from the stream so far, and the selection's stored total (from the catalogs). */
  ticksDone: number;
  ticksTotal: number;
  /** Rows written (ticks, or bars for bars-csv). */
  rowsWritten: number;
  bytesWritten: number;
  startedAtMs: number;
  /** Estimated ms until done from the rate so far; null until there is a rate. */
  etaMs: number | null;
  /** Files written (legacy-json writes many; other formats one). */
  files: string[];
  /** What went wrong, in words a user can act on, when state is 'failed'. */
  error?: string;
}
