// The writer's logic, independent of the worker plumbing: merges everything queued into one pass,
// groups it by UTC day and symbol, commits each day in one transaction with retries and backoff,
// spills what still fails to the journal, and replays journal segments when it can.
import fs from 'node:fs';
import path from 'node:path';
import { dayKeyToIndex, utcDayIndex } from '../../../shared/time.ts';
import type { ColumnBatch } from '../storage/columnBatch.ts';
import { allocateColumnBatch } from '../storage/columnBatch.ts';
import { DayFile } from '../storage/dayFile.ts';
import { dayFilePath } from '../storage/dayPath.ts';
import { listDayFiles } from '../storage/dayFileCatalog.ts';
import { JsonDayFiles, legacyJsonItem } from '../storage/jsonDayFiles.ts';
import {
  SINK_JSON,
  SINK_SQLITE,
  decodeSpillJournal,
  encodeSpillRecord,
  listSpillSegments,
  writeSealedSegment,
} from '../storage/spillJournal.ts';
import type { FromWriter, ToWriter, WriterSettings } from './protocol.ts';

interface Queued {
  seq: number;
  sinks: number;
  batch: ColumnBatch;
}

interface Marker {
  kind: 'flush' | 'stop';
  id: number;
  afterSeq: number;
}

interface PassOutcome {
  written: number;
  duplicates: number;
  jsonWritten: number;
  spilled: number;
}

const MAX_OPEN_DAY_FILES = 4;
const REPLAY_BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];

export class TickWriter {
  private settings!: WriterSettings;
  private readonly post: (m: FromWriter) => void;
  private readonly files = new Map<number, DayFile>();
  private json!: JsonDayFiles;
  private readonly symNames = new Map<number, string>();
  private readonly srcNames = new Map<number, string>();
  private readonly symIdsByName = new Map<string, number>();
  private readonly srcIdsByName = new Map<string, number>();
  private nextLocalId = 0x8000_0000;
  private inbox: Queued[] = [];
  private markers: Marker[] = [];
  private replayQueue: string[] = [];
  private replayAttempts = 0;
  private replayTimer: NodeJS.Timeout | null = null;
  private lastSeq = 0;
  private running = false;
  private scheduled = false;
  private currentDay = 0;
  private stopped = false;
  private diskTimer: NodeJS.Timeout | null = null;

  constructor(post: (m: FromWriter) => void) {
    this.post = post;
  }

  receive(msg: ToWriter): void {
    switch (msg.type) {
      case 'init':
        this.init(msg.settings, msg.todayIndex);
        return;
      case 'dict':
        for (const [id, name] of msg.symbols) this.defineSymbol(id, name);
        for (const [id, name] of msg.sources) this.defineSource(id, name);
        return;
      case 'batch':
        this.inbox.push({ seq: msg.seq, sinks: msg.sinks, batch: msg.batch });
        break;
      case 'replay':
        this.replayQueue.push(...msg.paths);
        break;
      case 'flush':
        this.markers.push({ kind: 'flush', id: msg.id, afterSeq: this.lastReceivedSeq() });
        break;
      case 'stop':
        this.markers.push({ kind: 'stop', id: msg.id, afterSeq: this.lastReceivedSeq() });
        break;
      case 'rotate':
        this.rotate(msg.todayIndex, msg.openToday);
        if (msg.retentionDays !== null) this.applyRetention(msg.todayIndex - msg.retentionDays);
        return;
    }
    this.schedule();
  }

  private lastReceivedSeq(): number {
    return this.inbox.length ? this.inbox[this.inbox.length - 1].seq : this.lastSeq;
  }

  private defineSymbol(id: number, name: string): void {
    this.symNames.set(id, name);
    this.symIdsByName.set(name, id);
  }

  private defineSource(id: number, name: string): void {
    this.srcNames.set(id, name);
    this.srcIdsByName.set(name, id);
  }

