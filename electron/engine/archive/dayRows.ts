// A symbol's stored rows of one day file as RowColumns, in key order (t, src, b, s, u), from
// either tier: q rows of a live file, blocks (plus late q rows) of an archived one. The
// compactor reads whole days with these; the reader reads ranges.
import type Database from 'better-sqlite3';
import { keyBase, keyPlus } from '../storage/dayKey.ts';
import type { RowColumn, RowColumns } from './blockCodec.ts';
import { ROW_COLUMNS, decodeBlock, emptyRows } from './blockCodec.ts';

const US_PER_DAY = 86_400_000_000;

/** q rows of symbol `symId` with from <= t < to (µs since the file's midnight). */
export function readQRows(
  db: Database.Database,
  symId: number,
  from = 0,
  to = US_PER_DAY,
): RowColumns & { n: number } {
  const base = keyBase(symId);
  const row = db
    .prepare(
      `SELECT count(*) AS n, json_group_array(k - ${String(base)}) AS t, json_group_array(src) AS src,
              json_group_array(b) AS b, json_group_array(s) AS s, json_group_array(u) AS u,
              json_group_array(r) AS r, json_group_array(bs) AS bs, json_group_array(asz) AS asz
       FROM q WHERE k >= ? AND k < ?`,
    )
    .get(keyPlus(base, from), keyPlus(base, to)) as Record<RowColumn, string> & { n: number };
  const out = emptyRows(row.n) as RowColumns & { n: number };
  out.n = row.n;
  for (const c of ROW_COLUMNS) {
    const vals = JSON.parse(row[c]) as (number | null)[];
    const col = out[c];
    for (let i = 0; i < row.n; i++) {
      const v = vals[i];
      col[i] = v === null ? Number.NaN : v;
    }
  }
  return out;
}

export interface BlockRef {
  id: number;
  tFirst: number;
  tLast: number;
  n: number;
  crc: number;
}

/** The symbol's blocks that can hold rows of [from, to), in time order. */
export function blocksOf(db: Database.Database, symId: number, from = 0, to = US_PER_DAY): BlockRef[] {
  return db
    .prepare(
      `SELECT id, t_first AS tFirst, t_last AS tLast, n, crc FROM blocks
       WHERE sym = ? AND t_first < ? AND t_last >= ? ORDER BY t_first, id`,
    )
    .all(symId, to, from) as BlockRef[];
}

/** Decodes the given blocks one after the other; `want` limits the columns decoded. */
export function decodeBlocks(
  db: Database.Database,
  blocks: readonly BlockRef[],
  want: ReadonlySet<RowColumn> | null = null,
  check = false,
  scratch: DecodeScratch | null = null,
): RowColumns & { n: number } {
  let n = 0;
  for (const b of blocks) n += b.n;
  // Only the wanted columns get room: a page without sizes reads five of eight.
  const out = {} as RowColumns & { n: number };
  for (const c of ROW_COLUMNS) {
    const len = want === null || want.has(c) ? n : 0;
    out[c] = scratch ? scratch.column(c, len) : new Float64Array(len);
  }
  out.n = n;
  const get = db.prepare('SELECT data FROM blocks WHERE id = ?').pluck();
  let at = 0;
  for (const b of blocks) {
    const data = get.get(b.id) as Buffer;
    at += decodeBlock(data, out, at, want, check ? b.crc : null);
  }
  if (at !== n) throw new RangeError(`archive: blocks hold ${at} rows where their index says ${n}`);
  return out;
}

/**
 * Decode buffers kept between reads (a reader worker decodes a day's blocks for every range it
 * answers): columns handed out are views, valid until the next decode with the same scratch.
 */
export class DecodeScratch {
  private readonly buffers = new Map<RowColumn, Float64Array>();

  column(c: RowColumn, n: number): Float64Array {
    let b = this.buffers.get(c);
    if (!b || b.length < n) this.buffers.set(c, (b = new Float64Array(Math.max(n, (b?.length ?? 0) * 2))));
    return b.subarray(0, n);
  }
}

/** -1, 0, 1 as row i of a sorts before, with or after row j of b, in the key order of q. */
export function compareRows(a: RowColumns, i: number, b: RowColumns, j: number): number {
  for (const c of ['t', 'src', 'b', 's', 'u'] as const) {
    const x = a[c][i];
    const y = b[c][j];
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** Two sorted row sets as one, in key order; a row in both (never expected) is kept once. */
export function mergeRows(
  a: RowColumns & { n: number },
  b: RowColumns & { n: number },
): RowColumns & { n: number } {
  if (b.n === 0) return a;
  if (a.n === 0) return b;
  const out = emptyRows(a.n + b.n) as RowColumns & { n: number };
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < a.n || j < b.n) {
    const c = i >= a.n ? 1 : j >= b.n ? -1 : compareRows(a, i, b, j);
    const [from, k] = c <= 0 ? [a, i++] : [b, j++];
    if (c === 0) j++;
    for (const col of ROW_COLUMNS) out[col][o] = from[col][k];
    o++;
  }
  out.n = o;
  return o === out.t.length ? out : sliceRows(out, 0, o);
}

export function sliceRows(r: RowColumns, from: number, to: number): RowColumns & { n: number } {
  const out = {} as RowColumns & { n: number };
  for (const c of ROW_COLUMNS) out[c] = r[c].subarray(from, to);
  out.n = to - from;
  return out;
}
