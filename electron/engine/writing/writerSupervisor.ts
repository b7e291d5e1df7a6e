// Owns the writer and spill workers and every accepted tick between ingest and disk. A sealed
// batch is an item here until the writer reports it written or it is durable in the journal (or
// counted lost); the batch's memory is shared with the workers, so an item survives a worker
// that dies with it. Overflow policy: up to the queue capacity items wait for the writer; beyond
// it they go to the spill journal; only when the journal refuses them too are ticks dropped, and
// then counted by reason. Rows the writer cannot write after its retries come back "parked" and
// go to the journal, or wait here (counted in the queue) to be tried again when it refuses them.
// Gap-ledger entries travel the same way to the writer but are never journaled: they wait in
// memory (bounded) until the writer reports them written, and are tried again when it cannot.
import type { SwapOutcome } from '../archive/archiveSwap.ts';
import type { PreparedArchive } from '../archive/compactDay.ts';
import type { Worker } from 'node:worker_threads';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import type { StorageConfig } from '../config.ts';
import type { StatsCollector } from '../metrics/statsCollector.ts';
import { RpcClient, WorkerFailedError } from '../rpc/rpcClient.ts';
import type { ColumnBatch } from '../storage/columnBatch.ts';
import { FLAG_COUNTED } from '../storage/spillJournal.ts';
import type { SegmentInfo, SpillApi, SpillPending } from '../workers/spillApi.ts';
import type { WorkerName } from '../workers/spawnWorker.ts';
import type { DeletedDay, DiskReport, ReplayResult, WriterApi, WriterEvents } from '../workers/writerApi.ts';
import { HELD_RETRY_MAX_MS, RestartBudget, backoffMs } from './backoff.ts';
import { reviveEngineError } from '../errors.ts';
import { FeedEventLedger } from '../ledger/feedEventLedger.ts';
import { withDeadline } from '../lifecycle/withDeadline.ts';

type ItemState = 'writer' | 'parked' | 'journaling' | 'overflow';

interface Item {
  id: number;
  batch: ColumnBatch;
  sinks: number;
  /** Ticks of this item counted in queue_size (0 for JSON mirrors of already counted ticks). */
  queueTicks: number;
  state: ItemState;
}

const RESTARTS_PER_MINUTE = 3;
/** Ticks on their way to the journal beyond which overflow is dropped (and counted). */
const SPILL_INFLIGHT_FLOOR = 4_000_000;
/** After the stop deadline, how long the journal gets to take what is left. */
const LAST_JOURNAL_GRACE_MS = 2_000;
const TERMINATE_WAIT_MS = 1_000;

export interface SupervisorDeps {
  config: StorageConfig;
  stats: StatsCollector;
  spawn: (name: WorkerName) => Worker;
  /** Every symbol and source name so far, for a worker started afresh. */
  allNames: () => { symbols: [number, string][]; sources: [number, string][] };
  runId: string;
  /** A batch no worker reads any more: its shared buffer can be used again. */
  recycle: (batch: ColumnBatch) => void;
}

export interface SupervisorStopReport {
  timedOut: boolean;
  problems: string[];
  /** Gap-ledger entries recorded this run that are in no day file (counted dropped). */
  feedEventsUnwritten: number;
}

