// The engine, composed of parts that each own one job:
//   IngestPipeline   validation, throttle, live rings, columnar batches (the caller's thread)
//   WriterSupervisor writer and spill workers, the queue, overflow policy, replay, restarts
//   QueryRouter      queries over the live rings and a pool of reader workers
//   StatsCollector   counters and rates, assembled into StorageStats
// This facade starts them, wires them together and stops them within a deadline.
import type { ExportProgress, ExportRequest } from '../../shared/export.ts';
import type { ExportHandle } from './export/exportJob.ts';
import { startExport } from './export/exportJob.ts';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type {
  CompactionProgress,
  CompactionRequest,
  RetentionPlan,
  RetentionPolicy,
  StorageForecast,
} from '../../shared/archive.ts';
import type { BarColumns } from '../../shared/bars.ts';
import type { DayInfo, JsonOnlyPeriod, StorageSettings, SymbolInfo, TickPage } from '../../shared/catalog.ts';
import type { FeedEvent } from '../../shared/feeds/feedEvents.ts';
import { TUNABLE_SETTINGS } from '../../shared/catalog.ts';
import type { Backend, Health, StorageStats } from '../../shared/stats.ts';
import { unaccountedTicks } from '../../shared/stats.ts';
import type { TickColumns, TickInput } from '../../shared/tick.ts';
import { utcDayIndex } from '../../shared/time.ts';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import type { StreamCursor, StreamPage, StreamSelection } from './stream/streamTypes.ts';
import type { StorageConfig, StorageConfigInput } from './config.ts';
import { parseBackend, resolveConfig } from './config.ts';
import { StoreClosedError, reviveEngineError } from './errors.ts';
import { folderBytes } from './fs/folderBytes.ts';
import { ensureWritableFolders } from './fs/writableFolder.ts';
import { evaluateHealth } from './health.ts';
import { withDeadline } from './lifecycle/withDeadline.ts';
import { IngestPipeline } from './ingest/ingestPipeline.ts';
import { checkFeedEvent } from './ledger/feedEventCheck.ts';
import { JsonOnlyPeriods } from './ledger/jsonOnlyPeriods.ts';
import { StatsCollector } from './metrics/statsCollector.ts';
import { QueryRouter } from './query/queryRouter.ts';
import { ReaderPool } from './query/readerPool.ts';
import { retentionDaysOf } from './retention/retentionPlan.ts';
import { RetentionRunner } from './retention/retentionRunner.ts';
import { forecastStorage } from './retention/storageForecast.ts';
import { SINK_JSON, SINK_SQLITE } from './storage/spillJournal.ts';
import type {
  BarsQuery,
  FeedEventQuery,
  IngestOutcome,
  LiveView,
  RangeQuery,
  SettingsUpdate,
  StopOptions,
  StopResult,
  TickStore,
} from './tickStoreApi.ts';
import type { WorkerName } from './workers/spawnWorker.ts';
import { spawnWorker } from './workers/spawnWorker.ts';
import { WriterSupervisor } from './writing/writerSupervisor.ts';
import { CompactionRunner } from './archive/compactionRunner.ts';
import type { ArchiveClient } from './archive/parallelCompaction.ts';
import { prepareInWorkers } from './archive/parallelCompaction.ts';
import { RpcClient } from './rpc/rpcClient.ts';
import type { ArchiveApi, ArchiveEvents } from './workers/archiveApi.ts';

const HOUSEKEEPING_MS = 250;
/** Archive workers coding a day's symbols side by side: the cores a workstation gives the app. */
const ARCHIVE_WORKERS = Math.max(1, Math.min(2, availableParallelism()));
/** Idle rings are looked at every this many housekeeping rounds (1 s). */
const RING_SWEEP_EVERY = 4;
/** An open JSON-only period's tick count is saved every this many rounds (5 s). */
const PERIODS_SAVE_EVERY = 20;

export interface TickStoreDeps {
  clock?: Clock;
  /** Sees every worker the engine starts (tests use it to kill one). */
  onWorker?: (name: WorkerName, worker: Worker) => void;
}

