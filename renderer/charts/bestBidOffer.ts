// A synthetic best bid/offer across quote sources, drawn as its own line: the best bid is the
// highest bid any source shows, the best ask the lowest ask, each with the source that holds it.
//
// Rules (documented for the readout):
// - A source's latest tick replaces its quote; a missing side (NaN) means that source shows no
//   price on that side until its next tick.
// - A source whose last tick is older than `maxAgeUs` (default 60 s) is left out, so a dead LP
//   cannot hold the best forever. Age is measured against the newest tick pushed (so a history
//   replay expires sources as live did), or against the time given to best(nowUs).
// - Ties: the holder is the source that has shown that price longest (price-time priority, as a
//   matching engine ranks orders); `bidSources`/`askSources` say how many sources share it.
import type { QuoteState } from './quoteState.ts';
import { quoteState } from './quoteState.ts';

export interface BestBidOffer {
  /** The time the BBO is evaluated at, µs. */
  tsUs: number;
  /** Highest live bid; NaN when no live source shows one. */
  bid: number;
  /** Lowest live ask; NaN when no live source shows one. */
  ask: number;
  bidSource: string | null;
  askSource: string | null;
  /** How many live sources show the best bid / best ask (more than one: a tie). */
  bidSources: number;
  askSources: number;
  /** Across sources: best bid >= best ask is a locked or crossed market. */
  state: QuoteState;
}

export interface BboOptions {
  /** Leave out a source silent for longer than this, µs (default 60 s; Infinity keeps all). */
  maxAgeUs?: number;
}

export const DEFAULT_BBO_MAX_AGE_US = 60_000_000;

export interface SourceQuote {
  tsUs: number;
  bid: number;
  ask: number;
}

const emptyBbo = (): BestBidOffer => ({
  tsUs: NaN,
  bid: NaN,
  ask: NaN,
  bidSource: null,
  askSource: null,
  bidSources: 0,
  askSources: 0,
  state: 'normal',
});

export class BboTracker {
  private readonly maxAgeUs: number;
  // One slot per source, in columns: a few sources, evaluated on every tick, no per-tick objects.
  private readonly slots = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly lastUs: number[] = [];
  private readonly bids: number[] = [];
  private readonly asks: number[] = [];
  /** Since when each source has shown its current bid / ask (for price-time priority). */
  private readonly bidSinceUs: number[] = [];
  private readonly askSinceUs: number[] = [];
  private clockUs = -Infinity;
  private readonly current: BestBidOffer = emptyBbo();

  constructor(opts: BboOptions = {}) {
    this.maxAgeUs = opts.maxAgeUs ?? DEFAULT_BBO_MAX_AGE_US;
  }

  /** One tick of one source; ticks come in time order (an older one does not move the clock back). */
  push(tsUs: number, bid: number, ask: number, source: string): void {
    let i = this.slots.get(source);
    if (i === undefined) {
      i = this.names.length;
      this.slots.set(source, i);
      this.names.push(source);
      this.lastUs.push(tsUs);
      this.bids.push(NaN);
      this.asks.push(NaN);
      this.bidSinceUs.push(tsUs);
      this.askSinceUs.push(tsUs);
    }
    if (bid !== this.bids[i]) this.bidSinceUs[i] = tsUs;
    if (ask !== this.asks[i]) this.askSinceUs[i] = tsUs;
    this.bids[i] = bid;
    this.asks[i] = ask;
    this.lastUs[i] = tsUs;
    if (tsUs > this.clockUs) this.clockUs = tsUs;
    this.evaluate(this.clockUs);
  }

  /**
   * The BBO after the last push, updated in place by the next one: read it, do not keep it (use
   * best() for a copy). Lets a batch build its columns without an object per tick.
   */
  view(): Readonly<BestBidOffer> {
    return this.current;
  }

  /** A copy of the BBO, at the newest tick's time or re-evaluated at nowUs (a live chart's clock). */
  best(nowUs?: number): BestBidOffer {
    if (nowUs !== undefined) this.evaluate(Math.max(nowUs, this.clockUs));
    return { ...this.current };
  }

  /** The latest quote of a source, live or not. */
  quoteOf(source: string): SourceQuote | null {
    const i = this.slots.get(source);
    return i === undefined ? null : { tsUs: this.lastUs[i], bid: this.bids[i], ask: this.asks[i] };
  }

  /** Every source seen, in order of first tick. */
  sources(): string[] {
    return this.names.slice();
  }

  private evaluate(nowUs: number): void {
    const c = this.current;
    let bid = NaN;
    let ask = NaN;
    let bidAt = -1;
    let askAt = -1;
    let bidCount = 0;
    let askCount = 0;
    for (let i = 0; i < this.names.length; i++) {
      if (nowUs - this.lastUs[i] > this.maxAgeUs) continue;
      const b = this.bids[i];
      if (Number.isFinite(b)) {
        if (bidAt < 0 || b > bid) {
          bid = b;
          bidAt = i;
          bidCount = 1;
        } else if (b === bid) {
          bidCount++;
          if (this.bidSinceUs[i] < this.bidSinceUs[bidAt]) bidAt = i;
        }
      }
      const a = this.asks[i];
      if (Number.isFinite(a)) {
        if (askAt < 0 || a < ask) {
          ask = a;
          askAt = i;
          askCount = 1;
        } else if (a === ask) {
          askCount++;
          if (this.askSinceUs[i] < this.askSinceUs[askAt]) askAt = i;
        }
      }
    }
    c.tsUs = nowUs;
    c.bid = bid;
    c.ask = ask;
    c.bidSource = bidAt < 0 ? null : this.names[bidAt];
    c.askSource = askAt < 0 ? null : this.names[askAt];
    c.bidSources = bidCount;
    c.askSources = askCount;
    c.state = quoteState(bid, ask);
  }
}

export interface SourcedTickColumns {
  tsUs: ArrayLike<number>;
  bid: ArrayLike<number>;
  ask: ArrayLike<number>;
  source: ArrayLike<string>;
}

/** The BBO after each tick of a window, row for row with the input (so index axes line up). */
export interface BboColumns {
  tsUs: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  bidSource: (string | null)[];
  askSource: (string | null)[];
}

/** The BBO line of a whole window of time-ordered ticks, in one pass. */
export function bboColumns(ticks: SourcedTickColumns, opts: BboOptions = {}): BboColumns {
  const n = ticks.tsUs.length;
  const out: BboColumns = {
    tsUs: new Float64Array(n),
    bid: new Float64Array(n),
    ask: new Float64Array(n),
    bidSource: new Array<string | null>(n),
    askSource: new Array<string | null>(n),
  };
  const tracker = new BboTracker(opts);
  const now = tracker.view();
  for (let i = 0; i < n; i++) {
    tracker.push(ticks.tsUs[i], ticks.bid[i], ticks.ask[i], ticks.source[i]);
    out.tsUs[i] = ticks.tsUs[i];
    out.bid[i] = now.bid;
    out.ask[i] = now.ask;
    out.bidSource[i] = now.bidSource;
    out.askSource[i] = now.askSource;
  }
  return out;
}
