// The feeds' clock: receive times with sub-millisecond resolution, and timers that tests can move
// by hand (ping intervals, backoff, staleness checks, 24 h recycling) so nothing waits for real.

/** An opaque timer handle; only the clock that made it can clear it. */
export interface FeedTimer {
  readonly feedTimer: true;
}

export interface FeedClock {
  /** Integer µs since the epoch, UTC, with sub-millisecond resolution. */
  nowUs(): number;
  setTimeout(fn: () => void, ms: number): FeedTimer;
  clearTimeout(t: FeedTimer | null | undefined): void;
}

// performance.now() is monotonic and sub-ms, but over days it drifts from the wall clock (NTP
// slews Date, not the monotonic clock). The anchor is re-taken when the two differ by more than
// this, so receive times stay within it of wall time and never need Date's 1 ms steps.
const MAX_DRIFT_US = 50_000;

interface SystemTimer extends FeedTimer {
  handle: ReturnType<typeof setTimeout>;
}

let anchorUs = Math.round(performance.timeOrigin * 1000);
let lastUs = 0;

export const systemFeedClock: FeedClock = {
  nowUs() {
    let us = anchorUs + Math.round(performance.now() * 1000);
    const wallUs = Date.now() * 1000;
    // Date has 1 ms steps: only a difference well beyond that means drift or a clock change.
    if (us - wallUs > MAX_DRIFT_US || wallUs - us > MAX_DRIFT_US) {
      anchorUs = wallUs - Math.round(performance.now() * 1000);
      us = anchorUs + Math.round(performance.now() * 1000);
    }
    // Never backwards within a run (a re-anchor could step back a little).
    if (us <= lastUs) us = lastUs + 1;
    lastUs = us;
    return us;
  },
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, Math.max(0, ms));
    // A feed's timers never keep the process alive on their own: stop() decides when it ends.
    handle.unref();
    return { feedTimer: true, handle } as SystemTimer;
  },
  clearTimeout(t) {
    if (t) clearTimeout((t as SystemTimer).handle);
  },
};

interface ManualTimer extends FeedTimer {
  atUs: number;
  order: number;
  fn: () => void;
}

/** A clock tests move by hand: `advanceMs` fires due timers in time order, moving `nowUs` to each. */
export class ManualFeedClock implements FeedClock {
  private now: number;
  private order = 0;
  private readonly timers = new Set<ManualTimer>();

  constructor(startUs = 1_767_225_600_000_000 /* 2026-01-01T00:00:00Z */) {
    this.now = startUs;
  }

  nowUs(): number {
    return this.now;
  }

  setTimeout(fn: () => void, ms: number): FeedTimer {
    const t: ManualTimer = {
      feedTimer: true,
      atUs: this.now + Math.max(0, Math.round(ms * 1000)),
      order: this.order++,
      fn,
    };
    this.timers.add(t);
    return t;
  }

  clearTimeout(t: FeedTimer | null | undefined): void {
    if (t) this.timers.delete(t as ManualTimer);
  }

  /** Timers not yet fired. */
  pending(): number {
    return this.timers.size;
  }

  advanceMs(ms: number): void {
    this.advanceUs(Math.round(ms * 1000));
  }

  /** Fires every timer due up to now + us (including ones the fired timers set), in order. */
  advanceUs(us: number): void {
    const target = this.now + us;
    for (;;) {
      let due: ManualTimer | undefined;
      for (const t of this.timers) {
        if (t.atUs <= target && (!due || t.atUs < due.atUs || (t.atUs === due.atUs && t.order < due.order)))
          due = t;
      }
      if (!due) break;
      this.timers.delete(due);
      if (due.atUs > this.now) this.now = due.atUs;
      due.fn();
    }
    this.now = target;
  }
}
