// Exchanges limit how fast a client may subscribe (Binance: 5 messages/s; Coinbase likewise), so
// subscriptions go out one per interval. One pacer per feed: stop() cancels every pending send.
import type { FeedClock, FeedTimer } from './feedClock.ts';

export class PacedSender {
  private readonly clock: FeedClock;
  private readonly everyMs: number;
  private readonly timers = new Set<FeedTimer>();

  constructor(clock: FeedClock, everyMs: number) {
    this.clock = clock;
    this.everyMs = everyMs;
  }

  /**
   * Sends the first item now and each next one `everyMs` later, for as long as `send` returns
   * true (false: the session closed, drop the rest).
   */
  sendAll<T>(items: readonly T[], send: (item: T) => boolean): void {
    const queue = [...items];
    const next = () => {
      const item = queue.shift();
      if (item === undefined || !send(item) || queue.length === 0) return;
      const t = this.clock.setTimeout(() => {
        this.timers.delete(t);
        next();
      }, this.everyMs);
      this.timers.add(t);
    };
    next();
  }

  stop(): void {
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
  }
}
