// A symbol's 1-minute bars of an archived day as one compressed block: the bars_1m columns
// (m, n, t_first, t_last, then bid, ask and mid OHLC) coded by columnCodec.ts. Prices are coded
// as integers at the symbol's scale (mid at twice it) against the row's bid open, times as
// offsets into their minute, so a day of bars costs a few bytes a minute, not the 100+ bytes of
// a bars_1m row. Every value reads back bit for bit (inexact ones are exceptions).
import zlib from 'node:zlib';
import { ByteReader, ByteWriter } from './byteStream.ts';
import type { ColumnHint } from './columnCodec.ts';
import { decodeColumn, encodeColumn } from './columnCodec.ts';

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

/** Encodes rows (each NCOLS numbers in BAR_COLUMNS order) of one symbol; `scale` is its price scale. */
export function encodeBars(
  rows: readonly ArrayLike<number>[],
  scale: number,
  level = 9,
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
    // Integer view with exact reference: code the difference; anything inexact stays as is.
    const refs = REF[c];
    const useRef = base.exact && refs.length > 0 && refs.every((x) => ints[x].exact);
    const coded = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (useRef) {
        let sum = 0;
        for (const x of refs) sum += ints[x].k[i];
        coded[i] = base.k[i] - sum;
      } else coded[i] = base.exact ? base.k[i] : cols[c][i];
    }
    body.byte((base.exact ? 1 : 0) | (useRef ? 2 : 0));
    encodeColumn(body, coded, 0, n, base.exact ? HINT[c] : 'raw');
  }
  const raw = body.view8();
  const crc = zlib.crc32(raw);
  const packed = zlib.zstdCompressSync(raw, { params: { [zlib.constants.ZSTD_c_compressionLevel]: level } });
  w.uint(raw.length);
  w.bytes(packed);
  return { data: Buffer.from(w.view8()), crc };
}

/** The rows back, each in BAR_COLUMNS order. */
export function decodeBars(data: Uint8Array): number[][] {
  const r = new ByteReader(data);
  const version = r.byte();
  if (version !== BARS_FORMAT)
    throw new RangeError(`archive bars format ${version} is not one this Tickscope reads`);
  const n = r.uint();
  const scale = r.float64();
  const rawLen = r.uint();
  const raw = zlib.zstdDecompressSync(r.bytes(r.remaining), { maxOutputLength: rawLen });
  const br = new ByteReader(raw);
  const cols: Float64Array[] = [];
  const flags: number[] = [];
  for (let c = 0; c < NCOLS; c++) {
    flags.push(br.byte());
    const col = new Float64Array(n);
    decodeColumn(br, n, col);
    cols.push(col);
  }
  // Undo the references in column order (a reference always precedes its user), then scale.
  const ints = cols.map((c) => c.slice());
  for (let c = 0; c < NCOLS; c++)
    if (flags[c] & 2) for (let i = 0; i < n; i++) for (const x of REF[c]) ints[c][i] += ints[x][i];
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(NCOLS);
    for (let c = 0; c < NCOLS; c++)
      row[c] = flags[c] & 1 ? fromInt(ints[c][i], c, scale, ints[0][i]) : cols[c][i];
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

/** A column as integers, and whether every value comes back exactly from its integer. */
function toInts(
  col: Float64Array,
  c: number,
  scale: number,
  minutes: Float64Array,
): { k: Float64Array; exact: boolean } {
  const k = new Float64Array(col.length);
  let exact = true;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    const x = toInt(v, c, scale, minutes[i]);
    k[i] = x;
    if (!(Number.isSafeInteger(x) && Math.abs(x) < 2 ** 50 && fromInt(x, c, scale, minutes[i]) === v))
      exact = false;
  }
  return { k, exact };
}
