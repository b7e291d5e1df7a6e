// Top of book per symbol from MarketDataSnapshotFullRefresh (W) and MarketDataIncrementalRefresh
// (X) at MarketDepth=1, and the ticks it yields: one per symbol whose best bid or offer (price or
// size) changed in a message, once both sides are known.
//
// Tick seq: a message's MsgSeqNum is the exchange's update id, but one X can move several symbols,
// and (symbol, source, time, seq) is a tick's identity. So seq = MsgSeqNum * 1000 + the symbol's
// index among the distinct symbols of that message, in order of first appearance (0 for a W).
// It stays unique per session and ordered as the peer sent it; MsgSeqNum = floor(seq / 1000).
// A message with more than 1000 symbols gives the rest index 999 (they still differ by symbol).
import type { TickInput } from '../../../shared/tick.ts';
import type { FixInbound, FixMdEntry } from './fixMessages.ts';
import { Tag } from './fixMessages.ts';
import { entryTimeUs, parseFixTimestampUs } from './fixTime.ts';

export const SEQ_SYMBOL_SLOTS = 1000;

/** Why an entry of a W/X was not applied; counted like malformed messages. */
export type FixEntryProblem = 'md_entry_no_symbol' | 'md_entry_bad_price' | 'md_entry_bad_action';

interface Side {
  px: number;
  size: number | undefined;
}

interface Book {
  bid: Side | null;
  ask: Side | null;
  /** What the last tick said, so a message that changes nothing yields none. */
  sent: { bid: number; ask: number; bidSize: number | undefined; askSize: number | undefined } | null;
}

export interface TopOfBookContext {
  source: string;
  /** The receive time of the message, µs. */
  recvUs: number;
  /** The symbol an MDReqID was sent for (entries without Symbol). */
  symbolForRequest(mdReqId: string | null): string | null;
  tick(t: TickInput): void;
  problem(reason: FixEntryProblem, detail: string): void;
}

export class FixTopOfBook {
  private readonly books = new Map<string, Book>();
  private readonly tickObj: TickInput = { symbol: '', bid: 0, ask: 0, tsUs: 0 };

  /** After a disconnect: the next snapshot starts every book afresh (and is ticked even if equal). */
  clear(): void {
    this.books.clear();
  }

  bidAsk(symbol: string): { bid: number | null; ask: number | null } {
    const b = this.books.get(symbol);
    return { bid: b?.bid?.px ?? null, ask: b?.ask?.px ?? null };
  }

  /** Applies a W or X; returns how many ticks it produced. */
  apply(m: FixInbound, ctx: TopOfBookContext): number {
    const entries = m.entries ?? [];
    // A resent message (PossDupFlag=Y) carries the resend time in SendingTime and the original
    // in OrigSendingTime: the quote happened at the original.
    const sendingUs = parseFixTimestampUs(m.possDup && m.origSendingTime ? m.origSendingTime : m.sendingTime);
    const mdReqId = m.fields.get(Tag.MDReqID) ?? null;
    // symbol → latest entry time in this message; insertion order = order of first appearance.
    const touched = new Map<string, number | null>();

    if (m.msgType === 'W') {
      const symbol = m.fields.get(Tag.Symbol) ?? ctx.symbolForRequest(mdReqId);
      if (!symbol) {
        ctx.problem('md_entry_no_symbol', `snapshot seq ${m.seqNum} names no symbol`);
        return 0;
      }
      let bid: Side | null = null;
      let ask: Side | null = null;
      let time: number | null = null;
      for (const e of entries) {
        if (e.type !== '0' && e.type !== '1') continue;
        const side = readSide(e);
        if (!side) {
          ctx.problem('md_entry_bad_price', `snapshot seq ${m.seqNum} ${symbol}: price ${e.px ?? '(none)'}`);
          continue;
        }
        // Depth 1 asked for; if the peer sends more levels, the best one is the top.
        if (e.type === '0' && (!bid || side.px > bid.px)) bid = side;
        if (e.type === '1' && (!ask || side.px < ask.px)) ask = side;
        time = later(time, entryTimeUs(e.date, e.time, sendingUs));
      }
      const book = this.book(symbol);
      book.bid = bid;
      book.ask = ask;
      touched.set(symbol, time);
    } else {
      let lastSymbol: string | null = null;
      for (const e of entries) {
        const symbol: string | null = e.symbol ?? lastSymbol ?? ctx.symbolForRequest(mdReqId);
        if (!symbol) {
          ctx.problem('md_entry_no_symbol', `incremental seq ${m.seqNum}: an entry names no symbol`);
          continue;
        }
        lastSymbol = symbol;
        if (e.type !== '0' && e.type !== '1') continue;
        const book = this.book(symbol);
        if (e.action === '2') {
          if (e.type === '0') book.bid = null;
          else book.ask = null;
        } else if (e.action === '0' || e.action === '1') {
          const side = readSide(e);
          if (!side) {
            ctx.problem(
              'md_entry_bad_price',
              `incremental seq ${m.seqNum} ${symbol}: price ${e.px ?? '(none)'}`,
            );
            continue;
          }
          if (e.type === '0') book.bid = side;
          else book.ask = side;
        } else {
          ctx.problem(
            'md_entry_bad_action',
            `incremental seq ${m.seqNum} ${symbol}: MDUpdateAction ${e.action ?? '(none)'}`,
          );
          continue;
        }
        touched.set(symbol, later(touched.get(symbol) ?? null, entryTimeUs(e.date, e.time, sendingUs)));
      }
    }

    let ticks = 0;
    let index = 0;
    for (const [symbol, time] of touched) {
      const slot = Math.min(index++, SEQ_SYMBOL_SLOTS - 1);
      const book = this.books.get(symbol);
      if (!book?.bid || !book.ask) continue;
      const sent = book.sent;
      if (
        sent &&
        sent.bid === book.bid.px &&
        sent.ask === book.ask.px &&
        sent.bidSize === book.bid.size &&
        sent.askSize === book.ask.size
      )
        continue;
      book.sent = { bid: book.bid.px, ask: book.ask.px, bidSize: book.bid.size, askSize: book.ask.size };
      const t = this.tickObj;
      t.symbol = symbol;
      t.bid = book.bid.px;
      t.ask = book.ask.px;
      t.bidSize = book.bid.size;
      t.askSize = book.ask.size;
      t.source = ctx.source;
      t.recvUs = ctx.recvUs;
      t.seq = m.seqNum * SEQ_SYMBOL_SLOTS + slot;
      const exchUs = time ?? sendingUs;
      if (exchUs !== null) {
        t.tsUs = exchUs;
        t.noExchangeTime = undefined;
      } else {
        t.tsUs = ctx.recvUs;
        t.noExchangeTime = true;
      }
      ctx.tick(t);
      ticks++;
    }
    return ticks;
  }

  private book(symbol: string): Book {
    let b = this.books.get(symbol);
    if (!b) {
      b = { bid: null, ask: null, sent: null };
      this.books.set(symbol, b);
    }
    return b;
  }
}

function readSide(e: FixMdEntry): Side | null {
  const px = e.px === null ? NaN : Number(e.px);
  if (!Number.isFinite(px) || px <= 0) return null;
  const size = e.size === null ? undefined : Number(e.size);
  return { px, size: size !== undefined && Number.isFinite(size) && size >= 0 ? size : undefined };
}

function later(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return b > a ? b : a;
}
