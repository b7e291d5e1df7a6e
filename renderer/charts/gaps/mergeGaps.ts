// One list of gaps for the overlay: the ticks' own silences and the feed ledger's gaps, sorted, with
// overlapping entries joined so one shaded stretch has one tooltip that names every cause (a tick
// gap explained by a disconnect says so).
import type { ChartGap } from './chartGap.ts';
import { compareExplanation } from './chartGap.ts';

function byStart(a: ChartGap, b: ChartGap): number {
  return a.fromUs - b.fromUs || a.toUs - b.toUs;
}

function join(group: ChartGap[]): ChartGap {
  if (group.length === 1) return group[0];
  const parts: ChartGap[] = [];
  for (const g of group) {
    if (g.parts && g.parts.length > 0) parts.push(...g.parts);
    else parts.push(g);
  }
  parts.sort(byStart);
  // The most explanatory part leads; among equals the earliest (sort is stable).
  const lead = [...parts].sort((a, b) => compareExplanation(a.cause, b.cause))[0];
  let toUs = group[0].toUs;
  for (const g of group) if (g.toUs > toUs) toUs = g.toUs;
  const merged: ChartGap = {
    fromUs: group[0].fromUs,
    toUs,
    cause: lead.cause,
    detail: lead.detail,
    parts,
  };
  if (lead.feed !== undefined) merged.feed = lead.feed;
  if (lead.source !== undefined) merged.source = lead.source;
  if (lead.symbol !== undefined) merged.symbol = lead.symbol;
  if (parts.some((p) => p.open)) merged.open = true;
  return merged;
}

/**
 * Every gap of both lists in time order; gaps that overlap or touch become one entry spanning
 * them all, whose `parts` keep each original. Inputs are not modified.
 */
export function mergeGaps(tickGaps: readonly ChartGap[], feedGaps: readonly ChartGap[]): ChartGap[] {
  const all = [...tickGaps, ...feedGaps].sort(byStart);
  const out: ChartGap[] = [];
  let group: ChartGap[] = [];
  let groupTo = -Infinity;
  for (const g of all) {
    if (group.length > 0 && g.fromUs > groupTo) {
      out.push(join(group));
      group = [];
    }
    group.push(g);
    if (group.length === 1 || g.toUs > groupTo) groupTo = g.toUs;
  }
  if (group.length > 0) out.push(join(group));
  return out;
}
