// The engine's entry for a day's quality report: runs it in its own worker and resolves with
// the report, or rejects with the worker's error (a bad day, an unreadable file).
import type { QualityOptions, QualityReport } from '../../../shared/quality.ts';
import type { QualityWorkerData, QualityWorkerMessage } from '../workers/qualityApi.ts';
import { spawnWorker } from '../workers/spawnWorker.ts';
import { dayBounds } from './reportBuilder.ts';

export class QualityReportError extends Error {
  override name = 'QualityReportError';
}

export function qualityReport(
  sqliteDir: string,
  day: string,
  options: QualityOptions = {},
): Promise<QualityReport> {
  try {
    dayBounds(day);
  } catch (e) {
    return Promise.reject(new QualityReportError((e as Error).message));
  }
  const data: QualityWorkerData = { sqliteDir, day, options };
  // Through spawnWorker, so the Electron build bundles the entry beside main.js and packaging
  // unpacks it (a path relative to this module would point nowhere once bundled).
  const worker = spawnWorker('qualityWorker', data);
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: QualityWorkerMessage) => {
      settled = true;
      if (m.type === 'done') resolve(m.report);
      else reject(new QualityReportError(`quality report for ${day} failed: ${m.error}`));
    });
    worker.on('error', (e) => {
      settled = true;
      reject(new QualityReportError(`quality report for ${day} failed: ${e.message}`));
    });
    worker.on('exit', (code) => {
      if (!settled)
        reject(new QualityReportError(`quality worker for ${day} exited (${code}) without a report`));
    });
  });
}
