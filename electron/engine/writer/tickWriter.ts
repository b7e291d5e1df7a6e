// The writer's logic, independent of the worker plumbing: everything submitted since the last
// pass is merged into one pass, grouped by UTC day and symbol, and each day is committed in one
// transaction with retries and backoff. Rows that still fail are handed back to the engine
// ("parked") as a new batch, never dropped and never kept here; the engine journals them or
// submits them again later. Each pass reports, per submitted item, how many of its ticks reached
// their first sink, so the engine's accounting needs nothing but these reports.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { SwapOutcome } from '../archive/archiveSwap.ts';
import { swapInArchive } from '../archive/archiveSwap.ts';
import type { PreparedArchive } from '../archive/compactDay.ts';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import { utcDayIndex } from '../../../shared/time.ts';
import type { ColumnBatch } from '../storage/columnBatch.ts';
import { mergeBatches, selectRows } from '../storage/columnBatch.ts';
import type { DayFile } from '../storage/dayFile.ts';
import { makeDirsSync } from '../fs/makeDirs.ts';
import { JsonDayFiles, legacyJsonItem } from '../storage/jsonDayFiles.ts';
import { FLAG_COUNTED, SINK_JSON, SINK_SQLITE } from '../storage/spillJournal.ts';
import type {
  DeletedDay,
  ReplayResult,
  RotateResult,
  WriterEvents,
  WriterSettings,
} from '../workers/writerApi.ts';
import { groupByDay, groupBySymbol } from './batchGrouping.ts';
import { DayFilePool, describe } from './dayFilePool.ts';
import { DiskReporter } from './diskReporter.ts';
import { RecentCommits } from './recentCommits.ts';
import { listDayFiles } from '../storage/dayFileCatalog.ts';
import { deleteDays, deleteJsonBefore } from './retentionSweeper.ts';
import { replaySegment } from './spillReplayer.ts';

export type WriterEmit = <K extends keyof WriterEvents & string>(event: K, payload: WriterEvents[K]) => void;

interface Submitted {
  id: number;
  sinks: number;
  batch: ColumnBatch;
}

interface Shares {
  counted: number;
  moved: number;
}

const DISK_REPORT_MS = 5_000;
/**
 * A pass takes at most this many queued ticks: under load a transaction of a few hundred thousand
 * ticks is as fast per tick as a larger one, and the pass's merged copy stays small.
 */
const MAX_PASS_TICKS = 262_144;

export class TickWriter {
  private readonly emit: WriterEmit;
  private settings!: WriterSettings;
  private pool!: DayFilePool;
  private json!: JsonDayFiles;
  private disk!: DiskReporter;
  private recent!: RecentCommits;
  private readonly symNames = new Map<number, string>();
  private readonly srcNames = new Map<number, string>();
  private readonly symIdsByName = new Map<string, number>();
  private readonly srcIdsByName = new Map<string, number>();
  private srcArray: string[] = [];
  private nextLocalId = 0x8000_0000;
  private inbox: Submitted[] = [];
  private eventInbox: { id: number; events: FeedEvent[] }[] = [];
  private replays: { path: string; resolve: (r: ReplayResult) => void; reject: (e: Error) => void }[] = [];
  private flushWaiters: { target: number; resolve: () => void }[] = [];
  private received = 0;
  private processed = 0;
  private running: Promise<void> | null = null;
  private currentDay = 0;
  private stopped = false;
  /** Ticks each open day's file got from this run's passes (reported as written). */
  private readonly writtenTo = new Map<number, number>();
  private timers: NodeJS.Timeout[] = [];

  constructor(emit: WriterEmit) {
    this.emit = emit;
  }

