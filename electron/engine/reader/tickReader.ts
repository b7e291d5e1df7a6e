// Read-side queries over the day files, run in the reader workers on read-only connections.
// Large results are produced column-wise by SQLite (json_group_array: exact for doubles, and far
// cheaper than one JS row object per tick) and decoded into typed arrays.
import type { BarColumns } from '../../../shared/bars.ts';
import type { DayInfo, SymbolInfo } from '../../../shared/catalog.ts';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import { US_PER_DAY, dayIndexToKey, dayIndexToStartUs, utcDayIndex } from '../../../shared/time.ts';
import { QueryError } from '../errors.ts';
import { fileBytesWithWal } from '../storage/dayFileCatalog.ts';
import { FEED_EVENT_COLUMNS, SEQUENCE_VERSION, feedEventOfRow } from '../storage/daySchema.ts';
import type { KeyValue } from '../storage/dayKey.ts';
import type { PackedTicks } from '../workers/readerApi.ts';
import { readBars } from './barReader.ts';
import type { DayColumns, PageEnd } from './columnsBuilder.ts';
import { ColumnsBuilder } from './columnsBuilder.ts';
import type { OpenDay } from './openDays.ts';
import { OpenDays, daySymbol, sourceIdIn, sourceName } from './openDays.ts';
import { readArchivedColumns } from './archivedColumns.ts';
import { listSymbols } from './symbolCatalog.ts';
import { rowsOf } from './symbolRows.ts';

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

/** Which rows of a symbol's day to read: a time range, after a cursor, of one source. */
interface Selection {
  from: number;
  to: number;
  after?: Omit<Cursor, 'day'>;
  /** The stored source values of one source (narrow and wide rows). */
  srcIn?: readonly [number, number];
  /** Read the size columns (two of the six a row costs); false leaves them NaN. */
  sizes: boolean;
}

export const DEFAULT_PAGE = 100_000;

export class TickReader {
  private readonly open: OpenDays;

  constructor(sqliteDir: string) {
    this.open = new OpenDays(sqliteDir);
  }

  /** The open day files, for the ordered stream (stream/streamReader.ts) to read rows from. */
  dayFiles(): OpenDays {
    return this.open;
  }

