// Events per second over a sliding window of whole seconds, fed in bulk (per batch, not per tick).
// Until the window has filled since the meter started, the rate is over the time elapsed, so the
// first seconds of a recording do not read as a fraction of the real rate.

export class RateMeter {
  private readonly buckets: Float64Array;
  private readonly stamps: Float64Array;
  private readonly windowSec: number;
  private readonly startMs: number | null;

  /** startMs: when counting began (rates before the window fills divide by the time since). */
  constructor(windowSec = 5, startMs: number | null = null) {
    this.windowSec = windowSec;
    this.startMs = startMs;
    this.buckets = new Float64Array(windowSec + 1);
    this.stamps = new Float64Array(windowSec + 1).fill(-1);
  }

  add(count: number, nowMs: number): void {
    const sec = Math.floor(nowMs / 1000);
    const i = sec % this.buckets.length;
    if (this.stamps[i] !== sec) {
      this.stamps[i] = sec;
      this.buckets[i] = 0;
    }
    this.buckets[i] += count;
  }

  /** Sum over the last `windowSec` complete seconds plus the current one, per second. */
  perSecond(nowMs: number): number {
    const sec = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      const s = this.stamps[i];
      if (s >= 0 && s > sec - this.buckets.length && s <= sec) sum += this.buckets[i];
    }
    const elapsedInCurrent = (nowMs % 1000) / 1000;
    let span = this.windowSec + elapsedInCurrent;
    // Buckets are whole seconds, so the first partial second counts from its start.
    if (this.startMs !== null)
      span = Math.min(span, Math.max(0.25, (nowMs - Math.floor(this.startMs / 1000) * 1000) / 1000));
    return sum / span;
  }

  /** Total within the window (e.g. write errors in the last minute). */
  total(nowMs: number): number {
    const sec = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      const s = this.stamps[i];
      if (s >= 0 && s > sec - this.buckets.length && s <= sec) sum += this.buckets[i];
    }
    return sum;
  }
}
