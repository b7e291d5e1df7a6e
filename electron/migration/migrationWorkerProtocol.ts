// Messages between the migration worker (parses, hashes, validates, archives) and the main
// thread (owns the TickStore). Ticks cross as columnar batches with transferred buffers.
import type { ImportOptions, MigrationOptions, MigrationProgress } from '../../shared/migration.ts';
import type { InputFolderProblem } from './inputFolder.ts';
import type { TickBatch } from './tickBatch.ts';
import type { BatchOutcome } from './tickSink.ts';

export type MigrationJob =
  | { kind: 'run'; options: MigrationOptions; outputDir: string; runId: string }
  | { kind: 'scan'; inputDir: string; options: ImportOptions; outputDir: string }
  | { kind: 'preview'; inputDir: string; options: ImportOptions; path?: string; rows: number }
  | {
      kind: 'archive';
      inputDir: string;
      files: string[];
      archiveDir: string;
      deleteAfter: boolean;
      runId: string;
    };

export type SinkRequest = 'flush' | 'counters' | 'defaultSource';

export type FromWorker =
  | { type: 'batch'; id: number; batch: TickBatch }
  | { type: 'sink'; id: number; what: SinkRequest }
  | { type: 'progress'; progress: MigrationProgress }
  | { type: 'log'; line: string }
  | { type: 'result'; value: unknown }
  | { type: 'error'; message: string; name: string; inputFolder?: InputFolderDetail };

/** An InputFolderError's fields, so that the main thread can rethrow it as one. */
export interface InputFolderDetail {
  path: string;
  problem: InputFolderProblem;
  code: string | null;
}

export type ToWorker =
  | { type: 'batchDone'; id: number; outcome: BatchOutcome }
  | { type: 'sinkDone'; id: number; value: unknown; error?: string }
  | { type: 'cancel' };
