// OHLC bars from ticks, bid, ask and mid in one answer. Buckets start at UTC multiples of the
// timeframe; open/close are the first/last tick of the bucket in time order; empty buckets are
// omitted. Mid is the mid of each tick ((bid + ask) / 2), as the stored 1-minute bars keep it.

export const PRICE_SIDES = ['bid', 'ask', 'mid'] as const;
export type PriceSide = (typeof PRICE_SIDES)[number];

/** Timeframes the UI steps through, in seconds (1s to 1d). */
export const TIMEFRAMES_SEC = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 14400, 86400] as const;
export const MIN_TIMEFRAME_SEC = 1;
export const MAX_TIMEFRAME_SEC = 86400;

export interface Ohlc {
  open: number[];
  high: number[];
  low: number[];
  close: number[];
}

export interface BarColumns {
  symbol: string;
  timeframeSec: number;
  /** The source the bars were built from; null: every source of the symbol. */
  source: string | null;
  startUs: number[];
  /** Ticks in each bar. */
  count: number[];
  bid: Ohlc;
  ask: Ohlc;
  mid: Ohlc;
}

function emptyOhlc(): Ohlc {
  return { open: [], high: [], low: [], close: [] };
}

export function emptyBars(symbol: string, timeframeSec: number, source: string | null): BarColumns {
  return {
    symbol,
    timeframeSec,
    source,
    startUs: [],
    count: [],
    bid: emptyOhlc(),
    ask: emptyOhlc(),
    mid: emptyOhlc(),
  };
}

export function bucketStartUs(tsUs: number, timeframeUs: number): number {
  return Math.floor(tsUs / timeframeUs) * timeframeUs;
}

export function sidePrice(side: PriceSide, bid: number, ask: number): number {
  return side === 'bid' ? bid : side === 'ask' ? ask : (bid + ask) / 2;
}

function openBar(s: Ohlc, o: number, h: number, l: number, c: number): void {
  s.open.push(o);
  s.high.push(h);
  s.low.push(l);
  s.close.push(c);
}

function foldBar(s: Ohlc, i: number, h: number, l: number, c: number): void {
  if (h > s.high[i]) s.high[i] = h;
  if (l < s.low[i]) s.low[i] = l;
  s.close[i] = c;
}

/**
 * Folds time-ordered ticks into bars of all three sides. Works incrementally: call `add` per
 * tick in time order (or `addBar` per pre-aggregated bar). Allocation-free per tick.
 */
export class BarBuilder {
  readonly out: BarColumns;
  private readonly tfUs: number;
  private readonly sides: readonly Ohlc[];
  private curStart = Number.NaN;

  constructor(symbol: string, timeframeSec: number, source: string | null = null) {
    this.out = emptyBars(symbol, timeframeSec, source);
    this.tfUs = timeframeSec * 1_000_000;
    this.sides = [this.out.bid, this.out.ask, this.out.mid];
  }

  /** True when `startUs` opened a new bucket (the caller then pushes its first values). */
  private bucket(startUs: number, count: number): boolean {
    const start = Math.floor(startUs / this.tfUs) * this.tfUs;
    const o = this.out;
    if (start !== this.curStart) {
      this.curStart = start;
      o.startUs.push(start);
      o.count.push(count);
      return true;
    }
    o.count[o.count.length - 1] += count;
    return false;
  }

  add(tsUs: number, bid: number, ask: number): void {
    const mid = (bid + ask) / 2;
    const o = this.out;
    if (this.bucket(tsUs, 1)) {
      openBar(o.bid, bid, bid, bid, bid);
      openBar(o.ask, ask, ask, ask, ask);
      openBar(o.mid, mid, mid, mid, mid);
      return;
    }
    const i = o.startUs.length - 1;
    foldBar(o.bid, i, bid, bid, bid);
    foldBar(o.ask, i, ask, ask, ask);
    foldBar(o.mid, i, mid, mid, mid);
  }

  /**
   * Adds an already-aggregated bar (a stored 1-minute bar) that lies wholly inside one bucket:
   * `ohlc[at..at+12)` holds open, high, low, close of bid, then of ask, then of mid (the column
   * order of the stored bars, so a raw row is passed as it is).
   */
  addBar(startUs: number, count: number, ohlc: ArrayLike<number>, at = 0): void {
    const sides = this.sides;
    if (this.bucket(startUs, count)) {
      for (let k = 0; k < 3; k++) {
        const j = at + k * 4;
        openBar(sides[k], ohlc[j], ohlc[j + 1], ohlc[j + 2], ohlc[j + 3]);
      }
      return;
    }
    const i = this.out.startUs.length - 1;
    for (let k = 0; k < 3; k++) {
      const j = at + k * 4;
      foldBar(sides[k], i, ohlc[j + 1], ohlc[j + 2], ohlc[j + 3]);
    }
  }
}

export function barsFromTicks(
  symbol: string,
  timeframeSec: number,
  source: string | null,
  tsUs: ArrayLike<number>,
  bid: ArrayLike<number>,
  ask: ArrayLike<number>,
): BarColumns {
  const b = new BarBuilder(symbol, timeframeSec, source);
  for (let i = 0; i < tsUs.length; i++) b.add(tsUs[i], bid[i], ask[i]);
  return b.out;
}
