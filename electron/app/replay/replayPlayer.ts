// Plays the ordered tick stream back at a multiple of recorded time. The stream is read page by
// page (at most one page prefetched ahead, so memory stays bounded however long the selection),
// and ticks leave in batches at most one per frame so a fast replay does not flood the UI.
import type { StreamCursor, StreamPage, StreamSelection } from '../../engine/stream/streamTypes.ts';
import type { ReplaySelection, ReplaySpeed, ReplayState, ReplayTick } from '../../../shared/replay.ts';

export type PageSource = (
  selection: StreamSelection,
  cursor: StreamCursor | null,
  maxTicks: number,
) => Promise<StreamPage>;

/** Wall time in ms and one-shot timers: injected so pacing is tested without waiting. */
export interface ReplayTimer {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemReplayTimer: ReplayTimer = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface ReplayPlayerOptions {
  selection: ReplaySelection;
  speed: ReplaySpeed;
  readPage: PageSource;
  onTicks: (ticks: ReplayTick[], clockUs: number) => void;
  onState: (state: ReplayState) => void;
  onError?: (error: unknown) => void;
  timer?: ReplayTimer;
  pageSize?: number;
  /** Minimum wall ms between pushes (~60/s). */
  frameMs?: number;
  /** At 'max', ticks per push; the player yields to the event loop between pushes. */
  maxBatch?: number;
}

/** Beyond this much wall time to the next tick, the state reports waiting so the UI can offer a skip. */
const WAIT_REPORT_MS = 3000;
const END_OF_TIME_US = Number.MAX_SAFE_INTEGER;

export class ReplayPlayer {
  private readonly o: Required<Omit<ReplayPlayerOptions, 'onError'>> & Pick<ReplayPlayerOptions, 'onError'>;
  private phase: ReplayState['phase'] = 'idle';
  private speed: ReplaySpeed;
  private clockUs: number;
  private delivered = 0;
  private fromUs: number;
  private page: StreamPage | null = null;
  private index = 0;
  private next: Promise<StreamPage> | null = null;
  private exhausted = false;
  /** Bumped on seek and stop so a page read for the old stream is dropped when it lands. */
  private generation = 0;
  private timerHandle: unknown = null;
  private anchorWallMs = 0;
  private anchorTickUs = 0;
  private waitingMs: number | undefined;
  private pumping = false;

  constructor(options: ReplayPlayerOptions) {
    this.o = {
      timer: systemReplayTimer,
      pageSize: 5000,
      frameMs: 16,
      maxBatch: 2000,
      ...options,
    };
    this.speed = options.speed;
    this.fromUs = options.selection.fromUs;
    this.clockUs = options.selection.fromUs;
  }

  state(): ReplayState {
    const s: ReplayState = {
      phase: this.phase,
      speed: this.speed,
      clockUs: this.clockUs,
      delivered: this.delivered,
    };
    if (this.waitingMs !== undefined) s.waitingMs = this.waitingMs;
    return s;
  }

  play(): void {
    if (this.phase === 'playing' || this.phase === 'ended') return;
    this.phase = 'playing';
    this.anchorNow();
    this.emitState();
    this.schedule(0);
  }

  pause(): void {
    if (this.phase !== 'playing') return;
    this.phase = 'paused';
    this.cancelTimer();
    this.waitingMs = undefined;
    this.emitState();
  }

  setSpeed(speed: ReplaySpeed): void {
    this.speed = speed;
    this.anchorNow();
    this.emitState();
    if (this.phase === 'playing') this.reschedule(0);
  }

  /** Exactly one tick, only while paused or not yet started. */
  async step(): Promise<void> {
    if (this.phase === 'playing' || this.phase === 'ended') return;
    if (this.phase === 'idle') this.phase = 'paused';
    const gen = this.generation;
    const tick = await this.peek();
    if (gen !== this.generation) return;
    if (!tick) return this.end();
    this.index++;
    this.deliver([tick]);
    this.emitState();
  }

  /** Restarts the stream at `us` (a new read from that time), keeping play or pause. */
  seek(us: number): void {
    this.generation++;
    this.cancelTimer();
    this.fromUs = us;
    this.clockUs = us;
    this.page = null;
    this.next = null;
    this.index = 0;
    this.exhausted = false;
    this.delivered = 0;
    this.waitingMs = undefined;
    if (this.phase === 'ended') this.phase = 'paused';
    this.anchorNow();
    this.emitState();
    if (this.phase === 'playing') this.schedule(0);
  }

  /** Jumps the pacing over a long idle gap: the next tick is shown now. */
  skipWait(): void {
    if (this.phase !== 'playing') return;
    const tick = this.currentTick();
    if (tick) {
      this.anchorWallMs = this.o.timer.now();
      this.anchorTickUs = tick.tsUs;
    }
    this.waitingMs = undefined;
    this.reschedule(0);
  }

  stop(): void {
    this.generation++;
    this.cancelTimer();
    this.page = null;
    this.next = null;
    this.phase = 'idle';
    this.waitingMs = undefined;
  }

