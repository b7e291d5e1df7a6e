// The lines a tick view draws, as one list for the multi-line series: per source its bid and ask
// (or its mid, or its spread in pips), then the best bid/offer across sources. One source keeps
// the usual bid/ask colours; several get a colour each (charts/sourceColours: by name, so an LP
// looks the same in Live and History), bid solid and ask dashed.
import type { BboColumns } from '../charts/bestBidOffer.ts';
import { COLORS } from '../charts/chartTheme.ts';
import { pickSourceColour, SOURCE_PALETTE } from '../charts/sourceColours.ts';
import type { SourceLegendEntry, TimedValue } from '../charts/sourceLegend.ts';
import type { Instrument } from '../format/instrument.ts';
import type { LineSpec } from './multiLineSeries.ts';
import type { PriceView } from './priceView.ts';
import { bboLines, midOf, pipsOf } from './priceView.ts';
import type { SourcedTicks } from './sourceTicks.ts';
import { distinctSources, linesBySource, pointsBySource } from './sourceTicks.ts';

export const BBO_COLOUR = 'rgba(232, 237, 244, 0.9)';

export interface TickLines {
  specs: LineSpec[];
  /** One point list per spec, in the same order. */
  points: TimedValue[][];
  legend: SourceLegendEntry[];
}

/** Colour index per source, given in sorted order so the choice does not depend on tick order. */
export function sourceColours(sources: readonly string[]): Map<string, number> {
  const taken = new Set<number>();
  const out = new Map<string, number>();
  for (const s of sources) {
    const c = pickSourceColour(s, taken);
    taken.add(c);
    out.set(s, c);
  }
  return out;
}

export function tickLines(
  ticks: SourcedTicks,
  bbo: BboColumns | null,
  view: PriceView,
  inst: Instrument,
): TickLines {
  const sources = distinctSources(ticks.source);
  const single = sources.length === 1;
  const colours = sourceColours(sources);
  const colourOf = (s: string, fallback: string) => (single ? fallback : SOURCE_PALETTE[colours.get(s) ?? 0]);
  const specs: LineSpec[] = [];
  const points: TimedValue[][] = [];
  if (view === 'quotes') {
    const by = pointsBySource(ticks);
    for (const s of sources) {
      const p = by.get(s);
      if (!p) continue;
      specs.push({ color: colourOf(s, COLORS.bid), width: 1, dashed: false });
      points.push(p.bid);
      specs.push({ color: colourOf(s, COLORS.ask), width: 1, dashed: !single });
      points.push(p.ask);
    }
  } else {
    const by = linesBySource(ticks, view === 'mid' ? midOf : pipsOf(inst));
    for (const s of sources) {
      specs.push({ color: colourOf(s, COLORS.bid), width: 1, dashed: false });
      points.push(by.get(s) ?? []);
    }
  }
  if (bbo) {
    const l = bboLines(bbo, view, inst);
    specs.push({ color: BBO_COLOUR, width: 2, dashed: false });
    points.push(l.a);
    if (view === 'quotes') {
      specs.push({ color: BBO_COLOUR, width: 2, dashed: false });
      points.push(l.b);
    }
  }
  const legend = sources.map((source) => ({ source, colour: single ? null : (colours.get(source) ?? 0) }));
  return { specs, points, legend };
}
