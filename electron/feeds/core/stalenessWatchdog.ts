// Flags a symbol that stopped quoting, judged against what that symbol normally does: a symbol that
// quotes ten times a second is stale after a few seconds of silence, one that quotes once a minute
// is not stale after twenty.
//
// The rule (documented for the gap ledger's readers):
// - Each symbol learns its normal spacing from its own recent ticks: the 95th percentile of its
//   last 64 inter-tick intervals (robust to the odd long pause), learned after 8 intervals.
//   Its stale threshold is max(floorMs = 5 s, multiplier = 4 × that spacing). A symbol with fewer
//   intervals has no "normal" yet and is never flagged.
// - Only while the connection is live. A disconnect is its own ledger event; the silence clock of
//   every symbol restarts when the connection is live again, and no interval is learned across
//   an outage.
// - A symbol is stale when it has been silent beyond its threshold *while the rest of the feed kept
//   quoting*: some other symbol ticked after the moment this one became overdue. Silence of the
//   whole feed is not a per-symbol problem: when the market closes (a weekend, a session end) every
//   symbol goes quiet together while heartbeats keep the connection alive, and flagging each one
//   would flood the ledger with thousands of entries that say one thing.
// - That one thing is recorded once, feed-wide: when no symbol at all has quoted for longer than the
//   feed's own threshold (the same rule over the merged stream of all symbols), one `stale_start`
//   with symbol null ("market quiet"), ended by a `stale_end` with symbol null at the next tick.
// - A stale symbol's next tick records `stale_end` with `sinceUs` = when it was flagged.
import type { FeedClock, FeedTimer } from './feedClock.ts';

export interface StalenessOptions {
  /** No symbol is stale before this much silence, ms. */
  floorMs?: number;
  /** The threshold is this many times the learned spacing. */
  multiplier?: number;
  /** Which quantile of recent intervals is "normal spacing" (0..1). */
  quantile?: number;
  /** How many recent intervals are kept per symbol. */
  window?: number;
  /** Intervals needed before a symbol's spacing counts as learned. */
  minIntervals?: number;
  /** How often silence is checked, ms. */
  checkEveryMs?: number;
}

export interface StaleChange {
  kind: 'stale_start' | 'stale_end';
  /** null: the whole feed (market quiet). */
  symbol: string | null;
  reason: string;
  sinceUs: number | null;
  tsUs: number;
}

/** One symbol's learning state; the tracker keeps it with the symbol's other counters. */
export class SymbolWatch {
  readonly symbol: string;
  readonly intervalsMs: Float64Array;
  count = 0;
  next = 0;
  /** The last tick that may start a learned interval; -1 after an outage. */
  learnFromUs = -1;
  lastTickUs = -1;
  thresholdMs: number | null = null;
  spacingMs: number | null = null;
  sinceRecompute = 0;
  stale = false;
  staleSinceUs: number | null = null;

  constructor(symbol: string, window: number) {
    this.symbol = symbol;
    this.intervalsMs = new Float64Array(window);
  }
}

export interface StalenessWatchdog {
  /** The watch record of a symbol (created on first use). */
  watch(symbol: string): SymbolWatch;
  /** A tick of `w`'s symbol was received at `nowUs`. */
  tick(w: SymbolWatch, nowUs: number): void;
  /** The connection went live or stopped being live. */
  setLive(live: boolean): void;
  /** Runs the silence check now (the timer runs it every checkEveryMs). */
  check(): void;
  /** The learned spacing of a symbol, ms (null until learned). */
  spacingMs(w: SymbolWatch): number | null;
  readonly marketQuiet: boolean;
  stop(): void;
}

