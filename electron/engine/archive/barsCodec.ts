// A symbol's 1-minute bars of an archived day as one compressed block: the bars_1m columns
// (m, n, t_first, t_last, then bid, ask and mid OHLC) coded by columnCodec.ts. Prices are coded
// as integers at the symbol's scale (mid at twice it) against the row's bid open, times as
// offsets into their minute, so a day of bars costs a few bytes a minute, not the 100+ bytes of
// a bars_1m row. Every value reads back bit for bit (inexact ones are exceptions).
import zlib from 'node:zlib';
import { ByteReader, ByteWriter } from './byteStream.ts';
import type { ColumnHint } from './columnCodec.ts';
import { decodeColumn, encodeColumn } from './columnCodec.ts';
import { BlockFormatError } from './blockCodec.ts';

export const BARS_FORMAT = 1;
const US_PER_MIN = 60_000_000;
/** bars_1m columns after sym, in table order. */
export const BAR_COLUMNS = [
  'm',
  'n',
  't_first',
  't_last',
  'b_o',
  'b_h',
  'b_l',
  'b_c',
  'a_o',
  'a_h',
  'a_l',
  'a_c',
  'm_o',
  'm_h',
  'm_l',
  'm_c',
] as const;
const NCOLS = BAR_COLUMNS.length;

/**
 * Column c is coded as its integer minus the sum of the integers of columns REF[c] in the same
 * row: bid high, low and close against the bid open, each ask against its bid, each mid (at
 * twice the scale) against its bid plus its ask. References precede their users.
 */
const REF: readonly (readonly number[])[] = [
  [],
  [],
  [],
  [],
  [],
  [4],
  [4],
  [4],
  [4],
  [5],
  [6],
  [7],
  [4, 8],
  [5, 9],
  [6, 10],
  [7, 11],
];
const HINT: ColumnHint[] = [
  'delta',
  'raw',
  'raw',
  'raw',
  'delta',
  'raw',
  'raw',
  'raw',
  'raw',
  'raw',
  'raw',
  'raw',
  'raw',
  'raw',
  'raw',
  'raw',
];

/** Flags byte of a column: 1 integers (else raw doubles), 2 against its references, 4 overrides follow. */
const F_INTS = 1;
const F_REF = 2;
const F_OVERRIDES = 4;

/** Encodes rows (each NCOLS numbers in BAR_COLUMNS order) of one symbol; `scale` is its price scale. */
export function encodeBars(
  rows: readonly ArrayLike<number>[],
  scale: number,
  level = 19,
): { data: Buffer; crc: number } {
  const n = rows.length;
  const w = new ByteWriter(1024);
  w.byte(BARS_FORMAT);
  w.uint(n);
  w.float64(scale);
  const cols = columnsOf(rows);
  const ints = cols.map((col, c) => toInts(col, c, scale, cols[0]));
  const body = new ByteWriter(n * 32 + 64);
  for (let c = 0; c < NCOLS; c++) {
    const base = ints[c];
    const refs = REF[c];
    const useRef = base.ints && refs.length > 0 && refs.every((x) => ints[x].ints);
    const coded = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (useRef) {
        let sum = 0;
        for (const x of refs) sum += ints[x].k[i];
        coded[i] = base.k[i] - sum;
      } else coded[i] = base.ints ? base.k[i] : cols[c][i];
    }
    const overrides = base.ints ? base.inexact : [];
    body.byte((base.ints ? F_INTS : 0) | (useRef ? F_REF : 0) | (overrides.length > 0 ? F_OVERRIDES : 0));
    encodeColumn(body, coded, 0, n, base.ints ? HINT[c] : 'raw');
    if (overrides.length > 0) {
      // A value its integer does not give back exactly (a mid of two prices, say): its own double.
      body.uint(overrides.length);
      let prev = 0;
      for (const at of overrides) {
        body.uint(at - prev);
        prev = at;
        body.float64(cols[c][at]);
      }
    }
  }
  const raw = body.view8();
  const crc = zlib.crc32(raw);
  const packed = zlib.zstdCompressSync(raw, { params: { [zlib.constants.ZSTD_c_compressionLevel]: level } });
  w.uint(raw.length);
  w.bytes(packed);
  return { data: Buffer.from(w.view8()), crc };
}

