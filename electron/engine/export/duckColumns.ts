// Whole stream columns copied into a DuckDB DataChunk's vectors in typed form, one `set` or one
// tight loop per column: per-value setItem() (a type check, a BigInt and a validity BigInt per
// value) cost more than everything else in the Parquet export, and casting DOUBLE staging columns
// in the COPY cost nearly as much again.
//
// The vectors keep their values in a typed array and their validity in a BigUint64Array that
// @duckdb/node-api's typings call private (flush() sends both to DuckDB). They are reached here
// by name and checked; should a later version keep them elsewhere, each column falls back to
// setItem(), slower but the same values (the Parquet tests read every value back).
import type { DuckDBVector } from '@duckdb/node-api';

const TWO_32 = 4294967296;
/** The word layouts below are little-endian's (every platform the app ships for). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface RawVector {
  items?: unknown;
  validity?: { data?: unknown; itemCount?: number };
  setItem(i: number, v: unknown): void;
  flush(): void;
}

const raw = (v: DuckDBVector): RawVector => v as unknown as RawVector;

/** Doubles as they are; NaN is a missing value where `nullable`. */
export function putDoubles(v: DuckDBVector, from: Float64Array, nullable: boolean): void {
  const r = raw(v);
  if (r.items instanceof Float64Array && r.items.length >= from.length) {
    r.items.set(from);
    if (nullable) markMissing(r, from);
  } else {
    for (let i = 0; i < from.length; i++) {
      const x = from[i]!;
      r.setItem(i, nullable && x !== x ? null : x);
    }
  }
  r.flush();
}

/**
 * Whole numbers held as doubles (epoch µs, update ids) into an int64 vector (TIMESTAMPTZ,
 * BIGINT) through its two 32-bit halves: no BigInt per value. NaN is missing where `nullable`.
 */
export function putInt64s(
  v: DuckDBVector,
  from: Float64Array,
  nullable: boolean,
  slow: (x: number) => unknown,
): void {
  const r = raw(v);
  if (LITTLE_ENDIAN && r.items instanceof BigInt64Array && r.items.length >= from.length) {
    const halves = new Uint32Array(r.items.buffer, r.items.byteOffset, from.length * 2);
    for (let i = 0; i < from.length; i++) {
      const x = from[i]!;
      if (x !== x) continue; // missing: marked below, the value is not read
      const hi = Math.floor(x / TWO_32);
      halves[2 * i] = x - hi * TWO_32; // little-endian: low word first
      halves[2 * i + 1] = hi; // ToUint32 keeps a negative high word's two's complement
    }
    if (nullable) markMissing(r, from);
  } else {
    for (let i = 0; i < from.length; i++) {
      const x = from[i]!;
      r.setItem(i, x !== x ? null : slow(x));
    }
  }
  r.flush();
}

/** Small integer codes (an ENUM's indexes) into the enum's vector, whatever its width. */
export function putCodes(v: DuckDBVector, from: Uint8Array | Uint16Array, names: readonly string[]): void {
  const r = raw(v);
  if ((r.items instanceof Uint8Array || r.items instanceof Uint16Array) && r.items.length >= from.length)
    r.items.set(from);
  else for (let i = 0; i < from.length; i++) r.setItem(i, names[from[i]!]);
  r.flush();
}

/** Clears the validity bit of every NaN, building the mask in 32-bit words. */
function markMissing(r: RawVector, from: Float64Array): void {
  let first = -1;
  for (let i = 0; i < from.length; i++)
    if (from[i] !== from[i]) {
      first = i;
      break;
    }
  if (first < 0) return;
  const validity = r.validity;
  const words = Math.ceil((validity?.itemCount ?? 0) / 64);
  if (!LITTLE_ENDIAN || !validity || !('data' in validity) || words * 64 < from.length) {
    for (let i = first; i < from.length; i++) if (from[i] !== from[i]) r.setItem(i, null);
    return;
  }
  const mask = new BigUint64Array(words);
  const bits = new Uint32Array(mask.buffer);
  bits.fill(0xffffffff);
  for (let i = first; i < from.length; i++)
    if (from[i] !== from[i]) bits[i >>> 5] = bits[i >>> 5]! & ~(1 << (i & 31));
  validity.data = mask;
}
