// What the writer worker answers and reports. Both ends are typed from these interfaces: the
// engine's RpcClient<WriterApi, WriterEvents> and the worker's serveRpc<WriterApi, WriterEvents>.
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import type { SwapOutcome } from '../archive/archiveSwap.ts';
import type { PreparedArchive } from '../archive/compactDay.ts';
import type { ColumnBatch } from '../storage/columnBatch.ts';

export interface WriterSettings {
  sqliteDir: string;
  jsonDir: string;
  spillDir: string;
  maxRetries: number;
  retryBaseMs: number;
  busyTimeoutMs: number;
  /** Committed ticks kept to re-write a day file that vanishes while open. */
  rewriteBufferTicks: number;
  /** How often open day files are checked for still being on disk, ms. */
  fileCheckMs: number;
}

export interface ReplayResult {
  /** Ticks read from the segment's intact records. */
  ticks: number;
  /** Of those, the ticks whose outcome had not been counted yet (see FLAG_COUNTED). */
  uncountedTicks: number;
  written: number;
  duplicates: number;
  jsonWritten: number;
  jsonOnlyWritten: number;
  /** Unreadable bytes: between records (damage) and at the end (a torn write). */
  damagedBytes: number;
  tornBytes: number;
}

export interface RotateResult {
  /** The day whose file was closed because midnight passed, or null. */
  closedDay: number | null;
  /** The oldest day with a day file, or null: retention asks the readers only when it may go. */
  oldestDay: number | null;
}

/** A day file retention removed, and the bytes it freed (day file, -wal and -shm). */
export interface DeletedDay {
  day: number;
  bytes: number;
}

export interface DiskReport {
  bytes: number;
  spillBytes: number;
  freeBytes: number | null;
}

export interface WriterApi {
  [method: string]: (...args: never[]) => unknown;
  init(settings: WriterSettings, todayIndex: number, openToday: boolean): void;
  /** One-way: names for new symbol and source ids. */
  define(symbols: [number, string][], sources: [number, string][]): void;
  /**
   * One-way: a sealed batch (or a parked part given back) to write to `sinks`. A recycled buffer
   * the writer already holds comes as null with its pool id and tick count.
   */
  submit(id: number, sinks: number, batch: ColumnBatch | null, poolId: number, n: number): void;
  /** One-way: the engine no longer uses this recycled buffer. */
  forget(poolId: number): void;
  /**
   * One-way: gap-ledger entries to write to the day file of each one's time, answered by a
   * `feedEvents` report. Written in every backend (the ledger lives only in the SQLite files).
   */
  submitFeedEvents(id: number, events: FeedEvent[]): void;
  /** Resolves once everything submitted before it (feed events too) has been committed or parked. */
  flush(): Promise<void>;
  replay(path: string): Promise<ReplayResult>;
  rotate(todayIndex: number, openToday: boolean): RotateResult;
  /**
   * Retention: deletes these days' files (and JSON files), each closed first, never the day the
   * writer writes to now or a later one; with `jsonBeforeDay`, also every JSON file of a day
   * before it (JSON-only days have no day file to list). Answers the day files removed.
   */
  deleteDays(days: number[], jsonBeforeDay: number | null): DeletedDay[];
  /**
   * Swaps a verified compacted file in for its day (archive/archiveSwap.ts), with the day's
   * connection closed first, so no write can fall between the last check and the rename.
   */
  swapArchive(prepared: PreparedArchive): SwapOutcome;
  reportDisk(): DiskReport;
  /** Closes every file; problems (a checkpoint that failed...) are reported, never thrown. */
  stop(): { problems: string[] };
}

/** A pass's outcome per submitted item: [id, counted, movedUncounted] triples, flattened. */
export interface PassReport {
  items: number[];
  written: number;
  duplicates: number;
  jsonWritten: number;
  jsonOnlyWritten: number;
  ticks: number;
  ms: number;
}

/** Rows that failed after their retries, handed back to the engine as a new item. */
export interface ParkedReport {
  part: ColumnBatch;
  /** Sinks still to write, with FLAG_COUNTED when the rows' outcome is already counted. */
  sinks: number;
  message: string;
}

/** What became of one submitFeedEvents message. */
export interface FeedEventsReport {
  id: number;
  /** Entries now in their day file (new, or equal to one already there). */
  written: number;
  /** Entries still unwritten after the retries: the engine keeps them and tries again. */
  failed: FeedEvent[];
  message: string | null;
}

export interface Incident {
  severity: 'critical' | 'warn';
  message: string;
}

export interface FileLostReport {
  day: number;
  path: string;
  kind: 'vanished' | 'replaced';
  /** Ticks the file held when it was lost, from every run. */
  heldTicks: number;
  /** Of the ticks this run wrote there, those that could not be re-written from memory. */
  lost: number;
  rewritten: number;
}

export interface WriterEvents {
  [event: string]: unknown;
  pass: PassReport;
  parked: ParkedReport;
  feedEvents: FeedEventsReport;
  writeError: { message: string; attempt: number; willRetry: boolean };
  incident: Incident;
  fileLost: FileLostReport;
  disk: DiskReport;
}
