// Price text for quotes of very different magnitudes (FX majors, JPY crosses, crypto, indices)
// without a per-symbol table: the number of decimals follows the size of the price.

/** Decimals that show a pip-level change for a price of this size. */
export function priceDecimals(price: number): number {
  const a = Math.abs(price);
  if (!Number.isFinite(a) || a === 0) return 2;
  if (a >= 10_000) return 2;
  if (a >= 100) return 3;
  if (a >= 1) return 5;
  // Sub-unit prices (some crypto) keep 5 significant digits.
  return Math.min(10, 4 - Math.floor(Math.log10(a)));
}

export function formatPrice(price: number, decimals = priceDecimals(price)): string {
  if (!Number.isFinite(price)) return '—';
  return price.toFixed(decimals);
}

/** Spread in the same decimals as the quote it belongs to, so the digits line up. */
export function formatSpread(bid: number, ask: number): string {
  if (!Number.isFinite(bid) || !Number.isFinite(ask)) return '—';
  const decimals = priceDecimals(Math.max(bid, ask));
  // Rounded before printing so 1.1 - 1.0 shows 0.10000 and not 0.09999999.
  const factor = 10 ** decimals;
  return (Math.round((ask - bid) * factor) / factor).toFixed(decimals);
}

/** -1, 0 or 1: which way a quote moved, for the up/down flash. */
export function direction(previous: number | undefined, next: number): -1 | 0 | 1 {
  if (previous === undefined || previous === next) return 0;
  return next > previous ? 1 : -1;
}
