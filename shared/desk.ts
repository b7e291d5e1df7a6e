// The desk: ticks every workstation forwarded to the shared ClickHouse, read back by History.
import type { TickPage } from './catalog.ts';
import type { SinkHealth } from './sinkStatus.ts';

export interface DeskStatus {
  /** A ClickHouse sink is configured (TICK_CLICKHOUSE_URL): desk.ticks can be asked. */
  configured: boolean;
  /** Where desk reads from, without credentials; null when not configured. */
  target: string | null;
  table: string | null;
  cluster: string | null;
  /** This workstation's name in the rows it forwards. */
  workstation: string | null;
  sink: SinkHealth | null;
}

/** ticks.range's page plus the workstation that forwarded each tick. */
export interface DeskTickPage extends TickPage {
  /** Index into `workstations` per tick. */
  workstation: number[];
  workstations: string[];
}
