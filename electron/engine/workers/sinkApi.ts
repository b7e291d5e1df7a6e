// What the sink worker and its controller say to each other: the worker runs one long follow
// loop and reports its status; the controller only asks it to stop.
import type { SinkStatus } from '../../../shared/sinkStatus.ts';
import type { ClickhouseSinkConfig } from '../sink/sinkConfig.ts';

export interface SinkWorkerData {
  sqliteDir: string;
  cursorFile: string;
  config: ClickhouseSinkConfig;
  /** Poll interval once caught up (the current day is followed). */
  pollMs?: number;
}

/** Worker -> controller. */
export type SinkWorkerMessage = { type: 'status'; status: SinkStatus } | { type: 'stopped' };

/** Controller -> worker. */
export type SinkControl = { type: 'stop' };
