// The gaps of the live window: pauses in the drawn ticks longer than this symbol's normal spacing
// (learned from the window itself), the silence since the last tick when it has already lasted
// that long (the gap is open: it grows at the live edge), and the feeds' gap ledger for the
// window, merged so one shaded stretch names every cause.
import type { FeedEvent } from '../../shared/feeds/feedEvents.ts';
import type { ChartGap } from '../charts/gaps/chartGap.ts';
import { gapsFromFeedEvents } from '../charts/gaps/feedEventGaps.ts';
import { findTickGaps, learnNormalSpacingUs } from '../charts/gaps/gapFinder.ts';
import { mergeGaps } from '../charts/gaps/mergeGaps.ts';
import type { TickWindow } from './tickWindow.ts';

/** Feed events kept for the overlay; older ones fall off first. */
export const MAX_FEED_EVENTS_KEPT = 5000;

export interface LiveGapRequest {
  window: TickWindow;
  symbol: string;
  /** Sources whose ticks are drawn (null: all); their silences count, and their feeds' events. */
  sources: readonly string[] | null;
  edgeUs: number;
  events: readonly FeedEvent[];
}

/** Times of the window's ticks from the given sources (all of them without a list). */
export function drawnTimes(window: TickWindow, sources: readonly string[] | null): Float64Array {
  const cols = window.columns();
  if (sources === null) return cols.tsUs;
  const ids = new Set<number>();
  for (const s of sources) {
    const id = window.knownSourceId(s);
    if (id !== undefined) ids.add(id);
  }
  const out = new Float64Array(cols.tsUs.length);
  let n = 0;
  for (let i = 0; i < cols.tsUs.length; i++) if (ids.has(cols.src[i])) out[n++] = cols.tsUs[i];
  return out.subarray(0, n);
}

export function liveGaps(r: LiveGapRequest): ChartGap[] {
  const times = drawnTimes(r.window, r.sources);
  const one = r.sources !== null && r.sources.length === 1 ? { source: r.sources[0] } : {};
  const thresholdUs = learnNormalSpacingUs(times);
  const tick = findTickGaps(times, { thresholdUs, ...one });
  const last = times.length > 0 ? times[times.length - 1] : undefined;
  if (last !== undefined && r.edgeUs - last > thresholdUs) {
    for (const g of findTickGaps([last, r.edgeUs], { thresholdUs, ...one })) tick.push({ ...g, open: true });
  }
  const first = r.window.firstTsUs ?? r.edgeUs;
  const feed = gapsFromFeedEvents(r.events, {
    symbol: r.symbol,
    ...(r.sources !== null ? { sources: r.sources } : {}),
    fromUs: first,
    toUs: r.edgeUs,
    nowUs: r.edgeUs,
  });
  return mergeGaps(tick, feed);
}

/** Appends pushed ledger entries, keeping the newest MAX_FEED_EVENTS_KEPT. */
export function keepEvents(held: FeedEvent[], more: readonly FeedEvent[]): FeedEvent[] {
  const all = held.concat(more);
  return all.length > MAX_FEED_EVENTS_KEPT ? all.slice(all.length - MAX_FEED_EVENTS_KEPT) : all;
}