export async function openTickStore(input: StorageConfigInput, deps: TickStoreDeps = {}): Promise<TickStore> {
  const config = resolveConfig(input);
  // Refused here, in words, rather than accepting ticks it can never write.
  await ensureWritableFolders(
    [config.dataDir, config.sqliteDir, config.spillDir, config.jsonDir],
    config.folderCheckTimeoutMs,
  );
  const store = new Engine(config, deps);
  try {
    await store.start();
  } catch (e) {
    await store.stop({ deadlineMs: 2_000 }).catch(() => undefined);
    throw e;
  }
  return store;
}

function sinksOf(b: Backend): number {
  return b === 'sqlite' ? SINK_SQLITE : b === 'json' ? SINK_JSON : SINK_SQLITE | SINK_JSON;
}

class Engine implements TickStore {
  readonly config: StorageConfig;
  readonly live: LiveView;
  private readonly clock: Clock;
  private readonly stats = new StatsCollector();
  private readonly ingestPipeline: IngestPipeline;
  private readonly supervisor: WriterSupervisor;
  private readonly readers: ReaderPool;
  private readonly queries: QueryRouter;
  private readonly retention: RetentionRunner;
  /** Stopped once the pipeline refuses ticks: one flag, the pipeline's. */
  private get stopped(): boolean {
    return this.ingestPipeline.stopped;
  }
  private stopPromise: Promise<StopResult> | null = null;
  private cancelRotation: (() => void) | null = null;
  private housekeeping: NodeJS.Timeout | null = null;
  private rounds = 0;
  /** This run's journal size at each housekeeping round of the last ten seconds. */
  private readonly spillHistory: number[] = [];
  /** Why feed events were refused so far: each reason is an incident once. */
  private readonly feedEventProblems = new Set<string>();
  /** Loaded by start(), before the first tick can be accepted. */
  private jsonPeriods: JsonOnlyPeriods | null = null;
  private readonly compaction: CompactionRunner;
  private readonly archive: (ArchiveClient | null)[] = [];
  private readonly spawnArchive: () => Worker;
  private onArchiveProgress: (p: ArchiveEvents['progress']) => void = () => undefined;

  constructor(config: StorageConfig, deps: TickStoreDeps) {
    this.config = config;
    this.clock = deps.clock ?? systemClock;
    const spawn = (name: WorkerName, data?: unknown) => {
      const w = spawnWorker(name, data);
      deps.onWorker?.(name, w);
      return w;
    };
    this.supervisor = new WriterSupervisor({
      config,
      stats: this.stats,
      spawn,
      allNames: () => ({
        symbols: this.ingestPipeline.symbols.all(),
        sources: this.ingestPipeline.sources.all(),
      }),
      runId: `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`,
      recycle: (batch) => this.ingestPipeline.pool.give(batch),
    });
    this.ingestPipeline = new IngestPipeline(
      config,
      this.clock,
      this.stats,
      {
        define: (symbols, sources) => this.supervisor.define(symbols, sources),
        take: ({ batch, sinks }) => this.supervisor.take(batch, sinks),
      },
      sinksOf(config.backend),
    );
    this.ingestPipeline.pool.onDiscard = (poolId) => this.supervisor.forget(poolId);
    this.readers = new ReaderPool(config.readers, () =>
      spawn('readerWorker', { sqliteDir: config.sqliteDir }),
    );
    this.queries = new QueryRouter(this.readers, this.ingestPipeline);
    this.retention = new RetentionRunner({
      config,
      clock: this.clock,
      stats: this.stats,
      listDays: () => this.queries.listDays(),
      deleteDays: (days, jsonBeforeDay) => this.supervisor.deleteDays(days, jsonBeforeDay),
    });
    this.compaction = new CompactionRunner({
      config,
      clock: this.clock,
      stats: this.stats,
      listDays: () => this.queries.listDays(),
      prepare: (path, day, onProgress) => {
        const parts = new Map<number, number>();
        this.onArchiveProgress = (p) => {
          if (p.day !== day) return;
          parts.set(p.part, p.ticksDone);
          let done = 0;
          for (const v of parts.values()) done += v;
          onProgress(done);
        };
        return prepareInWorkers(this.archiveWorkers(), path, day);
      },
      discard: async (tmpPath) => {
        await this.archiveWorkers()[0].call('discard', tmpPath);
      },
      swap: (p) => this.supervisor.swapArchive(p),
    });
    this.spawnArchive = () => spawn('archiveWorker');
    this.live = {
      quotesSince: (v) => this.ingestPipeline.quotesSince(v),
      ticksSince: (symbol, afterSeq) => this.ingestPipeline.ticksSince(symbol, afterSeq),
    };
  }

