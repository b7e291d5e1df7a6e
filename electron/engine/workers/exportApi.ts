// What the export worker (one per job) and the job's handle say to each other: plain messages,
// since a job is one long call with progress, not a request/response API.
import type { ExportRequest } from '../../../shared/export.ts';
import type { StreamReadEnd } from '../export/pipedStream.ts';

export interface ExportWorkerData {
  sqliteDir: string;
  request: ExportRequest;
  /** The stream read the job started for this request (transferred port), when it reads one. */
  read: StreamReadEnd | null;
}

/** Worker -> job. */
export type ExportWorkerMessage =
  | { type: 'total'; ticksTotal: number }
  | { type: 'progress'; ticksDone: number; rowsWritten: number; bytesWritten: number }
  | { type: 'done'; files: string[]; ticksDone: number; rowsWritten: number; bytesWritten: number }
  | { type: 'cancelled' }
  | { type: 'failed'; error: string };

/** Job -> worker. */
export type ExportControl = { type: 'cancel' };
