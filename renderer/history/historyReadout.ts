// What the readout says for the instant under the crosshair: the quote that stood then (the last
// tick at or before it, with its source and sizes, and the best bid/offer across sources with who
// held each side), or the bar that holds it.
import type { BarColumns, PriceSide } from '../../shared/bars.ts';
import type { BboColumns } from '../charts/bestBidOffer.ts';
import { ohlcOf } from './priceView.ts';
import type { SourcedTicks } from './sourceTicks.ts';
import { tickAtOrBefore } from './sourceTicks.ts';

export interface TickReadout {
  kind: 'tick';
  tsUs: number;
  source: string;
  bid: number;
  ask: number;
  bidSize: number | null;
  askSize: number | null;
  /** The market across sources at that tick, when the BBO is drawn. */
  bbo: { bid: number; ask: number; bidSource: string | null; askSource: string | null } | null;
}

export interface BarReadout {
  kind: 'bar';
  tsUs: number;
  timeframeSec: number;
  side: PriceSide;
  open: number;
  high: number;
  low: number;
  close: number;
  bidClose: number;
  askClose: number;
  count: number;
}

export type HistoryReadout = TickReadout | BarReadout;

export function tickReadout(ticks: SourcedTicks, bbo: BboColumns | null, us: number): TickReadout | null {
  const i = tickAtOrBefore(ticks.tsUs, us);
  if (i < 0) return null;
  // The BBO columns are row for row with the ticks they were built from.
  const b = bbo && bbo.tsUs.length === ticks.tsUs.length ? bbo : null;
  return {
    kind: 'tick',
    tsUs: ticks.tsUs[i],
    source: ticks.source[i],
    bid: ticks.bid[i],
    ask: ticks.ask[i],
    bidSize: ticks.bidSize[i] ?? null,
    askSize: ticks.askSize[i] ?? null,
    bbo: b ? { bid: b.bid[i], ask: b.ask[i], bidSource: b.bidSource[i], askSource: b.askSource[i] } : null,
  };
}

export function barReadout(bars: BarColumns, side: PriceSide, us: number): BarReadout | null {
  const i = tickAtOrBefore(bars.startUs, us);
  if (i < 0) return null;
  const s = ohlcOf(bars, side);
  return {
    kind: 'bar',
    tsUs: bars.startUs[i],
    timeframeSec: bars.timeframeSec,
    side,
    open: s.open[i],
    high: s.high[i],
    low: s.low[i],
    close: s.close[i],
    bidClose: bars.bid.close[i],
    askClose: bars.ask.close[i],
    count: bars.count[i],
  };
}
