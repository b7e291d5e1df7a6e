// Worker entry: runs one migration job off the main thread. Parsing, hashing, the ledger,
// validation and archiving all happen here; only the ingest of each batch runs on the main
// thread, because that is where the app's TickStore lives.
import { parentPort, workerData } from 'node:worker_threads';
import { archiveSources } from './archiveSources.ts';
import { InputFolderError } from './inputFolder.ts';
import { runMigration } from './migrationRun.ts';
import type { FromWorker, MigrationJob, SinkRequest, ToWorker } from './migrationWorkerProtocol.ts';
import { previewFiles } from './previewFiles.ts';
import { scanInput } from './scanSummary.ts';
import type { BatchOutcome, EngineCounters, TickSink } from './tickSink.ts';

const port = parentPort;
if (!port) throw new Error('migrationWorker must run in a worker thread');

const job = workerData as MigrationJob;
const abort = new AbortController();
let nextId = 1;
const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

const post = (m: FromWorker, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer ?? []);

port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') {
    abort.abort();
    return;
  }
  const w = waiting.get(m.id);
  if (!w) return;
  waiting.delete(m.id);
  if (m.type === 'batchDone') w.resolve(m.outcome);
  else if (m.error !== undefined) w.reject(new Error(m.error));
  else w.resolve(m.value);
});

function ask<T>(m: FromWorker & { id: number }, transfer?: ArrayBuffer[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    waiting.set(m.id, { resolve: resolve as (v: unknown) => void, reject });
    post(m, transfer);
  });
}

const sinkRequest = <T>(what: SinkRequest): Promise<T> => ask<T>({ type: 'sink', id: nextId++, what });

const remoteSink: TickSink = {
  // Copied, not transferred: the run still reads the batch (per-day counts) after the ingest.
  ingest: (batch) => ask<BatchOutcome>({ type: 'batch', id: nextId++, batch }),
  flush: () => sinkRequest<void>('flush'),
  counters: () => sinkRequest<EngineCounters>('counters'),
  defaultSource: () => sinkRequest<string>('defaultSource'),
};

async function run(): Promise<unknown> {
  switch (job.kind) {
    case 'run':
      return runMigration(job.options, {
        sink: job.options.dryRun ? null : remoteSink,
        outputDir: job.outputDir,
        runId: job.runId,
        signal: abort.signal,
        onProgress: (progress) => post({ type: 'progress', progress }),
        log: (line) => post({ type: 'log', line }),
      });
    case 'scan':
      return scanInput(job.inputDir, job.options, job.outputDir);
    case 'preview':
      return previewFiles(job.inputDir, job.options, { path: job.path, rows: job.rows });
    case 'archive':
      return archiveSources({
        inputDir: job.inputDir,
        files: job.files,
        archiveDir: job.archiveDir,
        deleteAfter: job.deleteAfter,
        runId: job.runId,
      });
  }
}

run().then(
  (value) => {
    post({ type: 'result', value });
    port.close();
  },
  (err: Error) => {
    const inputFolder =
      err instanceof InputFolderError ? { path: err.path, problem: err.problem, code: err.code } : undefined;
    post({ type: 'error', message: err?.message ?? String(err), name: err?.name ?? 'Error', inputFolder });
    port.close();
  },
);
