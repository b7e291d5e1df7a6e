// Health from the numbers the engine already reports: each rule adds a reason a person can act on.
import type { Health, StorageStats } from '../../shared/stats.ts';
import type { HealthThresholds } from './config.ts';

export interface HealthInputs {
  stats: StorageStats;
  writeErrorsLastMinute: number;
  /** Workers that failed for good (not restarted), in words. */
  down: string[];
  /** This run's journal grew over the last ten seconds. */
  spillGrowing: boolean;
  /** Why the retention size budget cannot be met (today alone is over it), or null. */
  retentionBudgetNote?: string | null;
}

export function evaluateHealth(h: HealthThresholds, i: HealthInputs): Health {
  const s = i.stats;
  const critical: string[] = [];
  const warn: string[] = [];
  for (const d of i.down) critical.push(d);
  if (s.ticks_lost > 0) {
    const why = Object.entries(s.lost_by_reason)
      .map(([r, n]) => `${n} ${r}`)
      .join(', ');
    critical.push(`${s.ticks_lost} accepted ticks were lost (${why})`);
  }
  // Incidents of this run stay listed: a damaged or deleted file is worth a look even after recovery.
  const seen = new Set<string>();
  for (const inc of s.incidents) {
    if (seen.has(inc.message)) continue;
    seen.add(inc.message);
    (inc.severity === 'critical' ? critical : warn).push(inc.message);
  }
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
  if (s.spill_inherited_ticks > 0)
    warn.push(`${s.spill_inherited_ticks} ticks from an earlier run wait in the spill journal`);
  if (s.spill_quarantined_segments > 0)
    warn.push(`${s.spill_quarantined_segments} damaged journal segment(s) kept aside in the spill folder`);
  if (s.feed_events_dropped > 0)
    warn.push(
      `${s.feed_events_dropped} feed events (gap ledger) were dropped: recorded beyond the in-memory bound or never written`,
    );
  if (i.retentionBudgetNote) warn.push(i.retentionBudgetNote);
  if (s.disk_free_bytes !== null) {
    const gb = (s.disk_free_bytes / 1024 ** 3).toFixed(2);
    if (s.disk_free_bytes < h.lowDiskCriticalBytes) critical.push(`disk almost full: ${gb} GiB free`);
    else if (s.disk_free_bytes < h.lowDiskWarnBytes) warn.push(`low disk space: ${gb} GiB free`);
  }
  if (critical.length) return { status: 'critical', reasons: [...critical, ...warn] };
  if (warn.length) return { status: 'warn', reasons: warn };
  return { status: 'ok', reasons: [] };
}
