// A FeedSink for feed tests: keeps copies of every tick (feeds reuse one object) and every ledger
// entry, and can hold producers back (backpressure) until the test releases them.
import type { FeedEvent, FeedEventKind } from '../../../shared/feeds/feedEvents.ts';
import type { TickInput } from '../../../shared/tick.ts';
import type { FeedSink } from '../../../electron/feeds/feed.ts';

export interface CollectingSink extends FeedSink {
  ticks: TickInput[];
  events: FeedEvent[];
  /** Events of one kind (and symbol, when given). */
  eventsOf(kind: FeedEventKind, symbol?: string | null): FeedEvent[];
  /** Ticks per symbol. */
  countBySymbol(): Map<string, number>;
  /** From now on wait() returns one unresolved promise, until release(). */
  hold(): void;
  release(): void;
  /** How many times wait() handed out a promise. */
  readonly waits: number;
}

export function collectingSink(): CollectingSink {
  const ticks: TickInput[] = [];
  const events: FeedEvent[] = [];
  let held: { promise: Promise<void>; resolve: () => void } | null = null;
  let waits = 0;
  return {
    ticks,
    events,
    tick(t) {
      ticks.push({ ...t });
    },
    event(e) {
      events.push(e);
    },
    wait() {
      if (!held) return null;
      waits++;
      return held.promise;
    },
    eventsOf(kind, symbol) {
      return events.filter((e) => e.kind === kind && (symbol === undefined || e.symbol === symbol));
    },
    countBySymbol() {
      const m = new Map<string, number>();
      for (const t of ticks) m.set(t.symbol, (m.get(t.symbol) ?? 0) + 1);
      return m;
    },
    hold() {
      if (held) return;
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      held = { promise, resolve };
    },
    release() {
      const h = held;
      held = null;
      h?.resolve();
    },
    get waits() {
      return waits;
    },
  };
}
