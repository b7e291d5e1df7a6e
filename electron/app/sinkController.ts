// Runs the ClickHouse sink's worker for the current data folder and keeps what it last said.
// The worker is the only thing that reads the day files for the sink, and its cursor file is in
// the data folder, so a worker that dies is simply started again (with a growing pause): it
// resumes from the last acknowledged batch. A data folder change restarts it on the new folder.
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { SinkHealth, SinkState, SinkStatus } from '../../shared/sinkStatus.ts';
import type { ClickhouseSinkConfig } from '../engine/sink/sinkConfig.ts';
import { sinkTarget } from '../engine/sink/sinkConfig.ts';
import type { SinkControl, SinkWorkerData, SinkWorkerMessage } from '../engine/workers/sinkApi.ts';
import { spawnWorker } from '../engine/workers/spawnWorker.ts';
import { backoffMs } from '../engine/writing/backoff.ts';

export const SINK_CURSOR_FILE = 'clickhouse-sink.json';
/** How long a stop waits for the worker to finish its insert before it is terminated. */
const STOP_GRACE_MS = 5_000;

export interface SinkControllerOptions {
  config: ClickhouseSinkConfig;
  /** The current store's folders (they change with the data folder). */
  folders: () => { dataDir: string; sqliteDir: string };
  log: (message: string) => void;
  /** Poll interval once caught up. */
  pollMs?: number;
  /** Most pause between worker restarts. */
  maxRestartDelayMs?: number;
}

export interface SinkController {
  status(): SinkHealth;
  /** Stops the worker and starts one on the current folders (after a data folder change). */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** The running worker (tests end it to check the restart). */
  worker(): Worker | null;
}

export function startSinkController(o: SinkControllerOptions): SinkController {
  const initial: SinkStatus = {
    enabled: true,
    target: sinkTarget(o.config),
    workstation: o.config.workstation,
    lagTicks: 0,
    lagSeconds: 0,
    rowsPerSecond: 0,
    forwardedTotal: 0,
    lastError: null,
    lastErrorAtMs: null,
    failures: 0,
  };
  let last: SinkStatus = initial;
  let state: SinkState = 'starting';
  let worker: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();
  let stopping = false;
  let closed = false;
  let crashes = 0;
  let restarts = 0;
  let timer: NodeJS.Timeout | null = null;
  // Each worker counts from 0: what earlier workers forwarded is kept here.
  let forwardedBefore = 0;

  function spawn(): void {
    const f = o.folders();
    const data: SinkWorkerData = {
      sqliteDir: f.sqliteDir,
      cursorFile: path.join(f.dataDir, SINK_CURSOR_FILE),
      config: o.config,
      pollMs: o.pollMs,
    };
    const w = spawnWorker('sinkWorker', data);
    worker = w;
    let error: string | null = null;
    w.on('message', (m: SinkWorkerMessage) => {
      if (m.type !== 'status') return;
      last = { ...m.status, forwardedTotal: forwardedBefore + m.status.forwardedTotal };
      state = m.status.lastError !== null ? 'failing' : 'forwarding';
      if (m.status.lastError === null && m.status.forwardedTotal > 0) crashes = 0;
    });
    w.on('error', (e) => {
      error = e.message;
    });
    exited = new Promise((resolve) =>
      w.once('exit', (code) => {
        if (worker === w) worker = null;
        forwardedBefore = last.forwardedTotal;
        resolve();
        if (stopping || closed) return;
        const why = `sink worker exited (code ${code})${error ? `: ${error}` : ''}`;
        const delay = backoffMs(crashes++, o.maxRestartDelayMs ?? 30_000);
        o.log(`${why}; starting it again in ${delay} ms`);
        last = { ...last, lastError: why, lastErrorAtMs: Date.now() };
        state = 'restarting';
        timer = setTimeout(() => {
          timer = null;
          if (stopping || closed) return;
          restarts++;
          spawn();
        }, delay);
        timer.unref();
      }),
    );
  }

  async function halt(): Promise<void> {
    stopping = true;
    if (timer) clearTimeout(timer);
    timer = null;
    const w = worker;
    if (w) {
      w.postMessage({ type: 'stop' } satisfies SinkControl);
      const grace = setTimeout(() => void w.terminate(), STOP_GRACE_MS);
      await exited;
      clearTimeout(grace);
    }
    stopping = false;
  }

  spawn();
  return {
    status: () => ({
      ...last,
      state: closed ? 'stopped' : state,
      table: o.config.table,
      cluster: o.config.cluster ?? null,
      workerRestarts: restarts,
    }),
    async restart() {
      if (closed) return;
      await halt();
      // Closed while the old worker was finishing: starting one now would outlive the service.
      if (closed) return;
      state = 'starting';
      last = { ...initial, forwardedTotal: forwardedBefore };
      crashes = 0;
      spawn();
    },
    async stop() {
      closed = true;
      await halt();
    },
    worker: () => worker,
  };
}
