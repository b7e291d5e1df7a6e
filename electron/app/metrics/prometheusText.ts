// The engine's and the feeds' numbers in the Prometheus text exposition format (version 0.0.4),
// so a desk's existing monitoring can scrape and alert on them. Metric names are the seed's
// StorageStats names as they are (ticks_received, write_errors, queue_size...), without a prefix
// or a `_total` suffix, so a dashboard reads the same words as the Health screen.
import type { FeedStatus } from '../../../shared/feeds/feedStatus.ts';
import type { Health, StorageStats } from '../../../shared/stats.ts';
import { HEALTH_STATUSES } from '../../../shared/stats.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type MetricType = 'counter' | 'gauge';

/** The StorageStats fields that hold a number (or null while unknown). */
export type NumericStatKey = {
  [K in keyof StorageStats]: StorageStats[K] extends number | null ? K : never;
}[keyof StorageStats];

interface StatMetric {
  type: MetricType;
  help: string;
}

const counter = (help: string): StatMetric => ({ type: 'counter', help });
const gauge = (help: string): StatMetric => ({ type: 'gauge', help });

// Every numeric field, by the type above: a new StorageStats number fails to compile until it is
// listed here. Counters only grow during a run (a restart or a data folder change starts them over,
// which Prometheus' rate() treats as a reset); everything that can go down is a gauge.
export const STAT_METRICS = {
  ticks_received: counter('Ticks handed to ingest, valid or not.'),
  ticks_stored: counter('Ticks accepted after validation and throttle (not yet durable).'),
  ticks_throttled: counter('Ticks dropped by the repeat throttle.'),
  ticks_rejected: counter('Ticks refused by validation (see rejected_by_reason).'),
  ticks_refused_stopped: counter('Ticks handed to ingest after stop: refused, not stored.'),
  crossed_quotes: counter('Ticks whose bid was above their ask.'),
  ticks_written: counter('Ticks durable in the SQLite day files.'),
  ticks_duplicate: counter('Ticks already present in their day file, not stored twice.'),
  json_ticks_written: counter('Ticks durable in the legacy JSON files.'),
  json_only_ticks_written: counter('Ticks whose only sink is the JSON files (json mode).'),
  ticks_recovered: counter('Ticks an earlier run left in the spill journal, written by this one.'),
  write_errors: counter('Failed writes to the day files.'),
  write_retries: counter('Writes retried after a failure.'),
  db_rotations: counter('Day files opened as the UTC day changed.'),
  retention_deleted_days: counter('Day files removed by retention.'),
  retention_deleted_ticks: counter('Ticks in the day files retention removed.'),
  retention_deleted_bytes: counter('Bytes of the day files retention removed.'),
  compacted_days: counter('Days compacted into the archive tier.'),
  compacted_ticks: counter('Ticks in the days compacted into the archive tier.'),
  compaction_failures: counter('Compactions that failed.'),
  ticks_spilled: counter('Ticks written to the spill journal because the queue was full.'),
  ticks_lost: counter('Accepted ticks in no day file and no journal (always critical).'),
  ticks_replayed: counter('Ticks replayed from the spill journal into the day files.'),
  batches_written: counter('Batches committed to the day files.'),
  worker_restarts: counter('Worker threads started again after one failed.'),
  feed_events_written: counter('Gap-ledger feed events stored in the day files.'),
  feed_events_dropped: counter('Gap-ledger feed events recorded but never written.'),
  feed_events_rejected: counter('Feed events refused as malformed.'),
  queue_size: gauge('Ticks in the write queue.'),
  queue_capacity: gauge('Capacity of the write queue.'),
  queue_peak: gauge('Most ticks the write queue held this run.'),
  spill_inflight_ticks: gauge('Ticks on their way to the spill journal.'),
  spill_pending_ticks: gauge('Ticks accepted this run that wait in the spill journal.'),
  spill_inherited_ticks: gauge('Ticks an earlier run left in the spill journal, not written yet.'),
  spill_quarantined_segments: gauge('Spill journal segments kept aside for unreadable bytes.'),
  spill_bytes: gauge('Bytes in the spill journal.'),
  last_batch_ticks: gauge('Ticks in the last batch written.'),
  max_batch_ticks: gauge('Ticks in the largest batch written this run.'),
  batch_latency_p50_ms: gauge('Median batch write latency, milliseconds.'),
  batch_latency_p99_ms: gauge('99th percentile batch write latency, milliseconds.'),
  ingest_ticks_per_s: gauge('Ticks accepted per second over the last few seconds.'),
  write_ticks_per_s: gauge('Ticks made durable per second over the last few seconds.'),
  disk_bytes: gauge('Bytes the data folder uses.'),
  disk_free_bytes: gauge('Free bytes on the data folder disk (absent while unknown).'),
  writer_idle_ms: gauge('Milliseconds since the writer last made progress with ticks queued.'),
  feed_events_pending: gauge('Feed events held in memory, not yet written.'),
  symbols_live: gauge('Symbols seen this run.'),
  ring_bytes: gauge('Memory the live rings hold, bytes.'),
  uptime_s: gauge('Seconds since the store opened.'),
} satisfies Record<NumericStatKey, StatMetric>;

export interface MetricsInput {
  stats: StorageStats;
  feeds: readonly FeedStatus[];
  health: Health;
}

interface Sample {
  labels?: Record<string, string>;
  value: number;
}

