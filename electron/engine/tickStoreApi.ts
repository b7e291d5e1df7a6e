// The engine's public surface. The Electron shell, the headless server, the recorder CLI and the
// migration all use the engine only through this.
import type { BarColumns, PriceSide } from '../../shared/bars.ts';
import type {
  DayInfo,
  LiveQuote,
  StorageSettings,
  SymbolInfo,
  TickPage,
  TunableSettings,
} from '../../shared/catalog.ts';
import type { Backend, Health, StorageStats } from '../../shared/stats.ts';
import type { TickColumns, TickInput } from '../../shared/tick.ts';
import type { StorageConfig } from './config.ts';

export type IngestOutcome = 'accepted' | 'throttled' | 'rejected';

export interface RangeQuery {
  symbol: string;
  fromUs: number;
  toUs: number;
  /** Page size; default 100,000. */
  limit?: number;
  cursor?: string;
}

export interface BarsQuery {
  symbol: string;
  fromUs: number;
  toUs: number;
  timeframeSec: number;
  price: PriceSide;
}

export type SettingsUpdate = Partial<TunableSettings>;

/** In-memory view of the most recent ticks, for live displays; never touches disk. */
export interface LiveView {
  /** Latest quote of every symbol whose quote changed after `sinceVersion`, and the new version. */
  quotesSince(sinceVersion: number): { version: number; quotes: LiveQuote[] };
  /** Ticks of `symbol` with ingest sequence > afterSeq still held in its ring (oldest first). */
  ticksSince(symbol: string, afterSeq: number): { lastSeq: number; ticks: TickColumns };
}

export interface StopOptions {
  /**
   * How long stop() waits for the workers to make everything durable, in ms (default 10,000).
   * After it, the workers are terminated and what was not durable goes to the spill journal.
   */
  deadlineMs?: number;
}

/** What stop() could make durable, so a caller can tell the user and choose an exit code. */
export interface StopResult {
  /** Every tick accepted this run is in the day files (or JSON files) or counted as duplicate. */
  clean: boolean;
  /** True when the deadline ran out and the workers were terminated. */
  timedOut: boolean;
  /** Ticks accepted this run that wait in the spill journal (written at the next start). */
  pendingInJournal: number;
  /** Ticks accepted this run that are in no day file and no journal, by reason. */
  lost: number;
  lostByReason: Record<string, number>;
  /** What went wrong, each in words a person can act on; empty when clean. */
  problems: string[];
}

export interface TickStore {
  readonly config: StorageConfig;
  readonly live: LiveView;
  /** Hot path: validates, throttles, buffers. Never blocks, never awaits, never touches disk. */
  ingest(tick: TickInput): IngestOutcome;
  /**
   * Backpressure for bulk producers (migration, import): resolves at once while the queue is
   * below half its capacity, otherwise when it has drained to that level. Live feeds never wait.
   */
  whenWritable(): Promise<void>;
  /**
   * Resolves when every tick accepted before the call has reached a day file, the journal, a
   * counted loss, or is held in the queue because the disk refuses it: after it,
   * `unaccountedTicks(getStorageStats())` is 0. Rejects with WorkerFailedError if a worker it
   * waits on fails (the engine restarts it).
   */
  flush(): Promise<void>;
  /** Drains and closes within a deadline; a second call returns the same result. */
  stop(options?: StopOptions): Promise<StopResult>;
  getStorageStats(): StorageStats;
  getHealth(): Health;
  /** Takes effect at the next batch: no tick is lost or written twice. */
  setBackend(backend: Backend): Promise<void>;
  getSettings(): StorageSettings;
  updateSettings(update: SettingsUpdate): StorageSettings;
  recent(symbol: string, limit: number): Promise<TickColumns>;
  range(query: RangeQuery): Promise<TickPage>;
  bars(query: BarsQuery): Promise<BarColumns>;
  listSymbols(): Promise<SymbolInfo[]>;
  listDays(): Promise<DayInfo[]>;
}