  init(settings: WriterSettings, todayIndex: number, openToday: boolean): void {
    this.settings = settings;
    makeDirsSync(settings.sqliteDir);
    this.json = new JsonDayFiles(settings.jsonDir);
    this.disk = new DiskReporter(settings.sqliteDir, settings.jsonDir, settings.spillDir);
    this.recent = new RecentCommits(settings.rewriteBufferTicks);
    this.pool = new DayFilePool(settings.sqliteDir, settings.busyTimeoutMs, {
      salvageInto: (file, batch, symNames, srcNames) => this.insertForeign(file, batch, symNames, srcNames),
      incident: (severity, message) => this.emit('incident', { severity, message }),
      problem: (message) => this.emit('writeError', { message, attempt: 1, willRetry: false }),
    });
    this.currentDay = todayIndex;
    // After init has answered: the check of a big day file takes seconds (3.6 s for 436 MB), and
    // the engine should be ready meanwhile (its batches queue until the check is done).
    if (openToday) setImmediate(() => this.openAhead(todayIndex));
    this.emit('disk', this.disk.measure(true));
    const diskTimer = setInterval(() => this.emit('disk', this.disk.measure()), DISK_REPORT_MS);
    const fileTimer = setInterval(() => this.checkFiles(), settings.fileCheckMs);
    for (const t of [diskTimer, fileTimer]) t.unref();
    this.timers = [diskTimer, fileTimer];
  }

  define(symbols: [number, string][], sources: [number, string][]): void {
    for (const [id, name] of symbols) this.defineSymbol(id, name);
    for (const [id, name] of sources) this.defineSource(id, name);
  }

  /** The engine's recycled buffers, by pool id: sent once, then named by their id. */
  private readonly pooled = new Map<number, ColumnBatch>();

  submit(id: number, sinks: number, sent: ColumnBatch | null, poolId: number, n: number): void {
    let batch: ColumnBatch;
    if (sent) {
      batch = sent;
      if (poolId > 0) this.pooled.set(poolId, sent);
    } else {
      const known = this.pooled.get(poolId);
      if (!known) throw new Error(`writer: buffer ${poolId} was never sent`);
      batch = known;
      batch.n = n;
    }
    this.inbox.push({ id, sinks, batch });
    this.received++;
    this.kick();
  }

  forget(poolId: number): void {
    this.pooled.delete(poolId);
  }

  submitFeedEvents(id: number, events: FeedEvent[]): void {
    this.eventInbox.push({ id, events });
    this.received++;
    this.kick();
  }

  flush(): Promise<void> {
    if (this.processed >= this.received) {
      this.json?.fsyncAll();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.flushWaiters.push({ target: this.received, resolve }));
  }

  replay(path: string): Promise<ReplayResult> {
    return new Promise((resolve, reject) => {
      this.replays.push({ path, resolve, reject });
      this.kick();
    });
  }

  rotate(todayIndex: number, openToday: boolean): RotateResult {
    let closedDay: number | null = null;
    for (const day of this.pool.openDays) {
      if (day >= todayIndex) continue;
      this.closeDay(day);
      if (day === this.currentDay) closedDay = day;
    }
    this.json.closeBefore(todayIndex);
    if (todayIndex > this.currentDay) {
      this.currentDay = todayIndex;
      // In json-only mode no day file is wanted until SQLite is switched back on.
      if (openToday) this.openAhead(todayIndex);
    }
    // Listed here, in the worker: the engine's thread never reads folders.
    return { closedDay, oldestDay: listDayFiles(this.settings.sqliteDir)[0]?.day ?? null };
  }

  deleteDays(days: number[], jsonBeforeDay: number | null): DeletedDay[] {
    // Whatever the caller's clock says, the day written to now stays: its ticks keep coming.
    const past = days.filter((d) => d < this.currentDay);
    // Past days' JSON files are closed (they reopen on a late tick), so none is written unlinked.
    this.json.closeBefore(this.currentDay);
    const deleted = deleteDays(this.settings.sqliteDir, this.settings.jsonDir, past, (d) => this.closeDay(d));
    if (jsonBeforeDay !== null)
      deleteJsonBefore(this.settings.jsonDir, Math.min(jsonBeforeDay, this.currentDay));
    return deleted;
  }

