// Live ticks arrive in bursts far faster than the screen refreshes. The coalescer buffers the
// ticks of one symbol and hands them over once per frame, so the chart does one batch of
// updates per frame instead of one render per tick.
import type { TickColumns } from '../../shared/tick.ts';

export interface TickBatch {
  tsUs: number[];
  bid: number[];
  ask: number[];
  source: string[];
  /** Ticks thrown away because the buffer overflowed while frames were not running. */
  dropped: number;
}

export interface TickCoalescerOptions {
  symbol: string;
  /** Calls back once on the next frame (requestAnimationFrame in the page). */
  schedule: (callback: () => void) => void;
  onDrain: (batch: TickBatch) => void;
  /** Most ticks kept between frames; older ones are dropped (a hidden tab stops frames). */
  maxBuffered?: number;
}

export class TickCoalescer {
  readonly symbol: string;
  private readonly schedule: (callback: () => void) => void;
  private readonly onDrain: (batch: TickBatch) => void;
  private readonly maxBuffered: number;
  private buf: TickBatch = emptyBatch();
  private scheduled = false;
  private paused = false;
  private closed = false;

  constructor(options: TickCoalescerOptions) {
    this.symbol = options.symbol;
    this.schedule = options.schedule;
    this.onDrain = options.onDrain;
    this.maxBuffered = options.maxBuffered ?? 20_000;
  }

  /** Takes the ticks of this coalescer's symbol from a `live.ticks` payload. */
  push(batches: readonly TickColumns[]): void {
    if (this.closed) return;
    let added = false;
    for (const b of batches) {
      if (b.symbol !== this.symbol) continue;
      const n = b.tsUs.length;
      for (let i = 0; i < n; i++) {
        this.buf.tsUs.push(b.tsUs[i]);
        this.buf.bid.push(b.bid[i]);
        this.buf.ask.push(b.ask[i]);
        this.buf.source.push(b.sources[b.source[i]] ?? '');
      }
      added ||= n > 0;
    }
    if (!added) return;
    this.trimOverflow();
    this.requestFrame();
  }

  /** Holds ticks back (e.g. while the prefill is loading) until `resume`. */
  pause(): void {
    this.paused = true;
  }

  /** Releases held ticks, dropping those at or before `afterUs` (already in the prefill). */
  resume(afterUs = -Infinity): void {
    this.paused = false;
    if (afterUs > -Infinity) {
      const b = this.buf;
      let k = 0;
      while (k < b.tsUs.length && b.tsUs[k] <= afterUs) k++;
      if (k > 0) {
        b.tsUs.splice(0, k);
        b.bid.splice(0, k);
        b.ask.splice(0, k);
        b.source.splice(0, k);
      }
    }
    if (this.buf.tsUs.length > 0 || this.buf.dropped > 0) this.requestFrame();
  }

  get buffered(): number {
    return this.buf.tsUs.length;
  }

  close(): void {
    this.closed = true;
    this.buf = emptyBatch();
  }

  private requestFrame(): void {
    if (this.scheduled || this.paused) return;
    this.scheduled = true;
    this.schedule(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    if (this.closed || this.paused) return;
    const batch = this.buf;
    if (batch.tsUs.length === 0 && batch.dropped === 0) return;
    this.buf = emptyBatch();
    this.onDrain(batch);
  }

  private trimOverflow(): void {
    const b = this.buf;
    const over = b.tsUs.length - this.maxBuffered;
    if (over <= 0) return;
    b.tsUs.splice(0, over);
    b.bid.splice(0, over);
    b.ask.splice(0, over);
    b.source.splice(0, over);
    b.dropped += over;
  }
}

function emptyBatch(): TickBatch {
  return { tsUs: [], bid: [], ask: [], source: [], dropped: 0 };
}
