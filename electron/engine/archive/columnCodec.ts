// One column of an archive block, before compression: a kind byte, optional null bitmap and
// exception list, then the kind's payload. Every value reads back bit for bit: integers take the
// varint forms, anything else (a double from a wide row, -0, a value past 2^53) is an exception
// stored as its 8 IEEE bytes, and NaN stands for SQL NULL. The README's "Archive block format"
// section documents this byte layout for other readers.
import type { ByteReader, ByteWriter } from './byteStream.ts';
import { ValueTable } from './valueTable.ts';

export const KIND_CONST = 0;
export const KIND_DELTA = 1;
export const KIND_RAW = 2;
export const KIND_DICT = 3;
export const KIND_TIME = 4;
export const FLAG_NULLS = 0x10;
export const FLAG_EXCEPTIONS = 0x20;
export const FLAG_SCALED = 0x40;

/** How the encoder should treat a column; it still picks CONST when every value is the same. */
export type ColumnHint = 'time' | 'delta' | 'raw' | 'dict' | 'auto';

const DICT_MAX = 4096;
// Deltas of two such values and their zigzag form stay below 2^53.
const MAX_INT = 2 ** 50;

/** Whether v is stored in the integer streams (else it is an exception). */
function isPlainInt(v: number): boolean {
  return Number.isSafeInteger(v) && (v !== 0 || 1 / v > 0) && Math.abs(v) <= MAX_INT;
}

/**
 * Appends values[from..to) as one column. `scale` (a power of ten, say) makes the integer
 * streams hold round(v * scale); a value that does not come back exactly as k / scale is an
 * exception.
 */
export function encodeColumn(
  w: ByteWriter,
  values: ArrayLike<number>,
  from: number,
  to: number,
  hint: ColumnHint,
  scale = 1,
): void {
  const n = to - from;
  let nulls = 0;
  let allSame = true;
  const v0 = values[from];
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v !== v) nulls++;
    if (allSame && !Object.is(v, v0)) allSame = false;
  }
  if (allSame) {
    // Every value equal (all NULL included): one value stands for the column.
    w.byte(KIND_CONST);
    w.float64(v0);
    return;
  }
  // Non-null values, in order, as the integer streams see them (k = v * scale).
  const m = n - nulls;
  const ks = new Float64Array(m);
  const exIdx: number[] = [];
  const exVal: number[] = [];
  let j = 0;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v !== v) continue;
    const k = scale === 1 ? v : Math.round(v * scale);
    if (isPlainInt(k) && (scale === 1 || k / scale === v)) ks[j] = k;
    else {
      exIdx.push(j);
      exVal.push(v);
      ks[j] = j > 0 ? ks[j - 1] : 0;
    }
    j++;
  }
  const dict = hint === 'dict' || hint === 'auto' ? dictionaryOf(values, from, to, m, hint) : null;
  if (dict) {
    // The dictionary holds doubles: exceptions and scale are not needed.
    w.byte(KIND_DICT | (nulls > 0 ? FLAG_NULLS : 0));
    if (nulls > 0) writeNulls(w, values, from, to, m);
    writeDict(w, dict.table, dict.ids);
    return;
  }
  let kind = chooseKind(hint, ks, exIdx.length);
  const flags =
    (nulls > 0 ? FLAG_NULLS : 0) | (exIdx.length > 0 ? FLAG_EXCEPTIONS : 0) | (scale !== 1 ? FLAG_SCALED : 0);
  if (kind === KIND_TIME && (flags & (FLAG_EXCEPTIONS | FLAG_SCALED)) !== 0) kind = KIND_DELTA;
  w.byte(kind | flags);
  if (nulls > 0) writeNulls(w, values, from, to, m);
  if (exIdx.length > 0) {
    w.uint(exIdx.length);
    let prev = 0;
    for (let e = 0; e < exIdx.length; e++) {
      w.uint(exIdx[e] - prev);
      prev = exIdx[e];
      w.float64(exVal[e]);
    }
  }
  if (scale !== 1) w.float64(scale);
  if (kind === KIND_TIME) writeTime(w, ks);
  else {
    // Zigzag values (of the deltas for DELTA), then byte planes.
    // DELTA keeps its first value apart, so one large start does not widen every delta's planes.
    const delta = kind === KIND_DELTA;
    if (delta) w.sint(m > 0 ? ks[0] : 0);
    const z = new Float64Array(m);
    let prev = m > 0 ? ks[0] : 0;
    for (let i = 0; i < m; i++) {
      const v = delta ? ks[i] - prev : ks[i];
      prev = ks[i];
      z[i] = v >= 0 ? v * 2 : -v * 2 - 1;
    }
    writePlanes(w, z);
  }
}

