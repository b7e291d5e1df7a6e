// Optional ingest throttle per symbol and source: drop exact repeats of the last quote and/or
// ticks that come sooner than a minimum interval after the last accepted one. Counted as throttled.

export class QuoteThrottle {
  repeats: boolean;
  minIntervalUs: number;
  private readonly last = new Map<number, { bid: number; ask: number; tsUs: number }>();

  constructor(repeats: boolean, minIntervalMs: number) {
    this.repeats = repeats;
    this.minIntervalUs = minIntervalMs * 1000;
  }

  get enabled(): boolean {
    return this.repeats || this.minIntervalUs > 0;
  }

  /** True when the tick should be dropped; otherwise records it as the last accepted quote. */
  drops(symId: number, srcId: number, bid: number, ask: number, tsUs: number): boolean {
    const key = symId * 65_536 + srcId;
    const prev = this.last.get(key);
    if (prev) {
      if (this.repeats && prev.bid === bid && prev.ask === ask) return true;
      if (this.minIntervalUs > 0 && tsUs - prev.tsUs < this.minIntervalUs && tsUs >= prev.tsUs) return true;
      prev.bid = bid;
      prev.ask = ask;
      prev.tsUs = tsUs;
      return false;
    }
    this.last.set(key, { bid, ask, tsUs });
    return false;
  }
}
