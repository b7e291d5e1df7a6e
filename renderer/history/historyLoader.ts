// Fetches what one history load draws: bars (bid, ask and mid in one bars.get call, from one
// source when filtered, folded to the zone's buckets where the engine's UTC buckets do not line
// up), or raw ticks page by page up to a cap, and the feed ledger's gaps over the same span.
// Every await checks that the load is still the newest, so a superseded one stops early.
import type { BarColumns } from '../../shared/bars.ts';
import type { TickscopeApi } from '../../shared/ipc/contract.ts';
import type { ChartGap } from '../charts/gaps/chartGap.ts';
import { gapsFromFeedEvents } from '../charts/gaps/feedEventGaps.ts';
import type { Zone } from '../time/zone.ts';
import type { TimeSpan } from './loadPlan.ts';
import type { SourcedTicks } from './sourceTicks.ts';
import { emptyTicks } from './sourceTicks.ts';
import { alignToBuckets, barRequestFor, foldBarsToZone } from './zoneBars.ts';

export const TICK_PAGE = 50_000;
/** The most raw ticks one load holds (a view needing more is drawn from bars). */
export const MAX_TICKS = 200_000;

export interface BarsData {
  kind: 'bars';
  timeframeSec: number;
  bars: BarColumns;
  /** False when the bars could not follow the zone's day boundaries (UTC buckets shown). */
  zoneAligned: boolean;
}

export interface TicksData {
  kind: 'ticks';
  raw: SourcedTicks;
  /** The cap was reached: the ticks end before the span asked for. */
  truncated: boolean;
}

export type HistoryData = BarsData | TicksData;

/** Where raw ticks are read: this store, or the desk's ClickHouse (every workstation's). */
export type TickOrigin = 'local' | 'desk';

export interface LoadQuery extends TimeSpan {
  symbol: string;
  /** Bars from this source's ticks only; raw ticks always come with every source. */
  source: string | null;
  /** Raw ticks only (bars are always this store's); default local. */
  origin?: TickOrigin;
}

export async function loadBars(
  api: TickscopeApi,
  q: LoadQuery & { timeframeSec: number; zone: Zone },
): Promise<BarsData> {
  const request = barRequestFor(q.timeframeSec, q.zone, q.fromUs, q.toUs);
  const span = alignToBuckets(q, q.timeframeSec, q.zone, request);
  const bars = await api.call('bars.get', {
    symbol: q.symbol,
    fromUs: span.fromUs,
    toUs: span.toUs,
    timeframeSec: request.requestSec,
    ...(q.source !== null ? { source: q.source } : {}),
  });
  return {
    kind: 'bars',
    timeframeSec: q.timeframeSec,
    bars: request.fold ? foldBarsToZone(bars, q.timeframeSec, q.zone) : bars,
    zoneAligned: request.zoneAligned,
  };
}

/** Ticks of every source over the span; null when `current()` turned false meanwhile. */
export async function loadTicks(
  api: TickscopeApi,
  q: LoadQuery,
  current: () => boolean,
): Promise<TicksData | null> {
  const raw = emptyTicks();
  let cursor: string | undefined;
  let truncated = false;
  do {
    const request = {
      symbol: q.symbol,
      fromUs: q.fromUs,
      toUs: q.toUs,
      limit: TICK_PAGE,
      ...(cursor ? { cursor } : {}),
    };
    const page = await (q.origin === 'desk'
      ? api.call('desk.ticks', request)
      : api.call('ticks.range', request));
    if (!current()) return null;
    const n = page.tsUs.length;
    for (let i = 0; i < n; i++) {
      raw.tsUs.push(page.tsUs[i]);
      raw.bid.push(page.bid[i]);
      raw.ask.push(page.ask[i]);
      raw.source.push(page.sources[page.source[i]] ?? '');
      raw.bidSize.push(page.bidSize?.[i] ?? null);
      raw.askSize.push(page.askSize?.[i] ?? null);
    }
    cursor = page.nextCursor ?? undefined;
    if (cursor && raw.tsUs.length >= MAX_TICKS) truncated = true;
  } while (cursor && !truncated);
  return { kind: 'ticks', raw, truncated };
}

/** The feed ledger's gaps for the symbol over the span; none when the ledger cannot be read. */
export async function loadFeedGaps(api: TickscopeApi, q: LoadQuery, nowUs: number): Promise<ChartGap[]> {
  try {
    const events = await api.call('feeds.events', { fromUs: q.fromUs, toUs: q.toUs });
    return gapsFromFeedEvents(events, {
      symbol: q.symbol,
      ...(q.source !== null ? { sources: [q.source] } : {}),
      fromUs: q.fromUs,
      toUs: q.toUs,
      nowUs,
    });
  } catch {
    // An engine without a ledger (or an older one) still draws; only tick gaps are shaded then.
    return [];
  }
}
