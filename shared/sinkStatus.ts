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

export const SINK_STATES = ['starting', 'forwarding', 'failing', 'restarting', 'stopped'] as const;
export type SinkState = (typeof SINK_STATES)[number];

/** The sink as the app sees it: the worker's last status plus what its controller knows. */
export interface SinkHealth extends SinkStatus {
  /** failing: inserts fail (ClickHouse down); restarting: the worker died and is started again. */
  state: SinkState;
  /** The table rows go to and desk reads from, e.g. tickscope.ticks. */
  table: string;
  cluster: string | null;
  /** Times the worker died and was started again since the app started. */
  workerRestarts: number;
}

/** Beyond this the sink counts as lagging in Health. */
export const SINK_LAG_WARN_SECONDS = 60;

/** Why Health should warn about the sink; none when it keeps up. */
export function sinkWarnings(s: SinkHealth): string[] {
  const out: string[] = [];
  if (s.state === 'restarting') out.push(`ClickHouse sink worker restarting: ${s.lastError ?? 'it exited'}`);
  else if (s.lastError !== null) out.push(`ClickHouse sink failing (${s.failures}x): ${s.lastError}`);
  if (s.lagSeconds > SINK_LAG_WARN_SECONDS)
    out.push(`ClickHouse sink ${Math.round(s.lagSeconds)} s behind (${s.lagTicks} ticks waiting)`);
  return out;
}
