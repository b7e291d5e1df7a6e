// The engine facade on the caller's thread. `ingest` only validates, throttles and copies numbers
// into the current columnar batch and the symbol's ring; sealed batches go to the writer worker,
// or to the spill worker when the queue is full. Everything that touches disk runs in workers.
import type { Worker } from 'node:worker_threads';
import type { BarColumns } from '../../shared/bars.ts';
import { PRICE_SIDES } from '../../shared/bars.ts';
import type { DayInfo, LiveQuote, StorageSettings, SymbolInfo, TickPage } from '../../shared/catalog.ts';
import type { Backend, Health, RejectionSample, StorageStats } from '../../shared/stats.ts';
import type { RejectReason, TickColumns, TickInput } from '../../shared/tick.ts';
import { REJECT_REASONS, checkSource, checkSymbol, checkTickNumbers } from '../../shared/tick.ts';
import { utcDayIndex } from '../../shared/time.ts';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import type { StorageConfig, StorageConfigInput } from './config.ts';
import { parseBackend, resolveConfig } from './config.ts';
import { QueryError, StoreClosedError } from './errors.ts';
import { evaluateHealth } from './health.ts';
import { NameTable } from './ingest/symbolTable.ts';
import { SymbolRing } from './ingest/symbolRings.ts';
import { QuoteThrottle } from './ingest/throttle.ts';
import { LatencyWindow } from './metrics/latencyWindow.ts';
import { RateMeter } from './metrics/rateMeter.ts';
import type { ColumnBatch } from './storage/columnBatch.ts';
import { allocateColumnBatch, batchBuffer } from './storage/columnBatch.ts';
import { SINK_JSON, SINK_SQLITE } from './storage/spillJournal.ts';
import type {
  BarsQuery,
  IngestOutcome,
  LiveView,
  RangeQuery,
  SettingsUpdate,
  StopOptions,
  StopResult,
  TickStore,
} from './tickStoreApi.ts';
import type { FromSpill, FromWriter, ToSpill, ToWriter } from './workers/protocol.ts';
import { ReaderClient } from './workers/readerClient.ts';
import { mergeHalves, midpoint, splittable } from './workers/rangeSplit.ts';
import { spawnWorker } from './workers/spawnWorker.ts';

const MAX_SYMBOLS = 100_000;
const MAX_SOURCES = 10_000;
const RECENT_REJECTIONS = 20;

export interface TickStoreDeps {
  clock?: Clock;
}

export async function openTickStore(input: StorageConfigInput, deps: TickStoreDeps = {}): Promise<TickStore> {
  const store = new Engine(resolveConfig(input), deps.clock ?? systemClock);
  await store.start();
  return store;
}

function sinksOf(b: Backend): number {
  return b === 'sqlite' ? SINK_SQLITE : b === 'json' ? SINK_JSON : SINK_SQLITE | SINK_JSON;
}

class Engine implements TickStore {
  readonly config: StorageConfig;
  readonly live: LiveView;
  private readonly clock: Clock;
  private readonly symbols = new NameTable(checkSymbol, MAX_SYMBOLS);
  private readonly sources = new NameTable(checkSource, MAX_SOURCES);
  private readonly rings: SymbolRing[] = [];
  private readonly throttle: QuoteThrottle;
  private readonly bounds = { minTsUs: 0, maxTsUs: 0 };
  private defaultSourceId = 0;
  private sinks: number;
  private batch: ColumnBatch;
  private batchTimer: NodeJS.Timeout | null = null;
  private batchSeq = 0;
  private writer!: Worker;
  private spill!: Worker;
  private reader!: ReaderClient;
  /** A second reader so a day-long range can use both cores. */
  private reader2!: ReaderClient;
  private stopped = false;
  private stopPromise: Promise<StopResult> | null = null;
  private fatal: string | null = null;
  private cancelRotation: (() => void) | null = null;
  private housekeeping: NodeJS.Timeout | null = null;