/** The rows back, each in BAR_COLUMNS order; with `crc`, the body is checked against it. */
export function decodeBars(data: Uint8Array, crc: number | null = null): number[][] {
  try {
    return decodeBarsUnchecked(data, crc);
  } catch (e) {
    if (e instanceof BlockFormatError) throw e;
    throw new BlockFormatError(`archive bars block is damaged (${(e as Error).message})`);
  }
}

function decodeBarsUnchecked(data: Uint8Array, crc: number | null): number[][] {
  const r = new ByteReader(data);
  const version = r.byte();
  if (version !== BARS_FORMAT)
    throw new BlockFormatError(`archive bars format ${version} is not one this Tickscope reads`);
  const n = r.uint();
  const scale = r.float64();
  const rawLen = r.uint();
  const raw = zlib.zstdDecompressSync(r.bytes(r.remaining), { maxOutputLength: rawLen });
  if (crc !== null && zlib.crc32(raw) !== crc)
    throw new BlockFormatError('archive bars block: checksum mismatch');
  const br = new ByteReader(raw);
  const cols: Float64Array[] = [];
  const flags: number[] = [];
  const overrides: Map<number, number>[] = [];
  for (let c = 0; c < NCOLS; c++) {
    flags.push(br.byte());
    const col = new Float64Array(n);
    decodeColumn(br, n, col);
    cols.push(col);
    const o = new Map<number, number>();
    if (flags[c] & F_OVERRIDES) {
      const count = br.uint();
      let at = 0;
      for (let k = 0; k < count; k++) {
        at += br.uint();
        o.set(at, br.float64());
      }
    }
    overrides.push(o);
  }
  // Undo the references in column order (a reference always precedes its user), then scale.
  const ints = cols.map((c) => c.slice());
  for (let c = 0; c < NCOLS; c++)
    if (flags[c] & F_REF) for (let i = 0; i < n; i++) for (const x of REF[c]) ints[c][i] += ints[x][i];
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(NCOLS);
    for (let c = 0; c < NCOLS; c++) {
      const o = overrides[c].get(i);
      row[c] =
        o !== undefined ? o : flags[c] & F_INTS ? fromInt(ints[c][i], c, scale, ints[0][i]) : cols[c][i];
    }
    rows.push(row);
  }
  return rows;
}

function columnsOf(rows: readonly ArrayLike<number>[]): Float64Array[] {
  const cols = Array.from({ length: NCOLS }, () => new Float64Array(rows.length));
  rows.forEach((row, i) => {
    for (let c = 0; c < NCOLS; c++) cols[c][i] = row[c] ?? Number.NaN;
  });
  return cols;
}

/** The unit a column's integers count in: prices at the scale (mid at twice it), times in µs. */
function unitOf(c: number, scale: number): number {
  if (c >= 12) return scale * 2;
  if (c >= 4) return scale;
  return 1;
}

function toInt(v: number, c: number, scale: number, m: number): number {
  if (c === 2 || c === 3) return v - m * US_PER_MIN;
  return Math.round(v * unitOf(c, scale));
}

function fromInt(k: number, c: number, scale: number, m: number): number {
  if (c === 2 || c === 3) return k + m * US_PER_MIN;
  const u = unitOf(c, scale);
  return u === 1 ? k : k / u;
}

/**
 * A column as integers: `ints` when every value has one (a finite value within 2^50 at its
 * unit), and the rows whose value the integer does not give back exactly (kept as overrides).
 * More overrides than half the rows: the column is kept as doubles instead.
 */
function toInts(
  col: Float64Array,
  c: number,
  scale: number,
  minutes: Float64Array,
): { k: Float64Array; ints: boolean; inexact: number[] } {
  const k = new Float64Array(col.length);
  const inexact: number[] = [];
  let ints = true;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    const x = toInt(v, c, scale, minutes[i]);
    k[i] = x;
    if (!(Number.isSafeInteger(x) && Math.abs(x) < 2 ** 50)) ints = false;
    else if (!Object.is(fromInt(x, c, scale, minutes[i]), v)) inexact.push(i);
  }
  if (inexact.length * 2 > col.length) ints = false;
  return { k, ints, inexact: ints ? inexact : [] };
}
