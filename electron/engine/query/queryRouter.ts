// Queries: checked here (the engine is also used directly by the CLI and the migration, not only
// through the IPC schema), answered from the live rings when they hold enough, otherwise by the
// reader pool. A day-long range of one symbol is split in two halves for two readers.
import type { BarColumns } from '../../../shared/bars.ts';
import { PRICE_SIDES } from '../../../shared/bars.ts';
import type { DayInfo, SymbolInfo, TickPage } from '../../../shared/catalog.ts';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import { FEED_EVENT_KINDS } from '../../../shared/feeds/feedEvents.ts';
import type { TickColumns } from '../../../shared/tick.ts';
import { QueryError } from '../errors.ts';
import type { IngestPipeline } from '../ingest/ingestPipeline.ts';
import type { FeedEventFilter } from '../ledger/feedEventLedger.ts';
import type { PackedTicks } from '../workers/readerApi.ts';
import type { BarsQuery, FeedEventQuery, RangeQuery } from '../tickStoreApi.ts';
import { mergeHalves, midpoint, splittable } from './rangeSplit.ts';
import type { ReaderPool } from './readerPool.ts';

const DEFAULT_PAGE = 100_000;
export const DEFAULT_FEED_EVENTS = 10_000;

export class QueryRouter {
  private readonly pool: ReaderPool;
  private readonly live: IngestPipeline;

  constructor(pool: ReaderPool, live: IngestPipeline) {
    this.pool = pool;
    this.live = live;
  }

  async recent(symbol: string, limit: number): Promise<TickColumns> {
    checkLimit(limit); // before the ring: a fractional limit would index it between slots
    const fromRing = this.live.recentFromRing(symbol, limit);
    if (fromRing) return fromRing;
    const { nextCursor: _n, ...cols } = unpack(await this.pool.call('recent', symbol, limit));
    return cols;
  }

  async range(q: RangeQuery): Promise<TickPage> {
    checkRange(q.fromUs, q.toUs);
    const limit = q.limit ?? DEFAULT_PAGE;
    checkLimit(limit); // a page of 0 would come back with a cursor that cannot be resumed
    if (this.pool.size >= 2 && splittable(q.fromUs, q.toUs, q.cursor)) {
      const mid = midpoint(q.fromUs, q.toUs);
      const [ra, rb] = this.pool.leastLoaded(2);
      const [a, b] = await Promise.all([
        ra.call('range', q.symbol, q.fromUs, mid, limit, undefined),
        rb.call('range', q.symbol, mid, q.toUs, limit, undefined),
      ]);
      const merged = mergeHalves(a, b, limit);
      if (merged) return unpack(merged);
    }
    return unpack(await this.pool.call('range', q.symbol, q.fromUs, q.toUs, limit, q.cursor));
  }

  async bars(q: BarsQuery): Promise<BarColumns> {
    checkRange(q.fromUs, q.toUs);
    if (!Number.isInteger(q.timeframeSec) || q.timeframeSec < 1 || q.timeframeSec > 86_400) {
      throw new QueryError(
        `timeframeSec ${q.timeframeSec} must be a whole number of seconds from 1 to 86400`,
      );
    }
    // The reader would otherwise fold an unknown side as mid without saying so.
    if (!(PRICE_SIDES as readonly string[]).includes(q.price)) {
      throw new QueryError(`price ${JSON.stringify(q.price)} must be one of ${PRICE_SIDES.join(', ')}`);
    }
    return this.pool.call('bars', q.symbol, q.fromUs, q.toUs, q.timeframeSec, q.price);
  }

  /**
   * Gap-ledger entries from the day files and those still held in memory (`held`), oldest
   * first. The held ones are taken before the files are read: an entry written meanwhile is
   * then in one or both, never in neither; one in both is returned once.
   */
  async feedEvents(q: FeedEventQuery, held: (f: FeedEventFilter) => FeedEvent[]): Promise<FeedEvent[]> {
    const f = checkFeedEventQuery(q);
    const limit = q.limit ?? DEFAULT_FEED_EVENTS;
    checkLimit(limit);
    const pending = held(f);
    const stored = await this.pool.call(
      'feedEvents',
      f.fromUs,
      f.toUs,
      f.feed,
      f.symbol,
      f.kinds === null ? null : [...f.kinds],
      limit,
    );
    if (pending.length === 0) return stored;
    const seen = new Set<string>();
    const out: FeedEvent[] = [];
    // A stable sort: equal times keep file order, then the order they were recorded in.
    for (const e of [...stored, ...pending].sort((a, b) => a.tsUs - b.tsUs)) {
      const k = eventKey(e);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(e);
      if (out.length === limit) break;
    }
    return out;
  }

  listSymbols(): Promise<SymbolInfo[]> {
    return this.pool.call('symbols');
  }

  listDays(): Promise<DayInfo[]> {
    return this.pool.call('days');
  }
}

/** Typed columns from a reader as the plain arrays of the API (JSON- and IPC-friendly). */
function unpack(p: PackedTicks): TickPage {
  return {
    symbol: p.symbol,
    tsUs: toArray(p.tsUs),
    bid: toArray(p.bid),
    ask: toArray(p.ask),
    source: toArray(p.source),
    sources: p.sources,
    nextCursor: p.nextCursor,
  };
}

function toArray(a: Float64Array): number[] {
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i];
  return out;
}

function checkRange(fromUs: number, toUs: number): void {
  if (!Number.isSafeInteger(fromUs) || !Number.isSafeInteger(toUs)) {
    throw new QueryError('fromUs and toUs must be integer microseconds');
  }
  if (toUs < fromUs) throw new QueryError(`empty range: toUs (${toUs}) is before fromUs (${fromUs})`);
}

function checkFeedEventQuery(q: FeedEventQuery): FeedEventFilter {
  if (q === null || typeof q !== 'object') throw new QueryError('a feed event query is an object');
  checkRange(q.fromUs, q.toUs);
  for (const k of ['feed', 'symbol'] as const) {
    const v = q[k];
    if (v !== undefined && (typeof v !== 'string' || v.length === 0))
      throw new QueryError(`${k} must be a non-empty string when given`);
  }
  const kinds = q.kinds;
  if (kinds !== undefined) {
    if (!Array.isArray(kinds)) throw new QueryError('kinds must be a list of feed event kinds');
    for (const k of kinds) {
      if (!(FEED_EVENT_KINDS as readonly string[]).includes(k))
        throw new QueryError(`kind ${JSON.stringify(k)} is not one of ${FEED_EVENT_KINDS.join(', ')}`);
    }
  }
  return {
    fromUs: q.fromUs,
    toUs: q.toUs,
    feed: q.feed ?? null,
    symbol: q.symbol ?? null,
    kinds: kinds ?? null,
  };
}

function eventKey(e: FeedEvent): string {
  return JSON.stringify([
    e.tsUs,
    e.feed,
    e.source,
    e.kind,
    e.symbol,
    e.code,
    e.reason,
    e.fromSeq,
    e.toSeq,
    e.sinceUs,
  ]);
}

function checkLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new QueryError(`limit ${limit} must be a whole number of ticks, at least 1`);
  }
}
