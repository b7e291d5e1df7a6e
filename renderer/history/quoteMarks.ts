// Where the chart marks crossed (bid > ask) and locked (bid = ask) quotes: each source's own quotes,
// and, with the best bid/offer drawn, the market across sources (the best bid at or above the best
// ask while every LP's own quote is fine). Capped, so a feed that is crossed all day cannot bury
// the chart in markers; the cap keeps the marks spread over the window rather than the first N.
import type { BboColumns } from '../charts/bestBidOffer.ts';
import { quoteStateIndexes } from '../charts/quoteState.ts';
import type { SourcedTicks } from './sourceTicks.ts';

export const MAX_QUOTE_MARKS = 400;

export interface QuoteMark {
  time: number;
  /** The quote marked (the source's own, or the best bid and ask across sources). */
  bid: number;
  ask: number;
  state: 'crossed' | 'locked';
  /** The source whose quote it is; 'BBO' for the market across sources. */
  source: string;
}

export interface QuoteMarks {
  marks: QuoteMark[];
  /** How many there were before the cap. */
  total: number;
  crossed: number;
  locked: number;
}

/** Every k-th of `items` so that at most `cap` remain (first and spread out, in order). */
export function thin<T>(items: readonly T[], cap: number): T[] {
  if (items.length <= cap) return items.slice();
  const out: T[] = [];
  const step = items.length / cap;
  for (let k = 0; k < cap; k++) out.push(items[Math.floor(k * step)]);
  return out;
}

export function quoteMarks(ticks: SourcedTicks, bbo: BboColumns | null, cap = MAX_QUOTE_MARKS): QuoteMarks {
  const all: QuoteMark[] = [];
  const own = quoteStateIndexes(ticks);
  const mark = (i: number, state: QuoteMark['state']): QuoteMark => ({
    time: ticks.tsUs[i],
    bid: ticks.bid[i],
    ask: ticks.ask[i],
    state,
    source: ticks.source[i],
  });
  for (const i of own.crossed) all.push(mark(i, 'crossed'));
  for (const i of own.locked) all.push(mark(i, 'locked'));
  let crossed = own.crossed.length;
  let locked = own.locked.length;
  if (bbo) {
    const m = quoteStateIndexes(bbo);
    // A market state only where the BBO changed into it, not at every tick it lasts.
    const starts = (rows: number[]) => rows.filter((i, k) => k === 0 || rows[k - 1] !== i - 1);
    const mc = starts(m.crossed);
    const ml = starts(m.locked);
    const market = (i: number, state: QuoteMark['state']): QuoteMark => ({
      time: bbo.tsUs[i],
      bid: bbo.bid[i],
      ask: bbo.ask[i],
      state,
      source: 'BBO',
    });
    for (const i of mc) all.push(market(i, 'crossed'));
    for (const i of ml) all.push(market(i, 'locked'));
    crossed += mc.length;
    locked += ml.length;
  }
  all.sort((a, b) => a.time - b.time);
  // One mark per time: a series' markers are keyed by its points.
  const unique: QuoteMark[] = [];
  for (const m of all) {
    const last = unique[unique.length - 1];
    if (last && last.time === m.time) {
      if (m.state === 'crossed') unique[unique.length - 1] = m;
    } else unique.push(m);
  }
  return { marks: thin(unique, cap), total: unique.length, crossed, locked };
}