export class WriterSupervisor {
  private readonly d: SupervisorDeps;
  private writer: RpcClient<WriterApi, WriterEvents> | null = null;
  private spill: RpcClient<SpillApi> | null = null;
  private writerDown: string | null = null;
  private spillDown: string | null = null;
  private readonly writerRestarts = new RestartBudget(RESTARTS_PER_MINUTE, 60_000);
  private readonly spillRestarts = new RestartBudget(RESTARTS_PER_MINUTE, 60_000);
  private readonly items = new Map<number, Item>();
  /** Ids of the items in state 'parked', so housekeeping finds them without a walk of all items. */
  private readonly parked = new Set<number>();
  private nextId = 1;
  private queued = 0;
  private overflowing = 0;
  private pending: SpillPending = { thisRun: 0, earlier: 0, bytes: 0, quarantined: 0 };
  private readonly journaling = new Set<Promise<void>>();
  private parkFailures = 0;
  private retryParkedAt = 0;
  private replaying: Promise<void> | null = null;
  private replayFailures = 0;
  private replayAt = 0;
  private lastProgressMs = Date.now();
  /** Resolved (and cleared) when the queue has drained to half its capacity. */
  private drained: { promise: Promise<void>; resolve: () => void } | null = null;
  /** Gap-ledger entries between recordFeedEvent and their day file. */
  readonly feedEvents = new FeedEventLedger();
  private feedEventSendScheduled = false;
  private lastFeedEventError: string | null = null;
  private today = 0;
  private openToday = true;
  private stopping = false;
  /** Set while a failed spill worker is being replaced: appends it failed are tried on the new one. */
  private spillStarting: Promise<void> | null = null;
  /** Batch ids the last spill worker found in this run's segments when it started. */
  private journaledIds = new Set<number>();
  /** Recycled buffers the current writer holds: they are sent by number, not again. */
  private writerHolds = new Set<number>();

  constructor(deps: SupervisorDeps) {
    this.d = deps;
  }

  // ---- workers --------------------------------------------------------------------------------

  async start(todayIndex: number, openToday: boolean): Promise<string[]> {
    this.today = todayIndex;
    this.openToday = openToday;
    const [damaged] = await Promise.all([this.startSpill(), this.startWriter()]);
    return damaged;
  }

  private writerSettings() {
    const c = this.d.config;
    return {
      sqliteDir: c.sqliteDir,
      jsonDir: c.jsonDir,
      spillDir: c.spillDir,
      maxRetries: c.maxRetries,
      retryBaseMs: c.retryBaseMs,
      busyTimeoutMs: c.busyTimeoutMs,
      rewriteBufferTicks: c.rewriteBufferTicks,
      fileCheckMs: c.fileCheckMs,
    };
  }

  private async startWriter(): Promise<void> {
    const w = new RpcClient<WriterApi, WriterEvents>('writer', this.d.spawn('writerWorker'), {
      onEvent: (event, payload) => this.onWriterEvent(event, payload),
      onFailure: (err) => this.onWriterFailure(w, err),
      reviveError: reviveEngineError,
    });
    this.writer = w;
    this.writerHolds = new Set();
    const names = this.d.allNames();
    const ready = w.call('init', this.writerSettings(), this.today, this.openToday);
    if (names.symbols.length || names.sources.length) w.send('define', names.symbols, names.sources);
    // A restarted writer takes over what the last one had not finished, oldest first.
    for (const it of [...this.items.values()].sort((a, b) => a.id - b.id)) {
      if (it.state === 'writer') this.submit(w, it);
    }
    // Entries the last writer had not answered for: it may have written them (the insert skips
    // an equal entry), or not.
    this.feedEvents.requeueInflight();
    this.sendFeedEvents(true);
    await ready;
  }

  private async startSpill(): Promise<string[]> {
    const s = new RpcClient<SpillApi>('spill', this.d.spawn('spillWorker'), {
      onFailure: (err) => this.onSpillFailure(s, err),
      reviveError: reviveEngineError,
    });
    this.spill = s;
    const init = await s.call('init', this.d.config.spillDir, this.d.runId);
    const names = this.d.allNames();
    if (names.symbols.length || names.sources.length) s.send('define', names.symbols, names.sources);
    this.pending = init.pending;
    this.journaledIds = new Set(init.appendedIds);
    return init.damaged;
  }

  /**
   * After the spill worker died with an append under way: whether the old worker made it
   * durable (the new one found it in this run's segments) or it must be appended again.
   */
  private async appendedBeforeDeath(it: Item, e: unknown): Promise<'appended' | 'retry' | 'failed'> {
    if (!(e instanceof WorkerFailedError) || !this.spillStarting || this.stopping) return 'failed';
    await this.spillStarting;
    if (!this.spill) return 'failed';
    return this.journaledIds.has(it.id) ? 'appended' : 'retry';
  }

