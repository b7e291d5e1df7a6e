// Bars whose buckets start on the selected zone's wall clock. The engine buckets at UTC multiples of
// the timeframe, which is right for a zone only where its offset is a multiple of the timeframe:
// a daily bar in UTC+2 (or New York close) must run from the zone's midnight, not from 02:00. Such
// bars are folded here from finer engine bars that do line up (hourly for whole-hour offsets,
// 30 or 15 minutes for offsets such as +05:30 and +05:45), bucketed by the zone's wall clock, so
// daylight saving days come out 23 or 25 hours long, as a broker's daily bars do.
import type { BarColumns, Ohlc } from '../../shared/bars.ts';
import { emptyBars, TIMEFRAMES_SEC } from '../../shared/bars.ts';
import { US_PER_HOUR, US_PER_SEC } from '../../shared/time.ts';
import type { Zone } from '../time/zone.ts';
import { utcFromWall, wallAsUtcUs } from '../time/wallClock.ts';

/** Most engine bars a fold may ask for; wider spans fall back to UTC buckets (and say so). */
export const MAX_FOLD_BARS = 150_000;
/** Offsets sampled across a span to find every offset the zone takes there (DST included). */
const OFFSET_SAMPLES = 2000;

export interface BarRequest {
  /** The timeframe to ask the engine for. */
  requestSec: number;
  /** Fold the engine's bars into zone buckets of the wanted timeframe. */
  fold: boolean;
  /** False when the bars cannot follow the zone (too many to fold): UTC buckets are shown. */
  zoneAligned: boolean;
}

/** Every distinct offset (µs) the zone has over [fromUs, toUs], sampled twice a day at least. */
export function offsetsOver(zone: Zone, fromUs: number, toUs: number): number[] {
  const out = new Set<number>();
  const span = Math.max(0, toUs - fromUs);
  const n = Math.min(OFFSET_SAMPLES, Math.max(1, Math.ceil(span / (12 * US_PER_HOUR))));
  for (let i = 0; i <= n; i++) {
    const us = fromUs + (span * i) / n;
    out.add(zone.offsetMsAt(Math.floor(us / 1000)) * 1000);
  }
  return [...out];
}

const divides = (stepUs: number, offsets: readonly number[]) => offsets.every((o) => o % stepUs === 0);

/** How to get bars of `timeframeSec` whose buckets start on the zone's wall clock. */
export function barRequestFor(timeframeSec: number, zone: Zone, fromUs: number, toUs: number): BarRequest {
  const offsets = offsetsOver(zone, fromUs, toUs);
  if (divides(timeframeSec * US_PER_SEC, offsets))
    return { requestSec: timeframeSec, fold: false, zoneAligned: true };
  const spanSec = Math.max(0, toUs - fromUs) / US_PER_SEC;
  // The coarsest finer timeframe that lines up with the zone and the wanted one.
  for (let i = TIMEFRAMES_SEC.length - 1; i >= 0; i--) {
    const base = TIMEFRAMES_SEC[i];
    if (base >= timeframeSec || timeframeSec % base !== 0) continue;
    if (!divides(base * US_PER_SEC, offsets)) continue;
    if (spanSec / base > MAX_FOLD_BARS) break;
    return { requestSec: base, fold: true, zoneAligned: true };
  }
  return { requestSec: timeframeSec, fold: false, zoneAligned: false };
}

function pushBar(to: Ohlc, from: Ohlc, i: number): void {
  to.open.push(from.open[i]);
  to.high.push(from.high[i]);
  to.low.push(from.low[i]);
  to.close.push(from.close[i]);
}

function foldInto(to: Ohlc, j: number, from: Ohlc, i: number): void {
  if (from.high[i] > to.high[j]) to.high[j] = from.high[i];
  if (from.low[i] < to.low[j]) to.low[j] = from.low[i];
  to.close[j] = from.close[i];
}

/** UTC start of the zone bucket whose wall-clock start is `wallStartUs` (wall time read as UTC). */
function bucketStartUs(wallStartUs: number, zone: Zone, barUs: number, barWallUs: number): number {
  const d = new Date(Math.floor(wallStartUs / 1000));
  const us = utcFromWall(
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    0,
    zone,
  );
  // A wall time skipped by a daylight-saving jump (midnight in a few zones): the bar's own offset.
  return us ?? barUs - (barWallUs - wallStartUs);
}

/** UTC start of the zone bucket of `timeframeSec` holding `us` (wall-clock multiples in the zone). */
export function zoneBucketStart(us: number, timeframeSec: number, zone: Zone): number {
  const tfUs = timeframeSec * US_PER_SEC;
  const wall = wallAsUtcUs(us, zone);
  return bucketStartUs(Math.floor(wall / tfUs) * tfUs, zone, us, wall);
}

/**
 * The span widened to whole buckets (zone buckets when folding, else the engine's UTC ones), so
 * the first and last bar of a view are not cut short by where the request happened to start.
 */
export function alignToBuckets(
  span: { fromUs: number; toUs: number },
  timeframeSec: number,
  zone: Zone,
  request: BarRequest,
): { fromUs: number; toUs: number } {
  const tfUs = timeframeSec * US_PER_SEC;
  if (!request.fold) {
    return { fromUs: Math.floor(span.fromUs / tfUs) * tfUs, toUs: Math.ceil(span.toUs / tfUs) * tfUs };
  }
  const fromUs = zoneBucketStart(span.fromUs, timeframeSec, zone);
  if (zoneBucketStart(span.toUs, timeframeSec, zone) === span.toUs) return { fromUs, toUs: span.toUs };
  // Half a bucket past the last start lands in the next bucket even on a 23 or 25 hour day.
  const last = zoneBucketStart(span.toUs - 1, timeframeSec, zone);
  return { fromUs, toUs: Math.max(span.toUs, zoneBucketStart(last + tfUs * 1.5, timeframeSec, zone)) };
}

/**
 * Folds time-ordered engine bars into bars of `timeframeSec` bucketed on the zone's wall clock:
 * open of the first, close of the last, high/low/count over all, for bid, ask and mid alike.
 */
export function foldBarsToZone(bars: BarColumns, timeframeSec: number, zone: Zone): BarColumns {
  const out = emptyBars(bars.symbol, timeframeSec, bars.source);
  const tfUs = timeframeSec * US_PER_SEC;
  let key = Number.NaN;
  let j = -1;
  for (let i = 0; i < bars.startUs.length; i++) {
    const us = bars.startUs[i];
    const wall = wallAsUtcUs(us, zone);
    const k = Math.floor(wall / tfUs);
    let start = Number.NaN;
    if (k !== key) start = bucketStartUs(k * tfUs, zone, us, wall);
    // A new wall bucket, unless the clock went back (autumn) onto a bucket already open.
    if (k !== key && (j < 0 || start > out.startUs[j])) {
      key = k;
      j++;
      out.startUs.push(start);
      out.count.push(bars.count[i]);
      pushBar(out.bid, bars.bid, i);
      pushBar(out.ask, bars.ask, i);
      pushBar(out.mid, bars.mid, i);
      continue;
    }
    key = k;
    out.count[j] += bars.count[i];
    foldInto(out.bid, j, bars.bid, i);
    foldInto(out.ask, j, bars.ask, i);
    foldInto(out.mid, j, bars.mid, i);
  }
  return out;
}
