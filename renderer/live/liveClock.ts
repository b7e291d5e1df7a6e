// Where "now" is on the feed's clock, so the live chart's right edge keeps moving while a symbol
// is quiet (a silence grows on screen instead of the chart freezing on its last tick).
//
// Ticks are stamped by the feed (exchange time, UTC); the page has its own wall clock, which
// normally agrees within milliseconds, so the offset starts at zero. It is then learned from live
// arrivals: the freshest tick (smallest delivery delay) is the best estimate, so the offset follows
// the largest sample, decays slowly toward smaller ones (a feed clock behind the page's), and
// re-syncs when the feed's time jumps (a replay of old data). A prefill whose newest tick is far
// behind the page's clock (a market closed for the weekend, replayed history) takes that tick as
// "now" until live ticks say otherwise, so the chart opens on the data rather than on hours of
// nothing.

/** How fast a stale offset decays toward smaller samples: 20 ms per second. */
const DECAY_PER_US = 0.02;
/** A sample this far from the offset means another clock (a replay), not a slow delivery. */
const RESYNC_US = 60_000_000;
/** A prefill older than this is not "now" on any clock the page can trust. */
const STALE_PREFILL_US = 3_600_000_000;

export class LiveClock {
  private offsetUs = 0;
  private sampled = false;
  private sampledAtUs = 0;
  private newestUs = -Infinity;
  private edge = -Infinity;

  /** A tick that did not just arrive (the prefill): moves the newest tick, not the offset. */
  noteTick(tickTsUs: number, nowMs: number): void {
    if (tickTsUs > this.newestUs) this.newestUs = tickTsUs;
    if (!this.sampled && nowMs * 1000 - this.newestUs > STALE_PREFILL_US) {
      this.offsetUs = this.newestUs - nowMs * 1000;
    }
  }

  /** The newest tick of a live batch, arrived at page wall time `nowMs` (Date.now()). */
  observe(tickTsUs: number, nowMs: number): void {
    const localUs = nowMs * 1000;
    const sample = tickTsUs - localUs;
    if (!this.sampled || Math.abs(sample - this.offsetUs) > RESYNC_US) {
      if (this.sampled) this.edge = -Infinity;
      this.offsetUs = sample;
      if (this.edge === -Infinity) this.newestUs = tickTsUs;
    } else {
      const decayed = this.offsetUs - (localUs - this.sampledAtUs) * DECAY_PER_US;
      this.offsetUs = Math.max(sample, decayed);
    }
    this.sampled = true;
    this.sampledAtUs = localUs;
    if (tickTsUs > this.newestUs) this.newestUs = tickTsUs;
  }

  /** The newest tick seen, or null. */
  get newestTickUs(): number | null {
    return this.newestUs === -Infinity ? null : this.newestUs;
  }

  /**
   * The feed's "now" at page wall time `nowMs`: never before the newest tick and never moving
   * back (a following chart's right edge only moves forward). Null before the first tick.
   */
  edgeUs(nowMs: number): number | null {
    if (this.newestUs === -Infinity) return null;
    const estimate = Math.max(this.newestUs, Math.round(nowMs * 1000 + this.offsetUs));
    if (estimate > this.edge) this.edge = estimate;
    return this.edge;
  }
}
