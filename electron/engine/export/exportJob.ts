// The engine's entry for an export: one worker thread per job, a handle with progress (pushed at
// most every 250 ms, with an ETA from the rate so far), cancel, and a `done` promise that resolves
// with the final state and never rejects.
import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type { ExportProgress, ExportRequest } from '../../../shared/export.ts';
import type { ExportWorkerData, ExportWorkerMessage } from '../workers/exportApi.ts';
import { spawnWorker } from '../workers/spawnWorker.ts';
import { PAGE_TICKS, exportSelection, readsStream } from './exportSelection.ts';
import { startStreamRead } from './pipedStream.ts';

export interface ExportHandle {
  readonly id: string;
  progress(): ExportProgress;
  cancel(): void;
  readonly done: Promise<ExportProgress>;
}

export const PROGRESS_EVERY_MS = 250;

export function startExport(
  sqliteDir: string,
  request: ExportRequest,
  onProgress?: (p: ExportProgress) => void,
  now: () => number = Date.now,
): ExportHandle {
  const startedAtMs = now();
  const state: ExportProgress = {
    id: randomUUID(),
    state: 'running',
    format: request.format,
    outPath: request.outPath,
    ticksDone: 0,
    ticksTotal: 0,
    rowsWritten: 0,
    bytesWritten: 0,
    startedAtMs,
    etaMs: null,
    files: [],
  };
  // The stream read starts now, beside the export worker, instead of after its start-up.
  const read = readsStream(request) ? startStreamRead(sqliteDir, exportSelection(request), PAGE_TICKS) : null;
  const data: ExportWorkerData = { sqliteDir, request, read: read?.end ?? null };
  // Resolved like every engine worker: beside this module from source, beside main.js when bundled.
  let worker: Worker;
  try {
    worker = spawnWorker('exportWorker', data, read ? [read.end.port] : []);
  } catch (e) {
    void read?.worker.terminate();
    throw e;
  }
  let lastPush = 0;
  const push = (force: boolean): void => {
    const t = now();
    if (!onProgress || (!force && t - lastPush < PROGRESS_EVERY_MS)) return;
    lastPush = t;
    onProgress({ ...state, files: [...state.files] });
  };
  const done = new Promise<ExportProgress>((resolve) => {
    const finish = (final: Partial<ExportProgress>): void => {
      if (state.state !== 'running') return;
      void read?.worker.terminate();
      Object.assign(state, final, { etaMs: 0 });
      push(true);
      resolve({ ...state });
    };
    worker.on('message', (m: ExportWorkerMessage) => {
      switch (m.type) {
        case 'total':
          state.ticksTotal = m.ticksTotal;
          break;
        case 'progress': {
          Object.assign(state, {
            ticksDone: m.ticksDone,
            rowsWritten: m.rowsWritten,
            bytesWritten: m.bytesWritten,
          });
          state.ticksTotal = Math.max(state.ticksTotal, m.ticksDone);
          const elapsed = now() - startedAtMs;
          state.etaMs =
            m.ticksDone > 0 && elapsed > 0
              ? Math.round(((state.ticksTotal - m.ticksDone) * elapsed) / m.ticksDone)
              : null;
          push(false);
          break;
        }
        case 'done':
          finish({
            state: 'done',
            files: m.files,
            ticksDone: m.ticksDone,
            rowsWritten: m.rowsWritten,
            bytesWritten: m.bytesWritten,
            ticksTotal: m.ticksDone,
          });
          break;
        case 'cancelled':
          finish({ state: 'cancelled' });
          break;
        case 'failed':
          finish({ state: 'failed', error: m.error });
          break;
      }
    });
    worker.on('error', (e) => finish({ state: 'failed', error: `export worker failed: ${e.message}` }));
    worker.on('exit', (code) =>
      finish({ state: 'failed', error: `export worker exited (code ${code}) before finishing` }),
    );
  });
  return {
    id: state.id,
    progress: () => ({ ...state, files: [...state.files] }),
    cancel: () => {
      if (state.state === 'running') worker.postMessage({ type: 'cancel' });
    },
    done,
  };
}
