// Watchlist rows from `live.quotes` pushes, which carry the latest quote of each (symbol, source):
// per symbol, the best bid (highest) and best ask (lowest) across its live sources with the
// source holding each, which way the best moved (for the flash), tick rates, and one sub-row per
// source. The rules are the live chart's BBO line's (charts/bestBidOffer.ts), so both name the
// same LP: a source silent for STALE_SOURCE_MS is left out of the best (an LP that stopped
// quoting cannot hold the top of the book with an old price), and on a tie the source that has
// shown the price longest holds it (price-time priority).
import type { LiveQuote } from '../../shared/catalog.ts';
import type { QuoteState } from '../charts/quoteState.ts';
import { quoteState } from '../charts/quoteState.ts';
import { direction } from '../format/price.ts';
import { RateMeter } from './rateMeter.ts';

export type { QuoteState };
export const FLASH_MS = 450;
/** The chart's BBO default (DEFAULT_BBO_MAX_AGE_US), measured here on the page's clock. */
export const STALE_SOURCE_MS = 60_000;

interface SourceQuote {
  source: string;
  bid: number;
  ask: number;
  tsUs: number;
  /** Wall-clock ms of the push that carried it (the page's clock, so skew does not matter). */
  seenMs: number;
  /** Since when (wall-clock ms) it has shown its current bid / ask, for price-time priority. */
  bidSinceMs: number;
  askSinceMs: number;
  meter: RateMeter;
}

/** What the model keeps per symbol; rows are computed from it at a given time. */
export interface SymbolEntry {
  symbol: string;
  /** Every source seen quoting this symbol (pushes and the chart's ticks), sorted. */
  sources: string[];
  quotes: Map<string, SourceQuote>;
  meter: RateMeter;
  /** Last non-zero move of the best bid (or ask when the bid held): 1 up, -1 down. */
  move: -1 | 0 | 1;
  /** Wall-clock ms of the last change of the best prices, for the flash. */
  changedAtMs: number;
  bestBid: number | undefined;
  bestAsk: number | undefined;
}

export interface SourceRow {
  source: string;
  bid: number;
  ask: number;
  tsUs: number;
  rate: number;
  state: QuoteState;
  /** Silent for longer than STALE_SOURCE_MS: shown, but not part of the best. */
  stale: boolean;
  holdsBid: boolean;
  holdsAsk: boolean;
}

export interface WatchRow {
  symbol: string;
  /** Best bid across the live sources (max), and the source holding it. */
  bid: number;
  bidSource: string;
  /** Best ask across the live sources (min), and the source holding it. */
  ask: number;
  askSource: string;
  /** Time of the newest quote of any source. */
  tsUs: number;
  sources: string[];
  /** Crossed or locked across sources: best bid >= best ask. */
  state: QuoteState;
  /** Every quoting source is stale (the best is then taken over all of them). */
  stale: boolean;
  move: -1 | 0 | 1;
  changedAtMs: number;
  /** Ticks per second over every source. */
  rate: number;
  /** One entry per source that has quoted, sorted by source. */
  perSource: SourceRow[];
}

interface Best {
  bid: number;
  bidSource: string;
  ask: number;
  askSource: string;
  allStale: boolean;
}

/** Best bid/ask over the sources heard from in the last STALE_SOURCE_MS (all, if none were). */
function bestOf(quotes: Iterable<SourceQuote>, nowMs: number): Best | null {
  const all = [...quotes];
  if (all.length === 0) return null;
  const fresh = all.filter((q) => nowMs - q.seenMs <= STALE_SOURCE_MS);
  const pool = (fresh.length > 0 ? fresh : all).sort((a, b) => a.source.localeCompare(b.source));
  let bid = pool[0];
  let ask = pool[0];
  for (const q of pool) {
    if (q.bid > bid.bid || (q.bid === bid.bid && q.bidSinceMs < bid.bidSinceMs)) bid = q;
    if (q.ask < ask.ask || (q.ask === ask.ask && q.askSinceMs < ask.askSinceMs)) ask = q;
  }
  return {
    bid: bid.bid,
    bidSource: bid.source,
    ask: ask.ask,
    askSource: ask.source,
    allStale: fresh.length === 0,
  };
}

export class WatchlistModel {
  private readonly entries = new Map<string, SymbolEntry>();
  private version = 0;

