// A writable day file: owns its connection, its dictionaries and its prepared statements, and
// inserts columnar ticks grouped by symbol. Used only inside the writer worker.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dayIndexToStartUs } from '../../../shared/time.ts';
import { makeDirsSync } from '../fs/makeDirs.ts';
import type { ColumnBatch } from './columnBatch.ts';
import { MAX_NUMBER_KEY_SYMBOL, keyBase, keyPlus, sqlKey } from './dayKey.ts';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import {
  configureConnection,
  ensureLiveTables,
  FEED_EVENT_COLUMNS,
  migrateDayFile,
  REBUILDS_TICKS_FROM,
  SCHEMA_VERSION,
} from './daySchema.ts';
import { isArchived } from '../archive/archiveMeta.ts';
import { ArchivedDuplicates } from './archivedDuplicates.ts';
import type { MinuteBar } from './minuteBar.ts';
import { barColumns, foldTick, newBar } from './minuteBar.ts';
import { chooseScale, chooseSizeScale, decodeAsk, decodeBid, encodeQuote, encodeSize } from './priceCodec.ts';

const US_PER_MIN = 60_000_000;
// k, src, b, s, u, r, bs, asz: the key columns first, as the record stores them.
const ROW_PARAMS = 8;
// Every chunk size has one prepared multi-row INSERT; a symbol's ticks go in the largest chunks
// that fit, so a pass makes few statement calls however the ticks are spread over symbols.
const CHUNKS = [256, 64, 16, 4, 1] as const;

interface SymbolEntry {
  id: number;
  scale: number;
  sizeScale: number;
  /** 1 at each file source id already in symbol_sources for this symbol. */
  sources: number[];
}

export interface GroupResult {
  inserted: number;
  duplicates: number;
}

