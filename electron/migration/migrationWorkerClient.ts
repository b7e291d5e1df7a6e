// Main-thread side of a migration worker job: spawns it, answers its sink requests against the
// app's current TickStore, and forwards progress. Each batch is ingested in one short slice
// (batch size ticks, about a microsecond each), so the main thread stays responsive.
import { Worker } from 'node:worker_threads';
import type { MigrationProgress } from '../../shared/migration.ts';
import type { TickStore } from '../engine/tickStoreApi.ts';
import { InputFolderError } from './inputFolder.ts';
import type { FromWorker, MigrationJob, ToWorker } from './migrationWorkerProtocol.ts';
import { storeTickSink } from './storeTickSink.ts';

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** Worker entry the Electron build must bundle beside this module: migrationWorker.(ts|js). */
export const MIGRATION_WORKER_ENTRY = 'migrationWorker';

export class MigrationJobError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export interface WorkerJob<T> {
  result: Promise<T>;
  cancel(): void;
}

export function startWorkerJob<T>(
  job: MigrationJob,
  hooks: {
    getStore?: () => TickStore;
    onProgress?(p: MigrationProgress): void;
    onLog?(line: string): void;
  } = {},
): WorkerJob<T> {
  const worker = new Worker(new URL(`./${MIGRATION_WORKER_ENTRY}${ext}`, import.meta.url), {
    workerData: job,
  });
  const sink = hooks.getStore ? storeTickSink(hooks.getStore) : null;
  const send = (m: ToWorker): void => worker.postMessage(m);
  let settled = false;
  const result = new Promise<T>((resolve, reject) => {
    worker.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'batch':
          if (!sink) return;
          sink.ingest(m.batch).then(
            (outcome) => send({ type: 'batchDone', id: m.id, outcome }),
            (err: Error) => send({ type: 'sinkDone', id: m.id, value: null, error: err.message }),
          );
          return;
        case 'sink': {
          if (!sink) {
            send({ type: 'sinkDone', id: m.id, value: null, error: 'no store for this job' });
            return;
          }
          const p: Promise<unknown> =
            m.what === 'flush'
              ? sink.flush()
              : m.what === 'counters'
                ? sink.counters()
                : sink.defaultSource();
          p.then(
            (value) => send({ type: 'sinkDone', id: m.id, value: value ?? null }),
            (err: Error) => send({ type: 'sinkDone', id: m.id, value: null, error: err.message }),
          );
          return;
        }
        case 'progress':
          hooks.onProgress?.(m.progress);
          return;
        case 'log':
          hooks.onLog?.(m.line);
          return;
        case 'result':
          settled = true;
          resolve(m.value as T);
          return;
        case 'error':
          settled = true;
          reject(
            m.inputFolder
              ? new InputFolderError(m.inputFolder.path, m.inputFolder.problem, m.message, m.inputFolder.code)
              : new MigrationJobError(m.name, m.message),
          );
          return;
      }
    });
    worker.on('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new MigrationJobError('WorkerExit', `migration worker exited with code ${code}`));
    });
  });
  return { result, cancel: () => send({ type: 'cancel' }) };
}
