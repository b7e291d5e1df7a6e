// How prices and sizes are stored, in one place for the writer (JS), the reader (JS) and the
// `ticks` view (SQL). Prices are integers at a per-symbol decimal scale fixed when the symbol
// first enters a day file (EURUSD 1.08123 -> 108123 at 1e5); the ask is stored as its distance
// from the bid in the same units. Both round-trip exactly: an integer divided by a power of ten
// is the double nearest to the decimal, which is what the feed parsed. A price that needs more
// decimals than the file's scale is stored as its exact double instead (a "wide" row, flagged by
// a negative source id), so nothing is ever rounded.

export const MAX_DECIMALS = 10;
const POW10 = Array.from({ length: MAX_DECIMALS + 1 }, (_, i) => 10 ** i);
const MAX_EXACT = 2 ** 53;

/** Fewest decimals (0-10) that represent p exactly at a power-of-ten scale; MAX_DECIMALS+1 if none. */
export function decimalsOf(p: number): number {
  for (let d = 0; d <= MAX_DECIMALS; d++) {
    const s = POW10[d];
    if (Math.round(p * s) / s === p) return d;
  }
  return MAX_DECIMALS + 1;
}

/** The decimals of a power-of-ten scale (1e5 -> 5), or null when `scale` is not one. */
export function scaleDecimals(scale: number): number | null {
  const d = POW10.indexOf(scale);
  return d < 0 ? null : d;
}

// A few hundred ticks decide a scale; later outliers are stored exactly as wide values.
const SCALE_SAMPLE = 512;

/** Fewest decimals covering every value of two columns over the first ticks of idx[from..to); NaN is skipped. */
function sampleDecimals(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  idx: ArrayLike<number>,
  from: number,
  to: number,
): number {
  let d = 0;
  const end = Math.min(to, from + SCALE_SAMPLE);
  for (let k = from; k < end; k++) {
    const i = idx[k];
    const x = a[i];
    const y = b[i];
    if (x === x) d = Math.max(d, decimalsOf(x));
    if (y === y) d = Math.max(d, decimalsOf(y));
  }
  return d;
}

/** Scale for a symbol new to a file: enough decimals for every price of its first ticks. */
export function chooseScale(
  bid: ArrayLike<number>,
  ask: ArrayLike<number>,
  idx: ArrayLike<number>,
  from: number,
  to: number,
): number {
  return POW10[Math.min(sampleDecimals(bid, ask, idx, from, to), MAX_DECIMALS)];
}

/** Decimal scale for sizes (0-6 decimals), chosen like the price scale. NaN means "no size". */
export function chooseSizeScale(
  bs: ArrayLike<number>,
  as: ArrayLike<number>,
  idx: ArrayLike<number>,
  from: number,
  to: number,
): number {
  return POW10[Math.min(sampleDecimals(bs, as, idx, from, to), 6)];
}

/**
 * Writes the stored (src, b, s) of one quote at out[o..o+2]: narrow integers at `scale`, or the
 * exact doubles with the source flagged negative when the scale cannot hold them.
 */
export function encodeQuote(
  out: number[],
  o: number,
  srcId: number,
  bid: number,
  ask: number,
  scale: number,
): void {
  const bi = Math.round(bid * scale);
  const ai = Math.round(ask * scale);
  if (bi / scale === bid && ai / scale === ask && Math.abs(bi) < MAX_EXACT && Math.abs(ai) < MAX_EXACT) {
    out[o] = srcId;
    out[o + 1] = bi;
    out[o + 2] = ai - bi;
  } else {
    out[o] = -1 - srcId;
    out[o + 1] = bid;
    out[o + 2] = ask;
  }
}

export function decodeBid(src: number, b: number, scale: number): number {
  return src >= 0 ? b / scale : b;
}

export function decodeAsk(src: number, b: number, s: number, scale: number): number {
  return src >= 0 ? (b + s) / scale : s;
}

export function sourceIdOf(storedSrc: number): number {
  return storedSrc >= 0 ? storedSrc : -1 - storedSrc;
}

/**
 * Sizes are stored as non-negative integers at the symbol's size scale; one that does not fit is
 * stored as its exact double, negated (sizes are never negative, so the sign is the flag).
 */
export function encodeSize(v: number, scale: number): number | null {
  if (v !== v) return null;
  const k = Math.round(v * scale);
  return k / scale === v && k < MAX_EXACT ? k : -v;
}

export function decodeSize(v: number | null, scale: number): number | undefined {
  // null from SQL, NaN from an archive block: no size.
  if (v === null || v !== v) return undefined;
  return v >= 0 ? v / scale : -v;
}

// The same decoding in SQL, for the `ticks` view. Division by a REAL of the same power of ten
// gives the same double as the JS decoders above.
export const sqlDecode = {
  bid: (src: string, b: string, scale: string) =>
    `CASE WHEN ${src} >= 0 THEN ${b} / CAST(${scale} AS REAL) ELSE ${b} END`,
  ask: (src: string, b: string, s: string, scale: string) =>
    `CASE WHEN ${src} >= 0 THEN (${b} + ${s}) / CAST(${scale} AS REAL) ELSE ${s} END`,
  sourceId: (src: string) => `CASE WHEN ${src} >= 0 THEN ${src} ELSE -1 - ${src} END`,
  size: (v: string, scale: string) => `CASE WHEN ${v} >= 0 THEN ${v} / CAST(${scale} AS REAL) ELSE -${v} END`,
};
