// Storage's Quality panel: pick a stored day, get its data-quality report per symbol and source
// (figures and flags), and save it as CSV or JSON.
import { useState } from 'react';
import type { QualityReport, QualityRow } from '../../shared/quality.ts';
import { errorText, useApp, useRequest } from '../app/hooks.ts';
import { formatCount } from '../format/number.ts';
import { downloadQualityReport } from './qualityDownload.ts';

function latencyText(row: QualityRow): string {
  if (row.latency === null) return '—';
  return `${(row.latency.p50Us / 1000).toFixed(1)} / ${(row.latency.p99Us / 1000).toFixed(1)} ms`;
}

export function QualityPanel() {
  const { api } = useApp();
  const days = useRequest('storage.days', {});
  const [day, setDay] = useState('');
  const [report, setReport] = useState<QualityReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = days.data ?? [];
  const chosen = day || list[list.length - 1]?.day || '';
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await api.call('quality.report', { day: chosen }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel wide quality-panel" aria-label="Data quality">
      <h2>Data quality</h2>
      <div className="field-row">
        <label>
          Day{' '}
          <select aria-label="Quality day" value={chosen} onChange={(e) => setDay(e.target.value)}>
            {list.map((d) => (
              <option key={d.day} value={d.day}>
                {d.day}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={busy || chosen === ''} onClick={() => void run()}>
          {busy ? 'Checking…' : 'Check day'}
        </button>
        {report && (
          <>
            <button type="button" onClick={() => downloadQualityReport(report, 'csv')}>
              Download CSV
            </button>
            <button type="button" onClick={() => downloadQualityReport(report, 'json')}>
              Download JSON
            </button>
          </>
        )}
      </div>
      {error && <p role="alert">{error}</p>}
      {report && (
        <table className="quality-table" aria-label={`Quality of ${report.day}`}>
          <thead>
            <tr>
              <th>Symbol</th>
              <th>Source</th>
              <th>Ticks</th>
              <th title="Longest pause that counts as normal; longer ones are gaps">Normal spacing</th>
              <th>Gaps</th>
              <th>Crossed</th>
              <th>Locked</th>
              <th title={`Robust z above ${report.thresholds.spikeZ}`}>Spikes</th>
              <th title="Exchange time earlier than the previous arrival's">Regressions</th>
              <th>Duplicates</th>
              <th>Latency p50 / p99</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((r) => (
              <tr key={`${r.symbol}\u0000${r.source}`} data-symbol={r.symbol} data-source={r.source}>
                <td>{r.symbol}</td>
                <td>{r.source}</td>
                <td title={r.hourCounts.map((c, h) => `${h}h ${c}`).join(', ')}>{formatCount(r.ticks)}</td>
                <td>{(r.normalSpacingUs / 1e6).toFixed(1)} s</td>
                <td data-figure="gaps">{r.gaps}</td>
                <td data-figure="crossed">{r.crossed}</td>
                <td data-figure="locked">{r.locked}</td>
                <td data-figure="spikes">{r.spikes}</td>
                <td data-figure="regressions">{r.regressions}</td>
                <td data-figure="duplicates">{r.duplicates}</td>
                <td>{latencyText(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
