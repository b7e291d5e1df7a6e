// Quoted sizes as the feed gave them: lots of millions for FX (2,000,000), fractions of a unit
// for Dukascopy's index and crypto files (0.0005), so rounding to an integer would show nothing.
import { formatCount } from '../format/number.ts';

/** Whole units grouped (2,000,000), fractions to four significant digits (0.0005); '' for none. */
export function formatSize(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '';
  if (Number.isInteger(v) || Math.abs(v) >= 1000) return formatCount(Math.round(v));
  return String(Number(v.toPrecision(4)));
}
