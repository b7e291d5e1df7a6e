// How a pass's ticks are split: by the UTC day of each tick's own timestamp (late ticks go to
// their own day's file), then by symbol in a stable order (each symbol's ticks stay in arrival
// order and go into the file as one contiguous run of its key range).
import { utcDayIndex } from '../../../shared/time.ts';
import type { ColumnBatch } from '../storage/columnBatch.ts';

/** Tick indexes per UTC day of each tick's own timestamp, days in ascending order. */
export function groupByDay(b: ColumnBatch): { day: number; idx: Int32Array }[] {
  const n = b.n;
  if (n === 0) return [];
  const first = utcDayIndex(b.tsUs[0]);
  let same = true;
  for (let i = 1; i < n; i++) {
    if (utcDayIndex(b.tsUs[i]) !== first) {
      same = false;
      break;
    }
  }
  if (same) {
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    return [{ day: first, idx }];
  }
  const lists = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const d = utcDayIndex(b.tsUs[i]);
    let l = lists.get(d);
    if (!l) lists.set(d, (l = []));
    l.push(i);
  }
  return [...lists].sort((a, c) => a[0] - c[0]).map(([day, l]) => ({ day, idx: Int32Array.from(l) }));
}

export interface SymbolGroup {
  sym: number;
  /** Shared by all groups of one call: the group's ticks are order[from..to). */
  order: Int32Array;
  from: number;
  to: number;
}

/** Stable counting sort of idx by symbol: each symbol's ticks stay in arrival order. */
export function groupBySymbol(b: ColumnBatch, idx: Int32Array): SymbolGroup[] {
  const counts = new Map<number, number>();
  for (let k = 0; k < idx.length; k++) {
    const s = b.sym[idx[k]];
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const start = new Map<number, number>();
  const groups: SymbolGroup[] = [];
  const order = new Int32Array(idx.length);
  let off = 0;
  for (const [s, c] of counts) {
    start.set(s, off);
    groups.push({ sym: s, order, from: off, to: off + c });
    off += c;
  }
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const s = b.sym[i];
    const p = start.get(s)!;
    order[p] = i;
    start.set(s, p + 1);
  }
  return groups;
}
