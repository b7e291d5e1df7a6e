// Read-side queries over the day files, run in the reader workers on read-only connections.
// Large results are produced column-wise by SQLite (json_group_array: exact for doubles, and far
// cheaper than one JS row object per tick) and decoded into typed arrays.
import Database from 'better-sqlite3';
import type { BarColumns, PriceSide } from '../../../shared/bars.ts';
import { BarBuilder, sidePrice } from '../../../shared/bars.ts';
import type { DayInfo, SymbolInfo } from '../../../shared/catalog.ts';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import {
  US_PER_DAY,
  US_PER_MIN,
  dayIndexToKey,
  dayIndexToStartUs,
  utcDayIndex,
} from '../../../shared/time.ts';
import { QueryError } from '../errors.ts';
import type { DayFileRef } from '../storage/dayFileCatalog.ts';
import { fileBytesWithWal, listDayFiles } from '../storage/dayFileCatalog.ts';
import {
  FEED_EVENT_COLUMNS,
  SCHEMA_VERSION,
  SEQUENCE_VERSION,
  SINGLE_TABLE_VERSION,
  feedEventOfRow,
} from '../storage/daySchema.ts';
import type { KeyValue } from '../storage/dayKey.ts';
import { keyBase, keyPlus } from '../storage/dayKey.ts';
import { decodeAsk, decodeBid, sourceIdOf } from '../storage/priceCodec.ts';
import type { PackedTicks } from '../workers/readerApi.ts';

interface OpenDay {
  db: Database.Database;
  path: string;
  version: number;
  sources: Map<number, string>;
  symbols: Map<string, { id: number; scale: number }>;
}

/**
 * Where a page ended: the last row's key. u (the update id column, version 3) is +Infinity in a
 * cursor of an earlier build, which resumes after every row of that (t, src, b, s) as it did.
 */
interface Cursor {
  day: number;
  t: number;
  src: number;
  b: number;
  s: number;
  u: number;
}

/** The last row a page took, and how many rows before it (itself included) share its (t, src, b, s). */
interface PageEnd {
  t: number;
  src: number;
  b: number;
  s: number;
  run: number;
}

const MAX_OPEN = 64;
export const DEFAULT_PAGE = 100_000;

/**
 * Where one symbol's rows are in a day file and how to address them: in version 2 a key range of
 * the shared table (k = id << 37 | t), in version 1 its own table keyed by t. `keyAt(t)` is the
 * key bound for time t, and `t` the SQL for the row's time.
 */
interface SymbolRows {
  table: string;
  key: string;
  /** The key columns in order, for row-value comparisons and ORDER BY. */
  cols: string;
  /** Whether the rows have the update id column u (version 3). */
  withU: boolean;
  /** SQL for the row's time, or for a value from which JS gets it by adding `tOffset`. */
  t: string;
  tOffset: number;
  keyAt(t: number): KeyValue;
}

function rowsOf(d: OpenDay, symId: number): SymbolRows {
  if (d.version < SINGLE_TABLE_VERSION)
    return {
      table: `q_${symId}`,
      key: 't',
      cols: 't, src, b, s',
      withU: false,
      t: 't',
      tOffset: 0,
      keyAt: (t) => t,
    };
  const base = keyBase(symId);
  const withU = d.version >= SEQUENCE_VERSION;
  // The key minus its base (a literal: exact for BigInt bases too) is the time, with fewer digits
  // to print and parse than the key itself and cheaper than masking it.
  return {
    table: 'q',
    key: 'k',
    cols: withU ? 'k, src, b, s, u' : 'k, src, b, s',
    withU,
    t: `(k - ${String(base)})`,
    tOffset: 0,
    keyAt: (t) => keyPlus(base, t),
  };
}