  private onWriterFailure(w: RpcClient<WriterApi, WriterEvents>, err: WorkerFailedError): void {
    if (this.writer !== w) return;
    this.writer = null;
    if (this.stopping) return;
    const inFlight = [...this.items.values()].filter((i) => i.state === 'writer');
    if (this.writerRestarts.take(Date.now())) {
      this.d.stats.c.worker_restarts++;
      this.d.stats.incident(
        'critical',
        `${err.message}; it was restarted and the ${sumTicks(inFlight)} ticks it had not reported written were handed to the new one`,
      );
      this.startWriter().catch((e: unknown) => this.writerGaveUp(`restart failed: ${(e as Error).message}`));
    } else this.writerGaveUp(`${err.message}, the ${RESTARTS_PER_MINUTE + 1}th time within a minute`);
  }

  private writerGaveUp(reason: string): void {
    this.writerDown = reason;
    this.d.stats.incident(
      'critical',
      `the writer is not restarted again (${reason}): new ticks go to the spill journal`,
    );
    for (const it of this.items.values()) if (it.state === 'writer') this.journal(it);
  }

  private onSpillFailure(s: RpcClient<SpillApi>, err: WorkerFailedError): void {
    if (this.spill !== s) return;
    this.spill = null;
    if (this.stopping) return;
    if (this.spillRestarts.take(Date.now())) {
      this.d.stats.c.worker_restarts++;
      this.d.stats.incident('critical', `${err.message}; it was restarted`);
      this.spillStarting = this.startSpill()
        .then(() => undefined)
        .catch((e: unknown) => this.spillGaveUp(`restart failed: ${(e as Error).message}`))
        .finally(() => {
          this.spillStarting = null;
        });
    } else this.spillGaveUp(`${err.message}, the ${RESTARTS_PER_MINUTE + 1}th time within a minute`);
  }

  private spillGaveUp(reason: string): void {
    this.spillDown = reason;
    this.d.stats.incident(
      'critical',
      `the spill journal is not restarted again (${reason}): ticks beyond the queue capacity are lost`,
    );
  }

  /** Why the writer or the journal is permanently unavailable, for health. */
  get downReasons(): string[] {
    return [
      this.writerDown && `writer down: ${this.writerDown}`,
      this.spillDown && `spill journal down: ${this.spillDown}`,
    ].filter((x): x is string => typeof x === 'string');
  }

  // ---- batches in -----------------------------------------------------------------------------

  private submit(w: RpcClient<WriterApi, WriterEvents>, it: Item): void {
    const poolId = it.batch.poolId ?? 0;
    if (poolId > 0 && this.writerHolds.has(poolId)) {
      w.send('submit', it.id, it.sinks, null, poolId, it.batch.n);
      return;
    }
    if (poolId > 0) this.writerHolds.add(poolId);
    w.send('submit', it.id, it.sinks, it.batch, poolId, it.batch.n);
  }

  /** A recycled buffer left the pool for good: the writer may drop it too. */
  forget(poolId: number): void {
    if (this.writerHolds.delete(poolId)) this.writer?.send('forget', poolId);
  }

  define(symbols: [number, string][], sources: [number, string][]): void {
    this.writer?.send('define', symbols, sources);
    this.spill?.send('define', symbols, sources);
  }

  take(batch: ColumnBatch, sinks: number): void {
    const n = batch.n;
    const it: Item = { id: this.nextId++, batch, sinks, queueTicks: n, state: 'writer' };
    if (this.writer && this.queued + n <= this.d.config.queueCapacity) {
      if (this.queued === 0) this.lastProgressMs = Date.now();
      this.items.set(it.id, it);
      this.queued += n;
      this.submit(this.writer, it);
    } else {
      it.state = 'overflow';
      it.queueTicks = 0;
      this.overflow(it);
    }
    this.d.stats.queuePeak = Math.max(this.d.stats.queuePeak, this.queued);
  }

