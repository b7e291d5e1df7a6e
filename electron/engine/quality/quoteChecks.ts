// A two-sided quote whose bid is above its ask (crossed) or equal to it (locked): a feed or
// aggregation fault, since no market maker quotes that. One-sided quotes (NaN side) pass.
export type QuoteFault = 'crossed' | 'locked';

export function quoteFault(bid: number, ask: number): QuoteFault | null {
  if (!(bid === bid && ask === ask)) return null;
  if (bid > ask) return 'crossed';
  if (bid === ask) return 'locked';
  return null;
}