  private init(settings: WriterSettings, todayIndex: number): void {
    this.settings = settings;
    this.json = new JsonDayFiles(settings.jsonDir);
    this.currentDay = todayIndex;
    fs.mkdirSync(settings.sqliteDir, { recursive: true });
    // Segments left by an earlier run (a crash, or spill not yet replayed) go first.
    const leftover = listSpillSegments(settings.spillDir);
    let replayed = 0;
    let pendingSpillTicks = 0;
    for (const p of leftover) {
      const r = this.replaySegmentSync(p);
      if (r) replayed += r.written + r.duplicates;
      else {
        this.replayQueue.push(p);
        pendingSpillTicks += segmentTicks(p);
      }
    }
    this.post({ type: 'ready', replayed, pendingSpillTicks });
    if (this.replayQueue.length) this.scheduleReplayRetry();
    this.reportDisk(true);
    let reports = 0;
    // Day files (one a day) and the journal every 5 s; the legacy JSON tree (a file per symbol and
    // day: tens of thousands after a year) only every minute, so its walk rarely delays a pass.
    this.diskTimer = setInterval(() => this.reportDisk(++reports % 12 === 0), 5_000);
    this.diskTimer.unref();
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.inbox.length > 0 || (this.replayQueue.length > 0 && this.replayTimer === null)) {
        if (this.inbox.length > 0) {
          const batches = this.inbox;
          this.inbox = [];
          await this.writeLive(batches);
          this.closeIdleDays();
          this.ackMarkers();
        } else {
          await this.replayNext();
          this.closeIdleDays();
        }
      }
      this.ackMarkers();
    } catch (e) {
      this.post({ type: 'fatal', message: (e as Error).stack ?? String(e) });
    } finally {
      this.running = false;
    }
    if (this.inbox.length > 0) this.schedule();
  }

  private ackMarkers(): void {
    const keep: Marker[] = [];
    for (const m of this.markers) {
      if (m.afterSeq > this.lastSeq) {
        keep.push(m);
        continue;
      }
      if (m.kind === 'flush') {
        this.json?.fsyncAll();
        this.post({ type: 'flushed', id: m.id });
      } else {
        this.shutdown();
        this.post({ type: 'stopped', id: m.id });
      }
    }
    this.markers = keep;
  }

  private async writeLive(batches: Queued[]): Promise<void> {
    const t0 = performance.now();
    let released = 0;
    const total: PassOutcome = { written: 0, duplicates: 0, jsonWritten: 0, spilled: 0 };
    // Batches of the same sinks are merged so each symbol's ticks go in long multi-row inserts.
    const bySinks = new Map<number, ColumnBatch[]>();
    for (const q of batches) {
      released += q.batch.n;
      this.lastSeq = q.seq;
      let list = bySinks.get(q.sinks);
      if (!list) bySinks.set(q.sinks, (list = []));
      list.push(q.batch);
    }
    for (const [sinks, list] of bySinks) {
      const merged = mergeBatches(list);
      const r = await this.writeMerged(merged, sinks, 'failed');
      total.written += r.written;
      total.duplicates += r.duplicates;
      total.jsonWritten += r.jsonWritten;
      total.spilled += r.spilled;
    }
    this.post({
      type: 'written',
      released,
      written: total.written,
      duplicates: total.duplicates,
      jsonWritten: total.jsonWritten,
      ms: performance.now() - t0,
      batchTicks: released,
    });
  }

  /** Writes one merged batch to its sinks; what fails after the retries is spilled. */
  private async writeMerged(batch: ColumnBatch, sinks: number, spillPrefix: string): Promise<PassOutcome> {
    const out: PassOutcome = { written: 0, duplicates: 0, jsonWritten: 0, spilled: 0 };
    for (const g of groupByDay(batch)) {
      if (sinks & SINK_SQLITE) {
        const r = await this.withRetries(() => this.insertDay(g.day, batch, g.idx));
        if (r) {
          out.written += r.inserted;
          out.duplicates += r.duplicates;
        } else {
          out.spilled += this.spill(batch, g.idx, SINK_SQLITE, spillPrefix);
        }
      }
      if (sinks & SINK_JSON) {
        const ok = await this.withRetries(() => this.appendJson(g.day, batch, g.idx));
        if (ok) out.jsonWritten += g.idx.length;
        else out.spilled += this.spill(batch, g.idx, SINK_JSON, spillPrefix);
      }
    }
    return out;
  }

  private async withRetries<T>(fn: () => T): Promise<T | null> {
    const { maxRetries, retryBaseMs } = this.settings;
    for (let attempt = 0; ; attempt++) {
      try {
        return fn();
      } catch (e) {
        const willRetry = attempt < maxRetries;
        this.post({ type: 'write_error', message: describeError(e), attempt: attempt + 1, willRetry });
        if (!willRetry) return null;
        await sleep(retryBaseMs * 2 ** attempt);
      }
    }
  }

  private dayFile(day: number): DayFile {
    let f = this.files.get(day);
    if (f) {
      // Keep the map in least-recently-written order for closeIdleDays.
      this.files.delete(day);
    } else {
      f = new DayFile(dayFilePath(this.settings.sqliteDir, day), day, this.settings.busyTimeoutMs);
    }
    this.files.set(day, f);
    return f;
  }

  /**
   * Each open day file holds a cache and a memory map; an import spanning years would otherwise
   * keep every day it touched open. Past days beyond a few are closed (checkpointed) and simply
   * reopened if more late ticks come.
   */
  private closeIdleDays(): void {
    for (const [day, f] of this.files) {
      if (this.files.size <= MAX_OPEN_DAY_FILES) return;
      if (day === this.currentDay) continue;
      this.closeDay(day, f);
    }
  }

  /** Checkpoints and closes a day file; a failure is reported, never thrown at the caller. */
  private closeDay(day: number, f: DayFile): void {
    this.files.delete(day);
    try {
      f.close();
    } catch (e) {
      this.post({
        type: 'write_error',
        message: `closing ${f.path}: ${describeError(e)}`,
        attempt: 1,
        willRetry: false,
      });
    }
  }

  private insertDay(
    day: number,
    batch: ColumnBatch,
    idx: Int32Array,
  ): { inserted: number; duplicates: number } {
    const f = this.dayFile(day);
    const groups = groupBySymbol(batch, idx);
    const srcNames = this.srcNameArray();
    try {
      return this.insertGroups(f, batch, groups, srcNames);
    } catch (e) {
      // The rollback may have undone dictionary rows the file object cached: reopen it next time.
      this.files.delete(day);
      try {
        f.close();
      } catch {
        // already broken; the error that matters is e
      }
      throw e;
    }
  }

  private insertGroups(
    f: DayFile,
    batch: ColumnBatch,
    groups: ReturnType<typeof groupBySymbol>,
    srcNames: string[],
  ): { inserted: number; duplicates: number } {
    return f.transaction(() => {
      let inserted = 0;
      let duplicates = 0;
      for (const g of groups) {
        const r = f.insertSymbol(this.symbolName(g.sym), batch, srcNames, g.order, g.from, g.to);
        inserted += r.inserted;
        duplicates += r.duplicates;
      }
      return { inserted, duplicates };
    });
  }

  private srcArrayCache: string[] = [];
  private srcNameArray(): string[] {
    if (this.srcArrayCache.length !== this.srcNames.size) {
      // Sparse by design: ids are indexes, holes stay undefined.
      const arr: string[] = [];
      for (const [id, name] of this.srcNames) arr[id] = name;
      this.srcArrayCache = arr;
    }
    return this.srcArrayCache;
  }

  private symbolName(id: number): string {
    const n = this.symNames.get(id);
    if (n === undefined) throw new Error(`writer: symbol id ${id} has no name (dictionary message missing)`);
    return n;
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

  private spill(batch: ColumnBatch, idx: Int32Array, sinks: number, prefix: string): number {
    const part = selectRows(batch, idx);
    const rec = encodeSpillRecord(
      part,
      (id) => this.symbolName(id),
      (id) => this.srcNames.get(id) ?? '',
      sinks,
    );
    try {
      const p = writeSealedSegment(this.settings.spillDir, prefix, [rec]);
      this.post({ type: 'spilled', ticks: part.n, path: p });
      this.replayQueue.push(p);
      this.scheduleReplayRetry();
    } catch (e) {
      // Neither SQLite nor the journal can take it: say so loudly; the ticks are counted as lost.
      this.post({
        type: 'fatal',
        message: `spill journal write failed, ${part.n} ticks lost: ${describeError(e)}`,
      });
    }
    return part.n;
  }

  private scheduleReplayRetry(): void {
    if (this.replayTimer) return;
    const delay = REPLAY_BACKOFF_MS[Math.min(this.replayAttempts, REPLAY_BACKOFF_MS.length - 1)];
    this.replayTimer = setTimeout(() => {
      this.replayTimer = null;
      this.schedule();
    }, delay);
    this.replayTimer.unref();
  }

  private async replayNext(): Promise<void> {
    const p = this.replayQueue.shift();
    if (p === undefined) return;
    const r = this.replaySegmentSync(p);
    if (r) {
      this.replayAttempts = 0;
      this.post({ type: 'replayed', ticks: r.ticks, written: r.written, duplicates: r.duplicates, path: p });
    } else {
      this.replayQueue.unshift(p);
      this.replayAttempts++;
      this.scheduleReplayRetry();
    }
  }

  /** Replays one segment into its sinks; deletes it only when every record is in. */
  private replaySegmentSync(p: string): { ticks: number; written: number; duplicates: number } | null {
    let ticks = 0;
    let written = 0;
    let duplicates = 0;
    try {
      const { records, tornBytes } = decodeSpillJournal(fs.readFileSync(p));
      if (tornBytes > 0) {
        this.post({
          type: 'replay_failed',
          path: p,
          message: `${tornBytes} bytes at the end were torn by a crash and skipped`,
        });
      }
      for (const rec of records) {
        const batch = rec.batch;
        // Map the record's own name tables onto this writer's ids.
        const symIds = rec.symNames.map((n) => this.localSymbolId(n));
        const srcIds = rec.srcNames.map((n) => this.localSourceId(n));
        for (let i = 0; i < batch.n; i++) {
          batch.sym[i] = symIds[batch.sym[i]];
          batch.src[i] = srcIds[batch.src[i]];
        }
        for (const g of groupByDay(batch)) {
          if (rec.sinks & SINK_SQLITE) {
            const r = this.insertDay(g.day, batch, g.idx);
            written += r.inserted;
            duplicates += r.duplicates;
          }
          if (rec.sinks & SINK_JSON) this.appendJson(g.day, batch, g.idx);
        }
        ticks += batch.n;
      }
      fs.rmSync(p, { force: true });
      return { ticks, written, duplicates };
    } catch (e) {
      this.post({ type: 'replay_failed', path: p, message: describeError(e) });
      return null;
    }
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

  private rotate(todayIndex: number, openToday: boolean): void {
    if (!this.settings) return;
    for (const [day, f] of this.files) {
      if (day >= todayIndex) continue;
      this.closeDay(day, f);
      if (day === this.currentDay) this.post({ type: 'rotated', closedDay: day });
    }
    this.json.closeBefore(todayIndex);
    if (todayIndex > this.currentDay) {
      this.currentDay = todayIndex;
      // In json-only mode no day file is wanted until SQLite is switched back on.
      if (!openToday) return;
      // Create today's file now so the first tick after midnight does not pay for it.
      try {
        this.dayFile(todayIndex);
      } catch (e) {
        this.post({ type: 'write_error', message: describeError(e), attempt: 1, willRetry: true });
      }
    }
  }

  /** Deletes day files (and legacy JSON files) of days before `firstKeptDay`. */
  private applyRetention(firstKeptDay: number): void {
    const deleted: number[] = [];
    for (const ref of listDayFiles(this.settings.sqliteDir)) {
      if (ref.day >= firstKeptDay) break;
      this.files.get(ref.day)?.close();
      this.files.delete(ref.day);
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(ref.path + suffix, { force: true });
      deleted.push(ref.day);
    }
    for (const symDir of safeList(this.settings.jsonDir)) {
      for (const f of safeList(path.join(this.settings.jsonDir, symDir))) {
        const day = dayKeyToIndex(f.replace(/\.json$/, ''));
        if (day !== null && day < firstKeptDay)
          fs.rmSync(path.join(this.settings.jsonDir, symDir, f), { force: true });
      }
    }
    if (deleted.length) this.post({ type: 'retention', deletedDays: deleted });
  }

  private jsonBytes = 0;

  private reportDisk(walkJson: boolean): void {
    const s = this.settings;
    if (walkJson) this.jsonBytes = dirBytes(s.jsonDir);
    const spillBytes = dirBytes(s.spillDir);
    let free: number | null;
    try {
      const st = fs.statfsSync(s.sqliteDir);
      free = st.bavail * st.bsize;
    } catch {
      free = null;
    }
    this.post({
      type: 'disk',
      bytes: dirBytes(s.sqliteDir) + this.jsonBytes + spillBytes,
      spillBytes,
      freeBytes: free,
    });
  }

  private shutdown(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.diskTimer) clearInterval(this.diskTimer);
    if (this.replayTimer) clearTimeout(this.replayTimer);
    for (const f of this.files.values()) f.close();
    this.files.clear();
    this.json?.fsyncAll();
    this.json?.closeBefore(null);
  }
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function segmentTicks(p: string): number {
  try {
    return decodeSpillJournal(fs.readFileSync(p)).records.reduce((n, r) => n + r.batch.n, 0);
  } catch {
    return 0;
  }
}

function dirBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!e.isFile()) continue;
    try {
      total += fs.statSync(path.join(e.parentPath, e.name)).size;
    } catch {
      // removed while walking
    }
  }
  return total;
}

