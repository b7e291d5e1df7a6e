// Is a quote sane? A bid equal to the ask is a locked quote, a bid above the ask a crossed one:
// either means a broken feed, a stale side, or (across LPs) an arbitrage window; the chart marks
// them instead of leaving them to a raw counter.

export type QuoteState = 'normal' | 'locked' | 'crossed';

/**
 * The state of one bid/ask pair. Prices are compared exactly: quotes arrive as decimal strings
 * parsed the same way, so equal prices are equal doubles. A missing side (NaN, ±Infinity) cannot
 * lock or cross anything and reads as 'normal'.
 */
export function quoteState(bid: number, ask: number): QuoteState {
  if (!Number.isFinite(bid) || !Number.isFinite(ask)) return 'normal';
  if (bid > ask) return 'crossed';
  if (bid === ask) return 'locked';
  return 'normal';
}

export interface QuoteColumns {
  bid: ArrayLike<number>;
  ask: ArrayLike<number>;
}

export interface QuoteStateMarks {
  /** Row indexes whose bid is above their ask, ascending. */
  crossed: number[];
  /** Row indexes whose bid equals their ask, ascending. */
  locked: number[];
}

/** The rows of a column batch to mark on the chart, in one pass. */
export function quoteStateIndexes(cols: QuoteColumns): QuoteStateMarks {
  const marks: QuoteStateMarks = { crossed: [], locked: [] };
  const n = Math.min(cols.bid.length, cols.ask.length);
  for (let i = 0; i < n; i++) {
    const s = quoteState(cols.bid[i], cols.ask[i]);
    if (s === 'crossed') marks.crossed.push(i);
    else if (s === 'locked') marks.locked.push(i);
  }
  return marks;
}

/**
 * The market across LPs: the best bid (highest of any source) at or above the best ask (lowest of
 * any source) is a locked or crossed market even when every LP's own quote is normal. Pass a
 * best bid/offer (BboTracker's, or a row of bboColumns); for whole columns of them use
 * quoteStateIndexes on the BBO columns.
 */
export function marketState(best: { bid: number; ask: number }): QuoteState {
  return quoteState(best.bid, best.ask);
}
