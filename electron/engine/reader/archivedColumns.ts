// One symbol's rows of an archived day for a page: only the blocks that overlap the range are
// decoded (and only the columns the page needs), merged with the day's late rows (ticks stored
// after compaction), filtered by time, cursor and source, in key order or newest first.
import type { RowColumn, RowColumns } from '../archive/blockCodec.ts';
import {
  DecodeScratch,
  blocksOf,
  compareRows,
  decodeBlocks,
  mergeRows,
  readQRows,
} from '../archive/dayRows.ts';
import type { BlockRef } from '../archive/dayRows.ts';
import type { DayColumns } from './columnsBuilder.ts';
import type { OpenDay } from './openDays.ts';

export interface ArchivedSelection {
  from: number;
  to: number;
  after?: { t: number; src: number; b: number; s: number; u: number };
  srcIn?: readonly [number, number];
  sizes: boolean;
}

const KEY_COLUMNS: RowColumn[] = ['t', 'src', 'b', 's', 'u'];
/** One decode at a time per worker thread, and its columns are copied out before the next. */
const SCRATCH = new DecodeScratch();
const WITH_SIZES = new Set<RowColumn>([...KEY_COLUMNS, 'bs', 'asz']);
const WITHOUT_SIZES = new Set<RowColumn>(KEY_COLUMNS);

export function readArchivedColumns(
  d: OpenDay,
  symId: number,
  sel: ArchivedSelection,
  order: 'ASC' | 'DESC',
  limit: number,
): DayColumns {
  const want = sel.sizes ? WITH_SIZES : WITHOUT_SIZES;
  const from = sel.after ? Math.max(sel.from, sel.after.t) : sel.from;
  return d.db.transaction(() => {
    const late = readQRows(d.db, symId, from, sel.to);
    const blocks = blocksOf(d.db, symId, from, sel.to);
    const picked = new Picker(sel, limit, order);
    if (late.n > 0) picked.take(mergeRows(decodeBlocks(d.db, blocks, want), late));
    else {
      // From the end the page starts at, as many blocks at once as the rest of the page needs
      // (a day's range decodes all of them into one set of columns, which is then the page).
      const list = order === 'ASC' ? blocks : [...blocks].reverse();
      let k = 0;
      while (k < list.length && !picked.full) {
        const need = limit - picked.count;
        const group: BlockRef[] = [];
        let rows = 0;
        while (k < list.length && (group.length === 0 || rows < need + group[0].n)) {
          group.push(list[k]);
          rows += list[k++].n;
        }
        if (order === 'DESC') group.reverse();
        // Read once per group into the page (copied out by the builder): the buffers are reused.
        picked.take(decodeBlocks(d.db, group, want, false, group.length === list.length ? SCRATCH : null));
      }
    }
    return picked.columns(sel.sizes);
  })();
}

/** Collects the rows a page takes, in the page's order. */
class Picker {
  private readonly sel: ArchivedSelection;
  private readonly limit: number;
  private readonly order: 'ASC' | 'DESC';
  private readonly parts: { rows: RowColumns; idx: Int32Array | null; from: number; to: number }[] = [];
  private taken = 0;
  private readonly cursor: RowColumns | null;

  constructor(sel: ArchivedSelection, limit: number, order: 'ASC' | 'DESC') {
    this.sel = sel;
    this.limit = limit;
    this.order = order;
    const a = sel.after;
    this.cursor = a
      ? ({
          t: Float64Array.of(a.t),
          src: Float64Array.of(a.src),
          b: Float64Array.of(a.b),
          s: Float64Array.of(a.s),
          u: Float64Array.of(a.u),
        } as RowColumns)
      : null;
  }

  get count(): number {
    return this.taken;
  }

  get full(): boolean {
    return this.taken >= this.limit;
  }

  take(rows: RowColumns & { n: number }): void {
    const { from, to, srcIn } = this.sel;
    const n = rows.n;
    const t = rows.t;
    // The rows are in key order: the time range is one slice, found by binary search.
    let lo = lowerBound(t, n, from);
    const hi = lowerBound(t, n, to);
    if (this.cursor) while (lo < hi && compareRows(rows, lo, this.cursor, 0) <= 0) lo++;
    if (lo >= hi) return;
    let idx: Int32Array | null = null;
    let count = hi - lo;
    if (srcIn) {
      const keep: number[] = [];
      for (let i = lo; i < hi; i++) if (rows.src[i] === srcIn[0] || rows.src[i] === srcIn[1]) keep.push(i);
      idx = Int32Array.from(keep);
      count = keep.length;
    }
    const room = this.limit - this.taken;
    if (count > room) {
      // ASC keeps the first rows, DESC (newest first) the last ones.
      if (idx) idx = this.order === 'ASC' ? idx.subarray(0, room) : idx.subarray(count - room);
      else if (this.order === 'DESC') lo = hi - room;
      count = room;
    }
    const part = { rows, idx, from: lo, to: idx ? 0 : lo + count };
    if (this.order === 'ASC') this.parts.push(part);
    else this.parts.unshift(part);
    this.taken += count;
  }

  /** The page's rows in key order (the builder reverses a DESC page itself, so newest first). */
  columns(sizes: boolean): DayColumns {
    const n = this.taken;
    const only = this.parts.length === 1 ? this.parts[0] : null;
    if (only && only.idx === null && this.order === 'ASC') {
      // One slice of one decode: its columns are the page, no copy.
      const r = only.rows;
      const cut = (c: RowColumn) => r[c].subarray(only.from, only.to);
      return {
        t: cut('t'),
        src: cut('src'),
        b: cut('b'),
        s: cut('s'),
        u: cut('u'),
        bs: sizes ? cut('bs') : null,
        asz: sizes ? cut('asz') : null,
        n,
        onlySrc: 0,
        tOffset: 0,
      };
    }
    const out = {
      t: new Float64Array(n),
      src: new Float64Array(n),
      b: new Float64Array(n),
      s: new Float64Array(n),
      u: new Float64Array(n),
      bs: sizes ? new Float64Array(n) : null,
      asz: sizes ? new Float64Array(n) : null,
    };
    let o = 0;
    for (const p of this.parts) {
      const cols: (keyof typeof out)[] = sizes
        ? ['t', 'src', 'b', 's', 'u', 'bs', 'asz']
        : ['t', 'src', 'b', 's', 'u'];
      if (p.idx) {
        for (const c of cols) {
          const dst = out[c]!;
          const srcCol = p.rows[c as RowColumn];
          for (let k = 0; k < p.idx.length; k++) dst[o + k] = srcCol[p.idx[k]];
        }
        o += p.idx.length;
      } else {
        for (const c of cols) out[c]!.set(p.rows[c as RowColumn].subarray(p.from, p.to), o);
        o += p.to - p.from;
      }
    }
    if (this.order === 'DESC') for (const c of Object.keys(out) as (keyof typeof out)[]) out[c]?.reverse();
    return { ...out, n, onlySrc: 0, tOffset: 0 };
  }
}

function lowerBound(t: ArrayLike<number>, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
