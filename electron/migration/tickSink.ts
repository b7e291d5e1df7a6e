// Where parsed batches go. The CLI hands them straight to its TickStore; in the app the parsing
// worker posts them to the main thread, which owns the store (see workerTickSink.ts).
import type { TickBatch } from './tickBatch.ts';

export interface BatchOutcome {
  accepted: number;
  throttled: number;
  /** Indexes into the batch of ticks the store turned away, with the store's reason. */
  rejectedIndex: number[];
  rejectedReason: string[];
}

export interface EngineCounters {
  ticksWritten: number;
  ticksDuplicate: number;
}

export interface TickSink {
  ingest(batch: TickBatch): Promise<BatchOutcome>;
  /** Resolves when every tick handed in so far is durable. */
  flush(): Promise<void>;
  counters(): Promise<EngineCounters>;
  /** Default source the store gives ticks without one (for validation). */
  defaultSource(): Promise<string>;
}