  async start(): Promise<void> {
    this.jsonPeriods = await JsonOnlyPeriods.load(
      {
        dataDir: this.config.dataDir,
        clock: this.clock,
        accepted: () => this.stats.c.ticks_stored,
        onProblem: (m) => this.stats.incident('warn', m),
      },
      this.config.backend,
    );
    const today = utcDayIndex(this.clock.nowUs());
    const damaged = await this.supervisor.start(today, (this.ingestPipeline.sinks & SINK_SQLITE) !== 0);
    for (const p of damaged) {
      this.stats.incident(
        'warn',
        `journal segment ${p} holds unreadable bytes: its intact ticks are replayed, then it is kept aside`,
      );
    }
    this.cancelRotation = this.clock.every(this.config.rotationCheckMs, () => this.checkRotation());
    this.housekeeping = setInterval(() => this.tick(), HOUSEKEEPING_MS);
    this.housekeeping.unref();
  }

  ingest(t: TickInput): IngestOutcome {
    return this.ingestPipeline.ingest(t);
  }

  ingestPressure(): Promise<void> | null {
    return this.stopped ? null : this.supervisor.pressure();
  }

  recordFeedEvent(e: FeedEvent): void {
    const c = this.stats.c;
    try {
      if (this.stopped) {
        c.feed_events_dropped++;
        return;
      }
      const now = this.clock.nowUs();
      const r = checkFeedEvent(e, {
        minTsUs: this.config.minTimestampUs,
        maxTsUs: now + this.config.maxFutureUs,
      });
      if (r.event === null) {
        c.feed_events_rejected++;
        if (!this.feedEventProblems.has(r.problem)) {
          this.feedEventProblems.add(r.problem);
          const feed = typeof (e as { feed?: unknown })?.feed === 'string' ? ` from feed ${e.feed}` : '';
          this.stats.incident('warn', `a feed event${feed} was refused: ${r.problem}`);
        }
        return;
      }
      if (!this.supervisor.recordFeedEvent(r.event)) c.feed_events_dropped++;
    } catch {
      // Never the caller's problem: an event that could not even be looked at is dropped, counted.
      c.feed_events_dropped++;
    }
  }

  private tick(): void {
    this.supervisor.housekeeping();
    this.spillHistory.push(this.supervisor.spillPending.thisRun);
    if (this.spillHistory.length > 40) this.spillHistory.shift();
    if (++this.rounds % RING_SWEEP_EVERY === 0) this.ingestPipeline.sweepIdleRings();
    if (this.rounds % PERIODS_SAVE_EVERY === 0) void this.jsonPeriods?.saveIfChanged();
  }

  /** The archive workers (one per core, two at most), started on the first compaction and again after one failed. */
  private archiveWorkers(): ArchiveClient[] {
    for (let i = 0; i < ARCHIVE_WORKERS; i++) {
      if (this.archive[i]) continue;
      const client: ArchiveClient = new RpcClient<ArchiveApi, ArchiveEvents>('archive', this.spawnArchive(), {
        unrefWhenIdle: true,
        reviveError: reviveEngineError,
        onEvent: (event, payload) => {
          if (event === 'progress') this.onArchiveProgress(payload as ArchiveEvents['progress']);
        },
        onFailure: () => {
          const at = this.archive.indexOf(client);
          if (at >= 0) this.archive[at] = null;
        },
      });
      this.archive[i] = client;
    }
    return this.archive as ArchiveClient[];
  }

  compact(request?: CompactionRequest): CompactionProgress {
    this.ensureOpen('compact');
    return this.compaction.request(request);
  }

  compactionStatus(): CompactionProgress {
    return this.compaction.progress();
  }

  startExport(request: ExportRequest, onProgress?: (p: ExportProgress) => void): ExportHandle {
    this.ensureOpen('startExport');
    return startExport(this.config.sqliteDir, request, onProgress);
  }