  private anchorNow(): void {
    this.anchorWallMs = this.o.timer.now();
    this.anchorTickUs = this.clockUs;
  }

  private dueWallMs(tsUs: number): number {
    if (this.speed === 'max') return -Infinity;
    return this.anchorWallMs + (tsUs - this.anchorTickUs) / 1000 / this.speed;
  }

  private schedule(ms: number): void {
    if (this.timerHandle !== null) return;
    this.timerHandle = this.o.timer.setTimeout(() => {
      this.timerHandle = null;
      void this.pump();
    }, ms);
  }

  private reschedule(ms: number): void {
    this.cancelTimer();
    this.schedule(ms);
  }

  private cancelTimer(): void {
    if (this.timerHandle !== null) this.o.timer.clearTimeout(this.timerHandle);
    this.timerHandle = null;
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.phase !== 'playing') return;
    this.pumping = true;
    const gen = this.generation;
    try {
      const now = this.o.timer.now();
      const batch: ReplayTick[] = [];
      const limit = this.speed === 'max' ? this.o.maxBatch : Infinity;
      let nextDue: number | null = null;
      while (batch.length < limit) {
        const tick = await this.peek();
        if (gen !== this.generation || this.phase !== 'playing') return;
        if (!tick) break;
        const due = this.dueWallMs(tick.tsUs);
        if (due > now) {
          nextDue = due;
          break;
        }
        batch.push(tick);
        this.index++;
      }
      if (batch.length > 0) this.deliver(batch);
      const prevWaiting = this.waitingMs;
      if (nextDue !== null) {
        const wait = nextDue - now;
        this.waitingMs = wait > WAIT_REPORT_MS ? Math.round(wait) : undefined;
        if (batch.length > 0 || this.waitingMs !== prevWaiting) this.emitState();
        this.schedule(Math.max(this.o.frameMs, Math.min(wait, 1000)));
      } else if (batch.length >= limit) {
        this.emitState();
        this.schedule(0);
      } else {
        this.end();
      }
    } catch (error) {
      if (gen === this.generation) this.fail(error);
    } finally {
      this.pumping = false;
    }
  }

  private deliver(ticks: ReplayTick[]): void {
    this.delivered += ticks.length;
    this.clockUs = ticks[ticks.length - 1]!.tsUs;
    this.o.onTicks(ticks, this.clockUs);
  }

  private end(): void {
    this.cancelTimer();
    this.phase = 'ended';
    this.waitingMs = undefined;
    this.emitState();
  }

  private fail(error: unknown): void {
    this.cancelTimer();
    this.phase = 'ended';
    this.emitState();
    this.o.onError?.(error);
  }

  private emitState(): void {
    this.o.onState(this.state());
  }

  private currentTick(): ReplayTick | null {
    const p = this.page;
    if (!p || this.index >= p.ticks.length) return null;
    return tickAt(p, this.index);
  }

  /** The next undelivered tick, reading (and prefetching) pages as needed; null at the end. */
  private async peek(): Promise<ReplayTick | null> {
    for (;;) {
      const here = this.currentTick();
      if (here) {
        if (!this.next && !this.exhausted && this.page?.cursor) this.prefetch(this.page.cursor);
        return here;
      }
      if (this.page && !this.page.cursor) this.exhausted = true;
      if (this.exhausted && !this.next) return null;
      const gen = this.generation;
      const pending = this.next ?? this.read(this.page?.cursor ?? null);
      this.next = null;
      const page = await pending;
      if (gen !== this.generation) return null;
      this.page = page;
      this.index = 0;
      if (!page.cursor) this.exhausted = true;
      if (page.ticks.length === 0 && !page.cursor) return null;
    }
  }

  private prefetch(cursor: StreamCursor): void {
    const p = this.read(cursor);
    p.catch(() => undefined); // surfaced when awaited in peek
    this.next = p;
  }

  private read(cursor: StreamCursor | null): Promise<StreamPage> {
    const sel = this.o.selection;
    const selection: StreamSelection = {
      symbols: sel.symbols,
      fromUs: this.fromUs,
      toUs: sel.toUs ?? END_OF_TIME_US,
    };
    if (sel.sources && sel.sources.length > 0) selection.sources = sel.sources;
    return this.o.readPage(selection, cursor, this.o.pageSize);
  }
}

export function tickAt(page: StreamPage, i: number): ReplayTick {
  const c = page.ticks;
  const t: ReplayTick = {
    symbol: c.symbols[c.symbol[i]!]!,
    source: c.sources[c.source[i]!]!,
    tsUs: c.tsUs[i]!,
    bid: c.bid[i]!,
    ask: c.ask[i]!,
    recvUs: c.recvUs[i]!,
  };
  if (!Number.isNaN(c.bidSize[i])) t.bidSize = c.bidSize[i]!;
  if (!Number.isNaN(c.askSize[i])) t.askSize = c.askSize[i]!;
  if (!Number.isNaN(c.seq[i])) t.seq = c.seq[i]!;
  return t;
}
