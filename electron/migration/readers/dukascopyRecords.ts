// Dukascopy tick JSON: an array of `[timestamp_ms_utc, ask, bid, askVolume, bidVolume]`. Note the
// order: ask before bid. The symbol comes from the file name (eurusd-2019-02-04T00.json).
import type { ReadContext } from './readContext.ts';
import { priceOf } from './readContext.ts';

export const DUKASCOPY_SOURCE = 'dukascopy';

export function looksLikeDukascopyRecord(r: unknown): boolean {
  return Array.isArray(r) && r.length >= 3 && typeof r[0] === 'number' && typeof r[1] === 'number';
}

export function addDukascopyNumbers(ctx: ReadContext, r: number[], count: number, loc: number): void {
  const symbol = ctx.useFallbackSymbol();
  if (count < 3) {
    ctx.reject(loc, 'not_a_tick: expected [timestamp_ms, ask, bid, askVolume, bidVolume]');
    return;
  }
  if (symbol === null) {
    ctx.reject(loc, 'symbol_missing: the file name does not name a symbol; pass --symbol');
    return;
  }
  const tsUs = ctx.timeToUs(r[0]);
  if (typeof tsUs === 'string') {
    ctx.reject(loc, tsUs);
    return;
  }
  ctx.add(
    symbol,
    DUKASCOPY_SOURCE,
    tsUs,
    r[2],
    r[1],
    loc,
    count > 4 ? r[4] : Number.NaN,
    count > 3 ? r[3] : Number.NaN,
  );
}

export function addDukascopyValue(ctx: ReadContext, r: unknown, loc: number): void {
  if (!Array.isArray(r)) {
    ctx.reject(loc, 'not_a_tick: expected [timestamp_ms, ask, bid, askVolume, bidVolume]');
    return;
  }
  const nums = r.map((x) => (typeof x === 'number' ? x : priceOf(x)));
  if (typeof r[0] === 'string') nums[0] = Number.NaN;
  addDukascopyNumbers(ctx, nums, nums.length, loc);
}
