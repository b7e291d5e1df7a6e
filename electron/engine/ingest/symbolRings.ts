// Per-symbol ring buffers of the most recent ticks, for live views and recent-N queries without
// touching disk. Typed arrays, no allocation per tick. A ring starts small and doubles as its
// symbol ticks, up to the configured size, while all rings together stay within a memory budget;
// an idle ring shrinks back. With 10,000 symbols a fixed 10,000-tick ring each cost 3.4 GB.
import type { LiveQuote } from '../../../shared/catalog.ts';
import type { TickColumns } from '../../../shared/tick.ts';

/** Bytes a ring spends per held tick: ts, bid, ask, version (f64) and source (u32). */
export const RING_BYTES_PER_TICK = 4 * 8 + 4;
export const RING_INITIAL_TICKS = 64;
/** What an idle ring keeps (about 9 KB). */
export const RING_IDLE_TICKS = 256;

export class SymbolRing {
  tsUs: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  src: Uint32Array;
  /** Global accept counter of each held tick, so "ticks since version v" needs no caller state. */
  versions: Float64Array;
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
    this.src = new Uint32Array(capacity);
    this.versions = new Float64Array(capacity);
  }

  get capacity(): number {
    return this.tsUs.length;
  }

  get size(): number {
    return Math.min(this.total, this.tsUs.length);
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

  /** Re-lays the held ticks (the newest `capacity` of them) into arrays of a new capacity. */
  resize(capacity: number): void {
    const oldCap = this.tsUs.length;
    const keep = Math.min(this.size, capacity);
    const tsUs = new Float64Array(capacity);
    const bid = new Float64Array(capacity);
    const ask = new Float64Array(capacity);
    const src = new Uint32Array(capacity);
    const versions = new Float64Array(capacity);
    for (let seq = this.total - keep; seq < this.total; seq++) {
      const from = seq % oldCap;
      const to = seq % capacity;
      tsUs[to] = this.tsUs[from];
      bid[to] = this.bid[from];
      ask[to] = this.ask[from];
      src[to] = this.src[from];
      versions[to] = this.versions[from];
    }
    this.tsUs = tsUs;
    this.bid = bid;
    this.ask = ask;
    this.src = src;
    this.versions = versions;
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

  push(symId: number, tsUs: number, bid: number, ask: number, src: number, version: number): void {
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
    r.push(tsUs, bid, ask, src, version);
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
