// Reads what can still be read from a damaged day file. A normal scan stops at the first bad
// page; here each symbol's key range is read in chunks, up to a bad page row by row, and the first
// readable key after it is found by binary search, so a bad page costs the ticks on it, not the
// rest of the day.
import Database from 'better-sqlite3';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import { US_PER_DAY } from '../../../shared/time.ts';
import type { ColumnBatch } from '../storage/columnBatch.ts';
import { allocateColumnBatch } from '../storage/columnBatch.ts';
import { keyBase, keyPlus } from '../storage/dayKey.ts';
import {
  FEED_EVENT_COLUMNS,
  SEQUENCE_VERSION,
  SINGLE_TABLE_VERSION,
  feedEventOfRow,
} from '../storage/daySchema.ts';
import { decodeAsk, decodeBid, decodeSize, sourceIdOf } from '../storage/priceCodec.ts';

const PAGE_ROWS = 2_000;

export interface SalvageResult {
  salvaged: number;
  /** What the file's own counters said it held, when they could be read. */
  expected: number | null;
  /** The gap-ledger entries that could be read (version 3 files). */
  feedEvents: FeedEvent[];
  /** What could not be read, in words. */
  problems: string[];
}

interface SymbolRow {
  id: number;
  name: string;
  scale: number;
  size_scale: number;
  count: number;
}

/**
 * Calls `emit` with batches of salvaged ticks: ids in the batch index `symNames`/`srcNames`,
 * prices and sizes decoded to the exact values that were stored.
 */
export function salvageDayFile(
  file: string,
  dayStartUs: number,
  emit: (batch: ColumnBatch, symNames: string[], srcNames: string[]) => void,
): SalvageResult {
  const problems: string[] = [];
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    return {
      salvaged: 0,
      expected: null,
      feedEvents: [],
      problems: [`cannot open: ${(e as Error).message}`],
    };
  }
  try {
    let version = 0;
    let symbols: SymbolRow[];
    const sources = new Map<number, string>();
    try {
      version = db.pragma('user_version', { simple: true }) as number;
      symbols = db.prepare('SELECT id, name, scale, size_scale, count FROM symbols').all() as SymbolRow[];
    } catch (e) {
      return {
        salvaged: 0,
        expected: null,
        feedEvents: salvageFeedEvents(db, version, problems),
        problems: [`symbol table unreadable: ${(e as Error).message}`, ...problems],
      };
    }
    try {
      for (const r of db.prepare('SELECT id, name FROM sources').all() as { id: number; name: string }[])
        sources.set(r.id, r.name);
    } catch (e) {
      problems.push(`source table unreadable (${(e as Error).message}); sources named by id`);
    }
    const srcNames: string[] = [];
    const srcIndex = new Map<number, number>();
    const localSource = (id: number): number => {
      let i = srcIndex.get(id);
      if (i === undefined) {
        srcIndex.set(id, (i = srcNames.length));
        srcNames.push(sources.get(id) ?? `unknown-${id}`);
      }
      return i;
    };
    let salvaged = 0;
    let expected = 0;
    const symNames = symbols.map((s) => s.name);
    symbols.forEach((sym, symIndex) => {
      expected += sym.count;
      // Version 2 on: the symbol's key range of the shared table; version 1: its own table.
      // Version 3 on: the update id u is the last key column (before it, every u is 0).
      const v2 = version >= SINGLE_TABLE_VERSION;
      const withU = version >= SEQUENCE_VERSION;
      const base = keyBase(sym.id);
      const table = v2 ? 'q' : `q_${sym.id}`;
      const key = v2 ? 'k' : 't';
      const at = (t: number) => (v2 ? keyPlus(base, t) : t);
      const cols = withU ? `${key}, src, b, s, u` : `${key}, src, b, s`;
      let stmt: Database.Statement;
      try {
        stmt = db
          .prepare(
            `SELECT ${key} - ? AS t, src, b, s, ${withU ? 'u' : '0'}, r, bs, asz FROM ${table}
             WHERE ${key} < ? AND (${cols}) > (${withU ? '?, ?, ?, ?, ?' : '?, ?, ?, ?'})
             ORDER BY ${cols} LIMIT ?`,
          )
          .raw(true);
      } catch (e) {
        problems.push(`${sym.name}: ${(e as Error).message}`);
        return;
      }
      type Cursor = [number, number, number, number, number];
      const read = (c: Cursor, limit: number): number[][] | null => {
        try {
          const after = withU ? c : c.slice(0, 4);
          return stmt.all(
            at(0),
            at(US_PER_DAY),
            at(Math.max(c[0], 0)),
            ...after.slice(1),
            limit,
          ) as number[][];
        } catch {
          return null;
        }
      };
      const fromT = (t: number): Cursor => [t, -Infinity, -Infinity, -Infinity, -Infinity];
      const emitRows = (rows: number[][]) => {
        const b = allocateColumnBatch(rows.length);
        for (const [t, src, bq, sq, u, r, bs, asz] of rows) {
          const i = b.n++;
          b.tsUs[i] = dayStartUs + t;
          // r NULL: the exchange sent no time (version 3); NaN carries that on.
          b.recvUs[i] = r === null ? Number.NaN : dayStartUs + t + r;
          b.bid[i] = decodeBid(src, bq, sym.scale);
          b.ask[i] = decodeAsk(src, bq, sq, sym.scale);
          b.bidSize[i] = decodeSize(bs, sym.size_scale) ?? Number.NaN;
          b.askSize[i] = decodeSize(asz, sym.size_scale) ?? Number.NaN;
          b.seq[i] = u > 0 ? u - 1 : Number.NaN;
          b.sym[i] = symIndex;
          b.src[i] = localSource(sourceIdOf(src));
        }
        salvaged += b.n;
        emit(b, symNames, srcNames);
        const last = rows[rows.length - 1];
        return [last[0], last[1], last[2], last[3], last[4]] as Cursor;
      };
      let cursor = fromT(0);
      for (;;) {
        const rows = read(cursor, PAGE_ROWS);
        if (rows) {
          if (rows.length > 0) cursor = emitRows(rows);
          if (rows.length < PAGE_ROWS) break;
          continue;
        }
        // A bad page lies ahead within this chunk: read up to it one row at a time.
        let one = read(cursor, 1);
        while (one && one.length > 0) {
          cursor = emitRows(one);
          one = read(cursor, 1);
        }
        if (one) break; // the rest of the range is empty
        // The first readable key after the bad page: widen, then bisect (reads are monotone:
        // they fail while they start on the bad page, and succeed from the page after it).
        const badFrom = cursor[0];
        let lo = badFrom;
        let hi = badFrom + 1;
        while (hi < US_PER_DAY && read(fromT(hi), 1) === null) {
          lo = hi;
          hi = Math.min(US_PER_DAY, badFrom + (hi - badFrom) * 2);
        }
        if (read(fromT(hi), 1) === null) {
          problems.push(`${sym.name}: unreadable from ${isoOf(dayStartUs + badFrom)} on`);
          break;
        }
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (read(fromT(mid), 1) === null) lo = mid;
          else hi = mid;
        }
        problems.push(
          `${sym.name}: unreadable between ${isoOf(dayStartUs + badFrom)} and ${isoOf(dayStartUs + hi)}`,
        );
        cursor = fromT(hi);
      }
    });
    return { salvaged, expected, feedEvents: salvageFeedEvents(db, version, problems), problems };
  } finally {
    db.close();
  }
}

