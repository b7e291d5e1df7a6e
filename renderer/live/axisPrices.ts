// The price-axis labels of the live chart: each drawn line's latest price in the line's colour,
// as traders read the last quote off the axis. When the best bid/offer is drawn only its two
// prices are labelled (ten labels for four LPs and the BBO would cover one another).
import type { Instrument } from '../format/instrument.ts';
import { formatPriceFor } from '../format/instrument.ts';
import { bboAt } from './liveBbo.ts';
import type { LiveLine } from './liveLines.ts';
import type { AxisPrice } from './tickLayer.ts';
import type { TickWindow } from './tickWindow.ts';

export function lastPrices(
  window: TickWindow,
  lines: readonly LiveLine[],
  edgeUs: number,
  inst: Instrument,
): AxisPrice[] {
  const out: AxisPrice[] = [];
  const hasBbo = lines.some((l) => l.source === null);
  const bbo = hasBbo ? bboAt(window, edgeUs) : null;
  for (const l of lines) {
    let price = NaN;
    if (l.source === null) {
      price = bbo ? bbo[l.side] : NaN;
    } else if (!hasBbo) {
      const id = window.knownSourceId(l.source);
      const i = id === undefined ? -1 : window.lastAtOrBefore(edgeUs, (k) => k === id);
      if (i >= 0) price = l.side === 'bid' ? window.bidAt(i) : window.askAt(i);
    }
    if (Number.isFinite(price)) out.push({ price, colour: l.colour, text: formatPriceFor(inst, price) });
  }
  return out;
}
