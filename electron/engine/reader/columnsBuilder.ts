// Decodes the JSON columns of day pages into typed columns, with one source list for the whole
// answer: one pass per page from the arrays JSON.parse made into the Float64Arrays that cross to
// the main thread, no per-tick allocation.
import { decodeAsk, decodeBid, decodeSize, sourceIdOf } from '../storage/priceCodec.ts';
import type { PackedTicks } from '../workers/readerApi.ts';
import { PACKED_COLUMNS } from '../workers/readerApi.ts';

/**
 * One day's rows of one symbol, as stored (prices at the symbol's scale, wide rows flagged by a
 * negative source): parsed from SQLite's JSON columns for a live day, decoded from blocks for
 * an archived one.
 */
export interface DayColumns {
  t: ArrayLike<number>;
  /** null: every row has the stored source value `onlySrc`. */
  src: ArrayLike<number> | null;
  b: ArrayLike<number>;
  s: ArrayLike<number>;
  /** null: the sizes were not read. A missing size is null (live) or NaN (archived). */
  bs: ArrayLike<number | null> | null;
  asz: ArrayLike<number | null> | null;
  n: number;
  onlySrc: number;
  /** Added to each t to get µs since the file's midnight. */
  tOffset: number;
  /** The rows' update ids when the read produced them (archived days): a cursor needs the last. */
  u?: ArrayLike<number>;
}

/** The last row a page took, and how many rows before it (itself included) share its (t, src, b, s). */
export interface PageEnd {
  t: number;
  src: number;
  b: number;
  s: number;
  run: number;
}

/** Stored source ids below this look up their answer index in a typed table. */
const NARROW_SOURCES = 4096;

/** A day's decoded rows, in the typed columns of the answer. */
type Part = Omit<PackedTicks, 'symbol' | 'sources' | 'nextCursor'>;

export class ColumnsBuilder {
  private readonly symbol: string;
  private readonly parts: Part[] = [];
  private count = 0;
  private readonly sources: string[] = [];
  private readonly sourceIndex = new Map<string, number>();

  constructor(symbol: string) {
    this.symbol = symbol;
  }

  /**
   * Adds the first `take` rows of a page (in reverse when the page was read newest first);
   * returns the key of the last row taken (for a cursor).
   */
  addDay(
    row: DayColumns,
    take: number,
    dayStart: number,
    scale: number,
    sizeScale: number,
    sourceName: (id: number) => string,
    reverse = false,
  ): PageEnd {
    const { t, b, s, bs, asz } = row;
    const srcRaw = row.src;
    const base = dayStart + row.tOffset;
    const srcAt = (i: number) => (srcRaw ? srcRaw[i] : row.onlySrc);
    const e = take - 1;
    let run = 1;
    while (
      run < take &&
      t[e - run] === t[e] &&
      b[e - run] === b[e] &&
      s[e - run] === s[e] &&
      srcAt(e - run) === srcAt(e)
    )
      run++;
    const last = { t: t[e] + row.tOffset, src: srcAt(e), b: b[e], s: s[e], run };
    const p: Part = {
      tsUs: new Float64Array(take),
      bid: new Float64Array(take),
      ask: new Float64Array(take),
      source: new Float64Array(take),
      bidSize: new Float64Array(take),
      askSize: new Float64Array(take),
    };
    if (bs === null) {
      p.bidSize.fill(Number.NaN);
      p.askSize.fill(Number.NaN);
    }
    // Narrow stored source values index a typed table (no Map lookup per row); wide ones
    // (negative, rare) and very large ids a map.
    const narrow = new Int32Array(NARROW_SOURCES).fill(-1);
    const wide = new Map<number, number>();
    const slowIndex = (sv: number): number => {
      let si = wide.get(sv);
      if (si === undefined) wide.set(sv, (si = this.indexOf(sourceName(sourceIdOf(sv)))));
      return si;
    };
    const only = row.onlySrc;
    const { tsUs, bid, ask, source, bidSize, askSize } = p;
    const withSizes = bs !== null && asz !== null;
    // Decoded with the codec the writer encoded with, straight into the typed columns.
    for (let i = 0; i < take; i++) {
      const o = reverse ? e - i : i;
      const sv = srcRaw === null ? only : srcRaw[i];
      const bi = b[i];
      tsUs[o] = t[i] + base;
      bid[o] = decodeBid(sv, bi, scale);
      ask[o] = decodeAsk(sv, bi, s[i], scale);
      if (withSizes) {
        bidSize[o] = decodeSize(bs[i], sizeScale) ?? Number.NaN;
        askSize[o] = decodeSize(asz[i], sizeScale) ?? Number.NaN;
      }
      let si = sv >= 0 && sv < NARROW_SOURCES ? narrow[sv] : -2;
      if (si === -1) si = narrow[sv] = this.indexOf(sourceName(sv));
      else if (si === -2) si = slowIndex(sv);
      source[o] = si;
    }
    this.parts.push(p);
    this.count += take;
    return last;
  }

  private indexOf(name: string): number {
    let i = this.sourceIndex.get(name);
    if (i === undefined) {
      this.sourceIndex.set(name, (i = this.sources.length));
      this.sources.push(name);
    }
    return i;
  }

  finish(nextCursor: string | null): PackedTicks {
    const head = { symbol: this.symbol, sources: this.sources, nextCursor };
    // One day (the common case): its columns are the answer, no copy.
    if (this.parts.length === 1) return { ...head, ...this.parts[0] };
    const n = this.count;
    const out = { ...head } as PackedTicks;
    for (const c of PACKED_COLUMNS) {
      const col = new Float64Array(n);
      let o = 0;
      for (const p of this.parts) {
        col.set(p[c], o);
        o += p[c].length;
      }
      out[c] = col;
    }
    return out;
  }
}