  /** A batch beyond the queue capacity: straight to the journal, or counted lost if it refuses. */
  private overflow(it: Item): void {
    const spill = this.spill;
    const n = it.batch.n;
    if (!spill) {
      this.d.stats.lost('queue_full_journal_unavailable', n);
      return;
    }
    // A journal that takes nothing (a hung disk) must not grow memory without bound either.
    if (this.overflowing + n > Math.max(4 * this.d.config.queueCapacity, SPILL_INFLIGHT_FLOOR)) {
      this.d.stats.lost('queue_full_journal_too_slow', n);
      return;
    }
    this.items.set(it.id, it);
    this.overflowing += n;
    this.appendOverflow(it, spill, true);
  }

  private appendOverflow(it: Item, spill: RpcClient<SpillApi>, mayRetry: boolean): void {
    const n = it.batch.n;
    const appended = (p: SpillPending | null): void => {
      if (!this.items.delete(it.id)) return;
      this.overflowing -= n;
      if (p) this.pending = p;
      this.d.stats.c.ticks_spilled += n;
      this.d.recycle(it.batch);
    };
    this.track(
      spill.call('append', it.batch, it.sinks, it.id).then(appended, async (e: unknown) => {
        if (!this.items.has(it.id)) return;
        // The spill worker died with it: the batch is still here, so the new worker takes it.
        const after = mayRetry ? await this.appendedBeforeDeath(it, e) : 'failed';
        if (after === 'appended') return appended(null);
        if (after === 'retry' && this.spill) return this.appendOverflow(it, this.spill, false);
        this.items.delete(it.id);
        this.overflowing -= n;
        this.d.stats.writeError(`spill journal: ${(e as Error).message}`, false);
        // The queue may have room again by now; otherwise these ticks have nowhere to go.
        if (this.writer && this.queued + n <= this.d.config.queueCapacity) {
          it.state = 'writer';
          it.queueTicks = n;
          this.items.set(it.id, it);
          this.queued += n;
          this.submit(this.writer, it);
        } else {
          this.d.stats.lost(`queue_full_journal_failed: ${errorCode(e)}`, n);
          this.d.recycle(it.batch);
        }
      }),
    );
  }

  /** A parked item to the journal; if the journal refuses it, it waits here for another try. */
  private journal(it: Item): void {
    const spill = this.spill;
    this.parked.delete(it.id);
    if (!spill) {
      this.park(it);
      return;
    }
    it.state = 'journaling';
    const appended = (p: SpillPending | null): void => {
      if (!this.items.delete(it.id)) return;
      this.queued -= it.queueTicks;
      if (p) this.pending = p;
      this.d.stats.c.ticks_spilled += it.queueTicks;
      this.releaseWaiters();
    };
    this.track(
      spill.call('append', it.batch, it.sinks, it.id).then(appended, async (e: unknown) => {
        if (!this.items.has(it.id)) return;
        const after = await this.appendedBeforeDeath(it, e);
        if (after === 'appended') return appended(null);
        if (after === 'retry') return this.journal(it);
        this.park(it);
        this.d.stats.writeError(`spill journal: ${(e as Error).message} (the ticks wait in memory)`, true);
      }),
    );
  }

  private track(p: Promise<void>): void {
    this.journaling.add(p);
    void p.finally(() => this.journaling.delete(p));
  }

  // ---- what the writer reports ----------------------------------------------------------------

