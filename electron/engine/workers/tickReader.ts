// Read-side queries over the day files, run in the reader worker on read-only connections.
// Large results are produced column-wise by SQLite (json_group_array, exact for doubles) because
// building one JS row object per tick is the slowest part of reading 100K ticks.
import Database from 'better-sqlite3';
import type { BarColumns, PriceSide } from '../../../shared/bars.ts';
import { BarBuilder, sidePrice } from '../../../shared/bars.ts';
import type { DayInfo, SymbolInfo, TickPage } from '../../../shared/catalog.ts';
import type { TickColumns } from '../../../shared/tick.ts';
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
import { SCHEMA_VERSION } from '../storage/daySchema.ts';
import { decodeAsk, decodeBid, sourceIdOf } from '../storage/priceCodec.ts';

interface OpenDay {
  db: Database.Database;
  sources: Map<number, string>;
  symbols: Map<string, { id: number; scale: number }>;
}

interface Cursor {
  day: number;
  t: number;
  src: number;
  b: number;
  s: number;
}

const MAX_OPEN = 64;
export const DEFAULT_PAGE = 100_000;

export class TickReader {
  private readonly sqliteDir: string;
  private readonly open = new Map<number, OpenDay>();

  constructor(sqliteDir: string) {
    this.sqliteDir = sqliteDir;
  }

  private files(): DayFileRef[] {
    return listDayFiles(this.sqliteDir);
  }

  private day(ref: DayFileRef): OpenDay {
    let d = this.open.get(ref.day);
    if (d) {
      // Re-insert to keep the map in least-recently-used order.
      this.open.delete(ref.day);
      this.open.set(ref.day, d);
      return d;
    }
    const db = new Database(ref.path, { fileMustExist: true });
    db.pragma('query_only = ON');
    db.pragma('busy_timeout = 2000');
    db.pragma('mmap_size = 268435456');
    const v = db.pragma('user_version', { simple: true }) as number;
    if (v > SCHEMA_VERSION) {
      db.close();
      throw new QueryError(
        `${ref.path}: schema version ${v} is newer than this Tickscope (${SCHEMA_VERSION})`,
      );
    }
    d = { db, sources: new Map(), symbols: new Map() };
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
    // Only committed symbols are visible here, and their table ids never change: safe to cache.
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
    where: string,
    params: number[],
  ): { t: string; src: string | null; b: string; s: string; n: number; onlySrc: number } {
    return d.db.transaction(() => {
      const r = d.db.prepare('SELECT src_min AS lo, src_max AS hi FROM symbols WHERE id = ?').get(symId) as {
        lo: number | null;
        hi: number | null;
      };
      const single = r.lo !== null && r.lo === r.hi;
      const row = d.db
        .prepare(
          `SELECT json_group_array(t) AS t, ${single ? 'NULL' : 'json_group_array(src)'} AS src,
                  json_group_array(b) AS b, json_group_array(s) AS s, count(*) AS n
           FROM (SELECT t, src, b, s FROM q_${symId} WHERE ${where} ORDER BY t, src, b, s LIMIT ?)`,
        )
        .get(...params) as { t: string; src: string | null; b: string; s: string; n: number };
      return { ...row, onlySrc: single ? r.lo! : 0 };
    })();
  }

  private filesIn(fromUs: number, toUs: number): DayFileRef[] {
    const first = utcDayIndex(fromUs);
    const last = utcDayIndex(toUs - 1);
    return this.files().filter((f) => f.day >= first && f.day <= last);
  }

  range(symbol: string, fromUs: number, toUs: number, limit = DEFAULT_PAGE, cursor?: string): TickPage {
    if (toUs <= fromUs) return { ...emptyColumns(symbol), nextCursor: null };
    const after = cursor ? decodeCursor(cursor) : null;
    const out = emptyColumns(symbol);
    const srcIndex = new Map<string, number>();
    const chunks: { t: number[]; b: number[]; s: number[]; src: number[] }[] = [];
    let remaining = limit;
    for (const ref of this.filesIn(fromUs, toUs)) {
      if (after && ref.day < after.day) continue;
      const d = this.day(ref);
      const sym = this.symbol(d, symbol);
      if (!sym) continue;
      const base = dayIndexToStartUs(ref.day);
      const lo = Math.max(0, fromUs - base);
      const hi = Math.min(US_PER_DAY, toUs - base);
      const resume = after && after.day === ref.day;
      const where = resume ? 't < ? AND (t, src, b, s) > (?, ?, ?, ?)' : 't >= ? AND t < ?';
      const params = resume ? [hi, after.t, after.src, after.b, after.s] : [lo, hi];
      const row = this.readColumns(d, sym.id, where, [...params, remaining + 1]);
      if (row.n === 0) continue;
      // Decode in place in the arrays JSON.parse made: no per-tick allocation.
      const t = JSON.parse(row.t) as number[];
      const src =
        row.src === null ? new Array<number>(row.n).fill(row.onlySrc) : (JSON.parse(row.src) as number[]);
      const b = JSON.parse(row.b) as number[];
      const s = JSON.parse(row.s) as number[];
      const take = Math.min(row.n, remaining);
      const lastRow: Cursor = {
        day: ref.day,
        t: t[take - 1],
        src: src[take - 1],
        b: b[take - 1],
        s: s[take - 1],
      };
      t.length = src.length = b.length = s.length = take;
      const scale = sym.scale;
      const localSrc = new Map<number, number>();
      for (let i = 0; i < take; i++) {
        const sv = src[i];
        t[i] += base;
        if (sv >= 0) {
          s[i] = (b[i] + s[i]) / scale;
          b[i] = b[i] / scale;
        }
        let si = localSrc.get(sv);
        if (si === undefined) {
          const name = this.sourceName(d, sourceIdOf(sv));
          si = srcIndex.get(name);
          if (si === undefined) {
            srcIndex.set(name, (si = out.sources.length));
            out.sources.push(name);
          }
          localSrc.set(sv, si);
        }
        src[i] = si;
      }
      chunks.push({ t, b, s, src });
      remaining -= take;
      if (remaining === 0) {
        const more = row.n > take || ref.day < utcDayIndex(toUs - 1);
        return { ...joinChunks(out, chunks), nextCursor: more ? encodeCursor(lastRow) : null };
      }
    }
    return { ...joinChunks(out, chunks), nextCursor: null };
  }

