// Per-symbol ring buffers of the most recent ticks, for live views and recent-N queries without
// touching disk. Typed arrays, no allocation per tick. A ring starts small and doubles as its
// symbol ticks, up to the configured size, while all rings together stay within a memory budget;
// an idle ring shrinks back. With 10,000 symbols a fixed 10,000-tick ring each cost 3.4 GB.
// Each ring also keeps the latest quote of every source of its symbol (a few numbers per source),
// so the watchlist gets one quote per source even when the ring has wrapped past a quiet one.
import type { LiveQuote } from '../../../shared/catalog.ts';
import type { TickColumns } from '../../../shared/tick.ts';

/** Bytes a ring spends per held tick: ts, bid, ask, bid size, ask size, version (f64), source (u32). */
export const RING_BYTES_PER_TICK = 6 * 8 + 4;
export const RING_INITIAL_TICKS = 64;
/** What an idle ring keeps (about 13 KB). */
export const RING_IDLE_TICKS = 256;

/**
 * The latest tick of each source of one symbol, in the order the sources first ticked: per slot
 * (tsUs, bid, ask, version) in one typed array, so recording a tick is four stores.
 */
class SourceQuotes {
  readonly src: number[] = [];
  values = new Float64Array(4);
  /** The slot of the previous tick's source: most ticks come from the same source as the last. */
  last = 0;

  slotOf(src: number): number {
    if (this.src[this.last] === src) return this.last;
    let k = this.src.indexOf(src);
    if (k < 0) {
      k = this.src.length;
      this.src.push(src);
      if (this.values.length < this.src.length * 4) {
        const grown = new Float64Array(this.values.length * 2);
        grown.set(this.values);
        this.values = grown;
      }
    }
    this.last = k;
    return k;
  }

  set(src: number, tsUs: number, bid: number, ask: number, version: number): void {
    const o = (this.src[this.last] === src ? this.last : this.slotOf(src)) * 4;
    const v = this.values;
    v[o] = tsUs;
    v[o + 1] = bid;
    v[o + 2] = ask;
    v[o + 3] = version;
  }
}

export class SymbolRing {
  tsUs: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  /** NaN where the feed gave no size. */
  bidSize: Float64Array;
  askSize: Float64Array;
  src: Uint32Array;
  /** Global accept counter of each held tick, so "ticks since version v" needs no caller state. */
  versions: Float64Array;
  readonly latestBySource = new SourceQuotes();
  /** Ticks ever pushed; the newest has sequence `total`. */
  total = 0;
  /** Global accept counter at this symbol's newest tick. */
  version = 0;
  /** Housekeeping's memory of `version`, to tell idle rings. */
  seenVersion = 0;
  idleSweeps = 0;

  constructor(capacity: number) {
    this.tsUs = new Float64Array(capacity);
    this.bid = new Float64Array(capacity);
    this.ask = new Float64Array(capacity);
    this.bidSize = new Float64Array(capacity);
    this.askSize = new Float64Array(capacity);
    this.src = new Uint32Array(capacity);
    this.versions = new Float64Array(capacity);
  }

  get capacity(): number {
    return this.tsUs.length;
  }

  get size(): number {
    return Math.min(this.total, this.tsUs.length);
  }

  push(
    tsUs: number,
    bid: number,
    ask: number,
    bidSize: number,
    askSize: number,
    src: number,
    version: number,
  ): void {
    const i = this.total % this.tsUs.length;
    this.tsUs[i] = tsUs;
    this.bid[i] = bid;
    this.ask[i] = ask;
    this.bidSize[i] = bidSize;
    this.askSize[i] = askSize;
    this.src[i] = src;
    this.versions[i] = version;
    this.total++;
    this.version = version;
    this.latestBySource.set(src, tsUs, bid, ask, version);
  }

  /** Re-lays the held ticks (the newest `capacity` of them) into arrays of a new capacity. */
  resize(capacity: number): void {
    const oldCap = this.tsUs.length;
    const keep = Math.min(this.size, capacity);
    const tsUs = new Float64Array(capacity);
    const bid = new Float64Array(capacity);
    const ask = new Float64Array(capacity);
    const bidSize = new Float64Array(capacity);
    const askSize = new Float64Array(capacity);
    const src = new Uint32Array(capacity);
    const versions = new Float64Array(capacity);
    for (let seq = this.total - keep; seq < this.total; seq++) {
      const from = seq % oldCap;
      const to = seq % capacity;
      tsUs[to] = this.tsUs[from];
      bid[to] = this.bid[from];
      ask[to] = this.ask[from];
      bidSize[to] = this.bidSize[from];
      askSize[to] = this.askSize[from];
      src[to] = this.src[from];
      versions[to] = this.versions[from];
    }
    this.tsUs = tsUs;
    this.bid = bid;
    this.ask = ask;
    this.bidSize = bidSize;
    this.askSize = askSize;
    this.src = src;
    this.versions = versions;
  }

