// Percentiles over the most recent N samples (batch flush latencies, a feed's exchange-to-receive
// latency).

export class LatencyWindow {
  private readonly samples: Float64Array;
  private count = 0;

  constructor(size = 1024) {
    this.samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.samples[this.count % this.samples.length] = ms;
    this.count++;
  }

  /** Samples held (at most the window's size). */
  get size(): number {
    return Math.min(this.count, this.samples.length);
  }

  percentile(p: number): number {
    const n = Math.min(this.count, this.samples.length);
    if (n === 0) return 0;
    const sorted = this.samples.slice(0, n).sort();
    return sorted[Math.min(n - 1, Math.floor((p / 100) * n))];
  }
}
