// Metrics and health as the engine reports them; the UI shows these same numbers.

export type Backend = 'sqlite' | 'json' | 'dual';
export const BACKENDS: readonly Backend[] = ['sqlite', 'json', 'dual'];

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
  /** Durable in the legacy JSON files. */
  json_ticks_written: number;
  write_errors: number;
  write_retries: number;
  last_write_error: string | null;
  db_rotations: number;
  /** Day files removed because they were older than the retention setting. */
  retention_deleted_days: number;
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
  spill_pending_ticks: number;
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
  uptime_s: number;
  data_dir: string;
}

export type HealthStatus = 'ok' | 'warn' | 'critical';

export interface Health {
  status: HealthStatus;
  reasons: string[];
}
