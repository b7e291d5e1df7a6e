// Engine results built by hand, for tests of what the CLI, the quit flow and health make of them.
import type { StopResult } from '../../electron/engine/tickStoreApi.ts';
import type { StorageStats } from '../../shared/stats.ts';

/** What stop() returns when every accepted tick is durable. */
export const CLEAN_STOP: StopResult = {
  clean: true,
  timedOut: false,
  pendingInJournal: 0,
  lost: 0,
  lostByReason: {},
  problems: [],
};

/** A complete StorageStats with every counter at zero, changed by `over`. */
export function storageStats(over: Partial<StorageStats> = {}): StorageStats {
  return {
    backend: 'sqlite',
    ticks_received: 0,
    ticks_stored: 0,
    ticks_throttled: 0,
    ticks_rejected: 0,
    ticks_refused_stopped: 0,
    rejected_by_reason: {},
    recent_rejections: [],
    crossed_quotes: 0,
    ticks_written: 0,
    ticks_duplicate: 0,
    json_ticks_written: 0,
    json_only_ticks_written: 0,
    ticks_recovered: 0,
    write_errors: 0,
    write_retries: 0,
    last_write_error: null,
    db_rotations: 0,
    retention_deleted_days: 0,
    queue_size: 0,
    queue_capacity: 1000,
    queue_peak: 0,
    ticks_spilled: 0,
    ticks_lost: 0,
    lost_by_reason: {},
    spill_inflight_ticks: 0,
    ticks_replayed: 0,
    spill_pending_ticks: 0,
    spill_inherited_ticks: 0,
    spill_quarantined_segments: 0,
    spill_bytes: 0,
    batches_written: 0,
    last_batch_ticks: 0,
    max_batch_ticks: 0,
    batch_latency_p50_ms: 0,
    batch_latency_p99_ms: 0,
    ingest_ticks_per_s: 0,
    write_ticks_per_s: 0,
    disk_bytes: 0,
    disk_free_bytes: null,
    writer_idle_ms: 0,
    worker_restarts: 0,
    symbols_live: 0,
    ring_bytes: 0,
    uptime_s: 0,
    data_dir: '/tmp/x',
    incidents: [],
    ...over,
  };
}
