// What the store holds: symbols, days, and run-time settings, as queries and the UI see them.
import type { Backend } from './stats.ts';
import type { TickColumns } from './tick.ts';

export interface SymbolInfo {
  symbol: string;
  firstUs: number;
  lastUs: number;
  count: number;
}

export interface DayInfo {
  day: string; // YYYY-MM-DD (UTC)
  path: string;
  bytes: number;
  ticks: number;
  symbols: number;
}

export interface StorageSettings {
  backend: Backend;
  dataDir: string;
  batchSize: number;
  batchIntervalMs: number;
  queueCapacity: number;
  retentionDays: number | null;
  throttleRepeats: boolean;
  throttleMinIntervalMs: number;
}

/** One page of a range query: columns plus where to continue. */
export interface TickPage extends TickColumns {
  /** Pass back as `cursor` to get the next page; null at the end of the range. */
  nextCursor: string | null;
}

export interface RecordingStatus {
  recording: boolean;
  feed: string | null;
  symbols: string[];
  ratePerSec: number;
  startedAtUs: number | null;
}

export interface FeedInfo {
  id: string;
  name: string;
  description: string;
}

/** Latest quote per symbol, pushed a few times per second for the watchlist. */
export interface LiveQuote {
  symbol: string;
  bid: number;
  ask: number;
  tsUs: number;
  source: string;
  /** Ticks of this symbol since the previous push. */
  ticks: number;
}