  /**
   * The latest quote of each source of this symbol whose quote changed after `version`, with
   * that source's held ticks accepted after it (counted from the ring, so capped at its size).
   */
  quotesSince(version: number, symbol: string, sourceNames: readonly string[], out: LiveQuote[]): void {
    const q = this.latestBySource;
    const counts = new Array<number>(q.src.length).fill(0);
    const cap = this.tsUs.length;
    for (let seq = this.total - 1; seq >= this.total - this.size; seq--) {
      const i = seq % cap;
      if (this.versions[i] <= version) break;
      counts[q.slotOf(this.src[i])]++;
    }
    const v = q.values;
    for (let k = 0; k < q.src.length; k++) {
      const o = k * 4;
      if (v[o + 3] <= version) continue;
      out.push({
        symbol,
        bid: v[o + 1],
        ask: v[o + 2],
        tsUs: v[o],
        source: sourceNames[q.src[k]],
        ticks: counts[k],
      });
    }
  }

  /** Ticks with sequence in (afterSeq, total], oldest first, limited to what the ring still holds. */
  columns(symbol: string, afterSeq: number, sourceNames: readonly string[], limit = Infinity): TickColumns {
    const first = Math.max(afterSeq, this.total - this.size, this.total - limit);
    const out = {
      symbol,
      tsUs: [] as number[],
      bid: [] as number[],
      ask: [] as number[],
      source: [] as number[],
      sources: [] as string[],
      bidSize: [] as (number | null)[],
      askSize: [] as (number | null)[],
    };
    const local = new Map<number, number>();
    const cap = this.tsUs.length;
    for (let seq = first; seq < this.total; seq++) {
      const i = seq % cap;
      out.tsUs.push(this.tsUs[i]);
      out.bid.push(this.bid[i]);
      out.ask.push(this.ask[i]);
      const bs = this.bidSize[i];
      const as = this.askSize[i];
      out.bidSize.push(bs === bs ? bs : null);
      out.askSize.push(as === as ? as : null);
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
}

/** Every symbol's ring, growing on demand within a budget and shrinking when idle. */
export class RingSet {
  readonly rings: SymbolRing[] = [];
  private readonly maxTicks: number;
  private readonly budgetTicks: number;
  private heldCapacity = 0;

  constructor(maxTicksPerSymbol: number, budgetBytes: number) {
    this.maxTicks = maxTicksPerSymbol;
    this.budgetTicks = Math.floor(budgetBytes / RING_BYTES_PER_TICK);
  }

  /** Capacity held by all rings, in ticks (for the stats). */
  get capacityTicks(): number {
    return this.heldCapacity;
  }

  push(
    symId: number,
    tsUs: number,
    bid: number,
    ask: number,
    bidSize: number,
    askSize: number,
    src: number,
    version: number,
  ): void {
    let r = this.rings[symId];
    if (r === undefined) {
      const cap = Math.min(RING_INITIAL_TICKS, this.maxTicks);
      r = this.rings[symId] = new SymbolRing(cap);
      this.heldCapacity += cap;
    } else if (r.total >= r.capacity && r.capacity < this.maxTicks) {
      const next = Math.min(r.capacity * 2, this.maxTicks);
      // Past the budget a ring keeps its size and wraps: the oldest ticks it held are on disk.
      if (this.heldCapacity + next - r.capacity <= this.budgetTicks) {
        this.heldCapacity += next - r.capacity;
        r.resize(next);
      }
    }
    r.push(tsUs, bid, ask, bidSize, askSize, src, version);
  }

  get(symId: number): SymbolRing | undefined {
    return this.rings[symId];
  }

  /** Called every few seconds: rings that took no tick for `idleSweeps` calls shrink back. */
  sweepIdle(idleSweeps: number): void {
    for (const r of this.rings) {
      if (!r) continue;
      if (r.version !== r.seenVersion) {
        r.seenVersion = r.version;
        r.idleSweeps = 0;
        continue;
      }
      if (++r.idleSweeps >= idleSweeps && r.capacity > RING_IDLE_TICKS) {
        this.heldCapacity -= r.capacity - RING_IDLE_TICKS;
        r.resize(RING_IDLE_TICKS);
      }
    }
  }
}
