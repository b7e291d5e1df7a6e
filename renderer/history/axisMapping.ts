// Converts between the chart's logical (index) positions and real times, both ways. The chart's
// visible range is in logical positions; loading decisions are made in time, and the view may
// extend past the loaded data, so positions outside it are extrapolated with a typical step.

/** Typical µs between consecutive points, used beyond the ends of the data. */
export function typicalStepUs(times: ArrayLike<number>, fallbackUs: number): number {
  const n = times.length;
  if (n < 2) return fallbackUs;
  const step = (times[n - 1] - times[0]) / (n - 1);
  return step > 0 ? step : fallbackUs;
}

/** Real time at a (fractional) logical position. */
export function timeAtLogical(times: ArrayLike<number>, logical: number, stepUs: number): number {
  const n = times.length;
  if (n === 0) return NaN;
  if (logical <= 0) return times[0] + logical * stepUs;
  if (logical >= n - 1) return times[n - 1] + (logical - (n - 1)) * stepUs;
  const i = Math.floor(logical);
  const f = logical - i;
  return times[i] + f * (times[i + 1] - times[i]);
}

/** Logical position of a real time (inverse of timeAtLogical for sorted times). */
export function logicalAtTime(times: ArrayLike<number>, tUs: number, stepUs: number): number {
  const n = times.length;
  if (n === 0) return NaN;
  if (tUs <= times[0]) return (tUs - times[0]) / stepUs;
  if (tUs >= times[n - 1]) return n - 1 + (tUs - times[n - 1]) / stepUs;
  let lo = 0;
  let hi = n - 1;
  // Invariant: times[lo] <= tUs < times[hi].
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= tUs) lo = mid;
    else hi = mid;
  }
  const gap = times[hi] - times[lo];
  return lo + (gap > 0 ? (tUs - times[lo]) / gap : 0);
}

/** Index of the last point at or before tUs, or -1. */
export function indexAtOrBefore(times: ArrayLike<number>, tUs: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= tUs) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
