// Health tab: status with reasons, the key numbers as cards with sparklines, and every raw
// counter of StorageStats exactly as the engine reports it (data-testid="stat-<field>"), among them
// compaction and retention's, and the feeds' gap ledger.
import type { Health, StorageStats } from '../../shared/stats.ts';
import { Loading } from '../app/Panels.tsx';
import { useNow, useRequest } from '../app/hooks.ts';
import { GapLedger } from '../feeds/GapLedger.tsx';
import { formatBytes, formatCount, formatDuration, formatMs, formatRate } from '../format/number.ts';
import { SinkCard } from './SinkCard.tsx';
import { Sparkline } from './Sparkline.tsx';
import type { NumericStatField, StatsHistory } from './statsHistory.ts';

interface Card {
  title: string;
  /** data-testid="health-card-<id>" for cards a test reads. */
  id?: string;
  value: string;
  sub?: string;
  field?: NumericStatField;
  color?: string;
  tone?: 'warn' | 'bad';
}

export function HealthView({
  stats,
  health,
  history,
  revision,
}: {
  stats: StorageStats | undefined;
  health: Health | undefined;
  history: StatsHistory;
  /** Changes whenever `history` gained a sample (it is mutated in place). */
  revision: number;
}) {
  if (!stats) return <Loading label="Waiting for the first storage statistics…" />;
  // The history holds only the last few minutes (one sample per push), so all of it is drawn.
  const spark = (f: NumericStatField) => history.series(f).values;
  const queuePct = stats.queue_capacity > 0 ? (100 * stats.queue_size) / stats.queue_capacity : 0;
  const diskTotal = stats.disk_free_bytes === null ? null : stats.disk_bytes + stats.disk_free_bytes;
  const cards: Card[] = [
    {
      title: 'Ingest',
      value: formatRate(stats.ingest_ticks_per_s),
      sub: `${formatCount(stats.ticks_stored)} stored · ${formatCount(stats.ticks_rejected)} rejected`,
      field: 'ingest_ticks_per_s',
      color: '#4aa3ff',
    },
    {
      title: 'Writes',
      value: formatRate(stats.write_ticks_per_s),
      sub: `${formatCount(stats.ticks_written)} written · ${formatCount(stats.batches_written)} batches`,
      field: 'write_ticks_per_s',
      color: '#26a69a',
    },
    {
      title: 'Queue',
      value: `${formatCount(stats.queue_size)} / ${formatCount(stats.queue_capacity)}`,
      sub: `${queuePct.toFixed(1)}% · peak ${formatCount(stats.queue_peak)}`,
      field: 'queue_size',
      color: '#ffb74d',
      tone: queuePct >= 90 ? 'bad' : queuePct >= 50 ? 'warn' : undefined,
    },
    {
      title: 'Batch latency',
      value: `p50 ${formatMs(stats.batch_latency_p50_ms)}`,
      sub: `p99 ${formatMs(stats.batch_latency_p99_ms)} · last ${formatCount(stats.last_batch_ticks)} ticks`,
      field: 'batch_latency_p99_ms',
      color: '#ba68c8',
    },
    {
      title: 'Write errors',
      value: formatCount(stats.write_errors),
      sub: stats.last_write_error ?? `${formatCount(stats.write_retries)} retries`,
      field: 'write_errors',
      color: '#ef5350',
      tone: stats.write_errors > 0 ? 'bad' : undefined,
    },
    {
      title: 'Spill',
      value: formatBytes(stats.spill_bytes),
      sub: `${formatCount(stats.spill_pending_ticks)} pending · ${formatCount(stats.ticks_replayed)} replayed`,
      field: 'spill_bytes',
      color: '#ff8c42',
      tone: stats.spill_pending_ticks > 0 ? 'warn' : undefined,
    },
    {
      title: 'Disk',
      value: formatBytes(stats.disk_bytes),
      sub: diskTotal === null ? 'free space unknown' : `${formatBytes(stats.disk_free_bytes)} free`,
      field: 'disk_bytes',
      color: '#90a4ae',
    },
    {
      title: 'Archive',
      id: 'archive',
      value: days(stats.compacted_days),
      sub: `${formatCount(stats.compacted_ticks)} ticks compacted · ${formatCount(stats.compaction_failures)} failed`,
      field: 'compacted_ticks',
      color: '#7fd9c4',
      tone: stats.compaction_failures > 0 ? 'bad' : undefined,
    },
    {
      title: 'Retention',
      id: 'retention',
      value: `${days(stats.retention_deleted_days)} deleted`,
      sub: `${formatCount(stats.retention_deleted_ticks)} ticks · ${formatBytes(stats.retention_deleted_bytes)}`,
    },
    {
      title: 'Rotations',
      value: formatCount(stats.db_rotations),
      sub: `backend ${stats.backend} · up ${formatDuration(stats.uptime_s)}`,
    },
  ];

  return (
    <div className="health-layout" data-revision={revision}>
      <section className={`panel status-panel status-${health?.status ?? 'unknown'}`}>
        <h2>
          Status: <span data-testid="health-status-detail">{health?.status ?? 'unknown'}</span>
        </h2>
        {health && health.reasons.length > 0 ? (
          <ul className="reasons" data-testid="health-reasons">
            {health.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">{health ? 'All checks pass.' : 'No health report yet.'}</p>
        )}
      </section>
      <div className="cards">
        {cards.map((c) => (
          <section
            key={c.title}
            className={`panel card ${c.tone ?? ''}`}
            data-testid={c.id ? `health-card-${c.id}` : undefined}
          >
            <h3>{c.title}</h3>
            <div className="card-value mono">{c.value}</div>
            {c.sub && <div className="muted small card-sub">{c.sub}</div>}
            {c.field && <Sparkline values={spark(c.field)} color={c.color ?? '#9aa4b2'} label={c.title} />}
          </section>
        ))}
        {health?.sink && <SinkCard sink={health.sink} />}
      </div>
      <section className="panel" data-testid="health-gap-ledger">
        <FeedGaps />
      </section>
      <RejectionTable stats={stats} />
      <RawStats stats={stats} />
    </div>
  );
}

/** The feeds' gap ledger, as on the Feeds tab: what was disconnected, stale or missing, and when. */
function FeedGaps() {
  const configs = useRequest('feeds.configs', {});
  const nowMs = useNow(1000);
  return <GapLedger feedIds={(configs.data ?? []).map((e) => e.config.id)} nowMs={nowMs} />;
}

function days(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'day' : 'days'}`;
}

function RejectionTable({ stats }: { stats: StorageStats }) {
  const reasons = Object.entries(stats.rejected_by_reason).filter(([, n]) => n > 0);
  return (
    <section className="panel">
      <h2>Rejected ticks</h2>
      {reasons.length === 0 ? (
        <p className="muted">No tick has been rejected.</p>
      ) : (
        <table className="grid">
          <tbody>
            {reasons.map(([reason, n]) => (
              <tr key={reason}>
                <td className="mono">{reason}</td>
                <td className="num mono" data-testid={`rejected-${reason}`}>
                  {n}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RawStats({ stats }: { stats: StorageStats }) {
  const entries = Object.entries(stats).filter(
    ([, v]) => v === null || typeof v === 'number' || typeof v === 'string',
  ) as [string, number | string | null][];
  return (
    <section className="panel">
      <h2>All counters (raw)</h2>
      <dl className="raw-stats">
        {entries.map(([k, v]) => (
          <div key={k}>
            <dt className="mono">{k}</dt>
            <dd className="mono" data-testid={`stat-${k}`}>
              {v === null ? 'null' : String(v)}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