export function createStalenessWatchdog(
  clock: FeedClock,
  emit: (c: StaleChange) => void,
  opts: StalenessOptions = {},
): StalenessWatchdog {
  const floorMs = opts.floorMs ?? 5_000;
  const multiplier = opts.multiplier ?? 4;
  const quantile = opts.quantile ?? 0.95;
  const window = opts.window ?? 64;
  const minIntervals = Math.min(opts.minIntervals ?? 8, window);
  const checkEveryMs = opts.checkEveryMs ?? 1_000;
  const watches = new Map<string, SymbolWatch>();
  const feed = new SymbolWatch('', window);
  const scratch = new Float64Array(window);
  let live = false;
  let liveSinceUs = 0;
  let quiet = false;
  let quietSinceUs: number | null = null;
  let timer: FeedTimer | null = null;
  let stopped = false;

  const learn = (w: SymbolWatch, nowUs: number) => {
    if (w.learnFromUs >= 0) {
      w.intervalsMs[w.next] = (nowUs - w.learnFromUs) / 1000;
      w.next = (w.next + 1) % window;
      if (w.count < window) w.count++;
      w.sinceRecompute++;
    }
    w.learnFromUs = nowUs;
    w.lastTickUs = nowUs;
  };

  // Sorting is done at check time, not per tick, and only after enough new intervals.
  const threshold = (w: SymbolWatch): number | null => {
    if (w.count < minIntervals) return null;
    if (w.thresholdMs === null || w.sinceRecompute >= 8) {
      const n = w.count;
      for (let i = 0; i < n; i++) scratch[i] = w.intervalsMs[i];
      const sorted = scratch.subarray(0, n).sort();
      w.spacingMs = sorted[Math.min(n - 1, Math.floor(quantile * n))];
      w.thresholdMs = Math.max(floorMs, multiplier * w.spacingMs);
      w.sinceRecompute = 0;
    }
    return w.thresholdMs;
  };

  const secs = (us: number) => (us / 1e6).toFixed(1);

  const check = () => {
    if (!live || stopped) return;
    const now = clock.nowUs();
    const feedThr = threshold(feed);
    if (!quiet && feedThr !== null && feed.lastTickUs >= 0) {
      const ref = Math.max(feed.lastTickUs, liveSinceUs);
      if (now - ref > feedThr * 1000) {
        quiet = true;
        quietSinceUs = now;
        emit({
          kind: 'stale_start',
          symbol: null,
          reason: `no symbol has quoted for ${secs(now - ref)} s while the connection is up (market closed or quiet)`,
          sinceUs: null,
          tsUs: now,
        });
      }
    }
    for (const w of watches.values()) {
      if (w.stale || w.lastTickUs < 0) continue;
      const thr = threshold(w);
      if (thr === null) continue;
      const ref = Math.max(w.lastTickUs, liveSinceUs);
      const overdueAtUs = ref + thr * 1000;
      if (now > overdueAtUs && feed.lastTickUs > overdueAtUs) {
        w.stale = true;
        w.staleSinceUs = now;
        emit({
          kind: 'stale_start',
          symbol: w.symbol,
          reason: `silent for ${secs(now - ref)} s while other symbols quote; it normally quotes every ${Math.round(w.spacingMs ?? 0)} ms (threshold ${secs(thr * 1000)} s)`,
          sinceUs: null,
          tsUs: now,
        });
      }
    }
  };

  const schedule = () => {
    timer = clock.setTimeout(() => {
      timer = null;
      if (stopped) return;
      check();
      schedule();
    }, checkEveryMs);
  };
  schedule();

  return {
    watch(symbol) {
      let w = watches.get(symbol);
      if (!w) {
        w = new SymbolWatch(symbol, window);
        watches.set(symbol, w);
      }
      return w;
    },
    tick(w, nowUs) {
      learn(w, nowUs);
      learn(feed, nowUs);
      if (w.stale) {
        w.stale = false;
        emit({
          kind: 'stale_end',
          symbol: w.symbol,
          reason: 'quoting again',
          sinceUs: w.staleSinceUs,
          tsUs: nowUs,
        });
        w.staleSinceUs = null;
      }
      if (quiet) {
        quiet = false;
        emit({ kind: 'stale_end', symbol: null, reason: 'quotes again', sinceUs: quietSinceUs, tsUs: nowUs });
        quietSinceUs = null;
      }
    },
    setLive(isLive) {
      if (isLive === live) return;
      live = isLive;
      if (live) {
        liveSinceUs = clock.nowUs();
      } else {
        feed.learnFromUs = -1;
        for (const w of watches.values()) w.learnFromUs = -1;
      }
    },
    check,
    spacingMs(w) {
      threshold(w);
      return w.count >= minIntervals ? w.spacingMs : null;
    },
    get marketQuiet() {
      return quiet;
    },
    stop() {
      stopped = true;
      clock.clearTimeout(timer);
      timer = null;
    },
  };
}
