// Worker entry: runs one migration job off the main thread. Parsing, hashing, the ledger,
// validation and archiving all happen here; only the ingest of each batch runs on the thread
// that owns the TickStore, reached through the sink it serves on the same channel.
import { parentPort } from 'node:worker_threads';
import { RpcClient } from '../engine/rpc/rpcClient.ts';
import { serveRpc } from '../engine/rpc/rpcServer.ts';
import { archiveSources } from './archiveSources.ts';
import { runMigration } from './migrationRun.ts';
import type {
  MigrationJob,
  MigrationSinkApi,
  MigrationWorkerApi,
  MigrationWorkerEvents,
} from './migrationWorkerApi.ts';
import { previewFiles } from './previewFiles.ts';
import { scanInput } from './scanSummary.ts';
import type { TickSink } from './tickSink.ts';

const port = parentPort;
if (!port) throw new Error('migrationWorker must run in a worker thread');

const abort = new AbortController();
const owner = new RpcClient<MigrationSinkApi>('migration sink', port);

const remoteSink: TickSink = {
  // Copied, not transferred: the run still reads the batch (per-day counts) after the ingest.
  ingest: (batch) => owner.call('ingest', batch),
  flush: () => owner.call('flush'),
  counters: () => owner.call('counters'),
  defaultSource: () => owner.call('defaultSource'),
};

function run(job: MigrationJob): Promise<unknown> {
  switch (job.kind) {
    case 'run':
      return runMigration(job.options, {
        sink: job.options.dryRun ? null : remoteSink,
        outputDir: job.outputDir,
        runId: job.runId,
        signal: abort.signal,
        onProgress: (progress) => server.emit('progress', progress),
        log: (line) => server.emit('log', line),
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

const server = serveRpc<MigrationWorkerApi, MigrationWorkerEvents>(port, {
  run,
  cancel: () => abort.abort(),
});