  // Counters (the numbers getStorageStats reports).
  private received = 0;
  private accepted = 0;
  private throttled = 0;
  private rejected = 0;
  private refusedStopped = 0;
  private readonly rejectedBy: Record<string, number> = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0]));
  private readonly recentRejections: RejectionSample[] = [];
  private crossed = 0;
  private written = 0;
  private duplicates = 0;
  private jsonWritten = 0;
  private writeErrors = 0;
  private writeRetries = 0;
  private lastWriteError: string | null = null;
  private rotations = 0;
  private retentionDeleted = 0;
  private inflightWriter = 0;
  private inflightSpill = 0;
  private queuePeak = 0;
  private spilled = 0;
  private replayed = 0;
  private spillPending = 0;
  private overflowUnsealed = 0;
  private sealing = false;
  private spillBytes = 0;
  private writerExited = false;
  private batches = 0;
  private lastBatch = 0;
  private maxBatch = 0;
  private diskBytes = 0;
  private diskFree: number | null = null;
  private lastWriterProgressMs = 0;
  private readonly startedMs = Date.now();
  private readonly latency = new LatencyWindow();
  private readonly ingestRate = new RateMeter(5);
  private readonly writeRate = new RateMeter(5);
  private readonly errorWindow = new RateMeter(60);
  private spillHistory: number[] = [];

  private nextMsgId = 1;
  private readonly writerWaits = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private readonly spillWaits = new Map<
    number,
    { resolve: (v: FromSpill) => void; reject: (e: Error) => void }
  >();
  private readonly capacityWaits: (() => void)[] = [];
  private readyResolve!: () => void;
  private readyReject!: (e: Error) => void;

  constructor(config: StorageConfig, clock: Clock) {
    this.config = config;
    this.clock = clock;
    this.sinks = sinksOf(config.backend);
    this.throttle = new QuoteThrottle(config.throttleRepeats, config.throttleMinIntervalMs);
    this.batch = allocateColumnBatch(config.batchSize);
    this.bounds.minTsUs = config.minTimestampUs;
    this.defaultSourceId = this.sources.idOf(config.defaultSource);
    this.live = {
      quotesSince: (v) => this.quotesSince(v),
      ticksSince: (symbol, afterSeq) => this.ticksSince(symbol, afterSeq),
    };
  }

  async start(): Promise<void> {
    const ready = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.writer = spawnWorker('writerWorker');
    this.writer.on('message', (m: FromWriter) => this.onWriter(m));
    this.writer.on('error', (e) => this.onWorkerFailure('writer', e));
    this.writer.on('exit', (code) => {
      this.writerExited = true;
      if (!this.stopped) this.onWorkerFailure('writer', new Error(`exited with code ${code}`));
    });
    this.spill = spawnWorker('spillWorker');
    this.spill.on('message', (m: FromSpill) => this.onSpill(m));
    this.spill.on('error', (e) => this.onWorkerFailure('spill', e));
    this.reader = new ReaderClient(this.config.sqliteDir);
    this.reader2 = new ReaderClient(this.config.sqliteDir);
    const today = utcDayIndex(this.clock.nowUs());
    this.postWriter({
      type: 'init',
      todayIndex: today,
      settings: {
        sqliteDir: this.config.sqliteDir,
        jsonDir: this.config.jsonDir,
        spillDir: this.config.spillDir,
        maxRetries: this.config.maxRetries,
        retryBaseMs: this.config.retryBaseMs,
        busyTimeoutMs: this.config.busyTimeoutMs,
      },
    });
    this.postSpill({ type: 'init', spillDir: this.config.spillDir });
    await ready;
    this.cancelRotation = this.clock.every(this.config.rotationCheckMs, () => this.checkRotation());
    this.housekeeping = setInterval(() => this.tick(), 250);
    this.housekeeping.unref();
  }

  // ---- hot path -------------------------------------------------------------------------------

  ingest(t: TickInput): IngestOutcome {
    this.received++;
    if (this.stopped) {
      // A feed timer that fires after stop(): refused and counted, not an input error.
      this.refusedStopped++;
      return 'rejected';
    }
    if (t === null || typeof t !== 'object') return this.reject('not_an_object', null);
    const symId = this.symbols.idOf(t.symbol);
    if (symId < 0) return this.reject(checkSymbol(t.symbol) ?? 'symbol_invalid_chars', t.symbol);
    let srcId = this.defaultSourceId;
    if (t.source !== undefined) {
      srcId = this.sources.idOf(t.source);
      if (srcId < 0) return this.reject('source_invalid', t.symbol);
    }
    const now = this.clock.nowUs();
    this.bounds.maxTsUs = now + this.config.maxFutureUs;
    const bad = checkTickNumbers(t, this.bounds);
    if (bad !== null) return this.reject(bad, t.symbol);
    const { bid, ask, tsUs } = t;
    if (this.throttle.enabled && this.throttle.drops(symId, srcId, bid, ask, tsUs)) {
      this.throttled++;
      return 'throttled';
    }
    this.accepted++;
    if (bid > ask) this.crossed++;
    let ring = this.rings[symId];
    if (ring === undefined) ring = this.rings[symId] = new SymbolRing(this.config.ringSize);
    ring.push(tsUs, bid, ask, srcId, this.accepted);
    const b = this.batch;
    const i = b.n++;
    b.tsUs[i] = tsUs;
    b.recvUs[i] = t.recvUs ?? now;
    b.bid[i] = bid;
    b.ask[i] = ask;
    b.bidSize[i] = t.bidSize ?? Number.NaN;
    b.askSize[i] = t.askSize ?? Number.NaN;
    b.sym[i] = symId;
    b.src[i] = srcId;
    if (b.n >= b.tsUs.length) this.sealBatch();
    else if (i === 0) this.armBatchTimer();
    return 'accepted';
  }

  private reject(reason: RejectReason, symbol: unknown): IngestOutcome {
    this.rejected++;
    this.rejectedBy[reason]++;
    if (this.recentRejections.length >= RECENT_REJECTIONS) this.recentRejections.shift();
    this.recentRejections.push({
      reason,
      symbol: typeof symbol === 'string' ? symbol.slice(0, 64) : null,
      atUs: this.clock.nowUs(),
    });
    return 'rejected';
  }

  private armBatchTimer(): void {
    if (this.batchTimer) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = null;
      this.sealBatch();
    }, this.config.batchIntervalMs);
  }

  /** Hands the current batch to the writer, or to the spill journal when the queue is full. */
  private sealBatch(): void {
    if (this.batchTimer) {
      clearTimeout(this.batchTimer);
      this.batchTimer = null;
    }
    const b = this.batch;
    if (b.n === 0) return;
    this.batch = allocateColumnBatch(this.config.batchSize);
    this.announceNames();
    const seq = ++this.batchSeq;
    this.ingestRate.add(b.n, Date.now());
    if (this.inflightWriter + b.n > this.config.queueCapacity) {
      this.inflightSpill += b.n;
      this.postSpill({ type: 'batch', seq, sinks: this.sinks, batch: b }, [batchBuffer(b)]);
    } else {
      if (this.inflightWriter === 0) this.lastWriterProgressMs = Date.now();
      this.inflightWriter += b.n;
      this.postWriter({ type: 'batch', seq, sinks: this.sinks, batch: b }, [batchBuffer(b)]);
    }
    const q = this.queueSize();
    if (q > this.queuePeak) this.queuePeak = q;
  }

  private announceNames(): void {
    const symbols = this.symbols.takePending();
    const sources = this.sources.takePending();
    if (symbols.length === 0 && sources.length === 0) return;
    this.postWriter({ type: 'dict', symbols, sources });
    this.postSpill({ type: 'dict', symbols, sources });
  }

  /** Accepted ticks waiting for the writer. Overflow in transit to the journal is counted apart. */
  private queueSize(): number {
    return this.batch.n + this.inflightWriter;
  }

  // ---- workers --------------------------------------------------------------------------------

  private postWriter(m: ToWriter, transfer?: ArrayBuffer[]): void {
    this.writer.postMessage(m, transfer);
  }

  private postSpill(m: ToSpill, transfer?: ArrayBuffer[]): void {
    this.spill.postMessage(m, transfer);
  }

  private onWriter(m: FromWriter): void {
    switch (m.type) {
      case 'ready':
        this.replayed += m.replayed;
        this.spillPending += m.pendingSpillTicks;
        this.readyResolve();
        return;
      case 'written': {
        this.inflightWriter -= m.released;
        this.lastWriterProgressMs = Date.now();
        this.written += m.written;
        this.duplicates += m.duplicates;
        this.jsonWritten += m.jsonWritten;
        this.batches++;
        this.lastBatch = m.batchTicks;
        if (m.batchTicks > this.maxBatch) this.maxBatch = m.batchTicks;
        this.latency.add(m.ms);
        this.writeRate.add(m.written + m.jsonWritten, Date.now());
        this.maybeReplayOverflow();
        this.releaseCapacityWaiters();
        return;
      }
      case 'write_error':
        this.writeErrors++;
        if (m.willRetry) this.writeRetries++;
        this.lastWriteError = m.message;
        this.errorWindow.add(1, Date.now());
        return;
      case 'spilled':
        this.spilled += m.ticks;
        this.spillPending += m.ticks;
        return;
      case 'replayed':
        this.replayed += m.ticks;
        this.spillPending = Math.max(0, this.spillPending - m.ticks);
        this.written += m.written;
        this.duplicates += m.duplicates;
        this.writeRate.add(m.written, Date.now());
        return;
      case 'replay_failed':
        this.lastWriteError = `replay of ${m.path}: ${m.message}`;
        return;
      case 'rotated':
        this.rotations++;
        return;
      case 'retention':
        this.retentionDeleted += m.deletedDays.length;
        return;
      case 'disk':
        this.diskBytes = m.bytes;
        this.spillBytes = m.spillBytes;
        this.diskFree = m.freeBytes;
        return;
      case 'flushed':
      case 'stopped': {
        const w = this.writerWaits.get(m.id);
        this.writerWaits.delete(m.id);
        w?.resolve();
        return;
      }
      case 'fatal':
        this.fatal = m.message;
        this.lastWriteError = m.message;
        return;
    }
  }

  private onSpill(m: FromSpill): void {
    switch (m.type) {
      case 'appended':
        this.inflightSpill -= m.ticks;
        this.spilled += m.ticks;
        this.spillPending += m.ticks;
        this.overflowUnsealed += m.ticks;
        this.releaseCapacityWaiters();
        return;
      case 'append_failed':
        this.inflightSpill -= m.ticks;
        this.fatal = `spill journal append failed, ${m.ticks} ticks lost: ${m.message}`;
        return;
      default: {
        const w = this.spillWaits.get(m.id);
        this.spillWaits.delete(m.id);
        w?.resolve(m);
      }
    }
  }

  private onWorkerFailure(which: string, e: Error): void {
    this.fatal = `${which} worker failed: ${e.message}`;
    this.readyReject?.(new Error(this.fatal));
    for (const w of this.writerWaits.values()) w.reject(new Error(this.fatal));
    this.writerWaits.clear();
  }

  /** Once the writer has room again, the overflow segment is sealed and handed to it for replay. */
  private maybeReplayOverflow(): void {
    if (this.sealing || this.overflowUnsealed === 0 || this.stopped) return;
    if (this.inflightWriter > this.config.queueCapacity / 2) return;
    this.sealing = true;
    void this.spillRequest({ type: 'seal', id: 0 }).then((m) => {
      this.sealing = false;
      if (m.type !== 'sealed' || !m.path) return;
      this.overflowUnsealed -= m.ticks;
      this.postWriter({ type: 'replay', paths: [m.path] });
    });
  }

  private spillRequest(m: Extract<ToSpill, { id: number }>): Promise<FromSpill> {
    const id = this.nextMsgId++;
    return new Promise((resolve, reject) => {
      this.spillWaits.set(id, { resolve, reject });
      this.postSpill({ ...m, id });
    });
  }

  private writerRequest(type: 'flush' | 'stop'): Promise<void> {
    if (this.writerExited) return Promise.reject(new Error(this.fatal ?? 'writer worker has exited'));
    const id = this.nextMsgId++;
    return new Promise((resolve, reject) => {
      this.writerWaits.set(id, { resolve, reject });
      this.postWriter({ type, id });
    });
  }

  private tick(): void {
    this.maybeReplayOverflow();
    this.spillHistory.push(this.spillPending);
    if (this.spillHistory.length > 120) this.spillHistory.shift();
  }

  private checkRotation(): void {
    this.postWriter({
      type: 'rotate',
      todayIndex: utcDayIndex(this.clock.nowUs()),
      retentionDays: this.config.retentionDays,
      openToday: (this.sinks & SINK_SQLITE) !== 0,
    });
  }

  private releaseCapacityWaiters(): void {
    if (this.capacityWaits.length === 0 || this.queueSize() > this.config.queueCapacity / 2) return;
    for (const w of this.capacityWaits.splice(0)) w();
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  whenWritable(): Promise<void> {
    if (this.stopped) return Promise.reject(new StoreClosedError('whenWritable'));
    // Bulk producers wait for the writer instead of filling the spill journal.
    if (this.queueSize() <= this.config.queueCapacity / 2) return Promise.resolve();
    this.sealBatch();
    return new Promise((resolve) => this.capacityWaits.push(resolve));
  }

  async flush(): Promise<void> {
    if (this.stopped) throw new StoreClosedError('flush');
    this.sealBatch();
    await Promise.all([this.writerRequest('flush'), this.spillRequest({ type: 'flush', id: 0 })]);
  }

  stop(_options?: StopOptions): Promise<StopResult> {
    this.stopPromise ??= this.doStop().then(() => {
      const s = this.getStorageStats();
      return {
        clean: s.spill_pending_ticks === 0,
        timedOut: false,
        pendingInJournal: s.spill_pending_ticks,
        lost: 0,
        lostByReason: {},
        problems:
          s.spill_pending_ticks > 0 ? [`${s.spill_pending_ticks} ticks wait in the spill journal`] : [],
      };
    });
    return this.stopPromise;
  }

  private async doStop(): Promise<void> {
    this.sealBatch();
    this.stopped = true;
    this.cancelRotation?.();
    if (this.housekeeping) clearInterval(this.housekeeping);
    try {
      await this.spillRequest({ type: 'flush', id: 0 });
      // Overflow still in the journal is handed to the writer now; whatever it cannot take stays
      // in the journal and is replayed at the next start.
      const sealed = await this.spillRequest({ type: 'seal', id: 0 });
      if (sealed.type === 'sealed' && sealed.path) this.postWriter({ type: 'replay', paths: [sealed.path] });
      await this.spillRequest({ type: 'stop', id: 0 });
      await this.writerRequest('stop');
    } finally {
      await Promise.all([
        this.writer.terminate(),
        this.spill.terminate(),
        this.reader.close(),
        this.reader2.close(),
      ]);
      for (const w of this.capacityWaits.splice(0)) w();
    }
  }

  // ---- settings -------------------------------------------------------------------------------

  async setBackend(backend: Backend): Promise<void> {
    parseBackend(backend);
    // The current batch keeps the sinks it was accepted under; new ticks go to the new ones.
    this.sealBatch();
    this.sinks = sinksOf(backend);
    this.config.backend = backend;
  }

  getSettings(): StorageSettings {
    const c = this.config;
    return {
      backend: c.backend,
      dataDir: c.dataDir,
      batchSize: c.batchSize,
      batchIntervalMs: c.batchIntervalMs,
      queueCapacity: c.queueCapacity,
      retentionDays: c.retentionDays,
      throttleRepeats: c.throttleRepeats,
      throttleMinIntervalMs: c.throttleMinIntervalMs,
    };
  }

  updateSettings(u: SettingsUpdate): StorageSettings {
    const next = resolveConfig({ ...this.config, ...u, preset: undefined });
    const c = this.config;
    c.batchSize = next.batchSize;
    c.batchIntervalMs = next.batchIntervalMs;
    c.queueCapacity = next.queueCapacity;
    c.retentionDays = next.retentionDays;
    c.throttleRepeats = next.throttleRepeats;
    c.throttleMinIntervalMs = next.throttleMinIntervalMs;
    this.throttle.repeats = c.throttleRepeats;
    this.throttle.minIntervalUs = c.throttleMinIntervalMs * 1000;
    return this.getSettings();
  }

  // ---- metrics --------------------------------------------------------------------------------

  getStorageStats(): StorageStats {
    const now = Date.now();
    const q = this.queueSize();
    return {
      backend: this.config.backend,
      ticks_received: this.received,
      ticks_stored: this.accepted,
      ticks_throttled: this.throttled,
      ticks_rejected: this.rejected,
      ticks_refused_stopped: this.refusedStopped,
      rejected_by_reason: { ...this.rejectedBy },
      recent_rejections: [...this.recentRejections],
      crossed_quotes: this.crossed,
      ticks_written: this.written,
      ticks_duplicate: this.duplicates,
      json_ticks_written: this.jsonWritten,
      write_errors: this.writeErrors,
      write_retries: this.writeRetries,
      last_write_error: this.lastWriteError,
      db_rotations: this.rotations,
      retention_deleted_days: this.retentionDeleted,
      queue_size: q,
      queue_capacity: this.config.queueCapacity,
      queue_peak: this.queuePeak,
      ticks_spilled: this.spilled,
      ticks_lost: 0,
      lost_by_reason: {},
      spill_inflight_ticks: this.inflightSpill,
      ticks_replayed: this.replayed,
      spill_pending_ticks: this.spillPending,
      spill_bytes: this.spillBytes,
      batches_written: this.batches,
      last_batch_ticks: this.lastBatch,
      max_batch_ticks: this.maxBatch,
      batch_latency_p50_ms: round2(this.latency.percentile(50)),
      batch_latency_p99_ms: round2(this.latency.percentile(99)),
      ingest_ticks_per_s: Math.round(this.ingestRate.perSecond(now)),
      write_ticks_per_s: Math.round(this.writeRate.perSecond(now)),
      disk_bytes: this.diskBytes,
      disk_free_bytes: this.diskFree,
      writer_idle_ms: this.inflightWriter > 0 ? now - this.lastWriterProgressMs : 0,
      uptime_s: Math.round((now - this.startedMs) / 1000),
      data_dir: this.config.dataDir,
    };
  }

  getHealth(): Health {
    const h = this.spillHistory;
    const growing = h.length >= 40 && h[h.length - 1] > h[h.length - 40];
    return evaluateHealth(this.config.health, {
      stats: this.getStorageStats(),
      writeErrorsLastMinute: this.errorWindow.total(Date.now()),
      spillGrowing: growing,
      fatal: this.fatal,
    });
  }

  // ---- live view ------------------------------------------------------------------------------

  /** Stateless: any number of callers may each pass back the version they last saw. */
  private quotesSince(sinceVersion: number): { version: number; quotes: LiveQuote[] } {
    const quotes: LiveQuote[] = [];
    for (let id = 0; id < this.rings.length; id++) {
      const r = this.rings[id];
      if (!r || r.version <= sinceVersion) continue;
      const q = r.latest(this.symbols.names[id], this.sources.names, r.countSince(sinceVersion));
      if (q) quotes.push(q);
    }
    return { version: this.accepted, quotes };
  }

  private ticksSince(symbol: string, afterSeq: number): { lastSeq: number; ticks: TickColumns } {
    const id = this.symbols.lookup(symbol);
    const r = id === undefined ? undefined : this.rings[id];
    if (!r) return { lastSeq: 0, ticks: { symbol, tsUs: [], bid: [], ask: [], source: [], sources: [] } };
    return { lastSeq: r.total, ticks: r.columns(symbol, afterSeq, this.sources.names) };
  }

  // ---- queries --------------------------------------------------------------------------------

  async recent(symbol: string, limit: number): Promise<TickColumns> {
    this.ensureOpen('recent');
    checkLimit(limit); // before the ring: a fractional limit would index it between slots
    const id = this.symbols.lookup(symbol);
    const r = id === undefined ? undefined : this.rings[id];
    if (r && r.size >= limit) return r.columns(symbol, 0, this.sources.names, limit);
    return (await this.reader.call('recent', symbol, limit)) as TickColumns;
  }

  async range(q: RangeQuery): Promise<TickPage> {
    this.ensureOpen('range');
    checkRange(q.fromUs, q.toUs);
    const limit = q.limit ?? 100_000;
    checkLimit(limit); // a page of 0 would come back with a cursor that cannot be resumed
    if (splittable(q.fromUs, q.toUs, q.cursor)) {
      const mid = midpoint(q.fromUs, q.toUs);
      const [a, b] = (await Promise.all([
        this.reader.call('range', q.symbol, q.fromUs, mid, limit, undefined),
        this.reader2.call('range', q.symbol, mid, q.toUs, limit, undefined),
      ])) as [TickPage, TickPage];
      const merged = mergeHalves(a, b, limit);
      if (merged) return merged;
    }
    return (await this.reader.call('range', q.symbol, q.fromUs, q.toUs, limit, q.cursor)) as TickPage;
  }

  async bars(q: BarsQuery): Promise<BarColumns> {
    this.ensureOpen('bars');
    checkRange(q.fromUs, q.toUs);
    if (!Number.isInteger(q.timeframeSec) || q.timeframeSec < 1 || q.timeframeSec > 86_400) {
      throw new QueryError(
        `timeframeSec ${q.timeframeSec} must be a whole number of seconds from 1 to 86400`,
      );
    }
    // The reader would otherwise fold an unknown side as mid without saying so.
    if (!PRICE_SIDES.includes(q.price)) {
      throw new QueryError(`price ${JSON.stringify(q.price)} must be one of ${PRICE_SIDES.join(', ')}`);
    }
    return (await this.reader.call(
      'bars',
      q.symbol,
      q.fromUs,
      q.toUs,
      q.timeframeSec,
      q.price,
    )) as BarColumns;
  }

  async listSymbols(): Promise<SymbolInfo[]> {
    this.ensureOpen('listSymbols');
    return (await this.reader.call('symbols')) as SymbolInfo[];
  }

  async listDays(): Promise<DayInfo[]> {
    this.ensureOpen('listDays');
    return (await this.reader.call('days')) as DayInfo[];
  }

  private ensureOpen(op: string): void {
    if (this.stopped) throw new StoreClosedError(op);
  }
}

function checkRange(fromUs: number, toUs: number): void {
  if (!Number.isSafeInteger(fromUs) || !Number.isSafeInteger(toUs)) {
    throw new QueryError('fromUs and toUs must be integer microseconds');
  }
  if (toUs < fromUs) throw new QueryError(`empty range: toUs (${toUs}) is before fromUs (${fromUs})`);
}

// Checked here as well as at the IPC boundary: the engine is also used directly (CLI, migration).
function checkLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new QueryError(`limit ${limit} must be a whole number of ticks, at least 1`);
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
