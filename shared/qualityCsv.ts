// A quality report as CSV (one row per symbol+source, the figures a spreadsheet sorts on) or
// JSON (the whole report, marks included). Pure: the renderer downloads it, the CLI prints it.
import type { QualityReport } from './quality.ts';

const COLUMNS = [
  'day',
  'symbol',
  'source',
  'ticks',
  'normal_spacing_ms',
  'gaps',
  'crossed',
  'locked',
  'spikes',
  'regressions',
  'duplicates',
  'latency_count',
  'latency_p50_us',
  'latency_p99_us',
  ...Array.from({ length: 24 }, (_, h) => `h${String(h).padStart(2, '0')}`),
];

function cell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function qualityReportCsv(report: QualityReport): string {
  const lines = [COLUMNS.join(',')];
  for (const r of report.rows) {
    lines.push(
      [
        report.day,
        r.symbol,
        r.source,
        r.ticks,
        r.normalSpacingUs / 1000,
        r.gaps,
        r.crossed,
        r.locked,
        r.spikes,
        r.regressions,
        r.duplicates,
        r.latency?.count ?? 0,
        r.latency?.p50Us ?? '',
        r.latency?.p99Us ?? '',
        ...r.hourCounts,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function qualityReportJson(report: QualityReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
