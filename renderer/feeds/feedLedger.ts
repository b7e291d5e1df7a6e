// The gap ledger as the Feeds tab shows it: the last 24 hours fetched once (`feeds.events`), then
// the entries pushed live (`feeds.event`), newest first, each entry once however it arrived.
import type { FeedEvent } from '../../shared/feeds/feedEvents.ts';

export const LEDGER_WINDOW_US = 24 * 3600 * 1_000_000;
/** Rows kept on screen; older ones remain in the day files. */
export const LEDGER_MAX_ROWS = 2_000;

function keyOf(e: FeedEvent): string {
  return `${e.tsUs}|${e.feed}|${e.kind}|${e.symbol ?? ''}|${e.fromSeq ?? ''}|${e.toSeq ?? ''}|${e.code ?? ''}|${e.reason}`;
}

export class FeedLedger {
  private readonly keys = new Set<string>();
  private rows: FeedEvent[] = [];
  private version = 0;

  /** Adds entries in any order; returns true when something was new. */
  add(events: readonly FeedEvent[]): boolean {
    let added = false;
    for (const e of events) {
      const k = keyOf(e);
      if (this.keys.has(k)) continue;
      this.keys.add(k);
      this.rows.push(e);
      added = true;
    }
    if (!added) return false;
    // Newest first; equal times keep arrival order (a disconnect before its reconnect).
    const order = new Map(this.rows.map((e, i) => [e, i]));
    this.rows.sort((a, b) => b.tsUs - a.tsUs || (order.get(b) ?? 0) - (order.get(a) ?? 0));
    if (this.rows.length > LEDGER_MAX_ROWS) {
      for (const e of this.rows.splice(LEDGER_MAX_ROWS)) this.keys.delete(keyOf(e));
    }
    this.version++;
    return true;
  }

  /** Newest first, only entries within the window ending at nowUs. */
  list(nowUs: number, feed: string | null = null): FeedEvent[] {
    const from = nowUs - LEDGER_WINDOW_US;
    return this.rows.filter((e) => e.tsUs >= from && (feed === null || e.feed === feed));
  }

  get revision(): number {
    return this.version;
  }
}
