// One symbol's rows of [lo, hi) of an archived day, a chunk at a time after a key: only the block
// the next rows are in is decoded (through the shared BlockCache), and the day's late q rows
// (ticks stored after compaction) in the same key span are merged in key order (t, src, b, s, u).
import type { Statement } from 'better-sqlite3';
import type { BlockRef } from '../archive/dayRows.ts';
import { blocksOf, sliceRows } from '../archive/dayRows.ts';
import { emptyRows } from '../archive/blockCodec.ts';
import type { KeyValue } from '../storage/dayKey.ts';
import { keyBase, keyPlus } from '../storage/dayKey.ts';
import type { OpenDay } from '../reader/openDays.ts';
import type { BlockCache, Rows } from './blockCache.ts';

/** A row's key: t (µs since the file's midnight), stored src, b, s, u. */
export type Key = [number, number, number, number, number];

export class ArchivedRange {
  private readonly d: OpenDay;
  private readonly lo: number;
  private readonly hi: number;
  private readonly sizes: boolean;
  private readonly cache: BlockCache;
  private readonly base: KeyValue;
  private readonly blocks: BlockRef[];
  private bi = 0;
  /** The block being read, kept between chunks. */
  private cur: { ref: BlockRef; rows: Rows } | null = null;
  /** Whether the range has late rows at all (most archived days have none). */
  private readonly hasLate: boolean;
  private readonly lateSql = new Map<string, Statement>();

  constructor(d: OpenDay, symId: number, lo: number, hi: number, sizes: boolean, cache: BlockCache) {
    this.d = d;
    this.lo = lo;
    this.hi = hi;
    this.sizes = sizes;
    this.cache = cache;
    this.base = keyBase(symId);
    this.blocks = blocksOf(d.db, symId, lo, hi);
    this.hasLate =
      d.db
        .prepare('SELECT 1 FROM q WHERE k >= ? AND k < ? LIMIT 1')
        .pluck()
        .get(keyPlus(this.base, lo), keyPlus(this.base, hi)) !== undefined;
  }

  /** At most `chunk` rows after `after` (null: from lo), in key order; null when none are left. */
  next(after: Key | null, chunk: number): Rows | null {
    while (this.bi < this.blocks.length) {
      const rows = this.block(this.blocks[this.bi]);
      const end = lowerBound(rows.t, 0, rows.n, this.hi);
      const p = after ? firstAfter(rows, end, after) : lowerBound(rows.t, 0, end, this.lo);
      if (p >= end) {
        this.cur = null;
        // Rows at or past hi: every later block's are too.
        this.bi = end < rows.n ? this.blocks.length : this.bi + 1;
        continue;
      }
      const slice = sliceRows(rows, p, Math.min(end, p + chunk));
      if (!this.hasLate) return slice;
      return mergeTake(slice, this.late(after, keyOf(slice, slice.n - 1), chunk), chunk);
    }
    if (!this.hasLate) return null;
    const late = this.late(after, null, chunk);
    return late.n > 0 ? late : null;
  }

  private block(ref: BlockRef): Rows {
    if (this.cur?.ref !== ref) this.cur = { ref, rows: this.cache.get(this.d, ref, this.sizes) };
    return this.cur.rows;
  }

  /** Late rows after `after` (or from lo) up to and with `upto` (or below hi). */
  private late(after: Key | null, upto: Key | null, limit: number): Rows {
    const shape = `${after ? 1 : 0}${upto ? 1 : 0}`;
    let stmt = this.lateSql.get(shape);
    if (!stmt) {
      const lower = after ? '(k, src, b, s, u) > (?, ?, ?, ?, ?)' : 'k >= ?';
      const upper = upto ? '(k, src, b, s, u) <= (?, ?, ?, ?, ?)' : 'k < ?';
      stmt = this.d.db
        .prepare(
          `SELECT k - ${String(this.base)}, src, b, s, u, r, bs, asz FROM q
           WHERE ${lower} AND ${upper} ORDER BY k, src, b, s, u LIMIT ?`,
        )
        .raw();
      this.lateSql.set(shape, stmt);
    }
    const params: KeyValue[] = [];
    if (after) params.push(keyPlus(this.base, after[0]), after[1], after[2], after[3], after[4]);
    else params.push(keyPlus(this.base, this.lo));
    if (upto) params.push(keyPlus(this.base, upto[0]), upto[1], upto[2], upto[3], upto[4]);
    else params.push(keyPlus(this.base, this.hi));
    const got = stmt.all(...params, limit) as (number | null)[][];
    const out = emptyRows(got.length) as Rows;
    out.n = got.length;
    const cols = [out.t, out.src, out.b, out.s, out.u, out.r, out.bs, out.asz];
    for (let i = 0; i < got.length; i++) {
      const row = got[i];
      for (let c = 0; c < 8; c++) cols[c][i] = row[c] ?? Number.NaN;
    }
    return out;
  }
}

export function keyOf(r: Rows, i: number): Key {
  return [r.t[i], r.src[i], r.b[i], r.s[i], r.u[i]];
}

/** -1, 0, 1 as row i sorts before, with or after key k. */
function compareKey(r: Rows, i: number, k: Key): number {
  const cols = [r.t, r.src, r.b, r.s, r.u];
  for (let c = 0; c < 5; c++) {
    const x = cols[c][i];
    if (x < k[c]) return -1;
    if (x > k[c]) return 1;
  }
  return 0;
}

/** The first of rows [0, end) with a key above `k` (the rows are in key order). */
function firstAfter(r: Rows, end: number, k: Key): number {
  let lo = lowerBound(r.t, 0, end, k[0]);
  let hi = lowerBound(r.t, lo, end, k[0] + 1);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKey(r, mid, k) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(t: Float64Array, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first `limit` rows of two key-ordered row sets merged; a row in both is kept once. */
function mergeTake(a: Rows, b: Rows, limit: number): Rows {
  if (b.n === 0) return a;
  const out = emptyRows(Math.min(limit, a.n + b.n)) as Rows;
  const names = ['t', 'src', 'b', 's', 'u', 'r', 'bs', 'asz'] as const;
  let i = 0;
  let j = 0;
  let o = 0;
  while (o < out.t.length && (i < a.n || j < b.n)) {
    const c = i >= a.n ? 1 : j >= b.n ? -1 : compareKey(a, i, keyOf(b, j));
    const from = c <= 0 ? a : b;
    const k = c <= 0 ? i++ : j++;
    if (c === 0) j++;
    for (const col of names) out[col][o] = from[col].length > k ? from[col][k] : Number.NaN;
    o++;
  }
  out.n = o;
  return o === out.t.length ? out : sliceRows(out, 0, o);
}
