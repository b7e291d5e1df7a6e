// The history chart's raw ticks keep their source, so a symbol quoted by several feeds can be
// drawn one series per source, or filtered to one source, without asking the server again.
import type { TimedValue } from '../charts/sourceSeries.ts';
import type { SourceFilter } from '../charts/sourceFilter.ts';

export interface SourcedTicks {
  tsUs: number[];
  bid: number[];
  ask: number[];
  source: string[];
}

/** The ticks of one source (or all, for null), in order. */
export function filterBySource(t: SourcedTicks, filter: SourceFilter): SourcedTicks {
  if (filter === null) return t;
  const out: SourcedTicks = { tsUs: [], bid: [], ask: [], source: [] };
  for (let i = 0; i < t.tsUs.length; i++) {
    if (t.source[i] !== filter) continue;
    out.tsUs.push(t.tsUs[i]);
    out.bid.push(t.bid[i]);
    out.ask.push(t.ask[i]);
    out.source.push(t.source[i]);
  }
  return out;
}

/** Points per source on the shared index axis (tick i is at time i + 1). */
export function pointsBySource(t: SourcedTicks): Map<string, { bid: TimedValue[]; ask: TimedValue[] }> {
  const out = new Map<string, { bid: TimedValue[]; ask: TimedValue[] }>();
  for (let i = 0; i < t.tsUs.length; i++) {
    const src = t.source[i];
    let p = out.get(src);
    if (!p) out.set(src, (p = { bid: [], ask: [] }));
    p.bid.push({ time: i + 1, value: t.bid[i] });
    p.ask.push({ time: i + 1, value: t.ask[i] });
  }
  return out;
}

/** The distinct sources, sorted. */
export function distinctSources(sources: readonly string[]): string[] {
  return [...new Set(sources)].filter((s) => s !== '').sort((a, b) => a.localeCompare(b));
}
