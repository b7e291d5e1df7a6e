// Exchanges send prices and sizes as decimal text ("25.35190000"). `+text` reads them fast but
// also accepts what is no decimal (blank text, hex, Infinity, leading spaces): this refuses those.

/** A decimal as exchanges write it, or a JSON number; NaN for anything else. */
export function parseDecimal(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) return NaN;
  const c = v.charCodeAt(0);
  // digit, '.', '-', '+'
  if (!((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43)) return NaN;
  if (v.length > 1) {
    const x = v.charCodeAt(1);
    if (x === 120 || x === 88) return NaN; // 0x...
  }
  return +v;
}