/** Which file on disk a connection writes to: a file deleted or replaced under us changes it. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

export type FilePresence = 'present' | 'vanished' | 'replaced';

export class DayFile {
  readonly path: string;
  readonly dayIndex: number;
  readonly dayStartUs: number;
  /** Ticks in the file when it was opened plus those inserted since. */
  totalTicks = 0;
  /** The version the file had before it was opened (0: created now). */
  readonly previousVersion: number;
  private readonly identity: FileIdentity;
  private readonly db: Database.Database;
  private readonly symbols = new Map<string, SymbolEntry>();
  private readonly sources = new Map<string, number>();
  /**
   * The writer's source ids (stable for the writer's life) to this file's: one map for the file,
   * not one per symbol and pass (10,000 symbols made 10,000 maps a pass).
   */
  private readonly fileSource = new Map<number, number>();
  private readonly inserts = new Map<number, Database.Statement>();
  private readonly upsertBar: Database.Statement;
  private readonly updateSymbol: Database.Statement;
  private readonly addSymbolSource: Database.Statement;
  private readonly args = new Map<number, number[]>();
  private addFeedEvent: Database.Statement | null = null;
  /** Set for a day compacted into the archive tier: its blocks' keys, to skip re-sent ticks. */
  private readonly archived: ArchivedDuplicates | null;

  constructor(sqliteFile: string, dayIndex: number, busyTimeoutMs: number) {
    this.path = sqliteFile;
    this.dayIndex = dayIndex;
    this.dayStartUs = dayIndexToStartUs(dayIndex);
    makeDirsSync(path.dirname(sqliteFile));
    this.db = new Database(sqliteFile);
    try {
      configureConnection(this.db, false, busyTimeoutMs);
      this.previousVersion = migrateDayFile(this.db, sqliteFile, this.dayStartUs);
      // An archived day leaves out what only a writer needs; a late tick brings it back.
      ensureLiveTables(this.db);
      if (rebuiltTicks(this.previousVersion)) {
        // The migrations from v1 (into one table) and v2 (the new key column) copy the ticks
        // into a rebuilt table: the old pages are free, give them back.
        this.db.exec('VACUUM');
      }
      const st = fs.statSync(sqliteFile);
      this.identity = { dev: st.dev, ino: st.ino };
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.archived = isArchived(this.db) ? new ArchivedDuplicates(this.db) : null;
    for (const r of this.db.prepare('SELECT id, name, scale, size_scale, count FROM symbols').all() as {
      id: number;
      name: string;
      scale: number;
      size_scale: number;
      count: number;
    }[]) {
      this.symbols.set(r.name, { id: r.id, scale: r.scale, sizeScale: r.size_scale, sources: [] });
      this.totalTicks += r.count;
    }
    const byId = new Map([...this.symbols.values()].map((e) => [e.id, e]));
    for (const r of this.db.prepare('SELECT sym, src FROM symbol_sources').raw(true).all() as number[][]) {
      const e = byId.get(r[0]);
      if (e) e.sources[r[1]] = 1;
    }
    for (const r of this.db.prepare('SELECT id, name FROM sources').all() as { id: number; name: string }[]) {
      this.sources.set(r.name, r.id);
    }
    // Double-element arrays store numbers unboxed: no heap number per bound value, so the writer
    // makes almost no garbage (and its GC stops competing with the main thread for the cores).
    // NaN binds as NULL, which keeps "no size" from turning the array into boxed elements.
    for (const k of CHUNKS) {
      this.args.set(k, new Array<number>(k * ROW_PARAMS).fill(0.5));
      this.inserts.set(
        k,
        this.db.prepare(
          `INSERT OR IGNORE INTO q (k, src, b, s, u, r, bs, asz) VALUES ${Array(k).fill('(?,?,?,?,?,?,?,?)').join(',')}`,
        ),
      );
    }
    this.upsertBar = this.db.prepare(`INSERT INTO bars_1m VALUES (?,?,?,?,?, ?,?,?,?, ?,?,?,?, ?,?,?,?)
      ON CONFLICT (sym, m) DO UPDATE SET
        b_o = CASE WHEN excluded.t_first < t_first THEN excluded.b_o ELSE b_o END,
        a_o = CASE WHEN excluded.t_first < t_first THEN excluded.a_o ELSE a_o END,
        m_o = CASE WHEN excluded.t_first < t_first THEN excluded.m_o ELSE m_o END,
        b_c = CASE WHEN excluded.t_last >= t_last THEN excluded.b_c ELSE b_c END,
        a_c = CASE WHEN excluded.t_last >= t_last THEN excluded.a_c ELSE a_c END,
        m_c = CASE WHEN excluded.t_last >= t_last THEN excluded.m_c ELSE m_c END,
        b_h = max(b_h, excluded.b_h), b_l = min(b_l, excluded.b_l),
        a_h = max(a_h, excluded.a_h), a_l = min(a_l, excluded.a_l),
        m_h = max(m_h, excluded.m_h), m_l = min(m_l, excluded.m_l),
        n = n + excluded.n,
        t_first = min(t_first, excluded.t_first), t_last = max(t_last, excluded.t_last)`);
    // src_min/src_max (stored source values, wide-row flag included) let readers skip the source
    // column when a symbol has one source, as most do.
    this.updateSymbol = this.db.prepare(`UPDATE symbols SET count = count + ?,
      first_t = min(coalesce(first_t, ?), ?), last_t = max(coalesce(last_t, ?), ?),
      src_min = min(coalesce(src_min, ?), ?), src_max = max(coalesce(src_max, ?), ?) WHERE id = ?`);
    this.addSymbolSource = this.db.prepare('INSERT OR IGNORE INTO symbol_sources (sym, src) VALUES (?, ?)');
  }

  /** Whether the path still names the file this connection writes (a user or sync tool may delete it). */
  presence(): FilePresence {
    try {
      const st = fs.statSync(this.path);
      return st.dev === this.identity.dev && st.ino === this.identity.ino ? 'present' : 'replaced';
    } catch {
      return 'vanished';
    }
  }

  /** PRAGMA quick_check: null when the file is sound, else the first problem SQLite reports. */
  quickCheck(): string | null {
    const rows = this.db.prepare('PRAGMA quick_check(1)').pluck().all() as string[];
    if (rows.length === 1 && rows[0] === 'ok') return null;
    // One line for health and logs: SQLite's report starts with a banner line.
    const text = rows
      .join('; ')
      .replace(/\*\*\* in database \w+ \*\*\*\s*/g, '')
      .replace(/\s*\n\s*/g, '; ');
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  }

  /** Runs fn in one write transaction (BEGIN IMMEDIATE so a lock fails fast, not mid-way). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  private sourceId(name: string): number {
    let id = this.sources.get(name);
    if (id === undefined) {
      id = Number(this.db.prepare('INSERT INTO sources (name) VALUES (?)').run(name).lastInsertRowid);
      this.sources.set(name, id);
    }
    return id;
  }

  private symbolEntry(
    name: string,
    batch: ColumnBatch,
    idx: Int32Array,
    from: number,
    to: number,
  ): SymbolEntry {
    let e = this.symbols.get(name);
    if (e) return e;
    const scale = chooseScale(batch.bid, batch.ask, idx, from, to);
    const sizeScale = chooseSizeScale(batch.bidSize, batch.askSize, idx, from, to);
    const id = Number(
      this.db
        .prepare('INSERT INTO symbols (name, scale, size_scale) VALUES (?, ?, ?)')
        .run(name, scale, sizeScale).lastInsertRowid,
    );
    e = { id, scale, sizeScale, sources: [] };
    this.symbols.set(name, e);
    return e;
  }

  /** Records that the symbol has ticks of file source `fs` (call inside `transaction`). */
  private noteSource(e: SymbolEntry, fs: number): void {
    this.addSymbolSource.run(e.id, fs);
    e.sources[fs] = 1;
  }

  /**
   * Inserts ticks idx[from..to) of one symbol (call inside `transaction`). Ticks already in the
   * file (same time, source, bid, ask and update id) are ignored and reported as duplicates.
   */
  insertSymbol(
    symbol: string,
    batch: ColumnBatch,
    srcNames: readonly string[],
    idx: Int32Array,
    from: number,
    to: number,
  ): GroupResult {
    if (this.archived) {
      const kept = this.notInBlocks(symbol, batch, srcNames, idx, from, to);
      if (kept.length < to - from) {
        const r = kept.length > 0 ? this.insertRows(symbol, batch, srcNames, kept, 0, kept.length) : null;
        return { inserted: r?.inserted ?? 0, duplicates: (r?.duplicates ?? 0) + (to - from - kept.length) };
      }
    }
    return this.insertRows(symbol, batch, srcNames, idx, from, to);
  }

  /** idx[from..to) without the ticks an archived day already holds in its blocks. */
  private notInBlocks(
    symbol: string,
    batch: ColumnBatch,
    srcNames: readonly string[],
    idx: Int32Array,
    from: number,
    to: number,
  ): Int32Array {
    const e = this.symbols.get(symbol);
    if (!e) return idx.subarray(from, to);
    const row = [0, 0, 0];
    const kept: number[] = [];
    for (let j = from; j < to; j++) {
      const i = idx[j];
      let fs = this.fileSource.get(batch.src[i]);
      if (fs === undefined) fs = this.sources.get(srcNames[batch.src[i]]);
      if (fs === undefined) {
        kept.push(i); // a source the day never had: not in its blocks
        continue;
      }
      encodeQuote(row, 0, fs, batch.bid[i], batch.ask[i], e.scale);
      const u = batch.seq[i];
      if (
        !this.archived!.has(
          e.id,
          batch.tsUs[i] - this.dayStartUs,
          row[0],
          row[1],
          row[2],
          u === u ? u + 1 : 0,
        )
      )
        kept.push(i);
    }
    return Int32Array.from(kept);
  }

  private insertRows(
    symbol: string,
    batch: ColumnBatch,
    srcNames: readonly string[],
    idx: Int32Array,
    from: number,
    to: number,
  ): GroupResult {
    const e = this.symbolEntry(symbol, batch, idx, from, to);
    if (e.id > MAX_NUMBER_KEY_SYMBOL) return this.insertWide(e, batch, srcNames, idx, from, to);
    const { tsUs, recvUs, bid, ask, bidSize, askSize, seq, src } = batch;
    const { id: symId, scale, sizeScale } = e;
    const base = this.dayStartUs;
    const key0 = keyBase(symId) as number;
    const srcIds = this.fileSource;
    const known = e.sources;
    let inserted = 0;
    let j = from;
    let tMin = Infinity;
    let tMax = -Infinity;
    let sMin = Infinity;
    let sMax = -Infinity;
    for (const k of CHUNKS) {
      if (to - j < k) continue;
      const st = this.inserts.get(k)!;
      const a = this.args.get(k)!;
      while (to - j >= k) {
        for (let q = 0; q < k; q++) {
          const i = idx[j + q];
          const o = q * ROW_PARAMS;
          const t = tsUs[i] - base;
          if (t < tMin) tMin = t;
          if (t > tMax) tMax = t;
          let fs = srcIds.get(src[i]);
          if (fs === undefined) {
            fs = this.sourceId(srcNames[src[i]]);
            srcIds.set(src[i], fs);
          }
          if (known[fs] !== 1) this.noteSource(e, fs);
          a[o] = key0 + t;
          encodeQuote(a, o + 1, fs, bid[i], ask[i], scale);
          const u = seq[i];
          a[o + 4] = u === u ? u + 1 : 0;
          // No exchange time: recvUs is NaN, so r binds as NULL.
          a[o + 5] = recvUs[i] - tsUs[i];
          const bs = bidSize[i];
          const as = askSize[i];
          a[o + 6] = bs === bs ? (encodeSize(bs, sizeScale) as number) : Number.NaN;
          a[o + 7] = as === as ? (encodeSize(as, sizeScale) as number) : Number.NaN;
          const sv = a[o + 1];
          if (sv < sMin) sMin = sv;
          if (sv > sMax) sMax = sv;
        }
        inserted += st.run(a).changes;
        j += k;
      }
    }
    return this.finishSymbol(e, batch, idx, from, to, inserted, tMin, tMax, sMin, sMax);
  }

  private finishSymbol(
    e: SymbolEntry,
    batch: ColumnBatch,
    idx: Int32Array,
    from: number,
    to: number,
    inserted: number,
    tMin: number,
    tMax: number,
    sMin: number,
    sMax: number,
  ): GroupResult {
    const total = to - from;
    if (inserted > 0) this.updateSymbol.run(inserted, tMin, tMin, tMax, tMax, sMin, sMin, sMax, sMax, e.id);
    if (inserted === total) this.addBars(e.id, batch, idx, from, to);
    else if (inserted > 0)
      this.recomputeBars(e, Math.floor(tMin / US_PER_MIN), Math.floor(tMax / US_PER_MIN));
    this.totalTicks += inserted;
    return { inserted, duplicates: total - inserted };
  }

  /**
   * A symbol id past 65,535 (a day with that many symbols) has keys beyond 2^53: bound one row
   * at a time as BigInt, off the fast path, so no key is ever rounded.
   */
  private insertWide(
    e: SymbolEntry,
    batch: ColumnBatch,
    srcNames: readonly string[],
    idx: Int32Array,
    from: number,
    to: number,
  ): GroupResult {
    const st = this.inserts.get(1)!;
    const row = new Array<number>(ROW_PARAMS);
    const base = keyBase(e.id);
    let inserted = 0;
    let tMin = Infinity;
    let tMax = -Infinity;
    let sMin = Infinity;
    let sMax = -Infinity;
    for (let j = from; j < to; j++) {
      const i = idx[j];
      const t = batch.tsUs[i] - this.dayStartUs;
      tMin = Math.min(tMin, t);
      tMax = Math.max(tMax, t);
      const fs = this.sourceId(srcNames[batch.src[i]]);
      if (e.sources[fs] !== 1) this.noteSource(e, fs);
      encodeQuote(row, 1, fs, batch.bid[i], batch.ask[i], e.scale);
      sMin = Math.min(sMin, row[1]);
      sMax = Math.max(sMax, row[1]);
      const u = batch.seq[i];
      const r = batch.recvUs[i];
      inserted += st.run(
        keyPlus(base, t),
        row[1],
        row[2],
        row[3],
        u === u ? u + 1 : 0,
        r === r ? r - batch.tsUs[i] : null,
        encodeSize(batch.bidSize[i], e.sizeScale),
        encodeSize(batch.askSize[i], e.sizeScale),
      ).changes;
    }
    return this.finishSymbol(e, batch, idx, from, to, inserted, tMin, tMax, sMin, sMax);
  }

  private addBars(symId: number, batch: ColumnBatch, idx: Int32Array, from: number, to: number): void {
    const { tsUs, bid, ask } = batch;
    const base = this.dayStartUs;
    let cur: MinuteBar | null = null;
    let others: Map<number, MinuteBar> | null = null;
    for (let k = from; k < to; k++) {
      const i = idx[k];
      const t = tsUs[i] - base;
      const m = Math.floor(t / US_PER_MIN);
      let bar: MinuteBar | null | undefined = cur;
      if (!bar || bar.m !== m) {
        // Ticks of a batch are nearly always in time order, so a map is needed only for stragglers.
        others ??= new Map();
        if (cur) others.set(cur.m, cur);
        bar = others.get(m);
        if (!bar) {
          bar = newBar(m, t, bid[i], ask[i]);
          others.set(m, bar);
          cur = bar;
          continue;
        }
        cur = bar;
      }
      foldTick(bar, t, bid[i], ask[i]);
    }
    if (others) for (const b of others.values()) this.writeBar(symId, b);
    else if (cur) this.writeBar(symId, cur);
  }

  private writeBar(symId: number, b: MinuteBar): void {
    this.upsertBar.run(symId, ...barColumns(b));
  }

  /** After duplicates were skipped, the minutes touched are rebuilt from the stored ticks. */
  private recomputeBars(e: SymbolEntry, mFrom: number, mTo: number): void {
    const base = keyBase(e.id);
    const rows = this.db
      .prepare(`SELECT ${sqlKey.t('k')}, src, b, s FROM q WHERE k >= ? AND k < ? ORDER BY k, src, b, s, u`)
      .raw(true)
      .all(keyPlus(base, mFrom * US_PER_MIN), keyPlus(base, (mTo + 1) * US_PER_MIN)) as number[][];
    this.db.prepare('DELETE FROM bars_1m WHERE sym = ? AND m >= ? AND m <= ?').run(e.id, mFrom, mTo);
    let cur: MinuteBar | null = null;
    for (const [t, src, b, s] of rows) {
      const pb = decodeBid(src, b, e.scale);
      const pa = decodeAsk(src, b, s, e.scale);
      const m = Math.floor(t / US_PER_MIN);
      if (!cur || cur.m !== m) {
        if (cur) this.writeBar(e.id, cur);
        cur = newBar(m, t, pb, pa);
      } else foldTick(cur, t, pb, pa);
    }
    if (cur) this.writeBar(e.id, cur);
  }

  /**
   * Adds gap-ledger entries (call inside `transaction`). An entry equal in every column to one
   * already there is not added again: an entry re-sent after a writer restart is stored once.
   * Returns how many were new.
   */
  insertFeedEvents(events: readonly FeedEvent[]): number {
    this.addFeedEvent ??= this.db.prepare(`INSERT INTO feed_events (${FEED_EVENT_COLUMNS})
      SELECT @ts, @feed, @source, @kind, @symbol, @code, @reason, @from, @to, @since
      WHERE NOT EXISTS (SELECT 1 FROM feed_events WHERE ts_us = @ts AND feed = @feed AND source = @source
        AND kind = @kind AND symbol IS @symbol AND code IS @code AND reason = @reason
        AND from_seq IS @from AND to_seq IS @to AND since_us IS @since)`);
    let added = 0;
    for (const e of events) {
      added += this.addFeedEvent.run({
        ts: e.tsUs,
        feed: e.feed,
        source: e.source,
        kind: e.kind,
        symbol: e.symbol,
        code: e.code,
        reason: e.reason,
        from: e.fromSeq,
        to: e.toSeq,
        since: e.sinceUs,
      }).changes;
    }
    return added;
  }

  /** Checkpoints the WAL into the main file and truncates it, then closes, even if the checkpoint fails. */
  close(): void {
    if (!this.db.open) return;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }

  /** Closes without touching the file (it is gone or not ours any more). */
  abandon(): void {
    if (this.db.open) this.db.close();
  }
}

/** Whether migrating from `version` to SCHEMA_VERSION rewrote the tick table. */
function rebuiltTicks(version: number): boolean {
  if (version === 0) return false; // created now
  for (let v = version; v < SCHEMA_VERSION; v++) if (REBUILDS_TICKS_FROM.has(v)) return true;
  return false;
}
