// Per-symbol ring buffers of the most recent ticks, for live views and recent-N queries without
// touching disk. Fixed-size typed arrays: no allocation per tick.
import type { LiveQuote } from '../../../shared/catalog.ts';
import type { TickColumns } from '../../../shared/tick.ts';

export class SymbolRing {
  readonly tsUs: Float64Array;
  readonly bid: Float64Array;
  readonly ask: Float64Array;
  readonly src: Uint32Array;
  /** Global accept counter of each held tick, so "ticks since version v" needs no caller state. */
  readonly versions: Float64Array;
  /** Ticks ever pushed; the newest has sequence `total`. */
  total = 0;
  /** Global accept counter at this symbol's newest tick. */
  version = 0;

  constructor(size: number) {
    this.tsUs = new Float64Array(size);
    this.bid = new Float64Array(size);
    this.ask = new Float64Array(size);
    this.src = new Uint32Array(size);
    this.versions = new Float64Array(size);
  }

  push(tsUs: number, bid: number, ask: number, src: number, version: number): void {
    const i = this.total % this.tsUs.length;
    this.tsUs[i] = tsUs;
    this.bid[i] = bid;
    this.ask[i] = ask;
    this.src[i] = src;
    this.versions[i] = version;
    this.total++;
    this.version = version;
  }

  /** Held ticks accepted after `version` (capped at the ring size). */
  countSince(version: number): number {
    const cap = this.tsUs.length;
    let n = 0;
    for (let seq = this.total - 1; seq >= this.total - this.size; seq--) {
      if (this.versions[seq % cap] <= version) break;
      n++;
    }
    return n;
  }

  get size(): number {
    return Math.min(this.total, this.tsUs.length);
  }

  /** Ticks with sequence in (afterSeq, total], oldest first, limited to what the ring still holds. */
  columns(symbol: string, afterSeq: number, sourceNames: readonly string[], limit = Infinity): TickColumns {
    const first = Math.max(afterSeq, this.total - this.size, this.total - limit);
    const out: TickColumns = { symbol, tsUs: [], bid: [], ask: [], source: [], sources: [] };
    const local = new Map<number, number>();
    const cap = this.tsUs.length;
    for (let seq = first; seq < this.total; seq++) {
      const i = seq % cap;
      out.tsUs.push(this.tsUs[i]);
      out.bid.push(this.bid[i]);
      out.ask.push(this.ask[i]);
      let s = local.get(this.src[i]);
      if (s === undefined) {
        s = out.sources.length;
        local.set(this.src[i], s);
        out.sources.push(sourceNames[this.src[i]]);
      }
      out.source.push(s);
    }
    return out;
  }

  latest(symbol: string, sourceNames: readonly string[], ticks: number): LiveQuote | null {
    if (this.total === 0) return null;
    const i = (this.total - 1) % this.tsUs.length;
    return {
      symbol,
      bid: this.bid[i],
      ask: this.ask[i],
      tsUs: this.tsUs[i],
      source: sourceNames[this.src[i]],
      ticks,
    };
  }
}
