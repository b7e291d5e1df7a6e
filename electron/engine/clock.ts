// Time is injected so rotation, retention and throttling are tested without waiting.

export interface Clock {
  /** Wall-clock time in integer µs since the epoch, UTC. */
  nowUs(): number;
  /** Schedules fn every intervalMs; returns a cancel function. */
  every(intervalMs: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  nowUs: () => Date.now() * 1000,
  every(intervalMs, fn) {
    const h = setInterval(fn, intervalMs);
    h.unref();
    return () => clearInterval(h);
  },
};

/** A clock tests move by hand; `advance` fires due timers in order. */
export class ManualClock implements Clock {
  private now: number;
  private timers = new Set<{ next: number; intervalUs: number; fn: () => void }>();

  constructor(startUs: number) {
    this.now = startUs;
  }

  nowUs(): number {
    return this.now;
  }

  every(intervalMs: number, fn: () => void): () => void {
    const t = { next: this.now + intervalMs * 1000, intervalUs: intervalMs * 1000, fn };
    this.timers.add(t);
    return () => this.timers.delete(t);
  }

  set(us: number): void {
    this.advance(us - this.now);
  }

  advance(us: number): void {
    const target = this.now + us;
    for (;;) {
      let due: { next: number; intervalUs: number; fn: () => void } | undefined;
      for (const t of this.timers) if (t.next <= target && (!due || t.next < due.next)) due = t;
      if (!due) break;
      this.now = due.next;
      due.next += due.intervalUs;
      due.fn();
    }
    this.now = target;
  }
}
