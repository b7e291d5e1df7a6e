// Saves a report from the page itself (a Blob and a temporary link): the same bytes the CLI prints.
import type { QualityReport } from '../../shared/quality.ts';
import { qualityReportCsv, qualityReportJson } from '../../shared/qualityCsv.ts';

export function downloadQualityReport(report: QualityReport, format: 'csv' | 'json'): void {
  const text = format === 'csv' ? qualityReportCsv(report) : qualityReportJson(report);
  const blob = new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `quality-${report.day}.${format}`;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked after the click has been handled, or some browsers cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
