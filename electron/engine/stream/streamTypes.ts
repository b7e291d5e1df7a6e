// The one ordered stream of stored ticks that export, replay, the quality report and the
// ClickHouse sink all read. Types only: streamReader.ts builds it over a TickReader inside a
// worker; TickStore.streamPage serves it to the main thread, page by page, statelessly.
//
// Order: tsUs ascending, then symbol name (code-unit order), then the day file's own key order
// within a symbol (source, prices, update id): a total, stable order, the same on every read of
// the same data, so a cursor taken from one page resumes exactly after its last tick.

/** Which stored ticks: live and archived days alike, fromUs inclusive, toUs exclusive. */
export interface StreamSelection {
  /** Exact symbol names; empty: every symbol stored in the range. */
  symbols: readonly string[];
  /** Exact source names; absent or empty: every source. */
  sources?: readonly string[];
  fromUs: number;
  toUs: number;
  /** Read bidSize/askSize (default true); false leaves them NaN and reads faster. */
  sizes?: boolean;
}

/**
 * Resume point, opaque to callers (a string they pass back): the last delivered tick's tsUs and
 * symbol, and how many ticks of that symbol at that tsUs were already delivered.
 */
export type StreamCursor = string;

/**
 * A page of the stream as columns (one entry per tick, all arrays the same length). Symbols and
 * sources are indexes into the page's own name tables. NaN marks a missing value.
 */
export interface StreamColumns {
  length: number;
  symbols: string[];
  sources: string[];
  /** Index into `symbols`. */
  symbol: Uint32Array;
  /** Index into `sources`. */
  source: Uint32Array;
  tsUs: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  bidSize: Float64Array;
  askSize: Float64Array;
  /** When the recorder received it (µs); equal to tsUs where the exchange sent no time. */
  recvUs: Float64Array;
  /** The exchange's update id; NaN where the feed gave none. */
  seq: Float64Array;
  /** 1 where the exchange sent no time (tsUs is then the receive time), else 0. */
  noExchangeTime: Uint8Array;
}

export interface StreamPage {
  ticks: StreamColumns;
  /** Pass back to get the next page; null when the selection is exhausted. */
  cursor: StreamCursor | null;
}

/** The stream inside a worker that owns a TickReader: synchronous, bounded memory. */
export interface TickStreamReader {
  /** At most `maxTicks` ticks after `cursor` (null: from the start of the selection). */
  page(selection: StreamSelection, cursor: StreamCursor | null, maxTicks: number): StreamPage;
}
