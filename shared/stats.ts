// Metrics and health as the engine reports them; the UI shows these same numbers.
import type { SinkHealth } from './sinkStatus.ts';

export const BACKENDS = ['sqlite', 'json', 'dual'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface RejectionSample {
  reason: string;
  symbol: string | null;
  atUs: number;
}

export interface StorageStats {
  backend: Backend;
  /** Every tick handed to ingest, valid or not. */
  ticks_received: number;
  /** Accepted after validation and throttle (the name is historical: accepted, not yet durable). */
  ticks_stored: number;
  ticks_throttled: number;
  ticks_rejected: number;
  /** Handed to ingest after stop(): refused, not stored. */
  ticks_refused_stopped: number;
  rejected_by_reason: Record<string, number>;
  recent_rejections: RejectionSample[];
  crossed_quotes: number;
  /** Durable in the SQLite day files (committed). */
  ticks_written: number;
  /** Already present in the day file (replay or re-import), so not stored twice. */
  ticks_duplicate: number;
  /** Durable in the legacy JSON files (in json and dual mode). */
  json_ticks_written: number;
  /** Of those, ticks accepted for the JSON files only (json mode): their only sink. */
  json_only_ticks_written: number;
  /** Ticks left in the spill journal by an earlier run and written by this one. */
  ticks_recovered: number;
  write_errors: number;
  write_retries: number;
  last_write_error: string | null;
  db_rotations: number;
  /** Day files removed by retention (older than the retention setting, or over the size budget). */
  retention_deleted_days: number;
  /** Ticks and bytes in the day files retention removed (by age or by the size budget). */
  retention_deleted_ticks: number;
  retention_deleted_bytes: number;
  /** Days compacted into the archive tier, the ticks in them, and compactions that failed. */
  compacted_days: number;
  compacted_ticks: number;
  compaction_failures: number;
  queue_size: number;
  queue_capacity: number;
  queue_peak: number;
  ticks_spilled: number;
  /**
   * Accepted ticks that are in no day file and no journal: the queue was full and the journal
   * could not take them, a worker died with them, or their day file vanished. Always critical.
   */
  ticks_lost: number;
  lost_by_reason: Record<string, number>;
  /** On their way to the spill journal (handed to the spill worker, not yet appended). */
  spill_inflight_ticks: number;
  ticks_replayed: number;
  /** Ticks accepted this run that wait in the spill journal. */
  spill_pending_ticks: number;
  /** Ticks an earlier run left in the journal that are not written yet. */
  spill_inherited_ticks: number;
  /** Journal segments kept aside because they held unreadable bytes. */
  spill_quarantined_segments: number;
  spill_bytes: number;
  batches_written: number;
  last_batch_ticks: number;
  max_batch_ticks: number;
  batch_latency_p50_ms: number;
  batch_latency_p99_ms: number;
  /** Ticks accepted per second over the last few seconds. */
  ingest_ticks_per_s: number;
  /** Ticks made durable per second over the last few seconds. */
  write_ticks_per_s: number;
  disk_bytes: number;
  disk_free_bytes: number | null;
  writer_idle_ms: number;
  /** Worker threads started again after one failed. */
  worker_restarts: number;
  /** Gap-ledger entries (TickStore.recordFeedEvent) stored in their day file's feed_events table. */
  feed_events_written: number;
  /** Recorded and held in memory: not yet written, or waiting because the disk refused them. */
  feed_events_pending: number;
  /**
   * Recorded but never written: beyond the in-memory bound, recorded after stop(), or still
   * unwritten when stop() gave up on them.
   */
  feed_events_dropped: number;
  /** Refused as malformed (not stored). */
  feed_events_rejected: number;
  /** Symbols seen this run, and the memory their live rings hold. */
  symbols_live: number;
  ring_bytes: number;
  uptime_s: number;
  data_dir: string;
  /** What went wrong this run that a person should know about, newest last. */
  incidents: Incident[];
}

export interface Incident {
  atUs: number;
  severity: 'critical' | 'warn';
  message: string;
}

/**
 * Accepted ticks (feed events have their own counters) not accounted for by a sink, the queue, the journal or a counted loss. Zero
 * after every flush: every tick is stored, or counted where it went.
 */
export function unaccountedTicks(s: StorageStats): number {
  return (
    s.ticks_stored -
    (s.ticks_written +
      s.ticks_duplicate +
      s.json_only_ticks_written +
      s.spill_pending_ticks +
      s.queue_size +
      s.spill_inflight_ticks +
      s.ticks_lost)
  );
}

export const HEALTH_STATUSES = ['ok', 'warn', 'critical'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export interface Health {
  status: HealthStatus;
  reasons: string[];
  /** The ClickHouse sink, when one is configured. */
  sink?: SinkHealth;
}

/** Several health reports as one: the worst status, every reason in order. */
export function combineHealth(...parts: Health[]): Health {
  let status: HealthStatus = 'ok';
  for (const p of parts)
    if (HEALTH_STATUSES.indexOf(p.status) > HEALTH_STATUSES.indexOf(status)) status = p.status;
  return { status, reasons: parts.flatMap((p) => p.reasons) };
}
