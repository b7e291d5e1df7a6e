// The tick model shared by the engine, the IPC contract and the renderer.

/** What a feed hands to the recorder. Times are integer µs since the epoch, UTC. */
export interface TickInput {
  symbol: string;
  bid: number;
  ask: number;
  /** Liquidity provider or feed the quote came from; defaults to 'default'. */
  source?: string;
  /** Exchange (or feed) timestamp. */
  tsUs: number;
  /** When the recorder received it; stamped on ingest when absent. */
  recvUs?: number;
  bidSize?: number;
  askSize?: number;
  /**
   * The exchange's sequence or update id (Binance `u`, Coinbase `sequence_num`, FIX MsgSeqNum):
   * part of the stored identity, so two distinct updates with equal prices in the same µs are
   * both kept. A non-negative safe integer.
   */
  seq?: number;
  /**
   * The exchange sent no time (Binance spot bookTicker): `tsUs` is the receive time, and the
   * tick is stored with no exchange time rather than an invented one.
   */
  noExchangeTime?: boolean;
}

export const DEFAULT_SOURCE = 'default';
export const MAX_SYMBOL_LENGTH = 32;
export const MAX_SOURCE_LENGTH = 32;

/** Every reason a tick can be turned away; each is counted separately. */
export const REJECT_REASONS = [
  'not_an_object',
  'symbol_missing',
  'symbol_too_long',
  'symbol_invalid_chars',
  'source_invalid',
  'bid_not_finite',
  'ask_not_finite',
  'bid_not_positive',
  'ask_not_positive',
  'timestamp_not_integer',
  'timestamp_out_of_range',
  'receive_timestamp_invalid',
  'size_invalid',
  'sequence_invalid',
  'symbol_limit',
  'source_limit',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const REJECT_REASON_TEXT: Record<RejectReason, string> = {
  not_an_object: 'tick is not an object',
  symbol_missing: 'symbol is missing or empty',
  symbol_too_long: `symbol is longer than ${MAX_SYMBOL_LENGTH} characters`,
  symbol_invalid_chars: 'symbol contains whitespace or characters outside A-Z a-z 0-9 . _ / : - # ^ + = @',
  source_invalid: `source must be 1-${MAX_SOURCE_LENGTH} characters without whitespace`,
  bid_not_finite: 'bid is not a finite number',
  ask_not_finite: 'ask is not a finite number',
  bid_not_positive: 'bid is zero or negative',
  ask_not_positive: 'ask is zero or negative',
  timestamp_not_integer: 'timestamp is not an integer number of microseconds',
  timestamp_out_of_range: 'timestamp is outside the accepted range',
  receive_timestamp_invalid: 'receive timestamp is not an integer number of microseconds',
  size_invalid: 'bid/ask size is not a finite non-negative number',
  sequence_invalid: 'sequence (update id) is not a non-negative safe integer',
  symbol_limit: 'a new symbol beyond the configured symbol limit (maxSymbols)',
  source_limit: 'a new source beyond the configured source limit',
};

const NAME_PATTERN = /^[A-Za-z0-9._/:\-#^+=@]+$/;

export function checkSymbol(symbol: unknown): RejectReason | null {
  if (typeof symbol !== 'string' || symbol.length === 0) return 'symbol_missing';
  if (symbol.length > MAX_SYMBOL_LENGTH) return 'symbol_too_long';
  if (!NAME_PATTERN.test(symbol)) return 'symbol_invalid_chars';
  return null;
}

export function checkSource(source: unknown): RejectReason | null {
  if (source === undefined) return null;
  if (typeof source !== 'string' || source.length === 0 || source.length > MAX_SOURCE_LENGTH) {
    return 'source_invalid';
  }
  return NAME_PATTERN.test(source) ? null : 'source_invalid';
}

export interface TimeBounds {
  minTsUs: number;
  maxTsUs: number;
}

/**
 * Checks the numeric fields of a tick. Symbol and source are checked separately (and cached by
 * the engine), because they repeat on every tick while numbers change.
 * Crossed quotes (bid > ask) are valid: they are real market events.
 */
export function checkTickNumbers(t: TickInput, bounds: TimeBounds): RejectReason | null {
  const { bid, ask, tsUs } = t;
  if (typeof bid !== 'number' || !Number.isFinite(bid)) return 'bid_not_finite';
  if (typeof ask !== 'number' || !Number.isFinite(ask)) return 'ask_not_finite';
  if (bid <= 0) return 'bid_not_positive';
  if (ask <= 0) return 'ask_not_positive';
  if (typeof tsUs !== 'number' || !Number.isSafeInteger(tsUs)) return 'timestamp_not_integer';
  if (tsUs < bounds.minTsUs || tsUs > bounds.maxTsUs) return 'timestamp_out_of_range';
  const r = t.recvUs;
  if (r !== undefined && (typeof r !== 'number' || !Number.isSafeInteger(r)))
    return 'receive_timestamp_invalid';
  const bs = t.bidSize;
  if (bs !== undefined && (typeof bs !== 'number' || !(bs >= 0) || bs === Infinity)) return 'size_invalid';
  const as = t.askSize;
  if (as !== undefined && (typeof as !== 'number' || !(as >= 0) || as === Infinity)) return 'size_invalid';
  const q = t.seq;
  if (q !== undefined && (typeof q !== 'number' || !Number.isSafeInteger(q) || q < 0))
    return 'sequence_invalid';
  return null;
}

/** Full validation for code paths that are not the hot path (importers, tests, IPC). */
export function validateTick(t: unknown, bounds: TimeBounds): RejectReason | null {
  if (t === null || typeof t !== 'object') return 'not_an_object';
  const tick = t as TickInput;
  return checkSymbol(tick.symbol) ?? checkSource(tick.source) ?? checkTickNumbers(tick, bounds);
}

/** Columnar ticks of one symbol, as queries return them (JSON- and structured-clone-friendly). */
export interface TickColumns {
  symbol: string;
  tsUs: number[];
  bid: number[];
  ask: number[];
  /** Index into `sources` per tick. */
  source: number[];
  sources: string[];
  /** Per tick, aligned with `tsUs`; null where the feed gave no size. */
  bidSize?: (number | null)[];
  askSize?: (number | null)[];
}
