// The Export dialog's choices and the export.start input they make; pure, so the rules (CSV
// options only for CSV, bars options only for bars) are in one place.
import type { BarSide, CsvColumn, CsvPreset, CsvTimeFormat, ExportFormat } from '../../shared/export.ts';
import type { RequestInput } from '../../shared/ipc/contract.ts';

export interface ExportFormValues {
  format: ExportFormat;
  csvTime: CsvTimeFormat;
  csvPreset: CsvPreset | 'none';
  csvColumns: CsvColumn[];
  timeframeSec: number;
  side: BarSide;
}

export const DEFAULT_EXPORT_FORM: ExportFormValues = {
  format: 'csv',
  csvTime: 'iso',
  csvPreset: 'none',
  csvColumns: ['time', 'symbol', 'source', 'bid', 'ask', 'bidSize', 'askSize', 'recvTime', 'seq'],
  timeframeSec: 60,
  side: 'bid',
};

export interface ExportScope {
  symbols: string[];
  sources: string[];
  fromUs: number;
  toUs: number;
}

export function exportStartInput(
  v: ExportFormValues,
  scope: ExportScope,
  isElectron: boolean,
): RequestInput<'export.start'> {
  const base = {
    format: v.format,
    symbols: scope.symbols,
    ...(scope.sources.length ? { sources: scope.sources } : {}),
    fromUs: scope.fromUs,
    toUs: scope.toUs,
    destination: isElectron ? ('dialog' as const) : ('download' as const),
  };
  if (v.format === 'csv') {
    const csv = v.csvPreset === 'none' ? { time: v.csvTime, columns: v.csvColumns } : { preset: v.csvPreset };
    return { ...base, csv };
  }
  if (v.format === 'bars-csv') return { ...base, timeframeSec: v.timeframeSec, side: v.side };
  return base;
}

/** "1m 20s" style, for the ETA line. */
export function formatEta(ms: number | null): string {
  if (ms === null) return 'estimating…';
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`;
}