  /**
   * One symbol's rows as JSON columns. When every stored source value of the symbol is the same
   * (one feed, no wide rows) the source column is not produced at all; the check and the read
   * share a read transaction so a source committed in between cannot slip past.
   */
  private readColumns(
    d: OpenDay,
    symId: number,
    sel: Selection,
    order: 'ASC' | 'DESC',
    limit: number,
  ): DayColumns {
    if (d.archived) return readArchivedColumns(d, symId, sel, order, limit);
    const rows = rowsOf(d.version, symId);
    const { key, cols } = rows;
    const a = sel.after;
    let where = a
      ? `${key} < ? AND (${cols}) > (${rows.withU ? '?, ?, ?, ?, ?' : '?, ?, ?, ?'})`
      : `${key} >= ? AND ${key} < ?`;
    const params: KeyValue[] = a
      ? [rows.keyAt(sel.to), rows.keyAt(a.t), a.src, a.b, a.s, ...(rows.withU ? [a.u] : [])]
      : [rows.keyAt(sel.from), rows.keyAt(sel.to)];
    if (sel.srcIn) {
      where += ' AND src IN (?, ?)';
      params.push(...sel.srcIn);
    }
    return d.db.transaction(() => {
      const r = d.db
        .prepare('SELECT src_min AS lo, src_max AS hi, count AS n FROM symbols WHERE id = ?')
        .get(symId) as { lo: number | null; hi: number | null; n: number };
      const single = r.lo !== null && r.lo === r.hi;
      const src = single ? 'NULL' : 'json_group_array(src)';
      const sizes = sel.sizes
        ? 'json_group_array(bs) AS bs, json_group_array(asz) AS asz'
        : 'NULL AS bs, NULL AS asz';
      const by =
        order === 'ASC'
          ? cols
          : cols
              .split(', ')
              .map((c) => `${c} DESC`)
              .join(', ');
      const read = (whole: boolean) => {
        // A whole range that fits the page is aggregated straight off the key range (rows come
        // in key order); the LIMIT a page needs costs a subquery.
        const sql = whole
          ? `SELECT json_group_array(${rows.t}) AS t, ${src} AS src, json_group_array(b) AS b,
                    json_group_array(s) AS s, ${sizes}, count(*) AS n FROM ${rows.table} WHERE ${where}`
          : `SELECT json_group_array(t) AS t, ${src} AS src, json_group_array(b) AS b,
                    json_group_array(s) AS s, ${sizes}, count(*) AS n
             FROM (SELECT ${rows.t} AS t, src, b, s${sel.sizes ? ', bs, asz' : ''} FROM ${rows.table}
                   WHERE ${where} ORDER BY ${by} LIMIT ?)`;
        const r = d.db.prepare(sql).get(...params, ...(whole ? [] : [limit])) as Record<
          'b' | 's' | 't',
          string
        > & { src: string | null; bs: string | null; asz: string | null; n: number };
        const parse = (x: string | null) => (x === null ? null : (JSON.parse(x) as number[]));
        return {
          n: r.n,
          t: parse(r.t)!,
          src: parse(r.src),
          b: parse(r.b)!,
          s: parse(r.s)!,
          bs: parse(r.bs),
          asz: parse(r.asz),
        };
      };
      // The symbol's count for the whole day bounds any range of it: most pages need no count.
      const whole =
        order === 'ASC' &&
        (r.n <= limit ||
          (d.db
            .prepare(`SELECT count(*) FROM ${rows.table} WHERE ${where}`)
            .pluck()
            .get(...params) as number) <= limit);
      let row = read(whole);
      // A counter behind its rows (never seen, but then a page must still hold at most `limit`).
      if (whole && row.n > limit) row = read(false);
      return { ...row, onlySrc: single ? r.lo! : 0, tOffset: rows.tOffset };
    })();
  }

  /**
   * Ticks of [fromUs, toUs) in time order, at most `limit`, from `cursor` on; with `source`,
   * only that source's (the filter runs in SQL, before any row is produced); without `sizes`
   * the size columns are NaN, unread.
   */
  range(
    symbol: string,
    fromUs: number,
    toUs: number,
    limit = DEFAULT_PAGE,
    cursor?: string,
    source: string | null = null,
    sizes = true,
  ): PackedTicks {
    const out = new ColumnsBuilder(symbol);
    if (toUs <= fromUs) return out.finish(null);
    const after = cursor ? decodeCursor(cursor) : null;
    let remaining = limit;
    for (const ref of this.open.filesIn(fromUs, toUs)) {
      if (after && ref.day < after.day) continue;
      const base = dayIndexToStartUs(ref.day);
      const lo = Math.max(0, fromUs - base);
      const hi = Math.min(US_PER_DAY, toUs - base);
      const resume = after && after.day === ref.day;
      const page = this.open.onDay(
        ref,
        (d) => {
          const sym = daySymbol(d, symbol);
          if (!sym) return null;
          const sel: Selection = resume ? { from: lo, to: hi, after, sizes } : { from: lo, to: hi, sizes };
          if (source !== null) {
            const id = sourceIdIn(d, source);
            if (id === null) return null;
            sel.srcIn = [id, -1 - id];
          }
          return { d, sym, row: this.readColumns(d, sym.id, sel, 'ASC', remaining + 1) };
        },
        null,
      );
      if (!page || page.row.n === 0) continue;
      const take = Math.min(page.row.n, remaining);
      const last = out.addDay(page.row, take, base, page.sym.scale, page.sym.sizeScale, (id) =>
        sourceName(page.d, id),
      );
      remaining -= take;
      if (remaining === 0) {
        const more = page.row.n > take || ref.day < utcDayIndex(toUs - 1);
        if (!more) return out.finish(null);
        const u = page.row.u
          ? page.row.u[take - 1]
          : this.open.onDay(
              ref,
              (d) => this.lastU(d, page.sym.id, last, resume ? after : null),
              Number.POSITIVE_INFINITY,
            );
        const { run: _run, ...key } = last;
        return out.finish(encodeCursor({ day: ref.day, ...key, u }));
      }
    }
    return out.finish(null);
  }