  apply(quotes: readonly LiveQuote[], nowMs: number): void {
    const touched = new Set<SymbolEntry>();
    for (const q of quotes) {
      let entry = this.entries.get(q.symbol);
      if (!entry) {
        entry = {
          symbol: q.symbol,
          sources: [],
          quotes: new Map(),
          meter: new RateMeter(),
          move: 0,
          changedAtMs: -Infinity,
          bestBid: undefined,
          bestAsk: undefined,
        };
        this.entries.set(q.symbol, entry);
      }
      let sq = entry.quotes.get(q.source);
      if (!sq) {
        sq = {
          source: q.source,
          bid: q.bid,
          ask: q.ask,
          tsUs: q.tsUs,
          seenMs: nowMs,
          bidSinceMs: nowMs,
          askSinceMs: nowMs,
          meter: new RateMeter(),
        };
        entry.quotes.set(q.source, sq);
      }
      if (q.bid !== sq.bid) sq.bidSinceMs = nowMs;
      if (q.ask !== sq.ask) sq.askSinceMs = nowMs;
      sq.bid = q.bid;
      sq.ask = q.ask;
      sq.tsUs = q.tsUs;
      sq.seenMs = nowMs;
      sq.meter.add(q.ticks, nowMs);
      entry.meter.add(q.ticks, nowMs);
      addSource(entry, q.source);
      touched.add(entry);
    }
    for (const entry of touched) {
      const best = bestOf(entry.quotes.values(), nowMs);
      if (!best) continue;
      const first = entry.bestBid === undefined;
      const move = direction(entry.bestBid, best.bid) || direction(entry.bestAsk, best.ask);
      if (!first && move !== 0) {
        entry.move = move;
        entry.changedAtMs = nowMs;
      }
      entry.bestBid = best.bid;
      entry.bestAsk = best.ask;
    }
    if (quotes.length > 0) this.version++;
  }

  /**
   * Sources seen elsewhere (the chart sees every tick, including sources whose quotes have not
   * been pushed yet). True when something was new.
   */
  addSources(symbol: string, sources: readonly string[]): boolean {
    const entry = this.entries.get(symbol);
    if (!entry) return false;
    let added = false;
    for (const s of sources) added = addSource(entry, s) || added;
    if (added) this.version++;
    return added;
  }

  /** Increments whenever a push changed something, so views know when to re-render. */
  get revision(): number {
    return this.version;
  }

  get(symbol: string): SymbolEntry | undefined {
    return this.entries.get(symbol);
  }

  /** Every symbol's row as of nowMs, sorted by symbol. */
  list(nowMs: number): WatchRow[] {
    const out: WatchRow[] = [];
    for (const entry of this.entries.values()) {
      const row = rowOf(entry, nowMs);
      if (row) out.push(row);
    }
    return out.sort((a, b) => a.symbol.localeCompare(b.symbol));
  }

  row(symbol: string, nowMs: number): WatchRow | null {
    const entry = this.entries.get(symbol);
    return entry ? rowOf(entry, nowMs) : null;
  }

  /** The symbol ticking fastest now (first by name on a tie), or null before any quote. */
  mostActive(nowMs: number): string | null {
    let best: string | null = null;
    let bestRate = -1;
    for (const entry of this.entries.values()) {
      const rate = entry.meter.rate(nowMs);
      if (rate > bestRate || (rate === bestRate && best !== null && entry.symbol.localeCompare(best) < 0)) {
        best = entry.symbol;
        bestRate = rate;
      }
    }
    return best;
  }

  /** 'up' / 'down' while a recent change is still flashing, else null. */
  static flash(row: { move: -1 | 0 | 1; changedAtMs: number }, nowMs: number): 'up' | 'down' | null {
    if (nowMs - row.changedAtMs > FLASH_MS || row.move === 0) return null;
    return row.move > 0 ? 'up' : 'down';
  }
}

function rowOf(entry: SymbolEntry, nowMs: number): WatchRow | null {
  const best = bestOf(entry.quotes.values(), nowMs);
  if (!best) return null;
  const perSource: SourceRow[] = [...entry.quotes.values()]
    .sort((a, b) => a.source.localeCompare(b.source))
    .map((q) => ({
      source: q.source,
      bid: q.bid,
      ask: q.ask,
      tsUs: q.tsUs,
      rate: q.meter.rate(nowMs),
      state: quoteState(q.bid, q.ask),
      stale: nowMs - q.seenMs > STALE_SOURCE_MS,
      holdsBid: q.source === best.bidSource,
      holdsAsk: q.source === best.askSource,
    }));
  return {
    symbol: entry.symbol,
    bid: best.bid,
    bidSource: best.bidSource,
    ask: best.ask,
    askSource: best.askSource,
    tsUs: Math.max(...perSource.map((s) => s.tsUs)),
    sources: entry.sources,
    state: quoteState(best.bid, best.ask),
    stale: best.allStale,
    move: entry.move,
    changedAtMs: entry.changedAtMs,
    rate: entry.meter.rate(nowMs),
    perSource,
  };
}

function addSource(entry: SymbolEntry, source: string): boolean {
  if (!source || entry.sources.includes(source)) return false;
  entry.sources = [...entry.sources, source].sort((a, b) => a.localeCompare(b));
  return true;
}
