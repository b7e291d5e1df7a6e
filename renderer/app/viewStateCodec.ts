// What the explorer remembers of a view (tab, zone, symbols, sources, range, chart options) and
// how it is written: one query parameter per key, named as the key, with a compact value, and
// only where it differs from the default so a fresh URL stays short. The same map is what
// localStorage holds. Pure functions; viewState.ts keeps the live copy.
import type { ZoneId } from '../time/zone.ts';
import { parseZoneId } from '../time/zone.ts';

/** The shell's tabs, in the order shown (and of the 1..9 shortcuts). */
export const TABS = ['live', 'history', 'feeds', 'storage', 'health', 'recording', 'migrate'] as const;
export type Tab = (typeof TABS)[number];

export interface ViewState {
  tab: string;
  zone: ZoneId;
  liveSymbol: string | null;
  /** null = every source; 'BBO' = the synthetic best bid/offer only. */
  liveSource: string | null;
  historySymbol: string | null;
  /** null = every source. */
  historySource: string | null;
  /** Selected range; null = default (last day with data). */
  historyFromUs: number | null;
  historyToUs: number | null;
  /** Up to 3 more charts: 'SYMBOL' or 'SYMBOL@SOURCE'. */
  historyCompare: string[];
  candleSide: 'bid' | 'ask' | 'mid';
  priceView: 'quotes' | 'mid' | 'spread';
  compressGaps: boolean;
  /** Crossed/locked quote markers. */
  showCrossed: boolean;
}

export const DEFAULT_VIEW_STATE: Readonly<ViewState> = Object.freeze({
  tab: 'live',
  zone: 'utc',
  liveSymbol: null,
  liveSource: null,
  historySymbol: null,
  historySource: null,
  historyFromUs: null,
  historyToUs: null,
  historyCompare: [],
  candleSide: 'bid',
  priceView: 'quotes',
  compressGaps: false,
  showCrossed: true,
});

export const MAX_COMPARE = 3;

/** Text to value (undefined: not a valid value) and back. */
interface Codec<T> {
  decode(text: string): T | undefined;
  encode(value: T): string;
}

/** A symbol or source: 1-64 characters, no control character, comma or @, no space at either end. */
const NAME = /^[^\s,@\p{Cc}](?:[^,@\p{Cc}]{0,62}[^\s,@\p{Cc}])?$/u;

const oneOf = <T extends string>(values: readonly T[]): Codec<T> => ({
  decode: (t) => ((values as readonly string[]).includes(t) ? (t as T) : undefined),
  encode: (v) => v,
});
const name: Codec<string | null> = {
  decode: (t) => (NAME.test(t) ? t : undefined),
  encode: (v) => v ?? '',
};
const micros: Codec<number | null> = {
  decode: (t) => (/^-?\d{1,17}$/.test(t) && Number.isSafeInteger(Number(t)) ? Number(t) : undefined),
  encode: (v) => (v === null ? '' : String(v)),
};
const flag: Codec<boolean> = {
  decode: (t) => (t === '1' || t === 'true' ? true : t === '0' || t === 'false' ? false : undefined),
  encode: (v) => (v ? '1' : '0'),
};
const compareList: Codec<string[]> = {
  decode: (t) =>
    t
      .split(',')
      .filter((entry) => {
        const [symbol, source, ...rest] = entry.split('@');
        return rest.length === 0 && NAME.test(symbol) && (source === undefined || NAME.test(source));
      })
      .slice(0, MAX_COMPARE),
  encode: (v) => v.join(','),
};

const CODECS: { [K in keyof ViewState]: Codec<ViewState[K]> } = {
  tab: oneOf(TABS),
  zone: { decode: (t) => parseZoneId(t) ?? undefined, encode: (v) => v },
  liveSymbol: name,
  liveSource: name,
  historySymbol: name,
  historySource: name,
  historyFromUs: micros,
  historyToUs: micros,
  historyCompare: compareList,
  candleSide: oneOf(['bid', 'ask', 'mid'] as const),
  priceView: oneOf(['quotes', 'mid', 'spread'] as const),
  compressGaps: flag,
  showCrossed: flag,
};

export const VIEW_STATE_KEYS = Object.keys(CODECS) as (keyof ViewState)[];

/** Equal as the view goes: lists by content, everything else by identity. */
export function sameViewValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** A value as it would read back from the URL: canonical, or the default when not representable. */
export function normalizeValue<K extends keyof ViewState>(key: K, value: ViewState[K]): ViewState[K] {
  if (value === null) return value;
  const codec = CODECS[key];
  return codec.decode(codec.encode(value)) ?? DEFAULT_VIEW_STATE[key];
}

/**
 * The view from the URL's parameters, else the stored ones, per key; a value that does not parse
 * (an unknown zone, a time that is not an integer) means the default. A range whose start is not
 * before its end is dropped whole.
 */
export function parseViewState(search: string, stored: Readonly<Record<string, string>> = {}): ViewState {
  const url = new URLSearchParams(search);
  const out = { ...DEFAULT_VIEW_STATE, historyCompare: [] } as ViewState;
  const put = <K extends keyof ViewState>(key: K) => {
    const text = url.get(key) ?? (Object.hasOwn(stored, key) ? stored[key] : null);
    if (text === null) return;
    const value = CODECS[key].decode(text);
    if (value !== undefined) out[key] = value;
  };
  for (const key of VIEW_STATE_KEYS) put(key);
  const { historyFromUs: from, historyToUs: to } = out;
  if (from !== null && to !== null && from >= to) {
    out.historyFromUs = null;
    out.historyToUs = null;
  }
  return out;
}

/** The parameters of every key that differs from its default. */
export function viewStateParams(state: ViewState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of VIEW_STATE_KEYS) {
    const value = state[key];
    if (value === null || sameViewValue(value, DEFAULT_VIEW_STATE[key])) continue;
    out[key] = (CODECS[key] as Codec<typeof value>).encode(value);
  }
  return out;
}

/** encodeURIComponent, leaving the query-safe , @ / : readable (URLSearchParams reads both). */
function encodeQueryPart(text: string): string {
  return encodeURIComponent(text).replace(/%(?:2C|40|2F|3A)/gi, (m) => decodeURIComponent(m));
}

/**
 * The page's query with the view written in: other parameters are kept in their order, except
 * `token`, which this never writes (pageToken.ts moves it out of the URL first).
 */
export function viewStateSearch(state: ViewState, currentSearch: string): string {
  const ours = new Set<string>(VIEW_STATE_KEYS);
  const parts: string[] = [];
  for (const [k, v] of new URLSearchParams(currentSearch)) {
    if (k === 'token' || ours.has(k)) continue;
    parts.push(`${encodeQueryPart(k)}=${encodeQueryPart(v)}`);
  }
  for (const [k, v] of Object.entries(viewStateParams(state))) parts.push(`${k}=${encodeQueryPart(v)}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** Old links name the tab in the hash (`#history`). */
export function tabFromHash(hash: string): Tab | null {
  const h = hash.replace(/^#/, '');
  return (TABS as readonly string[]).includes(h) ? (h as Tab) : null;
}