function describeError(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return err?.code ? `${err.code}: ${err.message}` : (err?.message ?? String(e));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function mergeBatches(list: ColumnBatch[]): ColumnBatch {
  if (list.length === 1) return list[0];
  let n = 0;
  for (const b of list) n += b.n;
  const out = allocateColumnBatch(n);
  let o = 0;
  for (const b of list) {
    const k = b.n;
    out.tsUs.set(b.tsUs.subarray(0, k), o);
    out.recvUs.set(b.recvUs.subarray(0, k), o);
    out.bid.set(b.bid.subarray(0, k), o);
    out.ask.set(b.ask.subarray(0, k), o);
    out.bidSize.set(b.bidSize.subarray(0, k), o);
    out.askSize.set(b.askSize.subarray(0, k), o);
    out.sym.set(b.sym.subarray(0, k), o);
    out.src.set(b.src.subarray(0, k), o);
    o += k;
  }
  out.n = n;
  return out;
}

function selectRows(b: ColumnBatch, idx: Int32Array): ColumnBatch {
  const out = allocateColumnBatch(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    out.tsUs[k] = b.tsUs[i];
    out.recvUs[k] = b.recvUs[i];
    out.bid[k] = b.bid[i];
    out.ask[k] = b.ask[i];
    out.bidSize[k] = b.bidSize[i];
    out.askSize[k] = b.askSize[i];
    out.sym[k] = b.sym[i];
    out.src[k] = b.src[i];
  }
  out.n = idx.length;
  return out;
}

/** Tick indexes per UTC day of each tick's own timestamp (late ticks go to their own day). */
export function groupByDay(b: ColumnBatch): { day: number; idx: Int32Array }[] {
  const n = b.n;
  if (n === 0) return [];
  const first = utcDayIndex(b.tsUs[0]);
  let same = true;
  for (let i = 1; i < n; i++) {
    if (utcDayIndex(b.tsUs[i]) !== first) {
      same = false;
      break;
    }
  }
  if (same) {
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    return [{ day: first, idx }];
  }
  const lists = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const d = utcDayIndex(b.tsUs[i]);
    let l = lists.get(d);
    if (!l) lists.set(d, (l = []));
    l.push(i);
  }
  return [...lists].sort((a, c) => a[0] - c[0]).map(([day, l]) => ({ day, idx: Int32Array.from(l) }));
}

/** Stable counting sort of idx by symbol: each symbol's ticks stay in arrival order. */
export function groupBySymbol(
  b: ColumnBatch,
  idx: Int32Array,
): { sym: number; order: Int32Array; from: number; to: number }[] {
  const counts = new Map<number, number>();
  for (let k = 0; k < idx.length; k++) {
    const s = b.sym[idx[k]];
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const start = new Map<number, number>();
  const groups: { sym: number; order: Int32Array; from: number; to: number }[] = [];
  const order = new Int32Array(idx.length);
  let off = 0;
  for (const [s, c] of counts) {
    start.set(s, off);
    groups.push({ sym: s, order, from: off, to: off + c });
    off += c;
  }
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const s = b.sym[i];
    const p = start.get(s)!;
    order[p] = i;
    start.set(s, p + 1);
  }
  return groups;
}
