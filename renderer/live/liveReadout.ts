// The live chart's readout: the tick under the crosshair (or the newest one), named by its source,
// with the spread in pips as traders read it, and, when the best bid/offer is drawn, the BBO at
// that instant with the LP holding each side (crossed or locked markets said in words).
import type { BestBidOffer } from '../charts/bestBidOffer.ts';
import { quoteState } from '../charts/quoteState.ts';
import type { Instrument } from '../format/instrument.ts';
import { formatPips, formatPriceFor, pipUnit, spreadInPips } from '../format/instrument.ts';
import type { TimeZoneMode } from '../format/time.ts';
import { formatDateTimeMs } from '../format/time.ts';
import { bboAt } from './liveBbo.ts';
import type { TickWindow } from './tickWindow.ts';

export interface LiveReadout {
  tsUs: number;
  /** The tick shown (null when only the BBO is drawn). */
  tick: { source: string; bid: number; ask: number } | null;
  bbo: BestBidOffer | null;
}

/**
 * The readout at `us`: the newest tick at or before it from a drawn source (`sources`: the sources
 * drawn as their own lines), and the BBO in force then when `bbo` is drawn. Null with no tick.
 */
export function readoutAt(
  window: TickWindow,
  us: number,
  sources: readonly string[],
  bbo: boolean,
): LiveReadout | null {
  const ids = new Set<number>();
  for (const s of sources) {
    const id = window.knownSourceId(s);
    if (id !== undefined) ids.add(id);
  }
  const i = ids.size > 0 ? window.lastAtOrBefore(us, (id) => ids.has(id)) : -1;
  const best = bbo ? bboAt(window, us) : null;
  if (i < 0 && !best) return null;
  // The BBO alone is dated by the tick that made it (the newest of any source).
  const dated = i >= 0 ? i : window.lastAtOrBefore(us);
  return {
    tsUs: dated >= 0 ? window.tsAt(dated) : us,
    tick: i >= 0 ? { source: window.sourceAt(i), bid: window.bidAt(i), ask: window.askAt(i) } : null,
    bbo: best,
  };
}

function spread(inst: Instrument, bid: number, ask: number): string {
  const pips = spreadInPips(inst, bid, ask);
  const state = quoteState(bid, ask);
  const unit = Number.isFinite(pips) ? ` ${pipUnit(inst, pips)}` : '';
  return `spr ${formatPips(inst, bid, ask)}${unit}${state === 'normal' ? '' : ` ${state.toUpperCase()}`}`;
}

/** One line of text, e.g. '2026-07-13 12:00:01.250  LP-A  bid 1.08456  ask 1.08468  spr 1.2 pips'. */
export function readoutText(r: LiveReadout, inst: Instrument, zone: TimeZoneMode): string {
  const parts = [formatDateTimeMs(r.tsUs, zone)];
  const p = (price: number) => formatPriceFor(inst, price);
  if (r.tick) {
    parts.push(
      r.tick.source,
      `bid ${p(r.tick.bid)}`,
      `ask ${p(r.tick.ask)}`,
      spread(inst, r.tick.bid, r.tick.ask),
    );
  }
  if (r.bbo) {
    const b = r.bbo;
    const tie = (n: number) => (n > 1 ? ` +${n - 1}` : '');
    parts.push(
      `BBO bid ${p(b.bid)} (${b.bidSource ?? '—'}${tie(b.bidSources)})`,
      `ask ${p(b.ask)} (${b.askSource ?? '—'}${tie(b.askSources)})`,
      spread(inst, b.bid, b.ask),
    );
  }
  return parts.join('  ');
}
