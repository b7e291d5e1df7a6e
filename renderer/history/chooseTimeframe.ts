// Which data the history chart shows for a visible time span: candles whose timeframe keeps
// roughly 200-2000 bars on screen, or raw bid/ask ticks once the view is narrow enough that
// they fit (a few minutes, or a few thousand ticks).
import { TIMEFRAMES_SEC } from '../../shared/bars.ts';
import { US_PER_MIN, US_PER_SEC } from '../../shared/time.ts';

export const MAX_VISIBLE_BARS = 2000;
export const MIN_VISIBLE_BARS = 200;
/** At or under this span the chart shows raw ticks whatever their number. */
export const RAW_TICKS_SPAN_US = 3 * US_PER_MIN;
/** Wider spans still show raw ticks when fewer than this many are expected. */
export const RAW_TICKS_MAX_COUNT = 5000;

/** The finest timeframe in TIMEFRAMES_SEC that keeps the span at or under MAX_VISIBLE_BARS. */
export function chooseTimeframe(spanUs: number): number {
  if (!(spanUs > 0)) return TIMEFRAMES_SEC[0];
  for (const tf of TIMEFRAMES_SEC) {
    if (spanUs / (tf * US_PER_SEC) <= MAX_VISIBLE_BARS) return tf;
  }
  return TIMEFRAMES_SEC[TIMEFRAMES_SEC.length - 1];
}

export type HistoryMode = { kind: 'ticks' } | { kind: 'bars'; timeframeSec: number };

/** Even a narrow view falls back to 1s bars beyond this many expected ticks. */
export const RAW_TICKS_HARD_CAP = 50_000;

/**
 * @param ticksPerUs observed tick density around the view (ticks per µs), or null when unknown;
 *   unknown density never picks raw ticks for spans wider than RAW_TICKS_SPAN_US, so a first
 *   look at a busy day is always drawn from bars.
 */
export function chooseHistoryMode(spanUs: number, ticksPerUs: number | null): HistoryMode {
  const expected = ticksPerUs !== null && ticksPerUs >= 0 ? ticksPerUs * spanUs : null;
  if (expected !== null && expected <= RAW_TICKS_MAX_COUNT) return { kind: 'ticks' };
  if (spanUs <= RAW_TICKS_SPAN_US && (expected === null || expected <= RAW_TICKS_HARD_CAP)) {
    return { kind: 'ticks' };
  }
  return { kind: 'bars', timeframeSec: chooseTimeframe(spanUs) };
}

export function sameMode(a: HistoryMode, b: HistoryMode): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind === 'ticks' || a.timeframeSec === (b as { timeframeSec: number }).timeframeSec;
}

export function describeMode(mode: HistoryMode): string {
  if (mode.kind === 'ticks') return 'ticks';
  const tf = mode.timeframeSec;
  if (tf % 86400 === 0) return `${tf / 86400}d`;
  if (tf % 3600 === 0) return `${tf / 3600}h`;
  if (tf % 60 === 0) return `${tf / 60}m`;
  return `${tf}s`;
}
