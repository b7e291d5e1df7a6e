// Parsing Coinbase Advanced Trade WebSocket messages: ticker (batched: several events, several
// tickers each), heartbeats, subscriptions acks and errors. Every message on a connection carries
// the connection's sequence_num (heartbeats and acks too), which is how lost messages are found.
import { parseDecimal } from '../core/decimalText.ts';

export interface CoinbaseTicker {
  /** Position among the message's ticker entries (all events), for seq = sequence_num × 1000 + index. */
  index: number;
  productId: string;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
}

/** Where parseCoinbaseMessage writes; reused for every message. */
export interface CoinbaseMessage {
  channel: string;
  /** -1 when the message has none (errors). */
  sequenceNum: number;
  /** The message's `timestamp` in µs; -1 when absent or unreadable. */
  timestampUs: number;
  /** The good ticker entries are tickers[0..count). */
  tickers: CoinbaseTicker[];
  count: number;
  /** Ticker entries that were malformed, and the reason of the last one. */
  badEntries: number;
  badReason: string;
  errorText: string;
}

export function emptyCoinbaseMessage(): CoinbaseMessage {
  return {
    channel: '',
    sequenceNum: -1,
    timestampUs: -1,
    tickers: [],
    count: 0,
    badEntries: 0,
    badReason: '',
    errorText: '',
  };
}

export const COINBASE_MALFORMED = {
  notJson: 'not JSON (or truncated)',
  notObject: 'not a JSON object',
  unexpected: 'unexpected message shape',
  sequence: 'sequence_num missing or not a non-negative integer',
  time: 'timestamp missing or not an ISO time',
  events: 'events missing or not a list',
  product: 'ticker product_id missing or not text',
  price: 'ticker best_bid/best_ask missing or not a positive number',
  size: 'ticker best_bid_quantity/best_ask_quantity not a non-negative number',
  tooMany: 'more than 1,000 tickers in one message (seq = sequence_num × 1000 + index)',
} as const;

export type CoinbaseResult = 'ticker' | 'heartbeat' | 'subscriptions' | 'error' | 'other_channel' | string;

/** Entries per message that get distinct seq values (sequence_num × 1000 + index). */
export const MAX_TICKERS_PER_MESSAGE = 1000;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;

/** An ISO-8601 UTC time with up to 9 fractional digits (Coinbase sends ns) as integer µs; NaN if not one. */
export function isoToUs(s: string): number {
  const m = ISO.exec(s);
  if (!m) return NaN;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = +m[6];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return NaN;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return NaN;
  // Fraction digits beyond µs are cut (not rounded): a time never moves into the next µs.
  const frac = m[7] ? +(m[7] + '00000').slice(0, 6) : 0;
  let offsetMin = 0;
  if (!m[8] && m[9]) {
    const oh = +m[10];
    const om = +m[11];
    if (oh > 23 || om > 59) return NaN;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMin * 60_000;
  return ms * 1000 + frac;
}

const MAX_PRODUCT = 32;

function entryInto(e: unknown, into: CoinbaseTicker): string | null {
  if (e === null || typeof e !== 'object') return COINBASE_MALFORMED.unexpected;
  const t = e as Record<string, unknown>;
  const p = t.product_id;
  if (typeof p !== 'string' || p.length === 0 || p.length > MAX_PRODUCT) return COINBASE_MALFORMED.product;
  const bid = parseDecimal(t.best_bid);
  const ask = parseDecimal(t.best_ask);
  if (!(bid > 0 && bid < Infinity && ask > 0 && ask < Infinity)) return COINBASE_MALFORMED.price;
  // Sizes may be absent (older message versions): NaN then, the tick carries no size.
  const bq = t.best_bid_quantity === undefined ? NaN : parseDecimal(t.best_bid_quantity);
  const aq = t.best_ask_quantity === undefined ? NaN : parseDecimal(t.best_ask_quantity);
  const badSize = (raw: unknown, v: number) => raw !== undefined && !(v >= 0 && v < Infinity);
  if (badSize(t.best_bid_quantity, bq) || badSize(t.best_ask_quantity, aq)) return COINBASE_MALFORMED.size;
  into.productId = p;
  into.bid = bid;
  into.ask = ask;
  into.bidSize = bq;
  into.askSize = aq;
  return null;
}

/** Parses one text message into `out`; returns what it was (or a malformed reason). Never throws. */
export function parseCoinbaseMessage(text: string, out: CoinbaseMessage): CoinbaseResult {
  out.count = 0;
  out.badEntries = 0;
  out.sequenceNum = -1;
  out.timestampUs = -1;
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return COINBASE_MALFORMED.notJson;
  }
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return COINBASE_MALFORMED.notObject;
  const o = m as Record<string, unknown>;
  if (o.type === 'error') {
    const msg = typeof o.message === 'string' ? o.message : 'error without a message';
    const reason = typeof o.reason === 'string' && o.reason !== msg ? `${msg}: ${o.reason}` : msg;
    out.errorText = reason.length > 300 ? reason.slice(0, 300) : reason;
    return 'error';
  }
  const channel = o.channel;
  if (typeof channel !== 'string') return COINBASE_MALFORMED.unexpected;
  out.channel = channel;
  const seq = o.sequence_num;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return COINBASE_MALFORMED.sequence;
  out.sequenceNum = seq;
  if (typeof o.timestamp === 'string') {
    const us = isoToUs(o.timestamp);
    out.timestampUs = Number.isSafeInteger(us) && us > 0 ? us : -1;
  }
  if (channel === 'heartbeats') return 'heartbeat';
  if (channel === 'subscriptions') return 'subscriptions';
  if (channel !== 'ticker' && channel !== 'ticker_batch') return 'other_channel';
  if (out.timestampUs < 0) return COINBASE_MALFORMED.time;
  const events = o.events;
  if (!Array.isArray(events)) return COINBASE_MALFORMED.events;
  for (const ev of events) {
    const tickers =
      ev !== null && typeof ev === 'object' ? (ev as Record<string, unknown>).tickers : undefined;
    if (!Array.isArray(tickers)) {
      out.badEntries++;
      out.badReason = COINBASE_MALFORMED.events;
      continue;
    }
    for (const t of tickers) {
      if (out.count + out.badEntries >= MAX_TICKERS_PER_MESSAGE) {
        out.badEntries++;
        out.badReason = COINBASE_MALFORMED.tooMany;
        continue;
      }
      let into = out.tickers[out.count];
      if (!into) {
        into = { index: 0, productId: '', bid: 0, ask: 0, bidSize: 0, askSize: 0 };
        out.tickers.push(into);
      }
      into.index = out.count + out.badEntries;
      const bad = entryInto(t, into);
      if (bad) {
        out.badEntries++;
        out.badReason = bad;
      } else out.count++;
    }
  }
  return 'ticker';
}
