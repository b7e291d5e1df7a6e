// What a reader worker answers. Tick columns cross as transferred Float64Arrays (structured-
// cloning arrays of 100K numbers costs more than the query that produced them).
import type { BarColumns } from '../../../shared/bars.ts';
import type { DayInfo, SymbolInfo } from '../../../shared/catalog.ts';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import type { StreamPage, StreamSelection } from '../stream/streamTypes.ts';

export interface PackedTicks {
  symbol: string;
  tsUs: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  /** Index into `sources` per tick. */
  source: Float64Array;
  sources: string[];
  /** NaN where no size is stored. */
  bidSize: Float64Array;
  askSize: Float64Array;
  nextCursor: string | null;
}

/** The typed columns of a PackedTicks, in one list for transfer and merging. */
export const PACKED_COLUMNS = ['tsUs', 'bid', 'ask', 'source', 'bidSize', 'askSize'] as const;

export interface ReaderApi {
  [method: string]: (...args: never[]) => unknown;
  /** `source` null: every source; `sizes` false: the size columns are left unread (NaN). */
  range(
    symbol: string,
    fromUs: number,
    toUs: number,
    limit: number,
    cursor: string | undefined,
    source: string | null,
    sizes: boolean,
  ): PackedTicks;
  recent(symbol: string, limit: number): PackedTicks;
  /** A page of the ordered tick stream (stream/streamReader.ts). */
  streamPage(selection: StreamSelection, cursor: string | null, maxTicks: number): StreamPage;
  /** Bid, ask and mid bars; `source` null: every source (from the 1-minute bars where they suffice). */
  bars(symbol: string, fromUs: number, toUs: number, timeframeSec: number, source: string | null): BarColumns;
  symbols(): SymbolInfo[];
  /** Gap-ledger entries of the day files, oldest first; null filters match everything. */
  feedEvents(
    fromUs: number,
    toUs: number,
    feed: string | null,
    symbol: string | null,
    kinds: string[] | null,
    limit: number,
  ): FeedEvent[];
  days(): DayInfo[];
  close(): void;
}
