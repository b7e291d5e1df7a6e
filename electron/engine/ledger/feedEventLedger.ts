// Gap-ledger entries on the main thread between recordFeedEvent and their day file: waiting to
// be sent to the writer, or sent and not yet reported written. Bounded: beyond the capacity an
// entry is refused (the caller counts it as dropped), so a writer that cannot write never grows
// memory without limit. Entries the writer could not write come back here and are tried again;
// nothing is journaled (a few entries a day do not need a journal, and memory keeps them
// readable: queries include what waits here).
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';

export const FEED_EVENT_CAPACITY = 10_000;

export interface FeedEventFilter {
  fromUs: number;
  toUs: number;
  feed: string | null;
  symbol: string | null;
  kinds: readonly string[] | null;
}

export function matchesFilter(e: FeedEvent, f: FeedEventFilter): boolean {
  return (
    e.tsUs >= f.fromUs &&
    e.tsUs < f.toUs &&
    (f.feed === null || e.feed === f.feed) &&
    (f.symbol === null || e.symbol === f.symbol) &&
    (f.kinds === null || f.kinds.includes(e.kind))
  );
}

export class FeedEventLedger {
  readonly capacity: number;
  private unsent: FeedEvent[] = [];
  private readonly inflight = new Map<number, FeedEvent[]>();
  private inflightCount = 0;
  private nextId = 1;
  /** Consecutive writes that failed, and when the unsent entries may be tried again. */
  failures = 0;
  retryAtMs = 0;

  constructor(capacity = FEED_EVENT_CAPACITY) {
    this.capacity = capacity;
  }

  /** Entries held: unsent and in flight. */
  get size(): number {
    return this.unsent.length + this.inflightCount;
  }

  get unsentCount(): number {
    return this.unsent.length;
  }

  /** False when the ledger is full (the entry is not kept). */
  add(e: FeedEvent): boolean {
    if (this.size >= this.capacity) return false;
    this.unsent.push(e);
    return true;
  }

  /** Every unsent entry as one message to the writer; they are in flight until settled. */
  take(): { id: number; events: FeedEvent[] } | null {
    if (this.unsent.length === 0) return null;
    const id = this.nextId++;
    const events = this.unsent;
    this.unsent = [];
    this.inflight.set(id, events);
    this.inflightCount += events.length;
    return { id, events };
  }

  /** The writer's report on a message: returns how many it wrote; the failed ones are unsent again. */
  settle(id: number, failed: readonly FeedEvent[]): number {
    const sent = this.inflight.get(id);
    if (!sent) return 0;
    this.inflight.delete(id);
    this.inflightCount -= sent.length;
    // Older than anything recorded since: back at the front.
    if (failed.length > 0) this.unsent = [...failed, ...this.unsent];
    return sent.length - failed.length;
  }

  /** The writer went away with messages unanswered: they are sent again to the next one. */
  requeueInflight(): void {
    if (this.inflight.size === 0) return;
    const again: FeedEvent[] = [];
    for (const id of [...this.inflight.keys()].sort((a, b) => a - b)) again.push(...this.inflight.get(id)!);
    this.inflight.clear();
    this.inflightCount = 0;
    this.unsent = [...again, ...this.unsent];
  }

  /** The held entries a query asks for (they are not in a day file yet, or not known to be). */
  matching(f: FeedEventFilter): FeedEvent[] {
    const out: FeedEvent[] = [];
    for (const list of this.inflight.values()) for (const e of list) if (matchesFilter(e, f)) out.push(e);
    for (const e of this.unsent) if (matchesFilter(e, f)) out.push(e);
    return out;
  }

  /** Everything still held, emptied (at stop: what could not be written). */
  drain(): FeedEvent[] {
    this.requeueInflight();
    const all = this.unsent;
    this.unsent = [];
    return all;
  }
}
