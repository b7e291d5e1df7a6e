// The hot path, on the caller's thread: validate, optionally throttle, copy the numbers into the
// symbol's ring and the current columnar batch. It never blocks, awaits or touches disk; a
// sealed batch (full, or old enough) is handed to the writer supervisor.
import type { LiveQuote } from '../../../shared/catalog.ts';
import type { RejectReason, TickColumns, TickInput } from '../../../shared/tick.ts';
import { checkSource, checkSymbol, checkTickNumbers } from '../../../shared/tick.ts';
import type { Clock } from '../clock.ts';
import type { StorageConfig } from '../config.ts';
import type { StatsCollector } from '../metrics/statsCollector.ts';
import type { ColumnBatch } from '../storage/columnBatch.ts';
import type { IngestOutcome } from '../tickStoreApi.ts';
import { BatchPool } from './batchPool.ts';
import { RING_BYTES_PER_TICK, RingSet } from './symbolRings.ts';
import { NAME_LIMIT, NameTable } from './symbolTable.ts';
import { QuoteThrottle } from './throttle.ts';

export interface SealedBatch {
  batch: ColumnBatch;
  sinks: number;
}

export interface IngestTarget {
  /** New names, announced before the first batch that uses them. */
  define(symbols: [number, string][], sources: [number, string][]): void;
  take(sealed: SealedBatch): void;
}

export class IngestPipeline {
  readonly symbols: NameTable;
  readonly sources: NameTable;
  readonly rings: RingSet;
  private readonly config: StorageConfig;
  private readonly clock: Clock;
  private readonly stats: StatsCollector;
  private readonly target: IngestTarget;
  private readonly throttle: QuoteThrottle;
  private readonly bounds = { minTsUs: 0, maxTsUs: 0 };
  private readonly defaultSourceId: number;
  private batch: ColumnBatch;
  /** Where sealed batches' buffers come back to once the writer is done with them. */
  readonly pool: BatchPool;
  private batchTimer: NodeJS.Timeout | null = null;
  sinks: number;
  stopped = false;

  constructor(
    config: StorageConfig,
    clock: Clock,
    stats: StatsCollector,
    target: IngestTarget,
    sinks: number,
  ) {
    this.config = config;
    this.clock = clock;
    this.stats = stats;
    this.target = target;
    this.sinks = sinks;
    this.symbols = new NameTable(checkSymbol, config.maxSymbols);
    this.sources = new NameTable(checkSource, config.maxSources);
    this.rings = new RingSet(config.ringSize, config.ringBudgetBytes);
    this.throttle = new QuoteThrottle(config.throttleRepeats, config.throttleMinIntervalMs);
    this.pool = new BatchPool(config.batchSize, 1_024);
    this.batch = this.pool.take();
    this.bounds.minTsUs = config.minTimestampUs;
    this.defaultSourceId = this.sources.idOf(config.defaultSource);
  }

  ingest(t: TickInput): IngestOutcome {
    const c = this.stats.c;
    c.ticks_received++;
    if (this.stopped) {
      // A feed timer that fires after stop(): refused and counted, not an input error.
      c.ticks_refused_stopped++;
      return 'rejected';
    }
    if (t === null || typeof t !== 'object') return this.reject('not_an_object', null);
    const symId = this.symbols.idOf(t.symbol);
    if (symId < 0)
      return this.reject(
        symId === NAME_LIMIT ? 'symbol_limit' : (checkSymbol(t.symbol) ?? 'symbol_invalid_chars'),
        t.symbol,
      );
    let srcId = this.defaultSourceId;
    if (t.source !== undefined) {
      srcId = this.sources.idOf(t.source);
      if (srcId < 0) return this.reject(srcId === NAME_LIMIT ? 'source_limit' : 'source_invalid', t.symbol);
    }
    const now = this.clock.nowUs();
    this.bounds.maxTsUs = now + this.config.maxFutureUs;
    const bad = checkTickNumbers(t, this.bounds);
    if (bad !== null) return this.reject(bad, t.symbol);
    const { bid, ask, tsUs } = t;
    if (this.throttle.enabled && this.throttle.drops(symId, srcId, bid, ask, tsUs)) {
      c.ticks_throttled++;
      return 'throttled';
    }
    const accepted = ++c.ticks_stored;
    if (bid > ask) c.crossed_quotes++;
    const bidSize = t.bidSize ?? Number.NaN;
    const askSize = t.askSize ?? Number.NaN;
    this.rings.push(symId, tsUs, bid, ask, bidSize, askSize, srcId, accepted);
    const b = this.batch;
    const i = b.n++;
    b.tsUs[i] = tsUs;
    // No exchange time: tsUs is the receive time and the stored tick has no exchange time (NaN).
    b.recvUs[i] = t.noExchangeTime === true ? Number.NaN : (t.recvUs ?? now);
    b.bid[i] = bid;
    b.ask[i] = ask;
    b.bidSize[i] = bidSize;
    b.askSize[i] = askSize;
    b.seq[i] = t.seq ?? Number.NaN;
    b.sym[i] = symId;
    b.src[i] = srcId;
    if (b.n >= b.tsUs.length) this.seal();
    else if (i === 0) this.armBatchTimer();
    return 'accepted';
  }

