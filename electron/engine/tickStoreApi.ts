// The engine's public surface. The Electron shell, the headless server, the recorder CLI and the
// migration all use the engine only through this.
import type { ExportProgress, ExportRequest } from '../../shared/export.ts';
import type { ExportHandle } from './export/exportJob.ts';
import type {
  CompactionProgress,
  CompactionRequest,
  RetentionPlan,
  RetentionPolicy,
  StorageForecast,
} from '../../shared/archive.ts';
import type { BarColumns } from '../../shared/bars.ts';
import type {
  DayInfo,
  JsonOnlyPeriod,
  LiveQuote,
  StorageSettings,
  SymbolInfo,
  TickPage,
  TunableSettings,
} from '../../shared/catalog.ts';
import type { FeedEvent, FeedEventKind } from '../../shared/feeds/feedEvents.ts';
import type { Backend, Health, StorageStats } from '../../shared/stats.ts';
import type { TickColumns, TickInput } from '../../shared/tick.ts';
import type { StreamCursor, StreamPage, StreamSelection } from './stream/streamTypes.ts';
import type { StorageConfig } from './config.ts';

export type IngestOutcome = 'accepted' | 'throttled' | 'rejected';

export interface RangeQuery {
  symbol: string;
  fromUs: number;
  toUs: number;
  /** Page size; default 100,000. */
  limit?: number;
  cursor?: string;
  /**
   * Whether to return bidSize/askSize (default true). false leaves them out: two of the six
   * columns a tick costs to read, for callers that draw no sizes.
   */
  sizes?: boolean;
}

export interface BarsQuery {
  symbol: string;
  fromUs: number;
  toUs: number;
  timeframeSec: number;
  /** Only this source's ticks (computed from the ticks); absent: every source. */
  source?: string;
}

/** Gap-ledger entries with fromUs <= tsUs < toUs, optionally of one feed, symbol or kinds. */
export interface FeedEventQuery {
  fromUs: number;
  toUs: number;
  feed?: string;
  symbol?: string;
  kinds?: readonly FeedEventKind[];
  /** At most this many, the oldest; default 10,000. */
  limit?: number;
}

export type SettingsUpdate = Partial<TunableSettings>;

/** In-memory view of the most recent ticks, for live displays; never touches disk. */
export interface LiveView {
  /**
   * Latest quote of every (symbol, source) whose quote changed after `sinceVersion`, and the new
   * version; `ticks` counts that source's ticks of the symbol since then.
   */
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
  /**
   * Every tick accepted this run is in the day files (or JSON files) or counted as duplicate,
   * and every feed event recorded this run is in its day file.
   */
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
   * below half its capacity, otherwise when it has drained to that level.
   */
  whenWritable(): Promise<void>;
  /**
   * Backpressure for live feeds, the same rule as whenWritable: null (cheap, no allocation)
   * while the queue is at most half full, otherwise a promise that resolves when it has drained
   * to that level. A socket feed pauses its reads while it gets a promise. Null after stop().
   */
  ingestPressure(): Promise<void> | null;
  /**
   * The gap ledger: keeps a feed event for its day file's feed_events table (in every backend).
   * Never blocks or throws: a malformed event is counted (feed_events_rejected), one beyond the
   * in-memory bound or after stop() is counted as dropped. flush() waits for recorded events too.
   */
  recordFeedEvent(e: FeedEvent): void;
  /** Gap-ledger entries across days, oldest first, including those not written yet. */
  feedEvents(q: FeedEventQuery): Promise<FeedEvent[]>;
  /**
   * Resolves when every tick accepted before the call has reached a day file, the journal, a
   * counted loss, or is held in the queue because the disk refuses it: after it,
   * `unaccountedTicks(getStorageStats())` is 0. Feed events recorded before it are in their day
   * file, or held in memory because the disk refuses them. Rejects with WorkerFailedError if a worker it
   * waits on fails (the engine restarts it).
   */
  flush(): Promise<void>;
  /** Drains and closes within a deadline; a second call returns the same result. */
  stop(options?: StopOptions): Promise<StopResult>;
  getStorageStats(): StorageStats;
  getHealth(): Health;
  /**
   * Takes effect at the next batch: no tick is lost or written twice. Resolves once the change
   * of a JSON-only period (jsonOnlyPeriods) is saved.
   */
  setBackend(backend: Backend): Promise<void>;
  /** When the backend was `json`, oldest first; kept in the data folder across restarts. */
  jsonOnlyPeriods(): JsonOnlyPeriod[];
  getSettings(): StorageSettings;
  updateSettings(update: SettingsUpdate): StorageSettings;
  recent(symbol: string, limit: number): Promise<TickColumns>;
  range(query: RangeQuery): Promise<TickPage>;
  /**
   * A page of the one ordered tick stream (stream/streamTypes.ts: tsUs, then symbol, then the
   * day file's key order), at most maxTicks (1..1e6) after `cursor`; stateless, via the readers.
   */
  streamPage(selection: StreamSelection, cursor: StreamCursor | null, maxTicks: number): Promise<StreamPage>;
  bars(query: BarsQuery): Promise<BarColumns>;
  listSymbols(): Promise<SymbolInfo[]>;
  listDays(): Promise<DayInfo[]>;
  /**
   * Starts compacting closed days into the archive tier in a worker (never today); answers at
   * once with the run's status. A run already going takes the new days on.
   */
  compact(request?: CompactionRequest): CompactionProgress;
  compactionStatus(): CompactionProgress;
  /** Starts an export in a worker of its own (export/exportJob.ts): progress, cancel, done. */
  startExport(request: ExportRequest, onProgress?: (p: ExportProgress) => void): ExportHandle;
  /** Dry run of retention under `policy` (absent fields: the settings). Deletes nothing. */
  retentionPreview(policy?: Partial<RetentionPolicy>): Promise<RetentionPlan>;
  /** Deletes the days the same plan lists when it runs, in the writer; answers what was deleted. */
  applyRetention(policy?: Partial<RetentionPolicy>): Promise<RetentionPlan>;
  storageForecast(): Promise<StorageForecast>;
}