function chooseKind(hint: ColumnHint, ks: Float64Array, exceptions: number): number {
  if (hint === 'time') {
    for (let i = 1; i < ks.length; i++) if (ks[i] < ks[i - 1] || ks[i - 1] < 0) return KIND_DELTA;
    return exceptions === 0 && ks.length > 0 && ks[0] >= 0 ? KIND_TIME : KIND_DELTA;
  }
  return hint === 'delta' ? KIND_DELTA : KIND_RAW;
}

/**
 * The column's dictionary when it should be dictionary-coded: at most DICT_MAX distinct values,
 * and for sizes (`auto`) at most one distinct value per two rows (else ranks cost more than
 * the values).
 */
function dictionaryOf(
  values: ArrayLike<number>,
  from: number,
  to: number,
  m: number,
  hint: ColumnHint,
): { table: ValueTable; ids: Int32Array } | null {
  const table = new ValueTable();
  const ids = new Int32Array(m);
  const cap = hint === 'auto' ? Math.min(DICT_MAX, Math.floor(m / 2)) : DICT_MAX;
  return table.index(values, from, to, cap, ids) ? { table, ids } : null;
}

function writeNulls(w: ByteWriter, values: ArrayLike<number>, from: number, to: number, m: number): void {
  w.uint(m);
  let acc = 0;
  let bit = 0;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v === v) acc |= 1 << bit;
    if (++bit === 8) {
      w.byte(acc);
      acc = 0;
      bit = 0;
    }
  }
  if (bit > 0) w.byte(acc);
}

/** The dictionary (most frequent value first) and each value's rank in it. */
function writeDict(w: ByteWriter, table: ValueTable, ids: Int32Array): void {
  const k = table.values.length;
  const order = Array.from({ length: k }, (_, i) => i).sort(
    (a, b) => table.counts[b] - table.counts[a] || table.values[a] - table.values[b] || a - b,
  );
  const rank = new Int32Array(k);
  order.forEach((id, r) => (rank[id] = r));
  w.uint(k);
  for (const id of order) w.float64(table.values[id]);
  for (let i = 0; i < ids.length; i++) {
    const r = rank[ids[i]];
    if (r < 255) w.byte(r);
    else {
      w.byte(255);
      w.uint(r - 255);
    }
  }
}

function writeTime(w: ByteWriter, ks: Float64Array): void {
  const m = ks.length;
  w.uint(ks[0]);
  let g = 0;
  for (let i = 1; i < m && g !== 1; i++) g = gcd(g, ks[i] - ks[i - 1]);
  if (g === 0) g = 1;
  w.uint(g);
  const d = new Float64Array(Math.max(0, m - 1));
  for (let i = 1; i < m; i++) d[i - 1] = (ks[i] - ks[i - 1]) / g;
  writePlanes(w, d);
}

/**
 * Non-negative integers as byte planes: a width byte (the bytes of the largest value), then
 * the lowest byte of every value, then the next byte of every value... Planes decode without a
 * branch per value (a varint's length is one unpredictable branch per value), and the high
 * planes, nearly all zero, cost zstd almost nothing.
 */
