// The best bid/offer across sources at any instant of the live window, without keeping a BBO
// column beside the ticks: each source's latest quote at or before that instant is found by
// walking back (a few ticks in practice: every LP of a symbol quotes often), then BboTracker
// (charts/bestBidOffer.ts) ranks them with its age and tie rules.
import type { BestBidOffer } from '../charts/bestBidOffer.ts';
import { BboTracker, DEFAULT_BBO_MAX_AGE_US } from '../charts/bestBidOffer.ts';
import type { TickWindow } from './tickWindow.ts';

/**
 * A tracker holding each source's latest quote before index `before` (ticks older than
 * `notBeforeUs` are not looked at: a source that silent is too old to count anyway).
 */
export function seedBbo(
  window: TickWindow,
  before: number,
  notBeforeUs: number,
  maxAgeUs = DEFAULT_BBO_MAX_AGE_US,
): BboTracker {
  const tracker = new BboTracker({ maxAgeUs });
  const seen = new Set<number>();
  const picked: number[] = [];
  const all = window.sources().length;
  for (let i = before - 1; i >= 0 && seen.size < all; i--) {
    if (window.tsAt(i) < notBeforeUs) break;
    const id = window.sourceIdAt(i);
    if (seen.has(id)) continue;
    seen.add(id);
    picked.push(i);
  }
  for (let k = picked.length - 1; k >= 0; k--) {
    const i = picked[k];
    tracker.push(window.tsAt(i), window.bidAt(i), window.askAt(i), window.sourceAt(i));
  }
  return tracker;
}

/** The BBO in force at `us` (after every tick at or before it), or null without any quote. */
export function bboAt(
  window: TickWindow,
  us: number,
  maxAgeUs = DEFAULT_BBO_MAX_AGE_US,
): BestBidOffer | null {
  const tracker = seedBbo(window, window.upperBound(us), us - maxAgeUs, maxAgeUs);
  if (tracker.sources().length === 0) return null;
  return tracker.best(us);
}