  /**
   * The update id of a page's last row. Pages carry no u column (it would cost another array on
   * every read for a value only a cursor needs): the last row is the run-th row of its
   * (t, src, b, s) in u order, counted from after the cursor the page resumed from.
   */
  private lastU(d: OpenDay, symId: number, last: PageEnd, after: Cursor | null): number {
    const rows = rowsOf(d.version, symId);
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
    for (const ref of this.open.filesIn(fromUs, toUs)) {
      const rows = this.open.onDay(
        ref,
        (d) =>
          d.version < SEQUENCE_VERSION
            ? []
            : (d.db
                .prepare(sql)
                .raw(true)
                .all(...params, limit - out.length) as unknown[][]),
        [],
      );
      for (const r of rows) out.push(feedEventOfRow(r));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The newest `limit` ticks of a symbol on disk, oldest first. */
  recent(symbol: string, limit: number): PackedTicks {
    const files = this.open.files();
    const days: { d: OpenDay; row: DayColumns; base: number; scale: number; sizeScale: number }[] = [];
    let need = limit;
    for (let k = files.length - 1; k >= 0 && need > 0; k--) {
      const got = this.open.onDay(
        files[k],
        (d) => {
          const sym = daySymbol(d, symbol);
          if (!sym) return null;
          return {
            d,
            sym,
            row: this.readColumns(d, sym.id, { from: 0, to: US_PER_DAY, sizes: true }, 'DESC', need),
          };
        },
        null,
      );
      if (!got || got.row.n === 0) continue;
      const { scale, sizeScale } = got.sym;
      days.unshift({ d: got.d, row: got.row, base: dayIndexToStartUs(files[k].day), scale, sizeScale });
      need -= got.row.n;
    }
    const out = new ColumnsBuilder(symbol);
    for (const x of days)
      out.addDay(x.row, x.row.n, x.base, x.scale, x.sizeScale, (id) => sourceName(x.d, id), true);
    return out.finish(null);
  }

  bars(
    symbol: string,
    fromUs: number,
    toUs: number,
    timeframeSec: number,
    source: string | null,
  ): BarColumns {
    return readBars(this.open, (...args) => this.range(...args), {
      symbol,
      fromUs,
      toUs,
      timeframeSec,
      source,
    });
  }

  symbols(): SymbolInfo[] {
    return listSymbols(this.open);
  }

  days(): DayInfo[] {
    return this.open.files().map((ref) => {
      const none = { ticks: 0, symbols: 0, archived: false, liveBytes: null, lateTicks: 0 };
      const r = this.open.onDay(ref, (d) => dayFigures(d), none);
      return {
        day: dayIndexToKey(ref.day),
        path: ref.path,
        bytes: fileBytesWithWal(ref.path),
        ticks: r.ticks,
        symbols: r.symbols,
        tier: r.archived ? 'archived' : 'live',
        liveBytes: r.liveBytes,
        lateTicks: r.lateTicks,
      };
    });
  }

  close(): void {
    this.open.close();
  }
}

/** A day's tick and symbol counts, and for an archived day its size before and its late rows. */
function dayFigures(d: OpenDay): {
  ticks: number;
  symbols: number;
  archived: boolean;
  liveBytes: number | null;
  lateTicks: number;
} {
  const r = d.db
    .prepare('SELECT coalesce(sum(count), 0) AS ticks, count(*) AS symbols FROM symbols WHERE count > 0')
    .get() as { ticks: number; symbols: number };
  if (!d.archived) return { ...r, archived: false, liveBytes: null, lateTicks: 0 };
  const live = d.db.prepare("SELECT value FROM meta WHERE key = 'live_bytes'").pluck().get() as
    string | undefined;
  // An archived day's q holds only the ticks that came after compaction: few, quick to count.
  const late = d.db.prepare('SELECT count(*) FROM q').pluck().get() as number;
  return { ...r, archived: true, liveBytes: live === undefined ? null : Number(live), lateTicks: late };
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
