// Finds periods without ticks that are longer than this symbol normally goes without one, from the
// ticks alone (no feed ledger needed: migrated and downloaded history has none).
//
// How "normal" is learned, and why. A symbol's pauses are heavy-tailed: EURUSD on 2019-02-04 has a
// median interval of 0.17 s but hundreds of 10-40 s pauses at night; a sparse instrument quotes
// every 3.5 s with one-minute pauses. A fixed multiple of one quantile cannot serve both (one small
// enough to catch the sparse one's 116 s gap flags hundreds of EURUSD's night pauses). So the tail
// is modelled instead (peaks over a threshold): above u = the 90th percentile, pauses are taken as
// exponential with scale b = (p99 - u) / ln 10 (p99 is the tail's own 90th percentile). Among the
// N = 10 % of intervals in the tail, the longest ordinary pause is then expected near
// u + b·ln N, and anything longer is a gap. Only quantiles are used, so a weekend or an outage in
// the view does not move the threshold; a floor of a few seconds keeps fast symbols' hiccups out.
// The learning runs in one pass over a log-scale histogram (O(n), a few KB, no copy or sort of the
// view's 200K intervals).
import { US_PER_SEC } from '../../../shared/time.ts';
import type { ChartGap } from './chartGap.ts';
import { formatGapDuration } from './gapText.ts';

export interface GapFinderOptions {
  /** Never flag a pause shorter than this, µs (default 5 s). */
  floorUs?: number;
  /**
   * Use this threshold instead of learning one from tsUs (µs): learn it once on a wide window and
   * pass it to zoomed views so the shading does not change with the zoom.
   */
  thresholdUs?: number;
  /** Stamped on every gap found (the view's source, when the ticks are one source's). */
  source?: string;
}

export const DEFAULT_GAP_FLOOR_US = 5 * US_PER_SEC;

/** Below this many positive intervals the tail cannot be learned; a median multiple is used. */
const MIN_INTERVALS = 20;
const FEW_TICKS_MEDIAN_MULTIPLE = 10;
const TAIL_FROM = 0.9;
const TAIL_HIGH = 0.99;

// Log-scale histogram of interval lengths: 16 bins per octave (4.4 % wide) over 1 µs .. 2^60 µs.
const BINS_PER_OCTAVE = 16;
const BIN_COUNT = 60 * BINS_PER_OCTAVE;

function binOf(intervalUs: number): number {
  if (intervalUs <= 1) return 0;
  const b = Math.floor(Math.log2(intervalUs) * BINS_PER_OCTAVE);
  return b < BIN_COUNT ? b : BIN_COUNT - 1;
}

/** The q-quantile of the histogram's intervals, interpolated within its bin on the log scale. */
function histogramQuantile(bins: Uint32Array, total: number, q: number): number {
  const rank = q * (total - 1);
  let seen = 0;
  for (let b = 0; b < BIN_COUNT; b++) {
    const c = bins[b];
    if (c === 0) continue;
    if (seen + c > rank) {
      const within = (rank - seen + 0.5) / c;
      return 2 ** ((b + within) / BINS_PER_OCTAVE);
    }
    seen += c;
  }
  return 2 ** (BIN_COUNT / BINS_PER_OCTAVE);
}

/**
 * The longest pause (µs) that counts as normal for these ticks (time-ordered µs timestamps): a
 * pause longer than this is a gap. Never below `floorUs`. Zero and negative intervals (same-time
 * or out-of-order ticks) are ignored.
 */
export function learnNormalSpacingUs(
  tsUs: ArrayLike<number>,
  opts: Pick<GapFinderOptions, 'floorUs'> = {},
): number {
  const floorUs = opts.floorUs ?? DEFAULT_GAP_FLOOR_US;
  const bins = new Uint32Array(BIN_COUNT);
  let n = 0;
  for (let i = 1; i < tsUs.length; i++) {
    const iv = tsUs[i] - tsUs[i - 1];
    if (!(iv > 0)) continue;
    bins[binOf(iv)]++;
    n++;
  }
  if (n === 0) return floorUs;
  if (n < MIN_INTERVALS)
    return Math.max(floorUs, FEW_TICKS_MEDIAN_MULTIPLE * histogramQuantile(bins, n, 0.5));
  const u = histogramQuantile(bins, n, TAIL_FROM);
  const p99 = histogramQuantile(bins, n, TAIL_HIGH);
  const scale = Math.max(0, p99 - u) / Math.LN10;
  const tailCount = (1 - TAIL_FROM) * n;
  const longestOrdinary = u + scale * Math.max(1, Math.log(tailCount));
  return Math.max(floorUs, Math.round(longestOrdinary));
}

/**
 * Every pause between consecutive ticks longer than the learned (or given) threshold, as a gap
 * from the last tick before it to the first tick after it. One pass; allocates only the result.
 */
export function findTickGaps(tsUs: ArrayLike<number>, opts: GapFinderOptions = {}): ChartGap[] {
  const thresholdUs = opts.thresholdUs ?? learnNormalSpacingUs(tsUs, opts);
  const gaps: ChartGap[] = [];
  if (tsUs.length < 2) return gaps;
  // Shown to a tenth of a second (rounded up, so "≤" stays true): more digits would be noise.
  const shownUs = thresholdUs >= US_PER_SEC ? Math.ceil(thresholdUs / 100_000) * 100_000 : thresholdUs;
  const detail = `normal spacing here ≤ ${formatGapDuration(shownUs)}`;
  let prev = tsUs[0];
  for (let i = 1; i < tsUs.length; i++) {
    const t = tsUs[i];
    if (t - prev > thresholdUs) {
      const gap: ChartGap = { fromUs: prev, toUs: t, cause: 'no-ticks', detail };
      if (opts.source !== undefined) gap.source = opts.source;
      gaps.push(gap);
    }
    // An out-of-order tick never moves the reference back (it would invent a gap after it).
    if (t > prev) prev = t;
  }
  return gaps;
}