  private onWriterEvent<K extends keyof WriterEvents & string>(event: K, payload: WriterEvents[K]): void {
    const s = this.d.stats;
    switch (event) {
      case 'pass': {
        const r = payload as WriterEvents['pass'];
        for (let i = 0; i < r.items.length; i += 3) {
          const it = this.items.get(r.items[i]);
          if (!it || it.state !== 'writer') continue;
          this.items.delete(it.id);
          this.queued -= it.queueTicks;
          this.d.recycle(it.batch);
        }
        s.c.ticks_written += r.written;
        s.c.ticks_duplicate += r.duplicates;
        s.c.json_ticks_written += r.jsonWritten;
        s.c.json_only_ticks_written += r.jsonOnlyWritten;
        s.notePass(r.ticks, r.ms, r.written + r.jsonOnlyWritten);
        this.lastProgressMs = Date.now();
        if (r.written + r.duplicates + r.jsonWritten > 0) {
          // The disk takes writes again: what waits in memory is tried at once.
          if (this.parkFailures > 0) {
            this.parkFailures = 0;
            this.retryParkedAt = 0;
          }
          this.feedEvents.failures = 0;
          this.feedEvents.retryAtMs = 0;
        }
        this.releaseWaiters();
        return;
      }
      case 'feedEvents': {
        const r = payload as WriterEvents['feedEvents'];
        s.c.feed_events_written += this.feedEvents.settle(r.id, r.failed);
        const ledger = this.feedEvents;
        if (r.failed.length > 0) {
          this.lastFeedEventError = r.message;
          ledger.failures++;
          ledger.retryAtMs = Date.now() + backoffMs(ledger.failures - 1, HELD_RETRY_MAX_MS);
        } else if (r.written > 0) {
          ledger.failures = 0;
          ledger.retryAtMs = 0;
        }
        return;
      }
      case 'parked': {
        const r = payload as WriterEvents['parked'];
        const it: Item = {
          id: this.nextId++,
          batch: r.part,
          sinks: r.sinks,
          queueTicks: r.sinks & FLAG_COUNTED ? 0 : r.part.n,
          state: 'parked',
        };
        this.items.set(it.id, it);
        this.queued += it.queueTicks;
        this.parkFailures++;
        this.retryParkedAt = Date.now() + backoffMs(this.parkFailures - 1, HELD_RETRY_MAX_MS);
        this.journal(it);
        return;
      }
      case 'writeError': {
        const r = payload as WriterEvents['writeError'];
        s.writeError(r.message, r.willRetry);
        return;
      }
      case 'incident': {
        const r = payload as WriterEvents['incident'];
        s.incident(r.severity, r.message);
        return;
      }
      case 'fileLost': {
        const r = payload as WriterEvents['fileLost'];
        // They were counted written; the file that held them is gone.
        s.c.ticks_written -= r.lost;
        s.lost(r.kind === 'vanished' ? 'day_file_deleted' : 'day_file_replaced', r.lost);
        return;
      }
      case 'disk': {
        const r = payload as WriterEvents['disk'];
        s.diskBytes = r.bytes;
        s.diskFree = r.freeBytes;
        return;
      }
    }
  }

  // ---- housekeeping, replay -------------------------------------------------------------------

  /** Called a few times a second: parked ticks are tried again, the journal replayed when there is room. */
  housekeeping(nowMs = Date.now()): void {
    if (this.stopping) return;
    if (this.writer && nowMs >= this.retryParkedAt) this.resubmitParked();
    if (this.feedEvents.unsentCount > 0 && nowMs >= this.feedEvents.retryAtMs) this.sendFeedEvents(true);
    if (
      !this.replaying &&
      this.writer &&
      this.spill &&
      nowMs >= this.replayAt &&
      this.queued <= this.d.config.queueCapacity / 2
    ) {
      this.replaying = this.replayOne()
        .then((replayed) => {
          // Nothing to replay: look again in a second rather than every round.
          if (!replayed) this.replayAt = Date.now() + 1_000;
        })
        .catch((e: unknown) => {
          this.replayFailures++;
          this.replayAt = Date.now() + backoffMs(this.replayFailures - 1);
          if (!(e instanceof WorkerFailedError))
            this.d.stats.writeError(`journal replay: ${(e as Error).message}`, true);
        })
        .finally(() => {
          this.replaying = null;
        });
    }
  }

