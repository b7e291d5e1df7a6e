// OHLC bars from ticks. Buckets start at UTC multiples of the timeframe; open/close are the
// first/last tick of the bucket in time order; empty buckets are omitted.

export const PRICE_SIDES = ['bid', 'ask', 'mid'] as const;
export type PriceSide = (typeof PRICE_SIDES)[number];

/** Timeframes the UI steps through, in seconds (1s to 1d). */
export const TIMEFRAMES_SEC = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 14400, 86400] as const;
export const MIN_TIMEFRAME_SEC = 1;
export const MAX_TIMEFRAME_SEC = 86400;

export interface BarColumns {
  symbol: string;
  timeframeSec: number;
  price: PriceSide;
  startUs: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  count: number[];
}

export function emptyBars(symbol: string, timeframeSec: number, price: PriceSide): BarColumns {
  return { symbol, timeframeSec, price, startUs: [], open: [], high: [], low: [], close: [], count: [] };
}

export function bucketStartUs(tsUs: number, timeframeUs: number): number {
  return Math.floor(tsUs / timeframeUs) * timeframeUs;
}

export function sidePrice(side: PriceSide, bid: number, ask: number): number {
  return side === 'bid' ? bid : side === 'ask' ? ask : (bid + ask) / 2;
}

/**
 * Folds time-ordered ticks into bars. Works incrementally: call `add` per tick in time order,
 * then `finish`. Allocation-free per tick.
 */
export class BarBuilder {
  readonly out: BarColumns;
  private readonly tfUs: number;
  private curStart = Number.NaN;

  constructor(symbol: string, timeframeSec: number, price: PriceSide) {
    this.out = emptyBars(symbol, timeframeSec, price);
    this.tfUs = timeframeSec * 1_000_000;
  }

  add(tsUs: number, px: number): void {
    const start = Math.floor(tsUs / this.tfUs) * this.tfUs;
    const o = this.out;
    if (start !== this.curStart) {
      this.curStart = start;
      o.startUs.push(start);
      o.open.push(px);
      o.high.push(px);
      o.low.push(px);
      o.close.push(px);
      o.count.push(1);
      return;
    }
    const i = o.close.length - 1;
    if (px > o.high[i]) o.high[i] = px;
    if (px < o.low[i]) o.low[i] = px;
    o.close[i] = px;
    o.count[i]++;
  }

  /** Adds an already-aggregated bar (e.g. a stored 1-minute bar) that lies wholly inside one bucket. */
  addBar(startUs: number, open: number, high: number, low: number, close: number, count: number): void {
    const start = Math.floor(startUs / this.tfUs) * this.tfUs;
    const o = this.out;
    if (start !== this.curStart) {
      this.curStart = start;
      o.startUs.push(start);
      o.open.push(open);
      o.high.push(high);
      o.low.push(low);
      o.close.push(close);
      o.count.push(count);
      return;
    }
    const i = o.close.length - 1;
    if (high > o.high[i]) o.high[i] = high;
    if (low < o.low[i]) o.low[i] = low;
    o.close[i] = close;
    o.count[i] += count;
  }
}

export function barsFromTicks(
  symbol: string,
  timeframeSec: number,
  price: PriceSide,
  tsUs: ArrayLike<number>,
  bid: ArrayLike<number>,
  ask: ArrayLike<number>,
): BarColumns {
  const b = new BarBuilder(symbol, timeframeSec, price);
  for (let i = 0; i < tsUs.length; i++) b.add(tsUs[i], sidePrice(price, bid[i], ask[i]));
  return b.out;
}
