// Instrument-aware numbers: a symbol's price precision and its pip (or point) size, so prices
// show the instrument's decimals (AUDJPY 99.592, not 99.59200) and spreads read in pips as
// traders quote them (EURUSD 1.13456 / 1.13468 → 1.2 pips).
//
// Rules (every one overridable per symbol in the Storage tab):
// - FX pairs (two ISO 4217 currency codes, optionally split by '/', '-' or '_', with any broker
//   suffix such as '.1' or 'm'): JPY-quoted pairs have a pip of 0.01; others have a pip of
//   10^-(decimals-1) when the quote carries a fractional pip (5 or 3 decimals), else
//   10^-decimals; with more than 5 decimals the pip stays 0.0001 (quotes finer than the pipette).
// - Everything else (metals, crypto, indices, stocks) is counted in points: one unit of the last
//   decimal, so BTCUSD at 1 decimal has a point of 0.1 and XAUUSD at 2 decimals one of 0.01.

export interface Instrument {
  symbol: string;
  /** Decimals prices are shown with (the stored scale unless overridden). */
  decimals: number;
  /** Price units per pip (FX) or point (everything else). */
  pipSize: number;
  pipName: 'pip' | 'point';
  /** Where the decimals came from, for the settings screen. */
  decimalsFrom?: DecimalsOrigin;
}

/** override: set by the user; stored: symbols.list scale; observed: live prices; default: a guess. */
export type DecimalsOrigin = 'override' | 'stored' | 'observed' | 'default';

export interface InstrumentOverride {
  decimals?: number;
  pipSize?: number;
}

export const MAX_DECIMALS = 10;

// Currency codes FX is quoted in. Precious metals (XAU, XAG, XPT, XPD) are ISO 4217 codes too,
// but traders count them in points, so they are left out on purpose.
const CURRENCIES = new Set(
  (
    'USD EUR JPY GBP CHF AUD NZD CAD SEK NOK DKK PLN CZK HUF TRY ZAR MXN SGD HKD CNH CNY RUB ILS ' +
    'THB INR KRW TWD BRL CLP COP PEN ARS IDR MYR PHP SAR AED KWD QAR BHD OMR EGP NGN KES RON BGN ' +
    'HRK ISK UAH KZT VND PKR MAD TND'
  ).split(' '),
);

const FX_PATTERN = /^([A-Z]{3})[/_-]?([A-Z]{3})(?![A-Z])/;

/** The base and quote currency of an FX pair, or null when the symbol is not one. */
export function fxPair(symbol: string): { base: string; quote: string } | null {
  const m = FX_PATTERN.exec(symbol);
  if (!m || !CURRENCIES.has(m[1]) || !CURRENCIES.has(m[2]) || m[1] === m[2]) return null;
  return { base: m[1], quote: m[2] };
}

/** Decimals to assume before anything is known about a symbol. */
export function defaultDecimals(symbol: string): number {
  const fx = fxPair(symbol);
  if (!fx) return 2;
  return fx.quote === 'JPY' ? 3 : 5;
}

/** The pip (FX) or point size of a symbol quoted with `decimals` decimals. */
export function defaultPipSize(
  symbol: string,
  decimals: number,
): { pipSize: number; pipName: 'pip' | 'point' } {
  const d = clampDecimals(decimals);
  const fx = fxPair(symbol);
  if (!fx) return { pipSize: 10 ** -d, pipName: 'point' };
  if (fx.quote === 'JPY') return { pipSize: 0.01, pipName: 'pip' };
  if (d > 5) return { pipSize: 0.0001, pipName: 'pip' };
  return { pipSize: d === 5 || d === 3 ? 10 ** -(d - 1) : 10 ** -d, pipName: 'pip' };
}

/** One symbol's instrument from what is known of its decimals and the user's override. */
export function instrumentFor(
  symbol: string,
  known: { decimals: number; from: Exclude<DecimalsOrigin, 'override'> } | null,
  override?: InstrumentOverride,
): Instrument {
  let decimals = known ? clampDecimals(known.decimals) : defaultDecimals(symbol);
  let decimalsFrom: DecimalsOrigin = known?.from ?? 'default';
  if (override?.decimals !== undefined) {
    decimals = clampDecimals(override.decimals);
    decimalsFrom = 'override';
  }
  const pip = defaultPipSize(symbol, decimals);
  const pipSize = override?.pipSize !== undefined && override.pipSize > 0 ? override.pipSize : pip.pipSize;
  return { symbol, decimals, pipSize, pipName: pip.pipName, decimalsFrom };
}

export function clampDecimals(d: number): number {
  if (!Number.isFinite(d)) return 2;
  return Math.min(MAX_DECIMALS, Math.max(0, Math.round(d)));
}

/** Fewest decimals (0..MAX_DECIMALS) that write `price` exactly; null when none does. */
export function exactDecimals(price: number): number | null {
  if (!Number.isFinite(price)) return null;
  for (let d = 0; d <= MAX_DECIMALS; d++) {
    const f = 10 ** d;
    if (Math.round(price * f) / f === price) return d;
  }
  return null;
}

/**
 * The price at the instrument's decimals. A price that needs more decimals to be written exactly
 * (a mid between two quotes, a feed quoting finer than usual) shows them: nothing is rounded
 * away that the store kept, unless the user set the decimals (an override is taken as asked).
 */
export function formatPriceFor(inst: Instrument, price: number): string {
  if (!Number.isFinite(price)) return '—';
  if (inst.decimalsFrom === 'override') return price.toFixed(inst.decimals);
  const exact = exactDecimals(price);
  const d = exact !== null && exact > inst.decimals ? exact : inst.decimals;
  return price.toFixed(d);
}

/** Decimals a spread in pips is read with: how much finer than a pip the quote goes (EURUSD: 1). */
export function pipDecimals(inst: Instrument): number {
  const ratio = inst.pipSize / 10 ** -inst.decimals;
  if (!(ratio > 1)) return 0;
  return Math.min(4, Math.max(0, Math.ceil(Math.log10(ratio) - 1e-9)));
}

/** ask - bid in pips (or points), rounded to the quote's resolution; negative when crossed. */
export function spreadInPips(inst: Instrument, bid: number, ask: number): number {
  if (!Number.isFinite(bid) || !Number.isFinite(ask) || !(inst.pipSize > 0)) return Number.NaN;
  const f = 10 ** pipDecimals(inst);
  const rounded = Math.round(((ask - bid) / inst.pipSize) * f) / f;
  return rounded === 0 ? 0 : rounded; // no '-0.0' for a locked quote
}

/** The spread in pips as text ('1.2'), '—' when either side is missing. */
export function formatPips(inst: Instrument, bid: number, ask: number): string {
  const pips = spreadInPips(inst, bid, ask);
  return Number.isFinite(pips) ? pips.toFixed(pipDecimals(inst)) : '—';
}

/** 'pip'/'pips' or 'point'/'points' for a count. */
export function pipUnit(inst: Instrument, count: number): string {
  return Math.abs(count) === 1 ? inst.pipName : `${inst.pipName}s`;
}
