// The optional `clickhouse` block: off unless a URL is given (config or TICK_CLICKHOUSE_URL).
// Every row names the workstation: BROKER_ID, else the host name.
import os from 'node:os';

export interface ClickhouseSinkConfig {
  url: string;
  user?: string;
  password?: string;
  database: string;
  /** The table inserts go to and desk reads from (the Distributed one on a cluster). */
  table: string;
  cluster?: string;
  workstation: string;
  /** Oldest day to forward, YYYY-MM-DD; absent: every stored day. */
  backfillFrom?: string;
  batchRows?: number;
}

export type ClickhouseSinkInput = Partial<ClickhouseSinkConfig>;

export function sinkConfigFromEnv(
  env: NodeJS.ProcessEnv,
  explicit: ClickhouseSinkInput = {},
): ClickhouseSinkConfig | null {
  const url = explicit.url ?? (env.TICK_CLICKHOUSE_URL || undefined);
  if (url === undefined) return null;
  try {
    new URL(url);
  } catch {
    throw new Error(`TICK_CLICKHOUSE_URL ${JSON.stringify(url)} is not a URL (e.g. http://127.0.0.1:8123)`);
  }
  const backfillFrom = explicit.backfillFrom ?? (env.TICK_CLICKHOUSE_BACKFILL_FROM || undefined);
  if (backfillFrom !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(backfillFrom))
    throw new Error(`backfillFrom ${JSON.stringify(backfillFrom)} must be YYYY-MM-DD`);
  return {
    url,
    user: explicit.user ?? (env.TICK_CLICKHOUSE_USER || undefined),
    password: explicit.password ?? (env.TICK_CLICKHOUSE_PASSWORD || undefined),
    database: explicit.database ?? 'tickscope',
    table: explicit.table ?? (env.TICK_CLICKHOUSE_TABLE || 'tickscope.ticks'),
    cluster: explicit.cluster ?? (env.TICK_CLICKHOUSE_CLUSTER || undefined),
    workstation: explicit.workstation ?? (env.BROKER_ID || os.hostname()),
    backfillFrom,
    batchRows: explicit.batchRows,
  };
}

/** Where rows go, without credentials. */
export function sinkTarget(c: ClickhouseSinkConfig): string {
  const u = new URL(c.url);
  return `${u.protocol}//${u.host} ${c.table}`;
}
