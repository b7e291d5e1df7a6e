// What the migration worker (parses, hashes, validates, archives) and the thread that owns the
// TickStore ask of each other, over the engine's one worker RPC: the owner calls `run` on the
// worker and the worker calls the owner's tick sink, each end typed from these interfaces.
import type { ImportOptions, MigrationOptions, MigrationProgress } from '../../shared/migration.ts';
import type { TickBatch } from './tickBatch.ts';
import type { BatchOutcome, EngineCounters } from './tickSink.ts';

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

/** The worker's side: one job per worker, and a way to stop it. */
export interface MigrationWorkerApi {
  [method: string]: (...args: never[]) => unknown;
  run(job: MigrationJob): Promise<unknown>;
  /** One-way: the running job stops after its current batch. */
  cancel(): void;
}

export interface MigrationWorkerEvents {
  [event: string]: unknown;
  progress: MigrationProgress;
  log: string;
}

/** The store owner's side: the sink the worker hands parsed batches to. */
export interface MigrationSinkApi {
  [method: string]: (...args: never[]) => unknown;
  ingest(batch: TickBatch): Promise<BatchOutcome>;
  flush(): Promise<void>;
  counters(): Promise<EngineCounters>;
  defaultSource(): Promise<string>;
}
