// Worker entry: one export job. It owns its TickReader over the day files, so the long read and
// the encoding never touch the main thread or the store's reader workers.
import { parentPort, workerData } from 'node:worker_threads';
import { runExport } from '../export/exportRun.ts';
import { TickReader } from '../reader/tickReader.ts';
import { PIPE_DEPTH, pipedStream } from '../export/pipedStream.ts';
import type { ExportControl, ExportWorkerData, ExportWorkerMessage } from './exportApi.ts';

const data = workerData as ExportWorkerData;
let cancelled = false;
parentPort!.on('message', (m: ExportControl) => {
  if (m.type === 'cancel') cancelled = true;
});
const emit = (m: ExportWorkerMessage): void => parentPort!.postMessage(m);

let reader: TickReader | null = null;
// The stream is read by a worker of its own, ahead of the writer, started by the job
// (pipedStream.ts).
const stream = pipedStream(data.sqliteDir, PIPE_DEPTH, data.read);
try {
  reader = new TickReader(data.sqliteDir);
  await runExport({ reader, stream, emit, cancelled: () => cancelled }, data.request);
} catch (e) {
  emit({ type: 'failed', error: e instanceof Error ? e.message : String(e) });
} finally {
  stream.close();
  reader?.close();
  parentPort!.close();
}