  /**
   * Opens (and checks) a day's file before its first tick: a damaged file is found at start or
   * at midnight, not at the first tick, and that tick does not pay for creating the file.
   */
  private openAhead(day: number): void {
    try {
      this.pool.get(day);
    } catch (e) {
      this.emit('writeError', { message: describe(e), attempt: 1, willRetry: true });
    }
  }

  swapArchive(p: PreparedArchive): SwapOutcome {
    // Today's file is still being written: only closed days are ever compacted.
    if (p.day >= this.currentDay) {
      fs.rmSync(p.tmpPath, { force: true });
      return 'changed';
    }
    this.closeDay(p.day);
    return swapInArchive(p);
  }

  reportDisk() {
    return this.disk.measure(false);
  }

  async stop(): Promise<{ problems: string[] }> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    const problems: string[] = [];
    try {
      while (this.running || this.scheduled) await (this.running ?? new Promise((r) => setImmediate(r)));
    } catch (e) {
      problems.push(describe(e));
    }
    problems.push(...this.pool.closeAll());
    try {
      this.json.fsyncAll();
      this.json.closeBefore(null);
    } catch (e) {
      problems.push(`closing the JSON files: ${describe(e)}`);
    }
    return { problems };
  }

  // ---- the pass loop --------------------------------------------------------------------------

  private scheduled = false;

  /**
   * Starts the pass loop after the messages already waiting have been taken in (setImmediate
   * runs after the port's queued messages), so under load one pass takes everything queued.
   */
  private kick(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.running) return;
      this.running = this.run().finally(() => {
        this.running = null;
        if (this.inbox.length > 0 || this.eventInbox.length > 0 || this.replays.length > 0) this.kick();
      });
    });
  }

  private async run(): Promise<void> {
    // Live ticks (and feed events) first; a journal segment is replayed only when no pass is waiting.
    while (this.inbox.length > 0 || this.eventInbox.length > 0 || this.replays.length > 0) {
      if (this.inbox.length > 0 || this.eventInbox.length > 0) {
        const items = this.inbox.length > 0 ? this.takePass() : [];
        const events = this.eventInbox.splice(0);
        if (items.length > 0) await this.pass(items);
        if (events.length > 0) await this.writeFeedEvents(events);
        this.processed += items.length + events.length;
        this.pool.closeIdle(this.currentDay);
        this.answerFlushes();
      } else {
        const job = this.replays.shift()!;
        await this.replayOne(job.path).then(job.resolve, job.reject);
        this.pool.closeIdle(this.currentDay);
      }
    }
  }

  private takePass(): Submitted[] {
    let ticks = 0;
    let k = 0;
    while (k < this.inbox.length && (k === 0 || ticks + this.inbox[k].batch.n <= MAX_PASS_TICKS)) {
      ticks += this.inbox[k].batch.n;
      k++;
    }
    return this.inbox.splice(0, k);
  }

  private answerFlushes(): void {
    if (this.flushWaiters.length === 0) return;
    const keep: typeof this.flushWaiters = [];
    const due: (() => void)[] = [];
    for (const w of this.flushWaiters) {
      if (w.target <= this.processed) due.push(w.resolve);
      else keep.push(w);
    }
    this.flushWaiters = keep;
    if (due.length === 0) return;
    try {
      this.json.fsyncAll();
    } catch (e) {
      this.emit('writeError', {
        message: `syncing the JSON files: ${describe(e)}`,
        attempt: 1,
        willRetry: false,
      });
    }
    for (const r of due) r();
  }

  private async pass(items: Submitted[]): Promise<void> {
    const t0 = performance.now();
    const shares = new Map<number, Shares>();
    for (const it of items) shares.set(it.id, { counted: 0, moved: 0 });
    const totals = { written: 0, duplicates: 0, jsonWritten: 0, jsonOnlyWritten: 0, ticks: 0 };
    // Items of the same sinks are merged so each symbol's ticks go in long multi-row inserts.
    const bySinks = new Map<number, Submitted[]>();
    for (const it of items) {
      totals.ticks += it.batch.n;
      let list = bySinks.get(it.sinks);
      if (!list) bySinks.set(it.sinks, (list = []));
      list.push(it);
    }
    for (const [sinks, list] of bySinks) {
      const merged = mergeBatches(list.map((l) => l.batch));
      const days = groupByDay(merged);
      const owners = days.length > 1 ? ownerOfRows(list) : null;
      for (const g of days) {
        const o = await this.writeGroup(merged, g.day, g.idx, sinks, totals);
        if (owners === null) {
          for (const it of list) addShares(shares.get(it.id)!, o, it.batch.n);
        } else {
          const per = new Map<number, number>();
          for (let k = 0; k < g.idx.length; k++) {
            const id = owners[g.idx[k]];
            per.set(id, (per.get(id) ?? 0) + 1);
          }
          for (const [id, n] of per) addShares(shares.get(id)!, o, n);
        }
      }
    }
    const flat: number[] = [];
    for (const [id, s] of shares) flat.push(id, s.counted, s.moved);
    this.emit('pass', { items: flat, ...totals, ms: performance.now() - t0 });
  }

  /**
   * The pass's gap-ledger entries, each day's in one transaction with the usual retries, into
   * the SQLite day file whatever the backend. One report per message, with what failed.
   */
  private async writeFeedEvents(messages: { id: number; events: FeedEvent[] }[]): Promise<void> {
    const byDay = new Map<number, { msg: number; e: FeedEvent }[]>();
    for (const m of messages) {
      for (const e of m.events) {
        const day = utcDayIndex(e.tsUs);
        let list = byDay.get(day);
        if (!list) byDay.set(day, (list = []));
        list.push({ msg: m.id, e });
      }
    }
    const failed = new Map<number, FeedEvent[]>();
    let message: string | null = null;
    for (const [day, list] of [...byDay].sort((a, b) => a[0] - b[0])) {
      const r = await this.withRetries(() => {
        this.checkFile(day);
        const f = this.pool.get(day);
        try {
          return f.transaction(() => f.insertFeedEvents(list.map((x) => x.e)));
        } catch (e) {
          this.pool.drop(day);
          throw e;
        }
      });
      if (r.ok) continue;
      message = r.message;
      for (const { msg, e } of list) {
        let l = failed.get(msg);
        if (!l) failed.set(msg, (l = []));
        l.push(e);
      }
    }
    for (const m of messages) {
      const f = failed.get(m.id) ?? [];
      this.emit('feedEvents', {
        id: m.id,
        written: m.events.length - f.length,
        failed: f,
        message: f.length > 0 ? message : null,
      });
    }
  }

  /**
   * Writes one day's rows to their sinks. Returns whether the rows' outcome was counted here
   * (their first sink took them) and whether they moved, uncounted, into a parked part.
   */
  private async writeGroup(
    batch: ColumnBatch,
    day: number,
    idx: Int32Array,
    sinks: number,
    totals: { written: number; duplicates: number; jsonWritten: number; jsonOnlyWritten: number },
  ): Promise<{ counted: boolean; moved: boolean }> {
    const already = (sinks & FLAG_COUNTED) !== 0;
    let sqlOk = true;
    let jsonOk = true;
    let message = '';
    if (sinks & SINK_SQLITE) {
      const r = await this.withRetries(() => this.insertDay(day, batch, idx));
      if (r.ok) {
        totals.written += r.value.inserted;
        totals.duplicates += r.value.duplicates;
        this.writtenTo.set(day, (this.writtenTo.get(day) ?? 0) + r.value.inserted);
        this.recent.add(day, batch, idx);
      } else {
        sqlOk = false;
        message = r.message;
      }
    }
    if (sinks & SINK_JSON) {
      const r = await this.withRetries(() => this.appendJson(day, batch, idx));
      if (r.ok) {
        totals.jsonWritten += idx.length;
        if (!(sinks & SINK_SQLITE) && !already) totals.jsonOnlyWritten += idx.length;
      } else {
        jsonOk = false;
        message ||= r.message;
      }
    }
    const counted = !already && ((sinks & SINK_SQLITE) !== 0 ? sqlOk : jsonOk);
    const remaining =
      ((sinks & SINK_SQLITE) !== 0 && !sqlOk ? SINK_SQLITE : 0) |
      ((sinks & SINK_JSON) !== 0 && !jsonOk ? SINK_JSON : 0);
    if (remaining !== 0) {
      const flag = already || counted ? FLAG_COUNTED : 0;
      this.emit('parked', { part: selectRows(batch, idx, true), sinks: remaining | flag, message });
    }
    return { counted, moved: remaining !== 0 && !already && !counted };
  }

  private async withRetries<T>(
    fn: () => T,
  ): Promise<{ ok: true; value: T } | { ok: false; message: string }> {
    const { maxRetries, retryBaseMs } = this.settings;
    for (let attempt = 0; ; attempt++) {
      try {
        return { ok: true, value: fn() };
      } catch (e) {
        const willRetry = attempt < maxRetries && !this.stopped;
        const message = describe(e);
        this.emit('writeError', { message, attempt: attempt + 1, willRetry });
        if (!willRetry) return { ok: false, message };
        await sleep(retryBaseMs * 2 ** attempt);
      }
    }
  }

  private insertDay(
    day: number,
    batch: ColumnBatch,
    idx: Int32Array,
  ): { inserted: number; duplicates: number } {
    this.checkFile(day);
    const f = this.pool.get(day);
    try {
      return this.insertInto(f, batch, idx, (id) => this.symbolName(id), this.sourceNames());
    } catch (e) {
      // The rollback may have undone dictionary rows the file object cached: reopen it next time.
      this.pool.drop(day);
      throw e;
    }
  }

  private insertInto(
    f: DayFile,
    batch: ColumnBatch,
    idx: Int32Array,
    symName: (id: number) => string,
    srcNames: readonly string[],
  ): { inserted: number; duplicates: number } {
    const groups = groupBySymbol(batch, idx);
    return f.transaction(() => {
      let inserted = 0;
      let duplicates = 0;
      for (const g of groups) {
        const r = f.insertSymbol(symName(g.sym), batch, srcNames, g.order, g.from, g.to);
        inserted += r.inserted;
        duplicates += r.duplicates;
      }
      return { inserted, duplicates };
    });
  }

  /** Inserts a batch whose ids index its own name lists (salvage): returns ticks inserted. */
  private insertForeign(f: DayFile, batch: ColumnBatch, symNames: string[], srcNames: string[]): number {
    const symIds = symNames.map((n) => this.localSymbolId(n));
    const srcIds = srcNames.map((n) => this.localSourceId(n));
    for (let i = 0; i < batch.n; i++) {
      batch.sym[i] = symIds[batch.sym[i]];
      batch.src[i] = srcIds[batch.src[i]];
    }
    const idx = Int32Array.from({ length: batch.n }, (_, i) => i);
    return this.insertInto(f, batch, idx, (id) => this.symbolName(id), this.sourceNames()).inserted;
  }

  private appendJson(day: number, batch: ColumnBatch, idx: Int32Array): boolean {
    const bySym = new Map<number, string[]>();
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k];
      let items = bySym.get(batch.sym[i]);
      if (!items) bySym.set(batch.sym[i], (items = []));
      const sym = this.symbolName(batch.sym[i]);
      items.push(
        legacyJsonItem(sym, batch.bid[i], batch.ask[i], batch.tsUs[i], this.srcNames.get(batch.src[i]) ?? ''),
      );
    }
    for (const [sym, items] of bySym) this.json.append(this.symbolName(sym), day, items);
    return true;
  }

  // ---- day files that vanish ------------------------------------------------------------------

  private checkFiles(): void {
    if (this.stopped) return;
    for (const day of this.pool.openDays) {
      try {
        this.checkFile(day);
      } catch (e) {
        this.emit('writeError', { message: describe(e), attempt: 1, willRetry: true });
      }
    }
  }

  /** Before each commit and every few seconds: the open file must still be the one on disk. */
  private checkFile(day: number): void {
    const loss = this.pool.ensurePresent(day);
    if (!loss) return;
    const f = this.pool.get(day);
    let rewritten = 0;
    for (const { batch, idx } of this.recent.of(day)) {
      rewritten += this.insertInto(f, batch, idx, (id) => this.symbolName(id), this.sourceNames()).inserted;
    }
    const ours = this.writtenTo.get(day) ?? 0;
    const lost = Math.max(0, ours - rewritten);
    this.writtenTo.set(day, rewritten);
    this.emit('fileLost', { day, path: f.path, kind: loss.kind, heldTicks: loss.heldTicks, lost, rewritten });
    const earlier = Math.max(0, loss.heldTicks - ours);
    this.emit('incident', {
      severity: 'critical',
      message:
        `day file ${f.path} ${loss.kind === 'vanished' ? 'was deleted' : 'was replaced by another file'} while recording; ` +
        `it held ${loss.heldTicks} ticks. A new file takes its place: ${rewritten} ticks of this run were re-written from memory, ` +
        `${lost} of this run and ${earlier} from earlier runs are not in it`,
    });
  }

  private closeDay(day: number): void {
    this.pool.close(day);
    this.recent.forget(day);
    this.writtenTo.delete(day);
  }

  // ---- journal replay -------------------------------------------------------------------------

  private replayOne(path: string): Promise<ReplayResult> {
    return replaySegment(path, {
      symbolId: (n) => this.localSymbolId(n),
      sourceId: (n) => this.localSourceId(n),
      sqlite: (day, batch, idx) => this.withRetries(() => this.insertDay(day, batch, idx)),
      json: (day, batch, idx) => this.withRetries(() => this.appendJson(day, batch, idx)),
    });
  }

  // ---- names ----------------------------------------------------------------------------------

  private defineSymbol(id: number, name: string): void {
    this.symNames.set(id, name);
    this.symIdsByName.set(name, id);
  }

  private defineSource(id: number, name: string): void {
    this.srcNames.set(id, name);
    this.srcIdsByName.set(name, id);
    this.srcArray = [];
  }

  private sourceNames(): string[] {
    if (this.srcArray.length === 0 && this.srcNames.size > 0) {
      // Sparse by design: ids are indexes, holes stay undefined.
      const arr: string[] = [];
      for (const [id, name] of this.srcNames) arr[id] = name;
      this.srcArray = arr;
    }
    return this.srcArray;
  }

  private symbolName(id: number): string {
    const n = this.symNames.get(id);
    if (n === undefined) throw new Error(`writer: symbol id ${id} has no name (dictionary message missing)`);
    return n;
  }

  private localSymbolId(name: string): number {
    let id = this.symIdsByName.get(name);
    if (id === undefined) this.defineSymbol((id = this.nextLocalId++), name);
    return id;
  }

  private localSourceId(name: string): number {
    let id = this.srcIdsByName.get(name);
    if (id === undefined) this.defineSource((id = this.nextLocalId++), name);
    return id;
  }
}

function addShares(s: Shares, o: { counted: boolean; moved: boolean }, n: number): void {
  if (o.counted) s.counted += n;
  if (o.moved) s.moved += n;
}

/** For each row of the merged batch, the id of the item it came from. */
function ownerOfRows(list: Submitted[]): Float64Array {
  let n = 0;
  for (const l of list) n += l.batch.n;
  const owners = new Float64Array(n);
  let o = 0;
  for (const l of list) {
    owners.fill(l.id, o, o + l.batch.n);
    o += l.batch.n;
  }
  return owners;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
