// The engine's numbers in one place: counters keyed by their StorageStats names (so a counter
// and its reported field cannot drift apart), the windows behind the rates and percentiles, the
// recent rejections and incidents, and the assembly of a StorageStats snapshot.
import type { Backend, Incident, RejectionSample, StorageStats } from '../../../shared/stats.ts';
import { REJECT_REASONS } from '../../../shared/tick.ts';
import type { RejectReason } from '../../../shared/tick.ts';
import { LatencyWindow } from './latencyWindow.ts';
import { RateMeter } from './rateMeter.ts';

export const COUNTERS = [
  'ticks_received',
  'ticks_stored',
  'ticks_throttled',
  'ticks_rejected',
  'ticks_refused_stopped',
  'crossed_quotes',
  'ticks_written',
  'ticks_duplicate',
  'json_ticks_written',
  'json_only_ticks_written',
  'ticks_recovered',
  'write_errors',
  'write_retries',
  'db_rotations',
  'retention_deleted_days',
  'retention_deleted_ticks',
  'retention_deleted_bytes',
  'compacted_days',
  'compacted_ticks',
  'compaction_failures',
  'ticks_spilled',
  'ticks_lost',
  'ticks_replayed',
  'batches_written',
  'worker_restarts',
  'feed_events_written',
  'feed_events_dropped',
  'feed_events_rejected',
] as const satisfies readonly (keyof StorageStats)[];
export type Counter = (typeof COUNTERS)[number];
export type Counters = Record<Counter, number>;

const RECENT_REJECTIONS = 20;
const RECENT_INCIDENTS = 50;

/** What only the engine's parts know at the moment of a snapshot. */
export interface LiveFigures {
  backend: Backend;
  queueSize: number;
  queueCapacity: number;
  spillInflight: number;
  spillPending: number;
  spillInherited: number;
  spillQuarantined: number;
  spillBytes: number;
  writerIdleMs: number;
  symbolsLive: number;
  ringBytes: number;
  dataDir: string;
  feedEventsPending: number;
}

export class StatsCollector {
  readonly c: Counters = Object.fromEntries(COUNTERS.map((k) => [k, 0])) as Counters;
  readonly rejectedBy: Record<string, number> = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0]));
  readonly lostBy: Record<string, number> = {};
  private readonly recentRejections: RejectionSample[] = [];
  private readonly incidents: Incident[] = [];
  lastWriteError: string | null = null;
  lastBatch = 0;
  maxBatch = 0;
  queuePeak = 0;
  diskBytes = 0;
  diskFree: number | null = null;
  private readonly startedMs: number;
  readonly latency = new LatencyWindow();
  readonly ingestRate: RateMeter;
  readonly writeRate: RateMeter;
  readonly errorWindow: RateMeter;

  constructor(startedMs = Date.now()) {
    this.startedMs = startedMs;
    this.ingestRate = new RateMeter(5, startedMs);
    this.writeRate = new RateMeter(5, startedMs);
    this.errorWindow = new RateMeter(60);
  }

  reject(reason: RejectReason, symbol: unknown, atUs: number): void {
    this.c.ticks_rejected++;
    this.rejectedBy[reason]++;
    if (this.recentRejections.length >= RECENT_REJECTIONS) this.recentRejections.shift();
    this.recentRejections.push({
      reason,
      symbol: typeof symbol === 'string' ? symbol.slice(0, 64) : null,
      atUs,
    });
  }

  lost(reason: string, ticks: number): void {
    if (ticks <= 0) return;
    this.c.ticks_lost += ticks;
    this.lostBy[reason] = (this.lostBy[reason] ?? 0) + ticks;
  }

  writeError(message: string, willRetry: boolean): void {
    this.c.write_errors++;
    if (willRetry) this.c.write_retries++;
    this.lastWriteError = message;
    this.errorWindow.add(1, Date.now());
  }

  incident(severity: Incident['severity'], message: string): void {
    if (this.incidents.length >= RECENT_INCIDENTS) this.incidents.shift();
    this.incidents.push({ atUs: Date.now() * 1000, severity, message });
  }

  incidentList(): Incident[] {
    return [...this.incidents];
  }

  notePass(ticks: number, ms: number, durable: number): void {
    this.c.batches_written++;
    this.lastBatch = ticks;
    if (ticks > this.maxBatch) this.maxBatch = ticks;
    this.latency.add(ms);
    this.writeRate.add(durable, Date.now());
  }

  snapshot(live: LiveFigures): StorageStats {
    const now = Date.now();
    if (live.queueSize > this.queuePeak) this.queuePeak = live.queueSize;
    return {
      backend: live.backend,
      ...this.c,
      rejected_by_reason: { ...this.rejectedBy },
      recent_rejections: [...this.recentRejections],
      last_write_error: this.lastWriteError,
      queue_size: live.queueSize,
      queue_capacity: live.queueCapacity,
      queue_peak: this.queuePeak,
      lost_by_reason: { ...this.lostBy },
      spill_inflight_ticks: live.spillInflight,
      spill_pending_ticks: live.spillPending,
      spill_inherited_ticks: live.spillInherited,
      spill_quarantined_segments: live.spillQuarantined,
      spill_bytes: live.spillBytes,
      last_batch_ticks: this.lastBatch,
      max_batch_ticks: this.maxBatch,
      batch_latency_p50_ms: round2(this.latency.percentile(50)),
      batch_latency_p99_ms: round2(this.latency.percentile(99)),
      ingest_ticks_per_s: Math.round(this.ingestRate.perSecond(now)),
      write_ticks_per_s: Math.round(this.writeRate.perSecond(now)),
      disk_bytes: this.diskBytes,
      disk_free_bytes: this.diskFree,
      writer_idle_ms: live.writerIdleMs,
      symbols_live: live.symbolsLive,
      ring_bytes: live.ringBytes,
      feed_events_pending: live.feedEventsPending,
      uptime_s: Math.round((now - this.startedMs) / 1000),
      data_dir: live.dataDir,
      incidents: this.incidentList(),
    };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
