// A day-long range of one symbol is the slowest common query, and its cost is mostly SQLite
// producing rows. Splitting it in two halves for two reader workers uses both cores; the halves
// are stitched back in order. Paging stays exact: the merge falls back to one sequential query
// whenever the halves together exceed the page.
import type { PackedTicks } from '../workers/readerApi.ts';
import { US_PER_HOUR, utcDayIndex } from '../../../shared/time.ts';

export const SPLIT_MIN_SPAN_US = 2 * US_PER_HOUR;

export function splittable(fromUs: number, toUs: number, cursor: string | undefined): boolean {
  return (
    cursor === undefined &&
    toUs - fromUs >= SPLIT_MIN_SPAN_US &&
    utcDayIndex(fromUs) === utcDayIndex(toUs - 1)
  );
}

export function midpoint(fromUs: number, toUs: number): number {
  return fromUs + Math.floor((toUs - fromUs) / 2);
}

/**
 * A page as the reader pages it is made of, in order: each part's source indexes mapped into the
 * page's `sources` (null: the same indexes). Kept apart until the one conversion to plain arrays,
 * so the halves are never copied into joined typed columns first.
 */
export interface PageParts {
  symbol: string;
  parts: { ticks: PackedTicks; sourceMap: number[] | null }[];
  sources: string[];
  nextCursor: string | null;
}

export function onePart(p: PackedTicks): PageParts {
  return {
    symbol: p.symbol,
    parts: [{ ticks: p, sourceMap: null }],
    sources: p.sources,
    nextCursor: p.nextCursor,
  };
}

/** The page for [from, to) from pages of [from, mid) and [mid, to), or null when only a sequential query is exact. */
export function mergeHalves(a: PackedTicks, b: PackedTicks, limit: number): PageParts | null {
  // A full first half is the page only when it knows where to go on. If it ended exactly at the
  // page size it has no cursor, and returning it would skip the second half (found by
  // test/integration/engine/queries.test.ts): query sequentially instead.
  if (a.tsUs.length >= limit) return a.nextCursor !== null || b.tsUs.length === 0 ? onePart(a) : null;
  if (a.tsUs.length + b.tsUs.length > limit) return null;
  if (b.tsUs.length === 0) return { ...onePart(a), nextCursor: b.nextCursor };
  const sources = [...a.sources];
  const remap = b.sources.map((name) => {
    const i = sources.indexOf(name);
    if (i >= 0) return i;
    sources.push(name);
    return sources.length - 1;
  });
  return {
    symbol: a.symbol,
    parts: [
      { ticks: a, sourceMap: null },
      { ticks: b, sourceMap: remap.some((to, from) => to !== from) ? remap : null },
    ],
    sources,
    nextCursor: b.nextCursor,
  };
}