  private park(it: Item): void {
    it.state = 'parked';
    this.parked.add(it.id);
  }

  private resubmitParked(): number {
    const w = this.writer;
    if (!w || this.parked.size === 0) return 0;
    let n = 0;
    for (const id of [...this.parked].sort((a, b) => a - b)) {
      this.parked.delete(id);
      const it = this.items.get(id);
      if (!it || it.state !== 'parked') continue;
      it.state = 'writer';
      this.submit(w, it);
      n++;
    }
    if (n > 0) this.retryParkedAt = Date.now() + backoffMs(this.parkFailures, HELD_RETRY_MAX_MS);
    return n;
  }

  /** Replays the oldest sealed segment (sealing the open one first when none is sealed). */
  private async replayOne(): Promise<boolean> {
    const spill = this.spill;
    const writer = this.writer;
    if (!spill || !writer) return false;
    let segs = await spill.call('sealed');
    if (segs.length === 0 && this.pending.thisRun > 0 && this.overflowing === 0) {
      const s = await spill.call('seal');
      segs = s ? [s] : [];
    }
    const seg = segs[0];
    if (!seg) return false;
    const r = await writer.call('replay', seg.path);
    const damaged = r.damagedBytes + r.tornBytes > 0;
    this.pending = await spill.call('release', seg.path, damaged);
    this.account(seg, r, damaged);
    this.replayFailures = 0;
    return true;
  }

  private account(seg: SegmentInfo, r: ReplayResult, damaged: boolean): void {
    const s = this.d.stats;
    s.c.ticks_replayed += r.ticks;
    s.c.json_ticks_written += r.jsonWritten;
    let lost = 0;
    if (seg.thisRun) {
      s.c.ticks_written += r.written;
      s.c.ticks_duplicate += r.duplicates;
      s.c.json_only_ticks_written += r.jsonOnlyWritten;
      lost = Math.max(0, seg.uncounted - r.uncountedTicks);
      s.lost('spill_segment_damaged', lost);
    } else s.c.ticks_recovered += r.written + r.duplicates + r.jsonOnlyWritten;
    s.writeRate.add(r.written, Date.now());
    if (damaged) {
      s.incident(
        seg.thisRun ? 'critical' : 'warn',
        `journal segment ${seg.path} held ${r.damagedBytes + r.tornBytes} unreadable bytes; its ${r.ticks} intact ticks were written ` +
          `and the segment was kept as ${seg.path}.quarantined` +
          (lost > 0 ? `; ${lost} ticks of this run were in the unreadable part` : ''),
      );
    }
  }

  // ---- the gap ledger -------------------------------------------------------------------------

  /**
   * Keeps a checked entry for the writer; false when the ledger is full (the caller counts it
   * dropped). Entries recorded together go to the writer in one message.
   */
  recordFeedEvent(e: FeedEvent): boolean {
    if (!this.feedEvents.add(e)) return false;
    if (!this.feedEventSendScheduled && Date.now() >= this.feedEvents.retryAtMs) {
      this.feedEventSendScheduled = true;
      setImmediate(() => {
        this.feedEventSendScheduled = false;
        this.sendFeedEvents(false);
      });
    }
    return true;
  }

  /** Hands the unsent entries to the writer (unless they wait for a retry, when not `now`). */
  private sendFeedEvents(now: boolean): void {
    const w = this.writer;
    if (!w || this.stopping) return;
    if (!now && Date.now() < this.feedEvents.retryAtMs) return;
    const m = this.feedEvents.take();
    if (m) w.send('submitFeedEvents', m.id, m.events);
  }

  // ---- flush, backpressure, rotation ----------------------------------------------------------

  /** Ticks waiting for the writer, or held here because the disk refused them. */
  get queueSize(): number {
    return this.queued;
  }

  /** Ticks on their way to the journal because the queue was full. */
  get spillInflight(): number {
    return this.overflowing;
  }

