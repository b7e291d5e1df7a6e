// The symbol list across day files, from each file's dictionaries rather than its ticks: time
// span and count from `symbols`, sources from `symbol_sources` (version 4), and the price
// precision from the scale the most recent file stores the symbol at.
import type { SymbolInfo } from '../../../shared/catalog.ts';
import { dayIndexToStartUs } from '../../../shared/time.ts';
import { T_SPAN } from '../storage/dayKey.ts';
import { SYMBOL_SOURCES_VERSION } from '../storage/daySchema.ts';
import {
  MAX_DECIMALS,
  decimalsOf,
  decodeAsk,
  decodeBid,
  scaleDecimals,
  sourceIdOf,
} from '../storage/priceCodec.ts';
import type { OpenDay, OpenDays } from './openDays.ts';
import { sourceName } from './openDays.ts';
import { rowsOf } from './symbolRows.ts';

interface DaySymbolRow {
  id: number;
  name: string;
  count: number;
  first_t: number;
  last_t: number;
  scale: number;
  src_min: number | null;
  src_max: number | null;
}

/** Prices looked at when a file's scale says nothing about them. */
const PRICE_SAMPLE = 64;

export function listSymbols(days: OpenDays): SymbolInfo[] {
  const acc = new Map<string, { info: SymbolInfo; sources: Set<string> }>();
  // Oldest file first: the last file naming a symbol is its most recent, and sets its precision.
  for (const ref of days.files()) {
    const base = dayIndexToStartUs(ref.day);
    const rows = days.onDay(ref, (d) => daySymbols(d), []);
    for (const r of rows) {
      const cur = acc.get(r.name);
      if (!cur) {
        acc.set(r.name, {
          info: {
            symbol: r.name,
            firstUs: base + r.firstT,
            lastUs: base + r.lastT,
            count: r.count,
            sources: [],
            priceDecimals: r.decimals,
          },
          sources: new Set(r.sources),
        });
        continue;
      }
      const { info } = cur;
      info.firstUs = Math.min(info.firstUs, base + r.firstT);
      info.lastUs = Math.max(info.lastUs, base + r.lastT);
      info.count += r.count;
      info.priceDecimals = r.decimals;
      for (const s of r.sources) cur.sources.add(s);
    }
  }
  return [...acc.values()]
    .map(({ info, sources }) => ({ ...info, sources: [...sources].sort() }))
    .sort((a, b) => a.symbol.localeCompare(b.symbol));
}

interface DaySymbolSummary {
  name: string;
  count: number;
  firstT: number;
  lastT: number;
  sources: string[];
  decimals: number;
}

function daySymbols(d: OpenDay): DaySymbolSummary[] {
  const rows = d.db
    .prepare('SELECT id, name, count, first_t, last_t, scale, src_min, src_max FROM symbols WHERE count > 0')
    .all() as DaySymbolRow[];
  const catalog = d.version >= SYMBOL_SOURCES_VERSION ? symbolSources(d) : null;
  return rows.map((r) => ({
    name: r.name,
    count: r.count,
    firstT: r.first_t,
    lastT: r.last_t,
    sources: (catalog?.get(r.id) ?? legacySourceIds(d, r)).map((id) => sourceName(d, id)),
    decimals: scaleDecimals(r.scale) ?? decimalsFromPrices(d, r),
  }));
}

function symbolSources(d: OpenDay): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const [sym, src] of d.db
    .prepare('SELECT sym, src FROM symbol_sources')
    .raw(true)
    .all() as number[][]) {
    let list = out.get(sym);
    if (!list) out.set(sym, (list = []));
    list.push(src);
  }
  return out;
}

/** Files from before version 4: answers per open file and symbol count, so each is read once. */
const legacyCache = new WeakMap<OpenDay, Map<number, { count: number; ids: number[] }>>();

/**
 * The sources of a symbol in a file without symbol_sources: its counters when it has one stored
 * source value, else its ticks (read once per file until the writer upgrades the file).
 */
function legacySourceIds(d: OpenDay, r: DaySymbolRow): number[] {
  if (r.src_min === null) return [];
  if (r.src_min === r.src_max) return [sourceIdOf(r.src_min)];
  let cache = legacyCache.get(d);
  if (!cache) legacyCache.set(d, (cache = new Map()));
  const hit = cache.get(r.id);
  if (hit && hit.count === r.count) return hit.ids;
  const rows = rowsOf(d.version, r.id);
  const stored = d.db
    .prepare(`SELECT DISTINCT src FROM ${rows.table} WHERE ${rows.key} >= ? AND ${rows.key} < ?`)
    .pluck()
    .all(rows.keyAt(0), rows.keyAt(T_SPAN)) as number[];
  const ids = [...new Set(stored.map(sourceIdOf))];
  cache.set(r.id, { count: r.count, ids });
  return ids;
}

/** When the stored scale is not a power of ten: the decimals its first prices need. */
function decimalsFromPrices(d: OpenDay, r: DaySymbolRow): number {
  const rows = rowsOf(d.version, r.id);
  const sample = d.db
    .prepare(`SELECT src, b, s FROM ${rows.table} WHERE ${rows.key} >= ? AND ${rows.key} < ? LIMIT ?`)
    .raw(true)
    .all(rows.keyAt(0), rows.keyAt(T_SPAN), PRICE_SAMPLE) as number[][];
  let decimals = 0;
  for (const [src, b, s] of sample) {
    const scale = r.scale > 0 ? r.scale : 1;
    const bid = decodeBid(src, b, scale);
    const ask = decodeAsk(src, b, s, scale);
    decimals = Math.max(decimals, decimalsOf(bid), decimalsOf(ask));
  }
  return Math.min(decimals, MAX_DECIMALS);
}
