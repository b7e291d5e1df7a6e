// Health from the numbers the engine already reports: each rule adds a reason a person can act on.
import type { Health, StorageStats } from '../../shared/stats.ts';
import type { HealthThresholds } from './config.ts';

export interface HealthInputs {
  stats: StorageStats;
  writeErrorsLastMinute: number;
  spillGrowing: boolean;
  fatal: string | null;
}

export function evaluateHealth(h: HealthThresholds, i: HealthInputs): Health {
  const s = i.stats;
  const critical: string[] = [];
  const warn: string[] = [];
  if (i.fatal) critical.push(`storage failure: ${i.fatal}`);
  if (i.writeErrorsLastMinute >= h.writeErrorsCritical) {
    critical.push(
      `${i.writeErrorsLastMinute} write errors in the last minute (last: ${s.last_write_error ?? 'n/a'})`,
    );
  } else if (i.writeErrorsLastMinute >= h.writeErrorsWarn) {
    warn.push(
      `${i.writeErrorsLastMinute} write errors in the last minute (last: ${s.last_write_error ?? 'n/a'})`,
    );
  }
  const fill = s.queue_capacity > 0 ? s.queue_size / s.queue_capacity : 0;
  const pct = `${Math.round(fill * 100)}%`;
  if (fill >= h.queueCriticalRatio)
    critical.push(`queue ${pct} full (${s.queue_size} of ${s.queue_capacity})`);
  else if (fill >= h.queueWarnRatio) warn.push(`queue ${pct} full (${s.queue_size} of ${s.queue_capacity})`);
  if (s.writer_idle_ms >= h.writerStallMs) {
    critical.push(
      `writer stalled: no progress for ${Math.round(s.writer_idle_ms / 1000)} s with ${s.queue_size} ticks queued`,
    );
  }
  if (s.spill_pending_ticks > 0) {
    const msg = `${s.spill_pending_ticks} ticks waiting in the spill journal`;
    if (i.spillGrowing) critical.push(`${msg} and growing`);
    else warn.push(msg);
  }
  if (s.disk_free_bytes !== null) {
    const gb = (s.disk_free_bytes / 1024 ** 3).toFixed(2);
    if (s.disk_free_bytes < h.lowDiskCriticalBytes) critical.push(`disk almost full: ${gb} GiB free`);
    else if (s.disk_free_bytes < h.lowDiskWarnBytes) warn.push(`low disk space: ${gb} GiB free`);
  }
  if (critical.length) return { status: 'critical', reasons: [...critical, ...warn] };
  if (warn.length) return { status: 'warn', reasons: warn };
  return { status: 'ok', reasons: [] };
}
