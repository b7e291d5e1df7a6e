// What the quality worker (one per report) and its caller say to each other: one request in
// workerData, one answer back.
import type { QualityOptions, QualityReport } from '../../../shared/quality.ts';

export interface QualityWorkerData {
  sqliteDir: string;
  day: string;
  options: QualityOptions;
}

export type QualityWorkerMessage =
  { type: 'done'; report: QualityReport } | { type: 'failed'; error: string };
