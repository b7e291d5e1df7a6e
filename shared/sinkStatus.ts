// The ClickHouse sink's figures, shown in Health and served by desk.status.
export interface SinkStatus {
  enabled: boolean;
  /** Where rows go (no credentials), e.g. http://ch1:8123 tickscope.ticks. */
  target: string;
  workstation: string;
  /** Stored ticks not yet acknowledged by ClickHouse (days from backfillFrom on). */
  lagTicks: number;
  /** Now minus the receive time of the newest forwarded tick, while ticks are waiting; else 0. */
  lagSeconds: number;
  /** Rows acknowledged per second over the last ~10 s. */
  rowsPerSecond: number;
  forwardedTotal: number;
  /** Message of the last failed insert, cleared by the next acknowledged one. */
  lastError: string | null;
  lastErrorAtMs: number | null;
  /** Consecutive failures (the retry backoff grows with it). */
  failures: number;
}
