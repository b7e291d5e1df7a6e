// The live chart's data. lightweight-charts needs strictly increasing whole-second times, but
// ticks come many per second, so the horizontal axis is a running tick index and this window
// keeps the real timestamp of each index for the axis labels and the crosshair.

export interface IndexedPoint {
  /** Running tick index, used as the chart's time value. */
  time: number;
  value: number;
}

/** One source's bid and ask points, for its own pair of series. */
export interface SourcePoints {
  bid: IndexedPoint[];
  ask: IndexedPoint[];
}

export interface TickWindowOptions {
  /** Ticks kept on screen after a trim. */
  capacity: number;
  /** A trim redraws the whole series, so it happens at most this often. */
  minTrimIntervalMs: number;
}

export class TickWindow {
  private readonly capacity: number;
  private readonly minTrimIntervalMs: number;
  private baseIndex = 1;
  private nextIndex = 1;
  private tsUs: number[] = [];
  private bid: number[] = [];
  private ask: number[] = [];
  private source: string[] = [];
  private lastTrimMs = -Infinity;

  constructor(options: TickWindowOptions) {
    if (!(options.capacity >= 1)) throw new RangeError(`TickWindow capacity must be >= 1`);
    this.capacity = options.capacity;
    this.minTrimIntervalMs = options.minTrimIntervalMs;
  }

  /** Adds one tick and returns its index (the chart time for `series.update`). */
  append(tsUs: number, bid: number, ask: number, source = ''): number {
    this.tsUs.push(tsUs);
    this.bid.push(bid);
    this.ask.push(ask);
    this.source.push(source);
    return this.nextIndex++;
  }

  get length(): number {
    return this.tsUs.length;
  }

  get lastIndex(): number {
    return this.nextIndex - 1;
  }

  get lastTsUs(): number | undefined {
    return this.tsUs.length > 0 ? this.tsUs[this.tsUs.length - 1] : undefined;
  }

  /** Real time of a chart index, or undefined when it is outside the window. */
  timeAt(index: number): number | undefined {
    const i = Math.round(index) - this.baseIndex;
    return i >= 0 && i < this.tsUs.length ? this.tsUs[i] : undefined;
  }

  /** Real time at a chart logical position (0 = oldest tick in the window), clamped to the window. */
  timeAtPosition(logical: number): number | undefined {
    const n = this.tsUs.length;
    if (n === 0) return undefined;
    return this.tsUs[Math.min(n - 1, Math.max(0, Math.round(logical)))];
  }

  quoteAt(index: number): { tsUs: number; bid: number; ask: number } | undefined {
    const i = Math.round(index) - this.baseIndex;
    if (i < 0 || i >= this.tsUs.length) return undefined;
    return { tsUs: this.tsUs[i], bid: this.bid[i], ask: this.ask[i] };
  }

  /** The source of the tick at a chart index ('' when appended without one). */
  sourceAt(index: number): string | undefined {
    const i = Math.round(index) - this.baseIndex;
    return i >= 0 && i < this.source.length ? this.source[i] : undefined;
  }

  /** True when the window has outgrown its capacity and the last trim is long enough ago. */
  shouldTrim(nowMs: number): boolean {
    return this.tsUs.length > this.capacity && nowMs - this.lastTrimMs >= this.minTrimIntervalMs;
  }

  /** Drops all but the newest `capacity` ticks; returns what to pass to `setData`. */
  trim(nowMs: number): { bid: IndexedPoint[]; ask: IndexedPoint[] } {
    this.trimOnly(nowMs);
    return this.points();
  }

  /** Like `trim`, for a chart that draws each source as its own series. */
  trimBySource(nowMs: number): Map<string, SourcePoints> {
    this.trimOnly(nowMs);
    return this.pointsBySource();
  }

  private trimOnly(nowMs: number): void {
    this.lastTrimMs = nowMs;
    const drop = Math.max(0, this.tsUs.length - this.capacity);
    if (drop > 0) {
      this.tsUs = this.tsUs.slice(drop);
      this.bid = this.bid.slice(drop);
      this.ask = this.ask.slice(drop);
      this.source = this.source.slice(drop);
      this.baseIndex += drop;
    }
  }

  points(): { bid: IndexedPoint[]; ask: IndexedPoint[] } {
    const n = this.tsUs.length;
    const bid = new Array<IndexedPoint>(n);
    const ask = new Array<IndexedPoint>(n);
    for (let i = 0; i < n; i++) {
      const time = this.baseIndex + i;
      bid[i] = { time, value: this.bid[i] };
      ask[i] = { time, value: this.ask[i] };
    }
    return { bid, ask };
  }

  /** The window split by source, each keeping the shared indexes (one time axis for all). */
  pointsBySource(): Map<string, SourcePoints> {
    const out = new Map<string, SourcePoints>();
    for (let i = 0; i < this.tsUs.length; i++) {
      const src = this.source[i];
      let p = out.get(src);
      if (!p) out.set(src, (p = { bid: [], ask: [] }));
      const time = this.baseIndex + i;
      p.bid.push({ time, value: this.bid[i] });
      p.ask.push({ time, value: this.ask[i] });
    }
    return out;
  }

  clear(): void {
    this.baseIndex = this.nextIndex;
    this.tsUs = [];
    this.bid = [];
    this.ask = [];
    this.source = [];
  }
}

/**
 * lightweight-charts' `series.update` with a new time point re-indexes the whole time scale,
 * so each call costs O(window) (measured: at ~2,000 ticks/s and a 3,000-tick window, updates
 * alone held the page to ~15 fps). A few ticks per frame go through `update`; a larger frame's
 * worth is applied with one `setData` of the window, which costs the same O(window) once.
 */
export const MAX_UPDATES_PER_FRAME = 6;

export function frameApplyMode(ticksThisFrame: number): 'update' | 'reset' {
  return ticksThisFrame <= MAX_UPDATES_PER_FRAME ? 'update' : 'reset';
}
