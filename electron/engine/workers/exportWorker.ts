// Worker entry: one export job. It owns its TickReader over the day files, so the long read and
// the encoding never touch the main thread or the store's reader workers.
import { parentPort, workerData } from 'node:worker_threads';
import { runExport } from '../export/exportRun.ts';
import { TickReader } from '../reader/tickReader.ts';
import { createTickStreamReader } from '../stream/streamReader.ts';
import type { ExportControl, ExportWorkerData, ExportWorkerMessage } from './exportApi.ts';

const data = workerData as ExportWorkerData;
let cancelled = false;
parentPort!.on('message', (m: ExportControl) => {
  if (m.type === 'cancel') cancelled = true;
});
const emit = (m: ExportWorkerMessage): void => parentPort!.postMessage(m);

let reader: TickReader | null = null;
try {
  reader = new TickReader(data.sqliteDir);
  await runExport(
    { reader, stream: createTickStreamReader(reader), emit, cancelled: () => cancelled },
    data.request,
  );
} catch (e) {
  emit({ type: 'failed', error: e instanceof Error ? e.message : String(e) });
} finally {
  reader?.close();
  parentPort!.close();
}
