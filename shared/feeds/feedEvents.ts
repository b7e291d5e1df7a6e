// The gap ledger: what happened to a feed's connection and its symbols, with times, so a gap in
// the ticks is never a mystery afterwards. Stored in the day file of `tsUs` (table feed_events),
// served over the contract and drawn by the charts' gap overlay.

export const FEED_EVENT_KINDS = [
  /** Connected (and logged on / subscribed); `sinceUs` is the disconnect it ends, if any. */
  'connect',
  /** The connection closed or was found dead; `code`/`reason` say how (close code, error). */
  'disconnect',
  /** A reconnect attempt was scheduled; `reason` says after what and how long it waits. */
  'reconnect',
  /** A symbol stopped quoting for longer than its learned normal spacing allows. */
  'stale_start',
  /** A stale symbol quoted again; `sinceUs` is when it went stale. */
  'stale_end',
  /** Exchange sequence numbers skipped: `fromSeq`..`toSeq` are the missing ones. */
  'sequence_gap',
  /** A gap that was filled afterwards (FIX ResendRequest answered, GapFill): same from/to. */
  'gap_filled',
  /** The peer refused something (FIX Reject, MarketDataRequestReject, subscribe error). */
  'rejected',
] as const;
export type FeedEventKind = (typeof FEED_EVENT_KINDS)[number];

export interface FeedEvent {
  /** When it happened, µs since the epoch (the recorder's clock). */
  tsUs: number;
  /** The configured feed's id. */
  feed: string;
  /** The source name its ticks carry (binance, coinbase, the FIX TargetCompID...). */
  source: string;
  kind: FeedEventKind;
  /** The symbol, for per-symbol events (stale_*, sequence_gap); null for connection events. */
  symbol: string | null;
  /** WebSocket close code, FIX reject reason code...; null when there is none. */
  code: number | null;
  /** Words a person can act on; never a secret. */
  reason: string;
  fromSeq: number | null;
  toSeq: number | null;
  /** For an event that ends a gap (connect, stale_end, gap_filled): when the gap began. */
  sinceUs: number | null;
}

/** The longest reason kept; longer ones are cut (peers can send anything). */
export const MAX_FEED_EVENT_REASON = 500;

export function feedEvent(
  e: Pick<FeedEvent, 'tsUs' | 'feed' | 'source' | 'kind' | 'reason'> & Partial<FeedEvent>,
): FeedEvent {
  return {
    tsUs: e.tsUs,
    feed: e.feed,
    source: e.source,
    kind: e.kind,
    symbol: e.symbol ?? null,
    code: e.code ?? null,
    reason: e.reason.length > MAX_FEED_EVENT_REASON ? e.reason.slice(0, MAX_FEED_EVENT_REASON) : e.reason,
    fromSeq: e.fromSeq ?? null,
    toSeq: e.toSeq ?? null,
    sinceUs: e.sinceUs ?? null,
  };
}
