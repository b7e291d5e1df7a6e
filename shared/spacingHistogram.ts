// The learned "normal spacing" of a symbol's ticks, shared by the chart's gap shading and the
// data-quality report so both call the same pause a gap.
//
// How "normal" is learned, and why. A symbol's pauses are heavy-tailed: EURUSD on 2019-02-04 has a
// median interval of 0.17 s but hundreds of 10-40 s pauses at night; a sparse instrument quotes
// every 3.5 s with one-minute pauses. A fixed multiple of one quantile cannot serve both. So the
// tail is modelled instead (peaks over a threshold): above u = the 90th percentile, pauses are
// taken as exponential with scale b = (p99 - u) / ln 10. Among the N = 10 % of intervals in the
// tail, the longest ordinary pause is then expected near u + b·ln N, and anything longer is a gap.
// Only quantiles are used, so a weekend or an outage does not move the threshold; a floor of a
// few seconds keeps fast symbols' hiccups out. The learning runs on a log-scale histogram (a few
// KB), fed one interval at a time, so a caller reading pages never holds the intervals.
import { US_PER_SEC } from './time.ts';

export const DEFAULT_GAP_FLOOR_US = 5 * US_PER_SEC;

/** Below this many positive intervals the tail cannot be learned; a median multiple is used. */
const MIN_INTERVALS = 20;
const FEW_TICKS_MEDIAN_MULTIPLE = 10;
const TAIL_FROM = 0.9;
const TAIL_HIGH = 0.99;

// 16 bins per octave (4.4 % wide) over 1 µs .. 2^60 µs.
const BINS_PER_OCTAVE = 16;
const BIN_COUNT = 60 * BINS_PER_OCTAVE;

export interface SpacingHistogram {
  bins: Uint32Array;
  count: number;
}

export function createSpacingHistogram(): SpacingHistogram {
  return { bins: new Uint32Array(BIN_COUNT), count: 0 };
}

function binOf(intervalUs: number): number {
  if (intervalUs <= 1) return 0;
  const b = Math.floor(Math.log2(intervalUs) * BINS_PER_OCTAVE);
  return b < BIN_COUNT ? b : BIN_COUNT - 1;
}

/** Counts one interval; zero and negative ones (same-time or out-of-order ticks) are ignored. */
export function addSpacing(h: SpacingHistogram, intervalUs: number): void {
  if (!(intervalUs > 0)) return;
  h.bins[binOf(intervalUs)]++;
  h.count++;
}

/** The q-quantile of the histogram's intervals, interpolated within its bin on the log scale. */
function histogramQuantile(h: SpacingHistogram, q: number): number {
  const rank = q * (h.count - 1);
  let seen = 0;
  for (let b = 0; b < BIN_COUNT; b++) {
    const c = h.bins[b];
    if (c === 0) continue;
    if (seen + c > rank) {
      const within = (rank - seen + 0.5) / c;
      return 2 ** ((b + within) / BINS_PER_OCTAVE);
    }
    seen += c;
  }
  return 2 ** (BIN_COUNT / BINS_PER_OCTAVE);
}

/** The longest pause (µs) that counts as normal for the counted intervals; never below floorUs. */
export function normalSpacingUs(h: SpacingHistogram, floorUs: number = DEFAULT_GAP_FLOOR_US): number {
  const n = h.count;
  if (n === 0) return floorUs;
  if (n < MIN_INTERVALS) return Math.max(floorUs, FEW_TICKS_MEDIAN_MULTIPLE * histogramQuantile(h, 0.5));
  const u = histogramQuantile(h, TAIL_FROM);
  const p99 = histogramQuantile(h, TAIL_HIGH);
  const scale = Math.max(0, p99 - u) / Math.LN10;
  const tailCount = (1 - TAIL_FROM) * n;
  const longestOrdinary = u + scale * Math.max(1, Math.log(tailCount));
  return Math.max(floorUs, Math.round(longestOrdinary));
}
