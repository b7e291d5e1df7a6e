// The history chart's raw ticks keep their source (and sizes), so a symbol quoted by several feeds
// can be drawn one series per source, or filtered to one source, without asking the server again.
// Series points sit at the ticks' real µs times on the calendar axis; a series must be strictly
// increasing in time, so ticks of one source sharing a µs keep the last (the quote that stood).
import type { SourceFilter } from '../charts/sourceFilter.ts';
import type { TimedValue } from '../charts/sourceLegend.ts';

export interface SourcedTicks {
  tsUs: number[];
  bid: number[];
  ask: number[];
  source: string[];
  /** Aligned with tsUs; null where the feed gave no size. */
  bidSize: (number | null)[];
  askSize: (number | null)[];
}

export function emptyTicks(): SourcedTicks {
  return { tsUs: [], bid: [], ask: [], source: [], bidSize: [], askSize: [] };
}

/** The ticks of one source (or all, for null), in order. */
export function filterBySource(t: SourcedTicks, filter: SourceFilter): SourcedTicks {
  if (filter === null) return t;
  const out = emptyTicks();
  for (let i = 0; i < t.tsUs.length; i++) {
    if (t.source[i] !== filter) continue;
    out.tsUs.push(t.tsUs[i]);
    out.bid.push(t.bid[i]);
    out.ask.push(t.ask[i]);
    out.source.push(t.source[i]);
    out.bidSize.push(t.bidSize[i]);
    out.askSize.push(t.askSize[i]);
  }
  return out;
}

/** Appends a point, replacing the previous one when it has the same time (keep the last). */
export function pushPoint(points: TimedValue[], time: number, value: number): void {
  const n = points.length;
  if (n > 0 && points[n - 1].time === time) points[n - 1].value = value;
  else points.push({ time, value });
}

/** Bid and ask points per source at the ticks' times. */
export function pointsBySource(t: SourcedTicks): Map<string, { bid: TimedValue[]; ask: TimedValue[] }> {
  const out = new Map<string, { bid: TimedValue[]; ask: TimedValue[] }>();
  for (let i = 0; i < t.tsUs.length; i++) {
    const src = t.source[i];
    let p = out.get(src);
    if (!p) out.set(src, (p = { bid: [], ask: [] }));
    pushPoint(p.bid, t.tsUs[i], t.bid[i]);
    pushPoint(p.ask, t.tsUs[i], t.ask[i]);
  }
  return out;
}

/** One value per tick (mid, spread in pips...) as a line per source. */
export function linesBySource(
  t: SourcedTicks,
  value: (bid: number, ask: number) => number,
): Map<string, TimedValue[]> {
  const out = new Map<string, TimedValue[]>();
  for (let i = 0; i < t.tsUs.length; i++) {
    const src = t.source[i];
    let p = out.get(src);
    if (!p) out.set(src, (p = []));
    const v = value(t.bid[i], t.ask[i]);
    if (Number.isFinite(v)) pushPoint(p, t.tsUs[i], v);
  }
  return out;
}

/** The distinct sources, sorted. */
export function distinctSources(sources: readonly string[]): string[] {
  return [...new Set(sources)].filter((s) => s !== '').sort((a, b) => a.localeCompare(b));
}

/** Index of the last tick at or before `us`, or -1. */
export function tickAtOrBefore(tsUs: ArrayLike<number>, us: number): number {
  let lo = 0;
  let hi = tsUs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tsUs[mid] <= us) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
