// The ClickHouse sink in Health: what it is doing, how far behind the day files it is, how fast
// it forwards, its last error, and where rows go. Drawn only when a sink is configured.
import type { SinkHealth } from '../../shared/sinkStatus.ts';
import { formatCount, formatRate } from '../format/number.ts';

function lagText(s: SinkHealth): string {
  if (s.lagTicks === 0) return 'caught up';
  return `${formatCount(s.lagTicks)} ticks · ${s.lagSeconds.toFixed(1)} s`;
}

export function SinkCard({ sink }: { sink: SinkHealth }) {
  const tone =
    sink.state === 'failing' || sink.state === 'restarting' ? 'bad' : sink.lagTicks > 0 ? 'warn' : '';
  return (
    // Two grid cells wide: its figures and a full error message do not fit one.
    <section className={`panel card ${tone}`} data-testid="health-card-sink" style={{ gridColumn: 'span 2' }}>
      <h3>ClickHouse sink</h3>
      <div className="card-value mono" data-testid="sink-state">
        {sink.state}
      </div>
      <dl className="raw-stats">
        <div>
          <dt>Lag</dt>
          <dd className="mono" data-testid="sink-lag">
            {lagText(sink)}
          </dd>
        </div>
        <div>
          <dt>Rows/s</dt>
          <dd className="mono" data-testid="sink-rate">
            {formatRate(sink.rowsPerSecond)}
          </dd>
        </div>
        <div>
          <dt>Forwarded</dt>
          <dd className="mono">{formatCount(sink.forwardedTotal)}</dd>
        </div>
        <div>
          <dt>Workstation</dt>
          <dd className="mono" data-testid="sink-workstation">
            {sink.workstation}
          </dd>
        </div>
        <div>
          <dt>Table</dt>
          <dd className="mono" data-testid="sink-table">
            {sink.cluster ? `${sink.table} on ${sink.cluster}` : sink.table}
          </dd>
        </div>
        <div>
          <dt>Target</dt>
          <dd className="mono">{sink.target}</dd>
        </div>
        {sink.workerRestarts > 0 && (
          <div>
            <dt>Worker restarts</dt>
            <dd className="mono">{formatCount(sink.workerRestarts)}</dd>
          </div>
        )}
      </dl>
      <div
        className="muted small"
        data-testid="sink-error"
        style={{ overflowWrap: 'anywhere', marginTop: 4 }}
      >
        {sink.lastError ? `${sink.failures > 0 ? `${sink.failures}× ` : ''}${sink.lastError}` : 'no error'}
      </div>
    </section>
  );
}
