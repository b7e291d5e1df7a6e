// How the Feeds tab words a feed's numbers: latencies in µs, ages from µs timestamps, states.
import type { FeedState } from '../../shared/feeds/feedStatus.ts';
import { formatDuration } from '../format/number.ts';
import { formatAge } from '../format/time.ts';

export const STATE_LABEL: Record<FeedState, string> = {
  connecting: 'connecting',
  subscribing: 'subscribing',
  live: 'live',
  reconnecting: 'reconnecting',
  stopped: 'stopped',
};

/** Exchange-to-receive latency: µs below a millisecond, else ms or s. */
export function formatLatencyUs(us: number): string {
  if (!Number.isFinite(us)) return '—';
  const a = Math.abs(us);
  const sign = us < 0 ? '−' : '';
  if (a < 1000) return `${sign}${Math.round(a)} µs`;
  if (a < 10_000) return `${sign}${(a / 1000).toFixed(2)} ms`;
  if (a < 1_000_000) return `${sign}${(a / 1000).toFixed(1)} ms`;
  return `${sign}${(a / 1_000_000).toFixed(2)} s`;
}

/** Age of a µs timestamp at nowMs; '—' when there is none. */
export function ageOf(tsUs: number | null, nowMs: number): string {
  return tsUs === null ? '—' : formatAge(nowMs - tsUs / 1000);
}

/** How long since a µs timestamp, as a duration (for "live for 3m 2s"). */
export function sinceOf(tsUs: number, nowMs: number): string {
  return formatDuration(Math.max(0, nowMs - tsUs / 1000) / 1000);
}

/** A gap-ledger entry's duration (µs between the gap's start and its end). */
export function formatGapUs(us: number): string {
  if (!Number.isFinite(us) || us < 0) return '—';
  if (us < 1_000_000) return `${Math.round(us / 1000)} ms`;
  if (us < 60_000_000) return `${(us / 1_000_000).toFixed(1)} s`;
  return formatDuration(us / 1_000_000);
}
