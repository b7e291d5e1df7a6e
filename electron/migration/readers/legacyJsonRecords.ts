// Maps records of the legacy JSON layout, and the variants real archives have, to ticks:
// `{"symbol","bid","ask","spread","timestamp","lp"}` with field names in any case and the usual
// aliases (sym/instrument, time/ts/datetime, lp/source/provider), prices as numbers or strings.
import type { FlatValue } from '../jsonRecordScanner.ts';
import type { ReadContext } from './readContext.ts';
import { priceOf } from './readContext.ts';

const ALIASES: Record<string, 'symbol' | 'time' | 'bid' | 'ask' | 'source' | 'bidSize' | 'askSize'> = {
  symbol: 'symbol',
  sym: 'symbol',
  instrument: 'symbol',
  ticker: 'symbol',
  pair: 'symbol',
  timestamp: 'time',
  time: 'time',
  ts: 'time',
  datetime: 'time',
  date_time: 'time',
  bid: 'bid',
  bidprice: 'bid',
  bid_price: 'bid',
  ask: 'ask',
  askprice: 'ask',
  ask_price: 'ask',
  offer: 'ask',
  lp: 'source',
  source: 'source',
  provider: 'source',
  broker: 'source',
  bidsize: 'bidSize',
  bid_size: 'bidSize',
  bidvolume: 'bidSize',
  bid_volume: 'bidSize',
  asksize: 'askSize',
  ask_size: 'askSize',
  askvolume: 'askSize',
  ask_volume: 'askSize',
};

interface Fields {
  symbol?: unknown;
  time?: unknown;
  bid?: unknown;
  ask?: unknown;
  source?: unknown;
  bidSize?: unknown;
  askSize?: unknown;
}

function resolveFields(o: Record<string, unknown>): Fields {
  const f: Fields = {};
  for (const k in o) {
    const role = ALIASES[k.toLowerCase()];
    if (role !== undefined && f[role] === undefined) f[role] = o[k];
  }
  return f;
}

/** Whether a record has what a tick needs; the sniffer uses it to tell ticks from other JSON. */
export function looksLikeTickRecord(o: unknown): boolean {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return false;
  const f = resolveFields(o as Record<string, unknown>);
  return f.time !== undefined && f.bid !== undefined && f.ask !== undefined;
}

export function symbolOfRecord(o: unknown): string | null {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return null;
  const s = resolveFields(o as Record<string, unknown>).symbol;
  return typeof s === 'string' && s !== '' ? s : null;
}

const ROLE_OF_KEY = new Map<string, keyof Fields | null>();

function roleOf(key: string): keyof Fields | null {
  let role = ROLE_OF_KEY.get(key);
  if (role === undefined) {
    role = ALIASES[key.toLowerCase()] ?? null;
    if (ROLE_OF_KEY.size < 10_000) ROLE_OF_KEY.set(key, role);
  }
  return role;
}

const scratch: Fields = {};

/** For the scanner: values of other fields (spread...) need not be converted. */
export function isTickField(key: string): boolean {
  return roleOf(key) !== null;
}

/** A flat record from the fast reader: no object is built. */
export function addLegacyFlat(
  ctx: ReadContext,
  keys: string[],
  values: FlatValue[],
  count: number,
  loc: number,
): void {
  const f = scratch;
  f.symbol = f.time = f.bid = f.ask = f.source = f.bidSize = f.askSize = undefined;
  for (let k = 0; k < count; k++) {
    const role = roleOf(keys[k]);
    if (role !== null && f[role] === undefined) f[role] = values[k];
  }
  addFields(ctx, f, loc);
}

export function addLegacyValue(ctx: ReadContext, o: unknown, loc: number): void {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    ctx.reject(loc, 'not_a_tick: record is not a JSON object');
    return;
  }
  addFields(ctx, resolveFields(o as Record<string, unknown>), loc);
}

function addFields(ctx: ReadContext, f: Fields, loc: number): void {
  const bidV = f.bid;
  const askV = f.ask;
  if (bidV === undefined || bidV === null) {
    ctx.reject(loc, 'bid_missing: no bid field');
    return;
  }
  if (askV === undefined || askV === null) {
    ctx.reject(loc, 'ask_missing: no ask field');
    return;
  }
  const tsUs = ctx.timeToUs(f.time);
  if (typeof tsUs === 'string') {
    ctx.reject(loc, tsUs);
    return;
  }
  const sym = f.symbol;
  let symbol: string;
  if (typeof sym === 'string' && sym !== '') symbol = sym;
  else {
    const fallback = ctx.useFallbackSymbol();
    if (fallback !== null) symbol = fallback;
    else {
      ctx.reject(loc, 'symbol_missing: no symbol in the record, its file name or its folder');
      return;
    }
  }
  const src = f.source;
  const source = typeof src === 'string' && src !== '' ? src : null;
  ctx.add(
    symbol,
    source,
    tsUs,
    priceOf(bidV),
    priceOf(askV),
    loc,
    f.bidSize === undefined || f.bidSize === null ? Number.NaN : priceOf(f.bidSize),
    f.askSize === undefined || f.askSize === null ? Number.NaN : priceOf(f.askSize),
  );
}
