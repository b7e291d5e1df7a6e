// Messages between the engine (main thread) and its worker threads. Ticks travel as one
// ColumnBatch per message with its buffer transferred, never as one message per tick.
import type { ColumnBatch } from '../storage/columnBatch.ts';

export interface WriterSettings {
  sqliteDir: string;
  jsonDir: string;
  spillDir: string;
  maxRetries: number;
  retryBaseMs: number;
  busyTimeoutMs: number;
}

export type ToWriter =
  | { type: 'init'; settings: WriterSettings; todayIndex: number }
  | { type: 'dict'; symbols: [number, string][]; sources: [number, string][] }
  | { type: 'batch'; seq: number; sinks: number; batch: ColumnBatch }
  | { type: 'replay'; paths: string[] }
  | { type: 'flush'; id: number }
  | { type: 'rotate'; todayIndex: number; retentionDays: number | null; openToday: boolean }
  | { type: 'stop'; id: number };

export interface WrittenReport {
  type: 'written';
  /** Ticks of live batches released from the queue by this pass (stored, duplicate or spilled). */
  released: number;
  written: number;
  duplicates: number;
  jsonWritten: number;
  ms: number;
  batchTicks: number;
}

export type FromWriter =
  | { type: 'ready'; replayed: number; pendingSpillTicks: number }
  | WrittenReport
  | { type: 'write_error'; message: string; attempt: number; willRetry: boolean }
  | { type: 'spilled'; ticks: number; path: string }
  | { type: 'replayed'; ticks: number; written: number; duplicates: number; path: string }
  | { type: 'replay_failed'; path: string; message: string }
  | { type: 'rotated'; closedDay: number }
  | { type: 'retention'; deletedDays: number[] }
  | { type: 'disk'; bytes: number; spillBytes: number; freeBytes: number | null }
  | { type: 'flushed'; id: number }
  | { type: 'stopped'; id: number }
  | { type: 'fatal'; message: string };

export type ToSpill =
  | { type: 'init'; spillDir: string }
  | { type: 'dict'; symbols: [number, string][]; sources: [number, string][] }
  | { type: 'batch'; seq: number; sinks: number; batch: ColumnBatch }
  | { type: 'seal'; id: number }
  | { type: 'flush'; id: number }
  | { type: 'stop'; id: number };

export type FromSpill =
  | { type: 'appended'; ticks: number; bytes: number }
  | { type: 'append_failed'; ticks: number; message: string }
  | { type: 'sealed'; id: number; path: string | null; ticks: number }
  | { type: 'flushed'; id: number }
  | { type: 'stopped'; id: number };
