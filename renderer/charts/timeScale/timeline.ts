// Calendar time on a chart that spaces points by index. lightweight-charts puts one index per
// time point, so ticks alone draw a 116 s outage as wide as the next 300 ms. A grid of whitespace
// points at the view's step (aligned to the zone's wall clock) gives every step one index, so the
// axis is proportional to time wherever there are no more ticks than steps; in "compress gaps" mode
// the grid leaves out the inside of the gaps, which then take one step each and get a break mark.
import type { AxisUnit } from '../../time/axisUnits.ts';
import { US_PER_DAY, US_PER_HOUR } from '../../time/axisUnits.ts';
import type { Zone } from '../../time/zone.ts';
import { startOfZoneDayUs, utcFromWall, wallClock } from '../../time/wallClock.ts';

export interface Span {
  fromUs: number;
  toUs: number;
}

/** Most grid points one view may ask for; beyond it the caller must pick a coarser unit. */
export const MAX_GRID_POINTS = 250_000;

/** Grid instants in [fromUs, toUs] on multiples of `unit` in the zone, outside `skip` spans. */
export function gridTimes(
  fromUs: number,
  toUs: number,
  unit: AxisUnit,
  zone: Zone,
  skip: readonly Span[] = [],
): number[] {
  if (!(toUs >= fromUs)) return [];
  if ((toUs - fromUs) / unit.us > MAX_GRID_POINTS) {
    throw new RangeError(
      `a grid of ${unit.us} µs over ${toUs - fromUs} µs exceeds ${MAX_GRID_POINTS} points`,
    );
  }
  const out: number[] = [];
  if (unit.kind === 'day' || unit.kind === 'month' || unit.kind === 'year') {
    let t = startOfZoneDayUs(fromUs, zone);
    for (let guard = 0; t <= toUs && guard < MAX_GRID_POINTS; guard++) {
      const c = wallClock(t, zone);
      const aligned = unit.kind === 'day' || (c.d === 1 && (c.mo - 1) % (unit.months ?? 1) === 0);
      if (t >= fromUs && aligned) out.push(t);
      // Step a day (or straight to the next aligned month) on the zone's calendar.
      const next =
        unit.kind === 'day' || c.d !== 1 || !aligned
          ? utcFromWall(c.y, c.mo, c.d + 1, 0, 0, 0, 0, zone)
          : utcFromWall(c.y, c.mo + (unit.months ?? 1), 1, 0, 0, 0, 0, zone);
      t = next !== null && next > t ? next : t + US_PER_DAY;
    }
  } else if (unit.us <= US_PER_HOUR) {
    subHourGrid(fromUs, toUs, unit.us, zone, out);
  } else {
    wallClockGrid(fromUs, toUs, unit.us, zone, out);
  }
  if (skip.length === 0) return out;
  return out.filter((t) => !skip.some((s) => t > s.fromUs && t < s.toUs));
}

const mod = (a: number, m: number) => ((a % m) + m) % m;

/**
 * Steps of an hour or less, walked in UTC: every real offset is a whole number of such steps
 * (or of 15 minutes), so UTC steady steps are wall-clock multiples too, and a daylight-saving
 * change neither leaves a hole nor folds the grid back (the repeated autumn hour gets its points).
 */
function subHourGrid(fromUs: number, toUs: number, step: number, zone: Zone, out: number[]): void {
  const offUs = (t: number) => zone.offsetMsAt(Math.floor(t / 1000)) * 1000;
  let off = offUs(fromUs);
  let phase = mod(-off, step);
  let t = Math.ceil((fromUs - phase) / step) * step + phase;
  for (let guard = 0; t <= toUs && guard <= MAX_GRID_POINTS; guard++) {
    const o = offUs(t);
    if (o !== off) {
      off = o;
      phase = mod(-off, step);
      // Re-align after a change to an offset that is not a multiple of the step (+05:45).
      const aligned = Math.ceil((t - phase) / step) * step + phase;
      if (aligned !== t) {
        t = aligned;
        continue;
      }
    }
    if (out.length === 0 || t > out[out.length - 1]) out.push(t);
    t += step;
  }
}

/** Steps of 2 to 12 hours, on the wall clock: at a daylight-saving change one step is an hour off. */
function wallClockGrid(fromUs: number, toUs: number, step: number, zone: Zone, out: number[]): void {
  let offUs = zone.offsetMsAt(Math.floor(fromUs / 1000)) * 1000;
  let wall = Math.ceil((fromUs + offUs) / step) * step;
  for (let guard = 0; guard <= MAX_GRID_POINTS; guard++) {
    let t = wall - offUs;
    const offAt = zone.offsetMsAt(Math.floor(t / 1000)) * 1000;
    if (offAt !== offUs) {
      offUs = offAt;
      t = wall - offUs;
    }
    if (t > toUs) break;
    // A spring-forward jump maps later wall times to earlier instants: keep the list increasing.
    if (t >= fromUs && (out.length === 0 || t > out[out.length - 1])) out.push(t);
    wall += step;
  }
}

/** Sorted union of sorted time lists, each value once: the chart's index → time table. */
export function mergeTimes(...lists: ArrayLike<number>[]): Float64Array {
  let out: Float64Array = new Float64Array(0);
  for (const l of lists) out = mergeTwo(out, l);
  return out;
}

// Linear merge: the lists are sorted already, and the data side can hold 200K ticks.
function mergeTwo(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let w = 0;
  let last = NaN;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (v !== last) out[w++] = last = v;
  }
  return w === out.length ? out : out.slice(0, w);
}

/** First index whose time is >= us (times.length when none). */
export function lowerBound(times: ArrayLike<number>, us: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < us) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Fractional chart index of an instant: interpolated between its neighbours, extrapolated by
 * `stepUs` per index beyond the ends (where the chart draws its right offset).
 */
export function logicalOfTime(times: ArrayLike<number>, us: number, stepUs: number): number {
  const n = times.length;
  if (n === 0) return 0;
  if (us <= times[0]) return (us - times[0]) / stepUs;
  if (us >= times[n - 1]) return n - 1 + (us - times[n - 1]) / stepUs;
  const i = lowerBound(times, us);
  if (times[i] === us) return i;
  const a = times[i - 1];
  const b = times[i];
  return i - 1 + (us - a) / (b - a);
}

/** The instant at a fractional chart index; the inverse of logicalOfTime. */
export function timeOfLogical(times: ArrayLike<number>, logical: number, stepUs: number): number {
  const n = times.length;
  if (n === 0) return NaN;
  if (logical <= 0) return times[0] + logical * stepUs;
  if (logical >= n - 1) return times[n - 1] + (logical - (n - 1)) * stepUs;
  const i = Math.floor(logical);
  return times[i] + (logical - i) * (times[i + 1] - times[i]);
}