/** The exposition text: every family with its HELP and TYPE, then its samples. */
export function renderPrometheusText(input: MetricsInput): string {
  const out: string[] = [];
  const family = (name: string, type: MetricType, help: string, samples: Sample[]) => {
    out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    for (const s of samples) out.push(`${name}${labelText(s.labels)} ${numberText(s.value)}`);
  };
  const s = input.stats;

  for (const [key, m] of Object.entries(STAT_METRICS) as [NumericStatKey, StatMetric][]) {
    const v = s[key];
    family(key, m.type, m.help, v === null ? [] : [{ value: v }]);
  }
  family(
    'rejected_by_reason',
    'counter',
    'Ticks refused by validation, per reason.',
    byReason(s.rejected_by_reason),
  );
  family('lost_by_reason', 'counter', 'Accepted ticks lost, per reason.', byReason(s.lost_by_reason));
  family('incidents', 'gauge', 'Incidents listed this run, per severity.', [
    { labels: { severity: 'critical' }, value: s.incidents.filter((i) => i.severity === 'critical').length },
    { labels: { severity: 'warn' }, value: s.incidents.filter((i) => i.severity === 'warn').length },
  ]);
  family('storage_info', 'gauge', 'The storage backend and data folder (value always 1).', [
    { labels: { backend: s.backend, data_dir: s.data_dir }, value: 1 },
  ]);

  const h = input.health;
  family('health_status', 'gauge', 'Health with the feeds: 0 ok, 1 warn, 2 critical.', [
    { value: HEALTH_STATUSES.indexOf(h.status) },
  ]);
  family('health_reasons', 'gauge', 'Reasons (warnings) Health lists now.', [{ value: h.reasons.length }]);

  renderFeeds(input.feeds, family);
  return `${out.join('\n')}\n`;
}

type Family = (name: string, type: MetricType, help: string, samples: Sample[]) => void;

function renderFeeds(feeds: readonly FeedStatus[], family: Family): void {
  const id = (f: FeedStatus) => ({ feed: f.id, kind: f.kind, source: f.source });
  const per = (name: string, type: MetricType, help: string, value: (f: FeedStatus) => number | null) =>
    family(
      name,
      type,
      help,
      feeds.flatMap((f) => {
        const v = value(f);
        return v === null ? [] : [{ labels: id(f), value: v }];
      }),
    );
  per('feed_live', 'gauge', 'Whether the feed is live (1) or not (0).', (f) => (f.state === 'live' ? 1 : 0));
  family(
    'feed_state',
    'gauge',
    'The feed state: 1 for the current one.',
    feeds.map((f) => ({ labels: { ...id(f), state: f.state }, value: 1 })),
  );
  per('feed_ticks', 'counter', 'Ticks the feed delivered.', (f) => f.ticks);
  per('feed_messages', 'counter', 'Messages the feed received.', (f) => f.messages);
  per('feed_reconnects', 'counter', 'Reconnects of the feed.', (f) => f.reconnects);
  per('feed_ticks_per_s', 'gauge', 'Ticks per second the feed delivers.', (f) => f.ticksPerSec);
  per('feed_messages_per_s', 'gauge', 'Messages per second the feed receives.', (f) => f.messagesPerSec);
  per('feed_connections', 'gauge', 'Connections (shards) the feed keeps open.', (f) => f.connections);
  per('feed_connections_live', 'gauge', 'Of those, connections that are live.', (f) => f.connectionsLive);
  per('feed_paused', 'gauge', 'Whether socket reads are paused by backpressure (1) or not (0).', (f) =>
    f.paused ? 1 : 0,
  );
  per('feed_paused_ms', 'counter', 'Milliseconds the feed spent paused by backpressure.', (f) => f.pausedMs);
  per(
    'feed_last_message_timestamp_seconds',
    'gauge',
    'When the feed last received a message, Unix seconds.',
    (f) => (f.lastMessageUs === null ? null : f.lastMessageUs / 1e6),
  );
  per('feed_latency_p50_us', 'gauge', 'Median exchange-to-receive latency, microseconds.', (f) =>
    f.latency ? f.latency.p50Us : null,
  );
  per('feed_latency_p99_us', 'gauge', '99th percentile exchange-to-receive latency, microseconds.', (f) =>
    f.latency ? f.latency.p99Us : null,
  );
  per(
    'feed_stale_symbols',
    'gauge',
    'Symbols of the feed that are stale now.',
    (f) => f.symbols.filter((s) => s.stale).length,
  );
  per('feed_sequence_gaps', 'counter', 'Sequence gaps seen over the feed symbols.', (f) =>
    f.symbols.reduce((n, s) => n + s.sequenceGaps, 0),
  );
  family(
    'feed_malformed',
    'counter',
    'Malformed messages of the feed, per reason.',
    feeds.flatMap((f) =>
      f.malformed.map((m) => ({ labels: { ...id(f), reason: m.reason }, value: m.count })),
    ),
  );
}

function byReason(counts: Record<string, number>): Sample[] {
  return Object.entries(counts).map(([reason, value]) => ({ labels: { reason }, value }));
}

function labelText(labels: Record<string, string> | undefined): string {
  if (!labels) return '';
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `{${parts.join(',')}}`;
}

// The format's escapes: label values escape backslash, double quote and line feed; HELP text
// escapes backslash and line feed.
function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function numberText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