/**
 * The gap ledger of a damaged file, in rowid chunks; past a bad page one rowid at a time (a few
 * entries a day, so that is cheap).
 */
function salvageFeedEvents(db: Database.Database, version: number, problems: string[]): FeedEvent[] {
  if (version < SEQUENCE_VERSION) return [];
  const out: FeedEvent[] = [];
  let stmt: Database.Statement;
  let hi: number | null;
  try {
    stmt = db
      .prepare(`SELECT rowid, ${FEED_EVENT_COLUMNS} FROM feed_events WHERE rowid > ? ORDER BY rowid LIMIT ?`)
      .raw(true);
    hi = db.prepare('SELECT max(rowid) FROM feed_events').pluck().get() as number | null;
  } catch (e) {
    problems.push(`feed events unreadable: ${(e as Error).message}`);
    return out;
  }
  const read = (after: number, limit: number): unknown[][] | null => {
    try {
      return stmt.all(after, limit) as unknown[][];
    } catch {
      return null;
    }
  };
  let unreadable = 0;
  let after = Number.MIN_SAFE_INTEGER;
  while (hi !== null && after < hi) {
    const rows = read(after, 500) ?? read(after, 1);
    if (rows === null) {
      unreadable++;
      after = after === Number.MIN_SAFE_INTEGER ? 0 : after + 1;
      continue;
    }
    if (rows.length === 0) break;
    for (const r of rows) out.push(feedEventOfRow(r, 1));
    after = rows[rows.length - 1][0] as number;
  }
  if (unreadable > 0) problems.push(`feed events: ${unreadable} rows unreadable`);
  return out;
}

function isoOf(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}
