// A stretch of time the chart marks as missing: either the ticks themselves show it (no tick for
// longer than the symbol normally goes without one) or the feed's gap ledger says why (a
// disconnect, a stale symbol, lost sequence numbers, a refused request). Both kinds share one
// shape so the overlay, the tooltip and the merge step treat them alike.

export const GAP_CAUSES = ['no-ticks', 'disconnected', 'stale', 'sequence-gap', 'rejected'] as const;
export type GapCause = (typeof GAP_CAUSES)[number];

export interface ChartGap {
  /** Start, µs since the epoch: the last tick before the silence, or when the feed event began. */
  fromUs: number;
  /** End, µs: the first tick after, or when the feed recovered. Equal to fromUs for an instant. */
  toUs: number;
  cause: GapCause;
  /** The specifics in plain words (threshold, close code, peer's reason); describeGap adds the rest. */
  detail: string;
  /** The configured feed's id, for feed-side causes. */
  feed?: string;
  /** The quote source (LP, exchange) the gap concerns, when known. */
  source?: string;
  /** The symbol of a per-symbol feed event (stale, sequence gap); absent for feed-wide ones. */
  symbol?: string;
  /** True when the gap had not ended by the time the events were read (still disconnected...). */
  open?: boolean;
  /**
   * Set by mergeGaps on an entry that joins overlapping gaps: every constituent, in time order,
   * so a tick gap explained by a disconnect keeps both causes. `cause`/`detail` above are then
   * those of the most explanatory part (feed-side before no-ticks).
   */
  parts?: readonly ChartGap[];
}

/** Feed-side causes come from the gap ledger and are drawn apart from plain tick silence. */
export function isFeedSide(gap: ChartGap): boolean {
  return gap.cause !== 'no-ticks';
}

// Which cause best explains a merged gap: a disconnect explains silence, a stale flag says the feed
// saw it too, a sequence gap or a reject is a hint; "no ticks" is the observation to be explained.
const EXPLAINS: Record<GapCause, number> = {
  disconnected: 0,
  stale: 1,
  'sequence-gap': 2,
  rejected: 3,
  'no-ticks': 4,
};

/** Negative when a explains a gap better than b. */
export function compareExplanation(a: GapCause, b: GapCause): number {
  return EXPLAINS[a] - EXPLAINS[b];
}
