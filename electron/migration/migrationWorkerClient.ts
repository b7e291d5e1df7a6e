// The store owner's side of a migration worker job: starts the worker, serves it the tick sink
// over the engine's worker RPC (against the app's current TickStore), forwards progress, and
// settles the job's result however the worker ends. Each batch is ingested in one short slice
// (batch size ticks, about a microsecond each), so the main thread stays responsive.
import { Worker } from 'node:worker_threads';
import type { MigrationProgress } from '../../shared/migration.ts';
import type { ErrorEnvelope } from '../engine/rpc/rpcWire.ts';
import { RpcClient } from '../engine/rpc/rpcClient.ts';
import { serveRpc } from '../engine/rpc/rpcServer.ts';
import type { TickStore } from '../engine/tickStoreApi.ts';
import { workerEntryUrl } from '../engine/workers/spawnWorker.ts';
import { InputFolderError } from './inputFolder.ts';
import type { InputFolderProblem } from './inputFolder.ts';
import type {
  MigrationJob,
  MigrationSinkApi,
  MigrationWorkerApi,
  MigrationWorkerEvents,
} from './migrationWorkerApi.ts';
import { storeTickSink } from './storeTickSink.ts';

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

/** Errors from the job keep their kind: an input folder error stays one, with its fields. */
function reviveJobError(env: ErrorEnvelope): Error {
  const f = env.fields ?? {};
  if (env.kind === 'InputFolderError') {
    const code = typeof f.code === 'string' ? f.code : null;
    return new InputFolderError(env.path ?? '', f.problem as InputFolderProblem, env.message, code);
  }
  return new MigrationJobError(env.kind, env.message);
}

export function startWorkerJob<T>(
  job: MigrationJob,
  hooks: {
    getStore?: () => TickStore;
    onProgress?(p: MigrationProgress): void;
    onLog?(line: string): void;
  } = {},
): WorkerJob<T> {
  const worker = new Worker(workerEntryUrl(MIGRATION_WORKER_ENTRY, import.meta.url));
  const sink = hooks.getStore ? storeTickSink(hooks.getStore) : null;
  const noStore = () => Promise.reject(new Error('no store for this job'));
  serveRpc<MigrationSinkApi>(worker, {
    ingest: (batch) => (sink ? sink.ingest(batch) : noStore()),
    flush: () => (sink ? sink.flush() : noStore()),
    counters: () => (sink ? sink.counters() : noStore()),
    defaultSource: () => (sink ? sink.defaultSource() : noStore()),
  });
  const client = new RpcClient<MigrationWorkerApi, MigrationWorkerEvents>('migration', worker, {
    onEvent: (event, payload) => {
      if (event === 'progress') hooks.onProgress?.(payload as MigrationProgress);
      else if (event === 'log') hooks.onLog?.(payload as string);
    },
    reviveError: reviveJobError,
  });
  // A worker that dies rejects the call with a WorkerFailedError (see rpcClient.ts).
  const result = client.call('run', job).finally(() => client.terminate()) as Promise<T>;
  return { result, cancel: () => void client.send('cancel') };
}
