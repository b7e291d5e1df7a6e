// Per symbol and UTC day, the count and checksum of the ticks the store accepted from one file.
// The ledger keeps them, so that validation can check a day file against them without reading
// the sources again.
import { dayIndexToKey, US_PER_DAY } from '../../shared/time.ts';
import type { TickBatch } from './tickBatch.ts';
import { addTickTo, emptyTally } from './tickChecksum.ts';
import type { TickTally } from './tickChecksum.ts';

/** Keyed `SYMBOL|YYYY-MM-DD`. */
export type DayTallies = Map<string, TickTally>;

export function daySymbolKey(symbol: string, day: string): string {
  return `${symbol}|${day}`;
}

export function splitDaySymbolKey(key: string): { symbol: string; day: string } {
  const sep = key.lastIndexOf('|');
  return { symbol: key.slice(0, sep), day: key.slice(sep + 1) };
}

export class DayTallyCollector {
  private readonly defaultSource: string;
  // Per symbol, then per day index: a miss costs two lookups and no key string.
  private readonly bySymbol = new Map<string, Map<number, TickTally>>();

  /** defaultSource: what the store records for ticks without a source. */
  constructor(defaultSource: string) {
    this.defaultSource = defaultSource;
  }

  /** The tallies so far, keyed `SYMBOL|YYYY-MM-DD`. */
  get days(): DayTallies {
    const out: DayTallies = new Map();
    for (const [symbol, days] of this.bySymbol) {
      for (const [d, t] of days) out.set(daySymbolKey(symbol, dayIndexToKey(d)), t);
    }
    return out;
  }

  private tallyOf(symbol: string, day: number): TickTally {
    let days = this.bySymbol.get(symbol);
    if (days === undefined) {
      days = new Map();
      this.bySymbol.set(symbol, days);
    }
    let t = days.get(day);
    if (t === undefined) {
      t = emptyTally();
      days.set(day, t);
    }
    return t;
  }

  /** Adds the batch's ticks except those at `rejected` (ascending indexes into the batch). */
  addBatch(b: TickBatch, rejected: readonly number[]): void {
    // Ticks of many symbols interleave in time: the tally is looked up per symbol of the batch
    // and per day change, not per tick.
    const n = b.symbols.length;
    const cachedDay = new Float64Array(n).fill(Number.NaN);
    const cached: TickTally[] = new Array<TickTally>(n);
    let r = 0;
    for (let i = 0; i < b.count; i++) {
      if (r < rejected.length && rejected[r] === i) {
        r++;
        continue;
      }
      const ts = b.tsUs[i];
      const s = b.sym[i];
      const d = Math.floor(ts / US_PER_DAY);
      let t = cached[s];
      if (cachedDay[s] !== d) {
        t = this.tallyOf(b.symbols[s], d);
        cached[s] = t;
        cachedDay[s] = d;
      }
      const src = b.src[i];
      addTickTo(t, ts, b.bid[i], b.ask[i], src >= 0 ? b.sources[src] : this.defaultSource);
    }
  }
}
