// What a reader worker answers. Tick columns cross as transferred Float64Arrays (structured-
// cloning arrays of 100K numbers costs more than the query that produced them).
import type { BarColumns, PriceSide } from '../../../shared/bars.ts';
import type { DayInfo, SymbolInfo } from '../../../shared/catalog.ts';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';

export interface PackedTicks {
  symbol: string;
  tsUs: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  /** Index into `sources` per tick. */
  source: Float64Array;
  sources: string[];
  nextCursor: string | null;
}

export interface ReaderApi {
  [method: string]: (...args: never[]) => unknown;
  range(symbol: string, fromUs: number, toUs: number, limit: number, cursor: string | undefined): PackedTicks;
  recent(symbol: string, limit: number): PackedTicks;
  bars(symbol: string, fromUs: number, toUs: number, timeframeSec: number, price: PriceSide): BarColumns;
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