function writePlanes(w: ByteWriter, z: Float64Array): void {
  const m = z.length;
  let max = 0;
  for (let i = 0; i < m; i++) if (z[i] > max) max = z[i];
  let width = 1;
  while (width < 7 && max >= 2 ** (8 * width)) width++;
  w.byte(width);
  const planes = new Uint8Array(m * width);
  if (max < 2 ** 32) {
    for (let i = 0; i < m; i++) {
      const v = z[i] >>> 0;
      for (let p = 0; p < width; p++) planes[p * m + i] = (v >>> (8 * p)) & 0xff;
    }
  } else {
    for (let i = 0; i < m; i++) {
      let v = z[i];
      for (let p = 0; p < width; p++) {
        planes[p * m + i] = v % 256;
        v = Math.floor(v / 256);
      }
    }
  }
  w.bytes(planes);
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** Reads one column of n values into out[0..n) (NaN for NULL). */
export function decodeColumn(r: ByteReader, n: number, out: Float64Array): void {
  const head = r.byte();
  const kind = head & 0x0f;
  if (kind === KIND_CONST) {
    out.fill(r.float64(), 0, n);
    return;
  }
  let present: Uint8Array | null = null;
  let m = n;
  if (head & FLAG_NULLS) {
    m = r.uint();
    if (m > n) throw new RangeError(`archive block: ${m} values present of ${n}`);
    present = r.bytes((n + 7) >> 3);
  }
  // Decoded densely (the non-null values) into the front of out, then spread over the nulls.
  const dense = present ? new Float64Array(m) : out;
  if (kind === KIND_DICT) decodeDict(r, m, dense);
  else {
    let exIdx: number[] | null = null;
    let exVal: number[] | null = null;
    if (head & FLAG_EXCEPTIONS) {
      const c = r.uint();
      exIdx = new Array<number>(c);
      exVal = new Array<number>(c);
      let at = 0;
      for (let e = 0; e < c; e++) {
        at += r.uint();
        exIdx[e] = at;
        exVal[e] = r.float64();
      }
    }
    const scale = head & FLAG_SCALED ? r.float64() : 1;
    if (kind === KIND_TIME) decodeTime(r, m, dense);
    else if (kind === KIND_DELTA) decodeZigzag(r, m, dense, true);
    else if (kind === KIND_RAW) decodeZigzag(r, m, dense, false);
    else throw new RangeError(`archive block: unknown column kind ${kind}`);
    if (scale !== 1) for (let i = 0; i < m; i++) dense[i] = dense[i] / scale;
    if (exIdx) for (let e = 0; e < exIdx.length; e++) dense[exIdx[e]] = exVal![e];
  }
  if (present) {
    let j = 0;
    for (let i = 0; i < n; i++) out[i] = (present[i >> 3] >> (i & 7)) & 1 ? dense[j++] : Number.NaN;
    if (j !== m) throw new RangeError('archive block: null bitmap does not match its count');
  }
}

function decodeDict(r: ByteReader, m: number, out: Float64Array): void {
  const k = r.uint();
  const dict = new Float64Array(k);
  for (let i = 0; i < k; i++) dict[i] = r.float64();
  const b = r.buf;
  let o = r.offset;
  for (let i = 0; i < m; i++) {
    const x = b[o++];
    if (x < 255) out[i] = dict[x];
    else {
      r.offset = o;
      out[i] = dict[255 + r.uint()];
      o = r.offset;
    }
  }
  r.offset = o;
}

function decodeTime(r: ByteReader, m: number, out: Float64Array): void {
  if (m === 0) return;
  const first = r.uint();
  const g = r.uint();
  out[0] = first;
  const d = out.subarray(1, m);
  readPlanes(r, m - 1, d);
  let v = first;
  for (let i = 0; i < m - 1; i++) {
    v += d[i] * g;
    d[i] = v;
  }
}

function decodeZigzag(r: ByteReader, m: number, out: Float64Array, delta: boolean): void {
  let prev = delta ? r.sint() : 0;
  readPlanes(r, m, out);
  for (let i = 0; i < m; i++) {
    const z = out[i];
    const v = z < 4294967296 ? (z >>> 1) ^ -(z & 1) : z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    prev = delta ? prev + v : v;
    out[i] = prev;
  }
}

/** m values of byte planes (writePlanes) into out[0..m). */
function readPlanes(r: ByteReader, m: number, out: Float64Array): void {
  const width = r.byte();
  if (width < 1 || width > 7) throw new RangeError(`archive block: plane width ${width}`);
  const b = r.bytes(m * width);
  if (width === 1) for (let i = 0; i < m; i++) out[i] = b[i];
  else if (width === 2) for (let i = 0; i < m; i++) out[i] = b[i] | (b[m + i] << 8);
  else if (width === 3) for (let i = 0; i < m; i++) out[i] = b[i] | (b[m + i] << 8) | (b[2 * m + i] << 16);
  else if (width === 4)
    for (let i = 0; i < m; i++)
      out[i] = (b[i] | (b[m + i] << 8) | (b[2 * m + i] << 16)) + b[3 * m + i] * 16777216;
  else
    for (let i = 0; i < m; i++) {
      let v = 0;
      for (let p = width - 1; p >= 0; p--) v = v * 256 + b[p * m + i];
      out[i] = v;
    }
}
