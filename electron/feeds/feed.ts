// A source of quote ticks that pushes into the engine: the demo simulator, an exchange WebSocket,
// a FIX session. Every feed reports what it is doing (FeedStatus) and writes the gap ledger
// (FeedEvent), so a feed that stops is never silent.
import type { FeedEvent } from '../../shared/feeds/feedEvents.ts';
import type { FeedKind } from '../../shared/feeds/feedConfig.ts';
import type { FeedStatus } from '../../shared/feeds/feedStatus.ts';
import type { TickInput } from '../../shared/tick.ts';

export interface FeedSink {
  /**
   * One tick. The sink must not keep the object: feeds may reuse one object for every tick (the
   * engine's ingest copies the values), so a busy feed makes no garbage per tick.
   * Exchange feeds set `recvUs` (µs resolution, feedClock) and `seq` (the exchange's update id);
   * when the exchange sends no time they set `tsUs` to the receive time and `noExchangeTime`.
   */
  tick(t: TickInput): void;
  /** A gap-ledger entry (connect, disconnect, stale, sequence gap...). */
  event(e: FeedEvent): void;
  /**
   * Backpressure: null while the engine takes ticks at once; otherwise a promise that resolves
   * when it can take more. A socket feed pauses its reads until then rather than queueing.
   */
  wait(): Promise<void> | null;
}

export interface Feed {
  /** The configured feed's id (`binance`, `lp-yofx`...). */
  readonly id: string;
  readonly kind: FeedKind;
  /** The source name its ticks carry. */
  readonly source: string;
  readonly symbols: readonly string[];
  start(sink: FeedSink): void;
  /** Closes connections (FIX Logout first); resolves when they are closed. Idempotent. */
  stop(): Promise<void>;
  status(): FeedStatus;
  /** The last raw messages received (newest last), for the mapping preview; cut to 2,000 chars each. */
  lastMessages(): string[];
  /** The system resumed from sleep or the network changed: verify the connection now. */
  checkConnection(): void;
}