function isCorrupt(e: unknown): boolean {
  const code = (e as { code?: string })?.code ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

export class TickReader {
  private readonly sqliteDir: string;
  private readonly open = new Map<number, OpenDay>();

  constructor(sqliteDir: string) {
    this.sqliteDir = sqliteDir;
  }

  private files(): DayFileRef[] {
    return listDayFiles(this.sqliteDir);
  }

  /** Runs a read on a day file; a damaged file is named in a QueryError instead of a bare SQLite code. */
  private onDay<T>(ref: DayFileRef, fn: (d: OpenDay) => T): T {
    try {
      return fn(this.day(ref));
    } catch (e) {
      if (!isCorrupt(e)) throw e;
      this.forget(ref.day);
      throw new QueryError(
        `${ref.path}: the day file is damaged (${(e as Error).message}); Tickscope moves it aside and salvages ` +
          'what it can the next time it writes to that day',
      );
    }
  }

  private forget(day: number): void {
    const d = this.open.get(day);
    this.open.delete(day);
    try {
      d?.db.close();
    } catch {
      // closing a damaged file may fail too
    }
  }

  private day(ref: DayFileRef): OpenDay {
    let d = this.open.get(ref.day);
    if (d) {
      // Re-insert to keep the map in least-recently-used order.
      this.open.delete(ref.day);
      this.open.set(ref.day, d);
      // The writer migrates a file it writes to (an old day getting a late tick): a layout read
      // with the old version's queries would miss the new key column.
      const version = d.db.pragma('user_version', { simple: true }) as number;
      if (version !== d.version) {
        if (version > SCHEMA_VERSION) {
          this.forget(ref.day);
          return this.day(ref);
        }
        d.version = version;
        d.symbols.clear();
        d.sources.clear();
      }
      return d;
    }
    const db = new Database(ref.path, { fileMustExist: true });
    let version: number;
    try {
      db.pragma('query_only = ON');
      db.pragma('busy_timeout = 2000');
      db.pragma('mmap_size = 268435456');
      version = db.pragma('user_version', { simple: true }) as number;
    } catch (e) {
      db.close();
      throw e;
    }
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new QueryError(
        `${ref.path}: schema version ${version} is newer than this Tickscope (${SCHEMA_VERSION})`,
      );
    }
    d = { db, path: ref.path, version, sources: new Map(), symbols: new Map() };
    this.open.set(ref.day, d);
    if (this.open.size > MAX_OPEN) {
      const [oldest, od] = this.open.entries().next().value!;
      od.db.close();
      this.open.delete(oldest);
    }
    return d;
  }

  private symbol(d: OpenDay, name: string): { id: number; scale: number } | null {
    let s = d.symbols.get(name);
    if (s) return s;
    const row = d.db.prepare('SELECT id, scale FROM symbols WHERE name = ?').get(name) as
      { id: number; scale: number } | undefined;
    if (!row) return null;
    // Only committed symbols are visible here, and their ids never change: safe to cache.
    d.symbols.set(name, (s = row));
    return s;
  }

  private sourceName(d: OpenDay, id: number): string {
    let n = d.sources.get(id);
    if (n === undefined) {
      n =
        (d.db.prepare('SELECT name FROM sources WHERE id = ?').pluck().get(id) as string | undefined) ?? '?';
      d.sources.set(id, n);
    }
    return n;
  }

  /**
   * One symbol's rows as JSON columns. When every stored source value of the symbol is the same
   * (one feed, no wide rows) the source column is not produced at all; the check and the read
   * share a read transaction so a source committed in between cannot slip past.
   */
  private readColumns(
    d: OpenDay,
    symId: number,
    sel: { from: number; to: number; after?: Omit<Cursor, 'day'> },
    order: 'ASC' | 'DESC',
    limit: number,
  ): { t: string; src: string | null; b: string; s: string; n: number; onlySrc: number; tOffset: number } {
    const rows = rowsOf(d, symId);
    const { key, cols } = rows;
    const a = sel.after;
    const where = a
      ? `${key} < ? AND (${cols}) > (${rows.withU ? '?, ?, ?, ?, ?' : '?, ?, ?, ?'})`
      : `${key} >= ? AND ${key} < ?`;
    const params: KeyValue[] = a
      ? [rows.keyAt(sel.to), rows.keyAt(a.t), a.src, a.b, a.s, ...(rows.withU ? [a.u] : [])]
      : [rows.keyAt(sel.from), rows.keyAt(sel.to)];
    return d.db.transaction(() => {
      const r = d.db.prepare('SELECT src_min AS lo, src_max AS hi FROM symbols WHERE id = ?').get(symId) as {
        lo: number | null;
        hi: number | null;
      };
      const single = r.lo !== null && r.lo === r.hi;
      const src = single ? 'NULL' : 'json_group_array(src)';
      // A whole range that fits the page is aggregated straight off the key range (rows come in
      // key order); a count first is cheap next to the subquery a LIMIT needs.
      const fits =
        order === 'ASC' &&
        (d.db
          .prepare(`SELECT count(*) FROM ${rows.table} WHERE ${where}`)
          .pluck()
          .get(...params) as number) <= limit;
      const by =
        order === 'ASC'
          ? cols
          : cols
              .split(', ')
              .map((c) => `${c} DESC`)
              .join(', ');
      const sql = fits
        ? `SELECT json_group_array(${rows.t}) AS t, ${src} AS src, json_group_array(b) AS b,
                  json_group_array(s) AS s, count(*) AS n FROM ${rows.table} WHERE ${where}`
        : `SELECT json_group_array(t) AS t, ${src} AS src, json_group_array(b) AS b,
                  json_group_array(s) AS s, count(*) AS n
           FROM (SELECT ${rows.t} AS t, src, b, s FROM ${rows.table} WHERE ${where} ORDER BY ${by} LIMIT ?)`;
      const row = d.db.prepare(sql).get(...params, ...(fits ? [] : [limit])) as {
        t: string;
        src: string | null;
        b: string;
        s: string;
        n: number;
      };
      return { ...row, onlySrc: single ? r.lo! : 0, tOffset: rows.tOffset };
    })();
  }

  private filesIn(fromUs: number, toUs: number): DayFileRef[] {
    const first = utcDayIndex(fromUs);
    const last = utcDayIndex(toUs - 1);
    return this.files().filter((f) => f.day >= first && f.day <= last);
  }

  range(symbol: string, fromUs: number, toUs: number, limit = DEFAULT_PAGE, cursor?: string): PackedTicks {
    const out = new ColumnsBuilder(symbol);
    if (toUs <= fromUs) return out.finish(null);
    const after = cursor ? decodeCursor(cursor) : null;
    let remaining = limit;
    for (const ref of this.filesIn(fromUs, toUs)) {
      if (after && ref.day < after.day) continue;
      const base = dayIndexToStartUs(ref.day);
      const lo = Math.max(0, fromUs - base);
      const hi = Math.min(US_PER_DAY, toUs - base);
      const resume = after && after.day === ref.day;
      const page = this.onDay(ref, (d) => {
        const sym = this.symbol(d, symbol);
        if (!sym) return null;
        const sel = resume ? { from: lo, to: hi, after } : { from: lo, to: hi };
        return { d, sym, row: this.readColumns(d, sym.id, sel, 'ASC', remaining + 1) };
      });
      if (!page || page.row.n === 0) continue;
      const take = Math.min(page.row.n, remaining);
      const last = out.addDay(page.d, page.row, take, base, page.sym.scale, (id) =>
        this.sourceName(page.d, id),
      );
      remaining -= take;
      if (remaining === 0) {
        const more = page.row.n > take || ref.day < utcDayIndex(toUs - 1);
        if (!more) return out.finish(null);
        const u = this.onDay(ref, (d) => this.lastU(d, page.sym.id, last, resume ? after : null));
        const { run: _run, ...key } = last;
        return out.finish(encodeCursor({ day: ref.day, ...key, u }));
      }
    }
    return out.finish(null);
  }

  /**
   * The update id of a page's last row. Pages carry no u column (it would cost a fourth array on
   * every read for a value only a cursor needs): the last row is the run-th row of its
   * (t, src, b, s) in u order, counted from after the cursor the page resumed from.
   */
  private lastU(d: OpenDay, symId: number, last: PageEnd, after: Cursor | null): number {
    const rows = rowsOf(d, symId);
    if (!rows.withU) return 0;
    const sameStart =
      after !== null &&
      after.t === last.t &&
      after.src === last.src &&
      after.b === last.b &&
      after.s === last.s;
    const u = d.db
      .prepare(
        `SELECT u FROM q WHERE k = ? AND src = ? AND b = ? AND s = ? AND u > ? ORDER BY u LIMIT 1 OFFSET ?`,
      )
      .pluck()
      .get(rows.keyAt(last.t), last.src, last.b, last.s, sameStart ? after.u : -1, last.run - 1) as
      number | undefined;
    // Gone meanwhile (a file replaced under the reader): resume after every row of that key.
    return u ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Gap-ledger entries with fromUs <= ts < toUs, oldest first (ties in the order they were
   * written), at most `limit`. Files from before version 3 have none.
   */
  feedEvents(
    fromUs: number,
    toUs: number,
    feed: string | null,
    symbol: string | null,
    kinds: string[] | null,
    limit: number,
  ): FeedEvent[] {
    const out: FeedEvent[] = [];
    if (toUs <= fromUs || limit <= 0) return out;
    const where = ['ts_us >= ?', 'ts_us < ?'];
    const params: unknown[] = [fromUs, toUs];
    if (feed !== null) {
      where.push('feed = ?');
      params.push(feed);
    }
    if (symbol !== null) {
      where.push('symbol = ?');
      params.push(symbol);
    }
    if (kinds !== null) {
      if (kinds.length === 0) return out;
      where.push(`kind IN (${kinds.map(() => '?').join(', ')})`);
      params.push(...kinds);
    }
    const sql = `SELECT ${FEED_EVENT_COLUMNS} FROM feed_events WHERE ${where.join(' AND ')} ORDER BY ts_us, rowid LIMIT ?`;
    for (const ref of this.filesIn(fromUs, toUs)) {
      const rows = this.onDay(ref, (d) =>
        d.version < SEQUENCE_VERSION
          ? []
          : (d.db
              .prepare(sql)
              .raw(true)
              .all(...params, limit - out.length) as unknown[][]),
      );
      for (const r of rows) out.push(feedEventOfRow(r));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The newest `limit` ticks of a symbol on disk, oldest first. */
  recent(symbol: string, limit: number): PackedTicks {
    const files = this.files();
    const days: { d: OpenDay; row: ReturnType<TickReader['readColumns']>; base: number; scale: number }[] =
      [];
    let need = limit;
    for (let k = files.length - 1; k >= 0 && need > 0; k--) {
      const got = this.onDay(files[k], (d) => {
        const sym = this.symbol(d, symbol);
        if (!sym) return null;
        return { d, sym, row: this.readColumns(d, sym.id, { from: 0, to: US_PER_DAY }, 'DESC', need) };
      });
      if (!got || got.row.n === 0) continue;
      days.unshift({ d: got.d, row: got.row, base: dayIndexToStartUs(files[k].day), scale: got.sym.scale });
      need -= got.row.n;
    }
    const out = new ColumnsBuilder(symbol);
    for (const x of days)
      out.addDay(x.d, x.row, x.row.n, x.base, x.scale, (id) => this.sourceName(x.d, id), true);
    return out.finish(null);
  }

  bars(symbol: string, fromUs: number, toUs: number, timeframeSec: number, price: PriceSide): BarColumns {
    const builder = new BarBuilder(symbol, timeframeSec, price);
    if (toUs <= fromUs) return builder.out;
    // Whole minutes come from the 1-minute table when the timeframe is made of whole minutes;
    // partial minutes at the edges and sub-minute timeframes come from the ticks themselves.
    const useMinutes = timeframeSec % 60 === 0;
    const midFrom = useMinutes ? Math.ceil(fromUs / US_PER_MIN) * US_PER_MIN : toUs;
    const midTo = useMinutes ? Math.max(midFrom, Math.floor(toUs / US_PER_MIN) * US_PER_MIN) : toUs;
    this.addTicks(builder, symbol, fromUs, Math.min(midFrom, toUs), price);
    if (midTo > midFrom) this.addMinuteBars(builder, symbol, midFrom, midTo, price);
    if (useMinutes) this.addTicks(builder, symbol, Math.max(midTo, fromUs), toUs, price);
    return builder.out;
  }

  private addTicks(
    builder: BarBuilder,
    symbol: string,
    fromUs: number,
    toUs: number,
    price: PriceSide,
  ): void {
    if (toUs <= fromUs) return;
    let cursor: string | undefined;
    do {
      const page = this.range(symbol, fromUs, toUs, 500_000, cursor);
      for (let i = 0; i < page.tsUs.length; i++)
        builder.add(page.tsUs[i], sidePrice(price, page.bid[i], page.ask[i]));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  private addMinuteBars(
    builder: BarBuilder,
    symbol: string,
    fromUs: number,
    toUs: number,
    price: PriceSide,
  ): void {
    const p = price === 'bid' ? 'b' : price === 'ask' ? 'a' : 'm';
    for (const ref of this.filesIn(fromUs, toUs)) {
      const base = dayIndexToStartUs(ref.day);
      const rows = this.onDay(ref, (d) => {
        const sym = this.symbol(d, symbol);
        if (!sym) return [];
        const mLo = Math.max(0, Math.floor((fromUs - base) / US_PER_MIN));
        const mHi = Math.min(1440, Math.ceil((toUs - base) / US_PER_MIN));
        return d.db
          .prepare(
            `SELECT m, ${p}_o, ${p}_h, ${p}_l, ${p}_c, n FROM bars_1m WHERE sym = ? AND m >= ? AND m < ? ORDER BY m`,
          )
          .raw(true)
          .all(sym.id, mLo, mHi) as number[][];
      });
      for (const [m, o, h, l, c, n] of rows) builder.addBar(base + m * US_PER_MIN, o, h, l, c, n);
    }
  }

  symbols(): SymbolInfo[] {
    const acc = new Map<string, SymbolInfo>();
    for (const ref of this.files()) {
      const base = dayIndexToStartUs(ref.day);
      const rows = this.onDay(
        ref,
        (d) =>
          d.db.prepare('SELECT name, count, first_t, last_t FROM symbols WHERE count > 0').all() as {
            name: string;
            count: number;
            first_t: number;
            last_t: number;
          }[],
      );
      for (const r of rows) {
        const cur = acc.get(r.name);
        if (!cur)
          acc.set(r.name, {
            symbol: r.name,
            firstUs: base + r.first_t,
            lastUs: base + r.last_t,
            count: r.count,
          });
        else {
          cur.firstUs = Math.min(cur.firstUs, base + r.first_t);
          cur.lastUs = Math.max(cur.lastUs, base + r.last_t);
          cur.count += r.count;
        }
      }
    }
    return [...acc.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
  }

  days(): DayInfo[] {
    return this.files().map((ref) => {
      const r = this.onDay(
        ref,
        (d) =>
          d.db
            .prepare(
              'SELECT coalesce(sum(count), 0) AS ticks, count(*) AS symbols FROM symbols WHERE count > 0',
            )
            .get() as { ticks: number; symbols: number },
      );
      return {
        day: dayIndexToKey(ref.day),
        path: ref.path,
        bytes: fileBytesWithWal(ref.path),
        ticks: r.ticks,
        symbols: r.symbols,
      };
    });
  }

  close(): void {
    for (const d of this.open.values()) d.db.close();
    this.open.clear();
  }
}

/** Decodes day pages into growing typed columns, with one source list for the whole answer. */
class ColumnsBuilder {
  private readonly symbol: string;
  private parts: { t: number[]; b: number[]; s: number[]; src: Float64Array }[] = [];
  private count = 0;
  private readonly sources: string[] = [];
  private readonly sourceIndex = new Map<string, number>();

  constructor(symbol: string) {
    this.symbol = symbol;
  }

  /** Adds the first `take` rows of a page; returns the key of the last row taken (for a cursor). */
  addDay(
    _d: OpenDay,
    row: { t: string; src: string | null; b: string; s: string; n: number; onlySrc: number; tOffset: number },
    take: number,
    dayStart: number,
    scale: number,
    sourceName: (id: number) => string,
    reverse = false,
  ): PageEnd {
    // Decode in place in the arrays JSON.parse made: no per-tick allocation.
    const t = JSON.parse(row.t) as number[];
    const b = JSON.parse(row.b) as number[];
    const s = JSON.parse(row.s) as number[];
    const srcRaw = row.src === null ? null : (JSON.parse(row.src) as number[]);
    const base = dayStart + row.tOffset;
    const srcAt = (i: number) => (srcRaw ? srcRaw[i] : row.onlySrc);
    const e = take - 1;
    let run = 1;
    while (
      run < take &&
      t[e - run] === t[e] &&
      b[e - run] === b[e] &&
      s[e - run] === s[e] &&
      srcAt(e - run) === srcAt(e)
    )
      run++;
    const last = { t: t[e] + row.tOffset, src: srcAt(e), b: b[e], s: s[e], run };
    if (reverse) {
      t.reverse();
      b.reverse();
      s.reverse();
      srcRaw?.reverse();
    }
    const src = new Float64Array(take);
    // Decoded with the codec the writer encoded with (decodeAsk before decodeBid: both read b).
    if (srcRaw === null) {
      const sv = row.onlySrc;
      src.fill(this.indexOf(sourceName(sourceIdOf(sv))));
      for (let i = 0; i < take; i++) {
        t[i] += base;
        s[i] = decodeAsk(sv, b[i], s[i], scale);
        b[i] = decodeBid(sv, b[i], scale);
      }
    } else {
      const local = new Map<number, number>();
      for (let i = 0; i < take; i++) {
        const sv = srcRaw[i];
        t[i] += base;
        s[i] = decodeAsk(sv, b[i], s[i], scale);
        b[i] = decodeBid(sv, b[i], scale);
        let si = local.get(sv);
        if (si === undefined) local.set(sv, (si = this.indexOf(sourceName(sourceIdOf(sv)))));
        src[i] = si;
      }
    }
    t.length = b.length = s.length = take;
    this.parts.push({ t, b, s, src });
    this.count += take;
    return last;
  }

  private indexOf(name: string): number {
    let i = this.sourceIndex.get(name);
    if (i === undefined) {
      this.sourceIndex.set(name, (i = this.sources.length));
      this.sources.push(name);
    }
    return i;
  }

  finish(nextCursor: string | null): PackedTicks {
    const n = this.count;
    const tsUs = new Float64Array(n);
    const bid = new Float64Array(n);
    const ask = new Float64Array(n);
    const source = new Float64Array(n);
    let o = 0;
    for (const p of this.parts) {
      tsUs.set(p.t, o);
      bid.set(p.b, o);
      ask.set(p.s, o);
      source.set(p.src, o);
      o += p.t.length;
    }
    return { symbol: this.symbol, tsUs, bid, ask, source, sources: this.sources, nextCursor };
  }
}

function encodeCursor(c: Cursor): string {
  // JSON has no Infinity: a cursor without u resumes after every row of its (t, src, b, s).
  const key = [c.day, c.t, c.src, c.b, c.s];
  if (Number.isFinite(c.u)) key.push(c.u);
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  try {
    const key = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as number[];
    if (!Array.isArray(key) || (key.length !== 5 && key.length !== 6)) throw new Error('bad');
    if (!key.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new Error('bad');
    const [day, t, src, b, sp, u = Number.POSITIVE_INFINITY] = key;
    return { day, t, src, b, s: sp, u };
  } catch {
    throw new QueryError('cursor is not one this server issued (pass back nextCursor unchanged)');
  }
}
