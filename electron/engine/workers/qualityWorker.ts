// Worker entry: one day's quality report. It owns its TickReader, so a full day's read and
// analysis never touch the main thread or the store's reader workers.
import { parentPort, workerData } from 'node:worker_threads';
import { buildQualityReport } from '../quality/qualityReport.ts';
import { TickReader } from '../reader/tickReader.ts';
import { createTickStreamReader } from '../stream/streamReader.ts';
import type { QualityWorkerData, QualityWorkerMessage } from './qualityApi.ts';

const data = workerData as QualityWorkerData;
const emit = (m: QualityWorkerMessage): void => parentPort!.postMessage(m);

let reader: TickReader | null = null;
try {
  reader = new TickReader(data.sqliteDir);
  emit({ type: 'done', report: buildQualityReport(createTickStreamReader(reader), data.day, data.options) });
} catch (e) {
  emit({ type: 'failed', error: e instanceof Error ? e.message : String(e) });
} finally {
  reader?.close();
  parentPort!.close();
}
