// Which lines the live chart draws for a source filter, and how each looks. Every source is its own
// bid/ask pair, styled as SourceSeries styles them in History (one source: the bid/ask colours;
// several: a colour per source from sourceColours, bid solid, ask dashed), so an LP looks the same
// on both tabs. With two or more sources the synthetic best bid/offer is drawn on top (thicker,
// light); the filter can also show one source alone, or the BBO alone.
import { COLORS } from '../charts/chartTheme.ts';
import { pickSourceColour, SOURCE_PALETTE } from '../charts/sourceColours.ts';
import type { SourceLegendEntry } from '../charts/sourceLegend.ts';

/** The filter value that draws only the best bid/offer (viewState liveSource may hold it). */
export const BBO_FILTER = 'BBO';
export const BBO_COLOUR = '#e6edf3';

export interface LiveLine {
  /** 'LP-A:bid', 'BBO:ask'... */
  key: string;
  /** The quote source, or null for the best bid/offer across sources. */
  source: string | null;
  side: 'bid' | 'ask';
  colour: string;
  dashed: boolean;
  width: number;
}

export interface LiveLinePlan {
  lines: LiveLine[];
  /** Sources drawn as their own pair. */
  sources: string[];
  /** The BBO line is drawn. */
  bbo: boolean;
  /** Sources the BBO is taken over. */
  bboSources: string[];
  legend: SourceLegendEntry[];
}

function pair(
  source: string | null,
  bid: string,
  ask: string,
  dashedAsk: boolean,
  width: number,
): LiveLine[] {
  const name = source ?? BBO_FILTER;
  return [
    { key: `${name}:bid`, source, side: 'bid', colour: bid, dashed: false, width },
    { key: `${name}:ask`, source, side: 'ask', colour: ask, dashed: dashedAsk, width },
  ];
}

/**
 * The lines for `filter` (null: every source; BBO_FILTER: only the BBO; else one source) over the
 * sources present (sorted). `colours` keeps each source's palette index for the chart's life, so
 * a colour does not change while its source stays; sources gone are dropped from it.
 */
export function planLines(
  present: readonly string[],
  filter: string | null,
  bboWanted: boolean,
  colours: Map<string, number>,
): LiveLinePlan {
  for (const s of [...colours.keys()]) if (!present.includes(s)) colours.delete(s);
  for (const s of present) {
    if (!colours.has(s)) colours.set(s, pickSourceColour(s, new Set(colours.values())));
  }
  if (filter === BBO_FILTER) {
    const on = present.length > 0;
    return {
      lines: on ? pair(null, COLORS.bid, COLORS.ask, false, 2) : [],
      sources: [],
      bbo: on,
      bboSources: [...present],
      legend: [],
    };
  }
  const sources = filter === null ? [...present] : present.filter((s) => s === filter);
  const several = sources.length > 1;
  const lines: LiveLine[] = [];
  for (const s of sources) {
    const own = SOURCE_PALETTE[colours.get(s) ?? 0];
    lines.push(...(several ? pair(s, own, own, true, 1) : pair(s, COLORS.bid, COLORS.ask, false, 1)));
  }
  const bbo = filter === null && bboWanted && sources.length >= 2;
  if (bbo) lines.push(...pair(null, BBO_COLOUR, BBO_COLOUR, true, 2));
  return {
    lines,
    sources,
    bbo,
    bboSources: bbo ? [...sources] : [],
    legend: sources.map((s) => ({ source: s, colour: several ? (colours.get(s) ?? 0) : null })),
  };
}