  get spillPending(): SpillPending {
    return this.pending;
  }

  writerIdleMs(nowMs = Date.now()): number {
    for (const it of this.items.values()) if (it.state === 'writer') return nowMs - this.lastProgressMs;
    return 0;
  }

  /**
   * Resolves when every item taken before the call has been written, parked, journaled or
   * counted lost. Rejects with WorkerFailedError when a worker it waits on fails.
   */
  async flush(): Promise<void> {
    const w = this.writer;
    if (!w) throw new WorkerFailedError('writer', this.writerDown ?? 'it is restarting');
    // Entries waiting for a retry are tried now: the flush answers for everything recorded before it.
    this.sendFeedEvents(true);
    await w.call('flush');
    while (this.journaling.size > 0) await Promise.allSettled([...this.journaling]);
    const spill = this.spill;
    if (!spill) throw new WorkerFailedError('spill', this.spillDown ?? 'it is restarting');
    this.pending = await spill.call('pending');
    const disk = await w.call('reportDisk');
    this.d.stats.diskBytes = disk.bytes;
    this.d.stats.diskFree = disk.freeBytes;
  }

  /**
   * Backpressure, one rule for bulk producers and live feeds: null while the queue is at most
   * half full (no allocation: a feed may ask on every read), otherwise the one promise every
   * waiter shares, resolved when the queue has drained to half its capacity (or at stop).
   */
  pressure(): Promise<void> | null {
    if (this.queued <= this.d.config.queueCapacity / 2) return null;
    if (!this.drained) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.drained = { promise, resolve };
    }
    return this.drained.promise;
  }

  whenWritable(): Promise<void> {
    return this.pressure() ?? Promise.resolve();
  }

  private releaseWaiters(force = false): void {
    if (!this.drained || (!force && this.queued > this.d.config.queueCapacity / 2)) return;
    const { resolve } = this.drained;
    this.drained = null;
    resolve();
  }

  /** Closes past days' files; answers the oldest day with a day file (null: none, or no writer). */
  async rotate(todayIndex: number, openToday: boolean): Promise<number | null> {
    this.today = todayIndex;
    this.openToday = openToday;
    const w = this.writer;
    if (!w) return null;
    const r = await w.call('rotate', todayIndex, openToday);
    if (r.closedDay !== null) this.d.stats.c.db_rotations++;
    return r.oldestDay;
  }

  /** Retention's deletion, in the writer (never its current day); answers the day files removed. */
  async deleteDays(days: number[], jsonBeforeDay: number | null): Promise<DeletedDay[]> {
    const w = this.writer;
    if (!w) throw new WorkerFailedError('writer', this.writerDown ?? 'it is restarting');
    return w.call('deleteDays', days, jsonBeforeDay);
  }

  /** Swaps a compacted day in, in the writer (the one place that writes day files). */
  async swapArchive(prepared: PreparedArchive): Promise<SwapOutcome> {
    const w = this.writer;
    if (!w) throw new WorkerFailedError('writer', this.writerDown ?? 'it is restarting');
    return w.call('swapArchive', prepared);
  }

  /** Disk figures measured now; the last reported ones while the writer is restarting. */
  async measureDisk(): Promise<DiskReport> {
    const w = this.writer;
    if (!w) {
      const s = this.d.stats;
      return { bytes: s.diskBytes, spillBytes: this.pending.bytes, freeBytes: s.diskFree };
    }
    const disk = await w.call('reportDisk');
    this.d.stats.diskBytes = disk.bytes;
    this.d.stats.diskFree = disk.freeBytes;
    return disk;
  }

  // ---- stop -----------------------------------------------------------------------------------

  /**
   * Makes everything durable within the deadline: the queue written, parked ticks tried once
   * more, this run's journal replayed while there is time, files closed. Past the deadline the
   * writer is terminated and what is left goes to the journal, or is counted lost.
   */
  async stop(deadlineMs: number): Promise<SupervisorStopReport> {
    const problems: string[] = [];
    const started = Date.now();
    let timedOut = false;
    const graceful = (async () => {
      await this.flush();
      if (this.resubmitParked() > 0) await this.flush();
      this.stopping = true;
      // Producers waiting for room are let go: the store takes nothing more.
      this.releaseWaiters(true);
      // This run's journal is written now if the writer can take it; otherwise it waits for the next start.
      while (this.pending.thisRun > 0 && Date.now() - started < deadlineMs - 1_000 && !timedOut) {
        if (!(await this.replayOne())) break;
      }
      if (this.spill) this.pending = await this.spill.call('stop');
      if (this.writer) problems.push(...(await this.writer.call('stop')).problems);
    })();
    try {
      const outcome = await withDeadline(
        graceful.then(() => 'done' as const),
        deadlineMs,
        'deadline' as const,
      );
      if (outcome === 'deadline') timedOut = true;
    } catch (e) {
      problems.push(`stopping: ${(e as Error).message}`);
    }
    graceful.catch(() => undefined);
    this.stopping = true;
    if (timedOut || this.items.size > 0) {
      if (timedOut) problems.push(`stop did not finish within ${deadlineMs} ms: the workers were terminated`);
      await bounded(this.writer?.terminate(), TERMINATE_WAIT_MS);
      this.writer = null;
      await this.journalWhatIsLeft(timedOut ? 'stop_deadline' : 'not_durable_at_stop');
    }
    await Promise.all([
      bounded(this.writer?.terminate(), TERMINATE_WAIT_MS),
      bounded(this.spill?.terminate(), TERMINATE_WAIT_MS),
    ]);
    this.releaseWaiters(true);
    const unwritten = this.feedEvents.drain().length;
    if (unwritten > 0) {
      this.d.stats.c.feed_events_dropped += unwritten;
      problems.push(
        `${unwritten} feed events (gap ledger) were not confirmed written to the day files and are counted dropped` +
          (this.lastFeedEventError ? ` (last error: ${this.lastFeedEventError})` : ''),
      );
    }
    return { timedOut, problems, feedEventsUnwritten: unwritten };
  }

  /** After the writer is gone: every unfinished item to the journal, briefly, or counted lost. */
  private async journalWhatIsLeft(lostAs: string): Promise<void> {
    // Appends already under way get a moment to finish (and count themselves).
    await bounded(Promise.allSettled([...this.journaling]), LAST_JOURNAL_GRACE_MS);
    const left = [...this.items.values()];
    this.items.clear();
    this.parked.clear();
    this.queued = 0;
    this.overflowing = 0;
    const spill = this.spill;
    const tries = left.map(async (it) => {
      const ticks = it.state === 'overflow' ? it.batch.n : it.queueTicks;
      // An append still under way after the grace is not waited for: its ticks are counted lost.
      if (spill && it.state !== 'overflow' && it.state !== 'journaling') {
        const ok = await withDeadline(
          spill.call('append', it.batch, it.sinks, it.id).then(
            (p) => {
              this.pending = p;
              return true;
            },
            () => false,
          ),
          LAST_JOURNAL_GRACE_MS,
          false,
        );
        if (ok) {
          this.d.stats.c.ticks_spilled += ticks;
          return;
        }
      }
      this.d.stats.lost(lostAs, ticks);
    });
    await Promise.all(tries);
    if (spill) {
      const p = await withDeadline(
        spill.call('stop').catch(() => null),
        LAST_JOURNAL_GRACE_MS,
        null,
      );
      if (p) this.pending = p;
    }
  }
}

function sumTicks(items: Item[]): number {
  return items.reduce((n, i) => n + i.batch.n, 0);
}

function errorCode(e: unknown): string {
  return (e as { code?: string })?.code ?? (e as Error)?.message ?? String(e);
}

async function bounded(p: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (p)
    await withDeadline(
      p.catch(() => undefined),
      ms,
      undefined,
    );
}
