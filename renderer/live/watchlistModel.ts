// Watchlist rows from `live.quotes` pushes: latest quote, which way it moved (for the flash),
// and a tick rate computed here from the per-push tick counts.
import type { LiveQuote } from '../../shared/catalog.ts';
import { direction } from '../format/price.ts';
import { RateMeter } from './rateMeter.ts';

export const FLASH_MS = 450;

export interface WatchRow {
  symbol: string;
  bid: number;
  ask: number;
  tsUs: number;
  source: string;
  /** Every source seen quoting this symbol, sorted. */
  sources: string[];
  /** Last non-zero move of the bid: 1 up, -1 down. */
  move: -1 | 0 | 1;
  /** Wall-clock ms of the last price change, for the flash. */
  changedAtMs: number;
  meter: RateMeter;
}

export class WatchlistModel {
  private readonly rows = new Map<string, WatchRow>();
  private version = 0;

  apply(quotes: readonly LiveQuote[], nowMs: number): void {
    for (const q of quotes) {
      const row = this.rows.get(q.symbol);
      if (!row) {
        const meter = new RateMeter();
        meter.add(q.ticks, nowMs);
        this.rows.set(q.symbol, {
          symbol: q.symbol,
          bid: q.bid,
          ask: q.ask,
          tsUs: q.tsUs,
          source: q.source,
          sources: q.source ? [q.source] : [],
          move: 0,
          changedAtMs: -Infinity,
          meter,
        });
        continue;
      }
      const move = direction(row.bid, q.bid) || direction(row.ask, q.ask);
      if (move !== 0) {
        row.move = move;
        row.changedAtMs = nowMs;
      }
      row.bid = q.bid;
      row.ask = q.ask;
      row.tsUs = q.tsUs;
      row.source = q.source;
      addSource(row, q.source);
      row.meter.add(q.ticks, nowMs);
    }
    if (quotes.length > 0) this.version++;
  }

  /**
   * Sources seen elsewhere (the chart sees every tick; a push carries only the latest quote's
   * source, so a rarely quoting LP may never be the latest). True when something was new.
   */
  addSources(symbol: string, sources: readonly string[]): boolean {
    const row = this.rows.get(symbol);
    if (!row) return false;
    let added = false;
    for (const s of sources) added = addSource(row, s) || added;
    if (added) this.version++;
    return added;
  }

  /** Increments whenever a push changed something, so views know when to re-render. */
  get revision(): number {
    return this.version;
  }

  list(): WatchRow[] {
    return [...this.rows.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
  }

  get(symbol: string): WatchRow | undefined {
    return this.rows.get(symbol);
  }

  /** 'up' / 'down' while a recent change is still flashing, else null. */
  static flash(row: WatchRow, nowMs: number): 'up' | 'down' | null {
    if (nowMs - row.changedAtMs > FLASH_MS || row.move === 0) return null;
    return row.move > 0 ? 'up' : 'down';
  }
}

function addSource(row: WatchRow, source: string): boolean {
  if (!source || row.sources.includes(source)) return false;
  row.sources = [...row.sources, source].sort((a, b) => a.localeCompare(b));
  return true;
}
