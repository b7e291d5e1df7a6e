// The live chart's ticks: the newest `capacity` ticks of one symbol, every source, in time order,
// at their real µs times. Columns are typed arrays with a moving start, so appending and trimming
// the oldest ticks cost O(1) amortised and the chart reads contiguous columns without copies.
// Sources are interned (a small id per name) so each tick costs 26 bytes.

/** Columns of the window, oldest first; valid until the next append or trim. */
export interface WindowColumns {
  tsUs: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  /** Source id of each tick (see TickWindow.sourceName). */
  src: Uint16Array;
}

/** Ids fit a Uint16Array; past this many sources (a feed bug) the extra ones share the last id. */
export const MAX_WINDOW_SOURCES = 65_535;

const MIN_BUFFER = 1024;

export class TickWindow {
  readonly capacity: number;
  private tsUs: Float64Array;
  private bid: Float64Array;
  private ask: Float64Array;
  private src: Uint16Array;
  private start = 0;
  private end = 0;
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  /** Ticks held per source id, so `sources()` lists only sources still in the window. */
  private counts: number[] = [];
  private changes = 0;

  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) {
      throw new RangeError(`TickWindow capacity must be a whole number >= 1, got ${capacity}`);
    }
    this.capacity = capacity;
    const size = Math.max(MIN_BUFFER, Math.min(2 * capacity, capacity + 65_536));
    this.tsUs = new Float64Array(size);
    this.bid = new Float64Array(size);
    this.ask = new Float64Array(size);
    this.src = new Uint16Array(size);
  }

  get length(): number {
    return this.end - this.start;
  }

  /** Bumped by every change: lets the chart cache what it drew. */
  get version(): number {
    return this.changes;
  }

  get firstTsUs(): number | undefined {
    return this.end > this.start ? this.tsUs[this.start] : undefined;
  }

  get lastTsUs(): number | undefined {
    return this.end > this.start ? this.tsUs[this.end - 1] : undefined;
  }

  /** The id of a source name, interned on first use. */
  sourceId(source: string): number {
    let id = this.ids.get(source);
    if (id === undefined) {
      if (this.names.length >= MAX_WINDOW_SOURCES) return MAX_WINDOW_SOURCES - 1;
      id = this.names.length;
      this.ids.set(source, id);
      this.names.push(source);
      this.counts.push(0);
    }
    return id;
  }

  /** The id of a source already seen, or undefined. */
  knownSourceId(source: string): number | undefined {
    return this.ids.get(source);
  }

  sourceName(id: number): string {
    return this.names[id] ?? '';
  }

  /** Sources with ticks in the window, sorted by name. */
  sources(): string[] {
    const out: string[] = [];
    for (let id = 0; id < this.names.length; id++) if (this.counts[id] > 0) out.push(this.names[id]);
    return out.sort((a, b) => a.localeCompare(b));
  }

  /**
   * Adds a tick. Ticks normally come in time order; a late one (another source's clock, a
   * reordered batch) is inserted at its place, after any tick of the same µs. Returns its index.
   */
  append(tsUs: number, bid: number, ask: number, source: string): number {
    if (this.end === this.tsUs.length) this.makeRoom();
    const id = this.sourceId(source);
    let at = this.end;
    while (at > this.start && this.tsUs[at - 1] > tsUs) at--;
    if (at < this.end) {
      this.tsUs.copyWithin(at + 1, at, this.end);
      this.bid.copyWithin(at + 1, at, this.end);
      this.ask.copyWithin(at + 1, at, this.end);
      this.src.copyWithin(at + 1, at, this.end);
    }
    this.tsUs[at] = tsUs;
    this.bid[at] = bid;
    this.ask[at] = ask;
    this.src[at] = id;
    this.end++;
    this.counts[id]++;
    this.changes++;
    return at - this.start;
  }

  /** Drops the oldest ticks beyond `capacity`; returns how many went. */
  trim(): number {
    const drop = this.length - this.capacity;
    if (drop <= 0) return 0;
    for (let i = this.start; i < this.start + drop; i++) this.counts[this.src[i]]--;
    this.start += drop;
    this.changes++;
    return drop;
  }

  clear(): void {
    this.start = 0;
    this.end = 0;
    this.counts = this.counts.map(() => 0);
    this.changes++;
  }

  tsAt(i: number): number {
    return this.tsUs[this.start + i];
  }

  bidAt(i: number): number {
    return this.bid[this.start + i];
  }

  askAt(i: number): number {
    return this.ask[this.start + i];
  }

  sourceIdAt(i: number): number {
    return this.src[this.start + i];
  }

  sourceAt(i: number): string {
    return this.names[this.src[this.start + i]] ?? '';
  }

  /** The window's columns (subarray views, no copy). */
  columns(): WindowColumns {
    const s = this.start;
    const e = this.end;
    return {
      tsUs: this.tsUs.subarray(s, e),
      bid: this.bid.subarray(s, e),
      ask: this.ask.subarray(s, e),
      src: this.src.subarray(s, e),
    };
  }

  /** First index whose time is >= us (length when none). */
  lowerBound(us: number): number {
    let lo = this.start;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tsUs[mid] < us) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.start;
  }

  /** First index whose time is > us (length when none). */
  upperBound(us: number): number {
    let lo = this.start;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tsUs[mid] <= us) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.start;
  }

  /** The newest tick at or before `us` whose source passes `accept` (all when absent), or -1. */
  lastAtOrBefore(us: number, accept?: (sourceId: number) => boolean): number {
    for (let i = this.upperBound(us) - 1; i >= 0; i--) {
      if (!accept || accept(this.src[this.start + i])) return i;
    }
    return -1;
  }

  // Moves the held ticks to the front of the buffer, or doubles it when they fill it (a window
  // not trimmed yet may briefly hold more than its capacity).
  private makeRoom(): void {
    const n = this.length;
    if (this.start > 0 && n < this.tsUs.length * 0.75) {
      this.tsUs.copyWithin(0, this.start, this.end);
      this.bid.copyWithin(0, this.start, this.end);
      this.ask.copyWithin(0, this.start, this.end);
      this.src.copyWithin(0, this.start, this.end);
    } else {
      const size = this.tsUs.length * 2;
      const grow = (a: Float64Array): Float64Array => {
        const b = new Float64Array(size);
        b.set(a.subarray(this.start, this.end));
        return b;
      };
      const src = new Uint16Array(size);
      src.set(this.src.subarray(this.start, this.end));
      this.tsUs = grow(this.tsUs);
      this.bid = grow(this.bid);
      this.ask = grow(this.ask);
      this.src = src;
    }
    this.start = 0;
    this.end = n;
  }
}
