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
// A stop ends the poll or backoff pause at once, so closing the app never waits out a backoff.
let wake: (() => void) | null = null;
parentPort!.on('message', (m: SinkControl) => {
  if (m.type !== 'stop') return;
  stopped = true;
  wake?.();
});
const emit = (m: SinkWorkerMessage): void => parentPort!.postMessage(m);
const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      wake = null;
      resolve();
    }
    wake = done;
  });

const reader = new TickReader(data.sqliteDir);
const http = new ClickhouseHttp(data.config);
try {
  let lastReportMs = 0;
  const follower: SinkFollower = new SinkFollower({
    stream: createTickStreamReader(reader),
    days: () => reader.days(),
    clickhouse: http,
    table: data.config.table,
    workstation: data.config.workstation,
    cursorFile: data.cursorFile,
    batchRows: data.config.batchRows,
    backfillFrom: data.config.backfillFrom,
    target: sinkTarget(data.config),
    // A backfill's pass can take minutes: its progress is reported a few times a second.
    onBatch: () => {
      const now = Date.now();
      if (now - lastReportMs < 250) return;
      lastReportMs = now;
      emit({ type: 'status', status: follower.status() });
    },
  });
  await runSinkLoop({
    follower,
    pollMs: data.pollMs ?? 1_000,
    stopped: () => stopped,
    report: (status) => emit({ type: 'status', status }),
    sleep,
  });
} finally {
  http.close();
  reader.close();
  emit({ type: 'stopped' });
  parentPort!.close();
}
