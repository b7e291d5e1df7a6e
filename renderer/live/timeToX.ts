// Time to x on the live chart without a call into the chart per tick. The chart puts its time
// scale's points (the grid) at equal distances, so x is linear in the point index, and between two
// grid instants an instant's index is interpolated by time (as CalendarAxis.logicalOf does).
// Drawing walks the ticks in time order, so the lookup keeps its place instead of searching.
import { lowerBound } from '../charts/timeScale/timeline.ts';

export class TimeToX {
  private readonly times: ArrayLike<number>;
  private readonly stepUs: number;
  private readonly x0: number;
  private readonly pxPerIndex: number;
  /** Index of the first grid instant > the last instant asked for. */
  private at = 0;

  /**
   * `times`: the chart's index → time table; `x0`: x of index 0; `pxPerIndex`: the chart's bar
   * spacing; `stepUs`: the µs per index assumed beyond the table's ends.
   */
  constructor(times: ArrayLike<number>, stepUs: number, x0: number, pxPerIndex: number) {
    this.times = times;
    this.stepUs = stepUs;
    this.x0 = x0;
    this.pxPerIndex = pxPerIndex;
  }

  /** The fractional chart index of an instant. */
  logical(us: number): number {
    const t = this.times;
    const n = t.length;
    if (n === 0) return 0;
    if (us <= t[0]) return (us - t[0]) / this.stepUs;
    if (us >= t[n - 1]) return n - 1 + (us - t[n - 1]) / this.stepUs;
    let i = this.at;
    // Walking forward a few entries is the common case (ticks in order); anything else searches.
    if (i > 0 && i < n && t[i - 1] <= us) {
      let k = 0;
      while (i < n && t[i] <= us && k < 8) {
        i++;
        k++;
      }
      if (i < n && t[i] <= us) i = lowerBound(t, us + 1e-9);
    } else {
      i = lowerBound(t, us + 1e-9);
    }
    this.at = i;
    // t[i - 1] <= us < t[i]
    const a = t[i - 1];
    return i - 1 + (us - a) / (t[i] - a);
  }

  x(us: number): number {
    return this.x0 + this.logical(us) * this.pxPerIndex;
  }
}
