// Reads what can still be read from a damaged day file. A normal scan stops at the first bad
// page; here each symbol's key range is read in pages, and a page that fails is stepped over
// (1 s, then wider) until the scan finds readable rows again, so one bad page costs the ticks
// on it, not the rest of the day.
import Database from 'better-sqlite3';
import { US_PER_DAY } from '../../../shared/time.ts';
import type { ColumnBatch } from '../storage/columnBatch.ts';
import { allocateColumnBatch } from '../storage/columnBatch.ts';
import { keyBase, keyPlus } from '../storage/dayKey.ts';
import { SINGLE_TABLE_VERSION } from '../storage/daySchema.ts';
import { decodeAsk, decodeBid, decodeSize, sourceIdOf } from '../storage/priceCodec.ts';

const PAGE_ROWS = 5_000;
const FIRST_STEP_US = 1_000_000;
const MAX_STEP_US = 3_600_000_000;

export interface SalvageResult {
  salvaged: number;
  /** What the file's own counters said it held, when they could be read. */
  expected: number | null;
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
    return { salvaged: 0, expected: null, problems: [`cannot open: ${(e as Error).message}`] };
  }
  try {
    let version = 0;
    let symbols: SymbolRow[];
    const sources = new Map<number, string>();
    try {
      version = db.pragma('user_version', { simple: true }) as number;
      symbols = db.prepare('SELECT id, name, scale, size_scale, count FROM symbols').all() as SymbolRow[];
    } catch (e) {
      return { salvaged: 0, expected: null, problems: [`symbol table unreadable: ${(e as Error).message}`] };
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
      // Version 2: the symbol's key range of the shared table; version 1: its own table.
      const v2 = version >= SINGLE_TABLE_VERSION;
      const base = keyBase(sym.id);
      const table = v2 ? 'q' : `q_${sym.id}`;
      const key = v2 ? 'k' : 't';
      const at = (t: number) => (v2 ? keyPlus(base, t) : t);
      let stmt: Database.Statement;
      try {
        stmt = db
          .prepare(
            `SELECT ${key} - ? AS t, src, b, s, r, bs, asz FROM ${table} WHERE ${key} < ? AND (${key}, src, b, s) > (?, ?, ?, ?)
             ORDER BY ${key}, src, b, s LIMIT ${PAGE_ROWS}`,
          )
          .raw(true);
      } catch (e) {
        problems.push(`${sym.name}: ${(e as Error).message}`);
        return;
      }
      let cursor: [number, number, number, number] = [-1, -Infinity, -Infinity, -Infinity];
      let step = FIRST_STEP_US;
      let skippedFrom: number | null = null;
      while (cursor[0] < US_PER_DAY) {
        let rows: number[][];
        try {
          rows = stmt.all(
            at(0),
            at(US_PER_DAY),
            at(Math.max(cursor[0], 0)),
            cursor[1],
            cursor[2],
            cursor[3],
          ) as number[][];
        } catch {
          skippedFrom ??= Math.max(0, cursor[0]);
          cursor = [cursor[0] + step, -Infinity, -Infinity, -Infinity];
          step = Math.min(step * 2, MAX_STEP_US);
          continue;
        }
        if (skippedFrom !== null) {
          problems.push(
            `${sym.name}: unreadable between ${isoOf(dayStartUs + skippedFrom)} and ${isoOf(dayStartUs + Math.min(cursor[0], US_PER_DAY))}`,
          );
          skippedFrom = null;
        }
        step = FIRST_STEP_US;
        if (rows.length === 0) break;
        const b = allocateColumnBatch(rows.length);
        for (const [t, src, bq, sq, r, bs, asz] of rows) {
          const i = b.n++;
          b.tsUs[i] = dayStartUs + t;
          b.recvUs[i] = dayStartUs + t + (r ?? 0);
          b.bid[i] = decodeBid(src, bq, sym.scale);
          b.ask[i] = decodeAsk(src, bq, sq, sym.scale);
          b.bidSize[i] = decodeSize(bs, sym.size_scale) ?? Number.NaN;
          b.askSize[i] = decodeSize(asz, sym.size_scale) ?? Number.NaN;
          b.sym[i] = symIndex;
          b.src[i] = localSource(sourceIdOf(src));
        }
        salvaged += b.n;
        emit(b, symNames, srcNames);
        const last = rows[rows.length - 1];
        cursor = [last[0], last[1], last[2], last[3]];
        if (rows.length < PAGE_ROWS) break;
      }
      if (skippedFrom !== null)
        problems.push(`${sym.name}: unreadable from ${isoOf(dayStartUs + skippedFrom)} on`);
    });
    return { salvaged, expected, problems };
  } finally {
    db.close();
  }
}

function isoOf(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}
