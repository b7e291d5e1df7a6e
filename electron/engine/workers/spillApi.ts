// What the spill worker answers. It alone owns the journal's files, so it alone counts what they
// hold: the engine reads the pending counts from its replies, never adds them up itself.
import type { ColumnBatch } from '../storage/columnBatch.ts';

export interface SegmentInfo {
  path: string;
  /** Ticks in the segment's intact records. */
  ticks: number;
  /** Of those, ticks whose outcome is not yet counted (everything but JSON mirror records). */
  uncounted: number;
  bytes: number;
  /** Written by this run of the engine (its run id is in the name). */
  thisRun: boolean;
}

export interface SpillPending {
  /** Uncounted ticks this run put in the journal that are not yet replayed (open segment too). */
  thisRun: number;
  /** Ticks found in the journal at start, left by earlier runs, not yet replayed. */
  earlier: number;
  bytes: number;
  quarantined: number;
}

export interface SpillInit {
  pending: SpillPending;
  /** Segments found at start that hold unreadable bytes (they are replayed, then quarantined). */
  damaged: string[];
  /**
   * Batch ids already in this run's segments: after a restart, appends the old worker made
   * durable but could not confirm are not appended twice.
   */
  appendedIds: number[];
}

export interface SpillApi {
  [method: string]: (...args: never[]) => unknown;
  init(spillDir: string, runId: string): SpillInit;
  define(symbols: [number, string][], sources: [number, string][]): void;
  /** Durable (synced) when it resolves; rejects with the file system's error (ENOSPC...). */
  append(batch: ColumnBatch, sinks: number, id: number): Promise<SpillPending>;
  /** Closes the open segment for replay. */
  seal(): SegmentInfo | null;
  /** Sealed segments waiting for replay, oldest first. */
  sealed(): SegmentInfo[];
  /** After replay: deletes the segment, or keeps it renamed when it held unreadable bytes. */
  release(path: string, quarantine: boolean): SpillPending;
  pending(): SpillPending;
  stop(): SpillPending;
}