  /** The newest `limit` ticks of a symbol on disk, oldest first. */
  recent(symbol: string, limit: number): TickColumns {
    const files = this.files();
    const chunks: TickColumns[] = [];
    let need = limit;
    for (let k = files.length - 1; k >= 0 && need > 0; k--) {
      const d = this.day(files[k]);
      const sym = this.symbol(d, symbol);
      if (!sym) continue;
      const base = dayIndexToStartUs(files[k].day);
      const rows = d.db
        .prepare(`SELECT t, src, b, s FROM q_${sym.id} ORDER BY t DESC, src DESC, b DESC, s DESC LIMIT ?`)
        .raw(true)
        .all(need) as number[][];
      const c = emptyColumns(symbol);
      const srcIndex = new Map<string, number>();
      for (let i = rows.length - 1; i >= 0; i--) {
        const [t, src, b, s] = rows[i];
        c.tsUs.push(base + t);
        c.bid.push(decodeBid(src, b, sym.scale));
        c.ask.push(decodeAsk(src, b, s, sym.scale));
        const name = this.sourceName(d, sourceIdOf(src));
        let si = srcIndex.get(name);
        if (si === undefined) {
          srcIndex.set(name, (si = c.sources.length));
          c.sources.push(name);
        }
        c.source.push(si);
      }
      chunks.unshift(c);
      need -= rows.length;
    }
    return concatColumns(symbol, chunks);
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
      const d = this.day(ref);
      const sym = this.symbol(d, symbol);
      if (!sym) continue;
      const base = dayIndexToStartUs(ref.day);
      const mLo = Math.max(0, Math.floor((fromUs - base) / US_PER_MIN));
      const mHi = Math.min(1440, Math.ceil((toUs - base) / US_PER_MIN));
      const rows = d.db
        .prepare(
          `SELECT m, ${p}_o, ${p}_h, ${p}_l, ${p}_c, n FROM bars_1m WHERE sym = ? AND m >= ? AND m < ? ORDER BY m`,
        )
        .raw(true)
        .all(sym.id, mLo, mHi) as number[][];
      for (const [m, o, h, l, c, n] of rows) builder.addBar(base + m * US_PER_MIN, o, h, l, c, n);
    }
  }

  symbols(): SymbolInfo[] {
    const acc = new Map<string, SymbolInfo>();
    for (const ref of this.files()) {
      const d = this.day(ref);
      const base = dayIndexToStartUs(ref.day);
      const rows = d.db.prepare('SELECT name, count, first_t, last_t FROM symbols WHERE count > 0').all() as {
        name: string;
        count: number;
        first_t: number;
        last_t: number;
      }[];
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
      const d = this.day(ref);
      const r = d.db
        .prepare('SELECT coalesce(sum(count), 0) AS ticks, count(*) AS symbols FROM symbols WHERE count > 0')
        .get() as {
        ticks: number;
        symbols: number;
      };
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

function joinChunks(
  out: TickColumns,
  chunks: { t: number[]; b: number[]; s: number[]; src: number[] }[],
): TickColumns {
  if (chunks.length === 1) {
    const c = chunks[0];
    return { symbol: out.symbol, tsUs: c.t, bid: c.b, ask: c.s, source: c.src, sources: out.sources };
  }
  for (const c of chunks) {
    for (let i = 0; i < c.t.length; i++) {
      out.tsUs.push(c.t[i]);
      out.bid.push(c.b[i]);
      out.ask.push(c.s[i]);
      out.source.push(c.src[i]);
    }
  }
  return out;
}

function emptyColumns(symbol: string): TickColumns {
  return { symbol, tsUs: [], bid: [], ask: [], source: [], sources: [] };
}

function concatColumns(symbol: string, chunks: TickColumns[]): TickColumns {
  if (chunks.length === 1) return chunks[0];
  const out = emptyColumns(symbol);
  const idx = new Map<string, number>();
  for (const c of chunks) {
    for (let i = 0; i < c.tsUs.length; i++) {
      out.tsUs.push(c.tsUs[i]);
      out.bid.push(c.bid[i]);
      out.ask.push(c.ask[i]);
      const name = c.sources[c.source[i]];
      let si = idx.get(name);
      if (si === undefined) {
        idx.set(name, (si = out.sources.length));
        out.sources.push(name);
      }
      out.source.push(si);
    }
  }
  return out;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.day, c.t, c.src, c.b, c.s])).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  try {
    const [day, t, src, b, sp] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as number[];
    if (![day, t, src, b, sp].every((x) => typeof x === 'number' && Number.isFinite(x)))
      throw new Error('bad');
    return { day, t, src, b, s: sp };
  } catch {
    throw new QueryError('cursor is not one this server issued (pass back nextCursor unchanged)');
  }
}
