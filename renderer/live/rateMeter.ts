// Ticks per second from the per-push counts in `live.quotes`: a sliding window of (time, count)
// samples, so a burst shows up quickly and fades out once the window passes it.

export class RateMeter {
  private readonly windowMs: number;
  private readonly times: number[] = [];
  private readonly counts: number[] = [];
  private head = 0;
  private sum = 0;

  constructor(windowMs = 3000) {
    if (!(windowMs > 0)) throw new RangeError(`RateMeter window must be positive, got ${windowMs}`);
    this.windowMs = windowMs;
  }

  add(count: number, nowMs: number): void {
    if (!(count > 0)) return;
    this.times.push(nowMs);
    this.counts.push(count);
    this.sum += count;
    this.evict(nowMs);
  }

  /** Events per second over the window ending at nowMs. */
  rate(nowMs: number): number {
    this.evict(nowMs);
    return (this.sum * 1000) / this.windowMs;
  }

  private evict(nowMs: number): void {
    const cutoff = nowMs - this.windowMs;
    while (this.head < this.times.length && this.times[this.head] <= cutoff) {
      this.sum -= this.counts[this.head];
      this.head++;
    }
    // Compact now and then so the arrays don't grow for the life of the page.
    if (this.head > 256 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.counts.splice(0, this.head);
      this.head = 0;
    }
    if (this.head === this.times.length) this.sum = 0;
  }
}