  private checkRotation(): void {
    // Rotation first, so the writer has left yesterday when retention weighs it. Retention runs
    // here rather than in the writer's rotate, so its deletions are counted in ticks and bytes.
    this.supervisor
      .rotate(utcDayIndex(this.clock.nowUs()), (this.ingestPipeline.sinks & SINK_SQLITE) !== 0)
      .catch((e: unknown) => {
        this.stats.writeError(`rotation: ${(e as Error).message}`, true);
        return null;
      })
      .then((oldestDay) => (this.stopped ? undefined : this.retention.scheduled(oldestDay)))
      .then(() => (this.stopped ? undefined : this.compaction.automatic()))
      .catch((e: unknown) => this.stats.writeError(`retention: ${(e as Error).message}`, true));
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  whenWritable(): Promise<void> {
    if (this.stopped) return Promise.reject(new StoreClosedError('whenWritable'));
    // Bulk producers wait for the writer instead of filling the spill journal.
    const w = this.supervisor.whenWritable();
    this.ingestPipeline.seal();
    return w;
  }

  async flush(): Promise<void> {
    if (this.stopped) throw new StoreClosedError('flush');
    this.ingestPipeline.seal();
    await this.supervisor.flush();
  }

  stop(options: StopOptions = {}): Promise<StopResult> {
    this.stopPromise ??= this.doStop(options.deadlineMs ?? this.config.stopDeadlineMs);
    return this.stopPromise;
  }

  private async doStop(deadlineMs: number): Promise<StopResult> {
    this.ingestPipeline.seal();
    this.ingestPipeline.stopped = true;
    this.cancelRotation?.();
    if (this.housekeeping) clearInterval(this.housekeeping);
    // A compaction in hand is abandoned, not waited for: its file beside the day is never read
    // and the next run replaces it (the live day is untouched until a swap, which the writer
    // finishes before it stops).
    this.compaction.stop();
    await Promise.all(this.archive.map((w) => w?.terminate().catch(() => undefined)));
    await withDeadline(this.compaction.ended(), 2_000, undefined);
    const report = await this.supervisor.stop(deadlineMs);
    await withDeadline(this.readers.close(), 2_000, undefined);
    // After the last tick was accepted: the final count of an open JSON-only period.
    if (this.jsonPeriods) await withDeadline(this.jsonPeriods.close(), 2_000, undefined);
    // The final figure, after the files are closed and their logs truncated.
    const c = this.config;
    const sizes = await withDeadline(
      Promise.all([c.sqliteDir, c.jsonDir, c.spillDir].map(folderBytes)),
      2_000,
      null,
    );
    if (sizes) this.stats.diskBytes = sizes.reduce((a, b) => a + b, 0);
    const s = this.getStorageStats();
    const problems = [...report.problems];
    if (s.ticks_lost > 0)
      problems.push(`${s.ticks_lost} accepted ticks were lost (${describeLost(s.lost_by_reason)})`);
    if (s.spill_pending_ticks > 0)
      problems.push(
        `${s.spill_pending_ticks} ticks wait in the spill journal in ${this.config.spillDir}; they are written at the next start`,
      );
    const gap = unaccountedTicks(s);
    if (gap !== 0)
      problems.push(`${gap} accepted ticks are not accounted for (an engine bug: please report it)`);
    const droppedBefore = s.feed_events_dropped - report.feedEventsUnwritten;
    if (droppedBefore > 0)
      problems.push(
        `${droppedBefore} feed events (gap ledger) were dropped while recording (more than the in-memory bound waited, or they came after stop)`,
      );
    return {
      clean:
        s.ticks_lost === 0 &&
        s.spill_pending_ticks === 0 &&
        s.queue_size === 0 &&
        gap === 0 &&
        s.feed_events_dropped === 0,
      timedOut: report.timedOut,
      pendingInJournal: s.spill_pending_ticks,
      lost: s.ticks_lost,
      lostByReason: s.lost_by_reason,
      problems,
    };
  }

  // ---- settings -------------------------------------------------------------------------------

  async setBackend(backend: Backend): Promise<void> {
    parseBackend(backend);
    // The current batch keeps the sinks it was accepted under; new ticks go to the new ones.
    this.ingestPipeline.seal();
    this.ingestPipeline.sinks = sinksOf(backend);
    this.config.backend = backend;
    // Synchronously with the sinks, so the period's count splits where the sinks did.
    await this.jsonPeriods?.backendChanged(backend);
  }

  jsonOnlyPeriods(): JsonOnlyPeriod[] {
    this.ensureOpen('jsonOnlyPeriods');
    return this.jsonPeriods?.list() ?? [];
  }

  getSettings(): StorageSettings {
    const c = this.config;
    const out = { backend: c.backend, dataDir: c.dataDir } as StorageSettings;
    for (const k of TUNABLE_SETTINGS) (out as unknown as Record<string, unknown>)[k] = c[k];
    return out;
  }

  updateSettings(u: SettingsUpdate): StorageSettings {
    const next = resolveConfig({ ...this.config, ...u, preset: undefined });
    for (const k of TUNABLE_SETTINGS) (this.config as unknown as Record<string, unknown>)[k] = next[k];
    this.ingestPipeline.retune();
    return this.getSettings();
  }

  // ---- metrics --------------------------------------------------------------------------------

  getStorageStats(): StorageStats {
    const p = this.supervisor.spillPending;
    return this.stats.snapshot({
      backend: this.config.backend,
      queueSize: this.supervisor.queueSize + this.ingestPipeline.unsealed,
      queueCapacity: this.config.queueCapacity,
      spillInflight: this.supervisor.spillInflight,
      spillPending: p.thisRun,
      spillInherited: p.earlier,
      spillQuarantined: p.quarantined,
      spillBytes: p.bytes,
      writerIdleMs: this.supervisor.writerIdleMs(),
      symbolsLive: this.ingestPipeline.symbols.size,
      ringBytes: this.ingestPipeline.ringBytes,
      dataDir: this.config.dataDir,
      feedEventsPending: this.supervisor.feedEvents.size,
    });
  }

  getHealth(): Health {
    const h = this.spillHistory;
    return evaluateHealth(this.config.health, {
      stats: this.getStorageStats(),
      writeErrorsLastMinute: this.stats.errorWindow.total(Date.now()),
      down: this.supervisor.downReasons,
      spillGrowing: h.length >= 40 && h[h.length - 1] > h[0],
      retentionBudgetNote: this.retention.budgetNote,
    });
  }

  // ---- queries --------------------------------------------------------------------------------

  async recent(symbol: string, limit: number): Promise<TickColumns> {
    this.ensureOpen('recent');
    return this.queries.recent(symbol, limit);
  }

  async range(q: RangeQuery): Promise<TickPage> {
    this.ensureOpen('range');
    return this.queries.range(q);
  }

  async streamPage(
    selection: StreamSelection,
    cursor: StreamCursor | null,
    maxTicks: number,
  ): Promise<StreamPage> {
    this.ensureOpen('streamPage');
    return this.queries.streamPage(selection, cursor, maxTicks);
  }

  async bars(q: BarsQuery): Promise<BarColumns> {
    this.ensureOpen('bars');
    return this.queries.bars(q);
  }

  async feedEvents(q: FeedEventQuery): Promise<FeedEvent[]> {
    this.ensureOpen('feedEvents');
    return this.queries.feedEvents(q, (f) => this.supervisor.feedEvents.matching(f));
  }

  async listSymbols(): Promise<SymbolInfo[]> {
    this.ensureOpen('listSymbols');
    return this.queries.listSymbols();
  }

  async listDays(): Promise<DayInfo[]> {
    this.ensureOpen('listDays');
    return this.queries.listDays();
  }

  // ---- retention ------------------------------------------------------------------------------

  async retentionPreview(policy?: Partial<RetentionPolicy>): Promise<RetentionPlan> {
    this.ensureOpen('retentionPreview');
    return this.retention.preview(policy);
  }

  async applyRetention(policy?: Partial<RetentionPolicy>): Promise<RetentionPlan> {
    this.ensureOpen('applyRetention');
    return this.retention.apply(policy);
  }

  async storageForecast(): Promise<StorageForecast> {
    this.ensureOpen('storageForecast');
    const [days, disk] = await Promise.all([this.queries.listDays(), this.supervisor.measureDisk()]);
    return forecastStorage({
      days: retentionDaysOf(days),
      // Day files and JSON files: the journal is the recorder's buffer, not stored history.
      usedBytes: Math.max(0, disk.bytes - disk.spillBytes),
      freeBytes: disk.freeBytes,
      budgetBytes: this.config.retentionMaxBytes,
      nowUs: this.clock.nowUs(),
    });
  }

  private ensureOpen(op: string): void {
    if (this.stopped) throw new StoreClosedError(op);
  }
}

function describeLost(by: Record<string, number>): string {
  return Object.entries(by)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
}
