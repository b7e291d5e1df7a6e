// Bars for a range: bid, ask and mid in one pass. Whole minutes come from the stored 1-minute
// bars when the timeframe is made of whole minutes and every source is wanted; partial minutes at
// the edges, sub-minute timeframes and one source's bars come from the ticks themselves (the
// stored bars blend every source).
import type { BarColumns } from '../../../shared/bars.ts';
import { BarBuilder } from '../../../shared/bars.ts';
import { US_PER_DAY, US_PER_MIN, dayIndexToStartUs } from '../../../shared/time.ts';
import type { ReaderApi } from '../workers/readerApi.ts';
import { decodeBars } from '../archive/barsCodec.ts';
import { keyBase, keyPlus } from '../storage/dayKey.ts';
import type { OpenDay, OpenDays } from './openDays.ts';
import { daySymbol } from './openDays.ts';

export interface BarRequest {
  symbol: string;
  fromUs: number;
  toUs: number;
  timeframeSec: number;
  /** null: every source. */
  source: string | null;
}

/** A page of ticks in time order: the reader worker's `range`, called in the worker itself. */
export type RangeReader = ReaderApi['range'];

const TICK_PAGE = 500_000;

export function readBars(days: OpenDays, range: RangeReader, q: BarRequest): BarColumns {
  const builder = new BarBuilder(q.symbol, q.timeframeSec, q.source);
  const { fromUs, toUs } = q;
  if (toUs <= fromUs) return builder.out;
  const useMinutes = q.source === null && q.timeframeSec % 60 === 0;
  const midFrom = useMinutes ? Math.ceil(fromUs / US_PER_MIN) * US_PER_MIN : toUs;
  const midTo = useMinutes ? Math.max(midFrom, Math.floor(toUs / US_PER_MIN) * US_PER_MIN) : toUs;
  addTicks(builder, range, q, fromUs, Math.min(midFrom, toUs));
  if (midTo > midFrom) addMinuteBars(builder, days, range, q, midFrom, midTo);
  if (useMinutes) addTicks(builder, range, q, Math.max(midTo, fromUs), toUs);
  return builder.out;
}

function addTicks(
  builder: BarBuilder,
  range: RangeReader,
  q: BarRequest,
  fromUs: number,
  toUs: number,
): void {
  if (toUs <= fromUs) return;
  let cursor: string | undefined;
  do {
    // Bars need no sizes: two columns fewer per tick.
    const page = range(q.symbol, fromUs, toUs, TICK_PAGE, cursor, q.source, false);
    for (let i = 0; i < page.tsUs.length; i++) builder.add(page.tsUs[i], page.bid[i], page.ask[i]);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

function addMinuteBars(
  builder: BarBuilder,
  days: OpenDays,
  range: RangeReader,
  q: BarRequest,
  fromUs: number,
  toUs: number,
): void {
  for (const ref of days.filesIn(fromUs, toUs)) {
    const base = dayIndexToStartUs(ref.day);
    const mLo = Math.max(0, Math.floor((fromUs - base) / US_PER_MIN));
    const mHi = Math.min(1440, Math.ceil((toUs - base) / US_PER_MIN));
    const got = days.onDay(
      ref,
      (d) => {
        const sym = daySymbol(d, q.symbol);
        if (!sym) return { rows: [] as number[][], at: 2 };
        if (d.archived) {
          const rows = archivedMinuteBars(d, sym.id, mLo, mHi);
          return rows === null ? null : { rows, at: 4 };
        }
        const rows = d.db
          .prepare(
            `SELECT m, n, b_o, b_h, b_l, b_c, a_o, a_h, a_l, a_c, m_o, m_h, m_l, m_c
           FROM bars_1m WHERE sym = ? AND m >= ? AND m < ? ORDER BY m`,
          )
          .raw(true)
          .all(sym.id, mLo, mHi) as number[][];
        return { rows, at: 2 };
      },
      { rows: [] as number[][], at: 2 },
    );
    if (got === null) {
      // Late ticks changed this archived day's minutes: its bars come from its ticks.
      addTicks(
        builder,
        range,
        q,
        Math.max(fromUs, base + mLo * US_PER_MIN),
        Math.min(toUs, base + mHi * US_PER_MIN),
      );
      continue;
    }
    // From column `at` on: bid, ask and mid OHLC, as addBar takes them.
    for (const r of got.rows) builder.addBar(base + r[0] * US_PER_MIN, r[1], r, got.at);
  }
}

/**
 * An archived day's stored bars of minutes [mLo, mHi) (columns as BAR_COLUMNS), decoded once
 * per open file; null when late ticks (not in the stored bars) exist for the symbol.
 */
function archivedMinuteBars(d: OpenDay, symId: number, mLo: number, mHi: number): number[][] | null {
  const base = keyBase(symId);
  const late = d.db
    .prepare('SELECT count(*) FROM q WHERE k >= ? AND k < ?')
    .pluck()
    .get(base, keyPlus(base, US_PER_DAY)) as number;
  if (late > 0) return null;
  let cache = barCache.get(d);
  if (!cache) barCache.set(d, (cache = new Map()));
  let rows = cache.get(symId);
  if (!rows) {
    const data = d.db.prepare('SELECT data FROM bars_blocks WHERE sym = ?').pluck().get(symId) as
      Buffer | undefined;
    rows = data ? decodeBars(data) : [];
    cache.set(symId, rows);
  }
  return rows.filter((r) => r[0] >= mLo && r[0] < mHi);
}

const barCache = new WeakMap<OpenDay, Map<number, number[][]>>();
