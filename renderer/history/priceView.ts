// What the price pane shows, as data for the chart's series: candles of one side (bid, ask or mid)
// for bars; for ticks, bid/ask quotes, the mid, or the spread in pips (per source, and for the
// synthetic best bid/offer across sources). Pure: the controller only hands the arrays to series.
import type { BarColumns, Ohlc, PriceSide } from '../../shared/bars.ts';
import type { BboColumns } from '../charts/bestBidOffer.ts';
import type { TimedValue } from '../charts/sourceLegend.ts';
import type { Instrument } from '../format/instrument.ts';
import { pipDecimals } from '../format/instrument.ts';
import { pushPoint } from './sourceTicks.ts';

export type PriceView = 'quotes' | 'mid' | 'spread';
export const PRICE_VIEWS: readonly PriceView[] = ['quotes', 'mid', 'spread'];

export interface CandlePoint {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** The side the candles are drawn from: the mid view always uses mid. */
export function candleSideFor(view: PriceView, side: PriceSide): PriceSide {
  return view === 'mid' ? 'mid' : side;
}

export function ohlcOf(bars: BarColumns, side: PriceSide): Ohlc {
  return side === 'bid' ? bars.bid : side === 'ask' ? bars.ask : bars.mid;
}

export function candlePoints(bars: BarColumns, side: PriceSide): CandlePoint[] {
  const s = ohlcOf(bars, side);
  const n = bars.startUs.length;
  const out = new Array<CandlePoint>(n);
  for (let i = 0; i < n; i++) {
    out[i] = { time: bars.startUs[i], open: s.open[i], high: s.high[i], low: s.low[i], close: s.close[i] };
  }
  return out;
}

/** ask - bid in pips, unrounded (the chart's price format rounds for display). */
export function pipsOf(inst: Instrument): (bid: number, ask: number) => number {
  const size = inst.pipSize;
  return (bid, ask) => (ask - bid) / size;
}

export const midOf = (bid: number, ask: number): number => (bid + ask) / 2;

/** The spread of each bar at its close, in pips. */
export function barSpreadPoints(bars: BarColumns, inst: Instrument): TimedValue[] {
  const pips = pipsOf(inst);
  const out: TimedValue[] = [];
  for (let i = 0; i < bars.startUs.length; i++) {
    const v = pips(bars.bid.close[i], bars.ask.close[i]);
    if (Number.isFinite(v)) out.push({ time: bars.startUs[i], value: v });
  }
  return out;
}

/** The BBO as line points for a view: best bid and best ask, its mid, or its spread in pips; NaN times are skipped. */
export function bboLines(
  bbo: BboColumns,
  view: PriceView,
  inst: Instrument,
): { a: TimedValue[]; b: TimedValue[] } {
  const a: TimedValue[] = [];
  const b: TimedValue[] = [];
  const pips = pipsOf(inst);
  for (let i = 0; i < bbo.tsUs.length; i++) {
    const t = bbo.tsUs[i];
    if (Number.isNaN(t)) continue; // off the grid (see historyTimeline.snapTimes)
    const bid = bbo.bid[i];
    const ask = bbo.ask[i];
    if (view === 'quotes') {
      if (Number.isFinite(bid)) pushPoint(a, t, bid);
      if (Number.isFinite(ask)) pushPoint(b, t, ask);
    } else if (Number.isFinite(bid) && Number.isFinite(ask)) {
      pushPoint(a, t, view === 'mid' ? midOf(bid, ask) : pips(bid, ask));
    }
  }
  return { a, b };
}

/** The price scale's decimals for a view: the instrument's, or the pip resolution for spreads. */
export function viewDecimals(view: PriceView, inst: Instrument): number {
  if (view === 'spread') return pipDecimals(inst);
  // A mid between two quotes has one more digit than either.
  return view === 'mid' ? inst.decimals + 1 : inst.decimals;
}
