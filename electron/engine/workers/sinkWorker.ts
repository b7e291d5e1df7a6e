// Worker entry: the ClickHouse sink. It owns its TickReader over the day files and its HTTP
// connection, so reading days and building batches never touch the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { TickReader } from '../reader/tickReader.ts';
import { createTickStreamReader } from '../stream/streamReader.ts';
import { ClickhouseHttp } from '../sink/clickhouseHttp.ts';
import { SinkFollower } from '../sink/sinkFollower.ts';
import { runSinkLoop } from '../sink/sinkLoop.ts';
import { sinkTarget } from '../sink/sinkConfig.ts';
import type { SinkControl, SinkWorkerData, SinkWorkerMessage } from './sinkApi.ts';

const data = workerData as SinkWorkerData;
let stopped = false;
parentPort!.on('message', (m: SinkControl) => {
  if (m.type === 'stop') stopped = true;
});
const emit = (m: SinkWorkerMessage): void => parentPort!.postMessage(m);

const reader = new TickReader(data.sqliteDir);
const http = new ClickhouseHttp(data.config);
try {
  const follower = new SinkFollower({
    stream: createTickStreamReader(reader),
    days: () => reader.days(),
    clickhouse: http,
    table: data.config.table,
    workstation: data.config.workstation,
    cursorFile: data.cursorFile,
    batchRows: data.config.batchRows,
    backfillFrom: data.config.backfillFrom,
    target: sinkTarget(data.config),
  });
  await runSinkLoop({
    follower,
    pollMs: data.pollMs ?? 1_000,
    stopped: () => stopped,
    report: (status) => emit({ type: 'status', status }),
  });
} finally {
  http.close();
  reader.close();
  emit({ type: 'stopped' });
  parentPort!.close();
}