  private reject(reason: RejectReason, symbol: unknown): IngestOutcome {
    this.stats.reject(reason, symbol, this.clock.nowUs());
    return 'rejected';
  }

  private armBatchTimer(): void {
    if (this.batchTimer) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = null;
      this.seal();
    }, this.config.batchIntervalMs);
  }

  /** Ticks accepted and not yet sealed. */
  get unsealed(): number {
    return this.batch.n;
  }

  /** Hands the current batch on (its sinks are the ones in force when its ticks were accepted). */
  seal(): void {
    if (this.batchTimer) {
      clearTimeout(this.batchTimer);
      this.batchTimer = null;
    }
    const b = this.batch;
    if (b.n === 0) return;
    this.pool.capacity = this.config.batchSize;
    this.batch = this.pool.take();
    const symbols = this.symbols.takePending();
    const sources = this.sources.takePending();
    if (symbols.length > 0 || sources.length > 0) this.target.define(symbols, sources);
    this.stats.ingestRate.add(b.n, Date.now());
    this.target.take({ batch: b, sinks: this.sinks });
  }

  /** Settings changed at run time (batch size applies from the next batch). */
  retune(): void {
    this.throttle.repeats = this.config.throttleRepeats;
    this.throttle.minIntervalUs = this.config.throttleMinIntervalMs * 1000;
  }

  /** Called once a second: rings idle for ringIdleMs shrink. */
  sweepIdleRings(): void {
    this.rings.sweepIdle(Math.ceil(this.config.ringIdleMs / 1000));
  }

  get ringBytes(): number {
    return this.rings.capacityTicks * RING_BYTES_PER_TICK;
  }

  // ---- live view ------------------------------------------------------------------------------

  /**
   * One quote per (symbol, source) that changed after `sinceVersion`. Stateless: any number of
   * callers may each pass back the version they last saw.
   */
  quotesSince(sinceVersion: number): { version: number; quotes: LiveQuote[] } {
    const quotes: LiveQuote[] = [];
    const rings = this.rings.rings;
    for (let id = 0; id < rings.length; id++) {
      const r = rings[id];
      if (!r || r.version <= sinceVersion) continue;
      r.quotesSince(sinceVersion, this.symbols.names[id], this.sources.names, quotes);
    }
    return { version: this.stats.c.ticks_stored, quotes };
  }

  ticksSince(symbol: string, afterSeq: number): { lastSeq: number; ticks: TickColumns } {
    const id = this.symbols.lookup(symbol);
    const r = id === undefined ? undefined : this.rings.get(id);
    if (!r) {
      const none = { symbol, tsUs: [], bid: [], ask: [], source: [], sources: [], bidSize: [], askSize: [] };
      return { lastSeq: 0, ticks: none };
    }
    return { lastSeq: r.total, ticks: r.columns(symbol, afterSeq, this.sources.names) };
  }

  /** The newest `limit` ticks from the ring, or null when it holds fewer. */
  recentFromRing(symbol: string, limit: number): TickColumns | null {
    const id = this.symbols.lookup(symbol);
    const r = id === undefined ? undefined : this.rings.get(id);
    if (!r || r.size < limit) return null;
    return r.columns(symbol, 0, this.sources.names, limit);
  }
}
