// Reads back what a day file holds, for validation: every tick of the asked symbols, through the
// file's documented `ticks` view (whatever the engine's physical layout), decoded to
// (ts, bid, ask, source).
//
// One scan of the whole view per day file, filtered here: the view joins the ticks with their
// symbol's row, so `WHERE symbol = ?` scans every tick of the day again for each symbol. Measured
// on a day of 1M ticks over 10,000 symbols: one scan 0.6 s; per-symbol queries over 5 minutes.
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type DayTickVisitor = (symbol: string, tsUs: number, bid: number, ask: number, source: string) => void;

export function dayFilePath(sqliteDir: string, day: string): string {
  return path.join(sqliteDir, day.slice(0, 4), day.slice(5, 7), `ticks_${day}.db`);
}

type Db = Database.Database;

/** An aggregate whose step sees every row's columns as arguments. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the step's columns vary by query
function registerRowVisitor(db: Db, name: string, step: (n: number, ...columns: any[]) => number): void {
  db.aggregate(name, { start: 0, step: step as (n: number, next: number) => number });
}

/**
 * Visits every stored tick of `symbols` in the day file, in one read transaction (a consistent
 * snapshot while the store keeps writing). Returns false when there is no such file.
 */
export function readDayFileTicks(
  sqliteDir: string,
  day: string,
  symbols: Iterable<string>,
  visit: DayTickVisitor,
): boolean {
  const file = dayFilePath(sqliteDir, day);
  if (!existsSync(file)) return false;
  const wanted = new Set(symbols);
  if (wanted.size === 0) return true;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    let last: string | null = null;
    let keep = false;
    // Rows reach JS through an aggregate's step (no array per row): measured 0.50 s for 1.1M
    // rows, against 0.72 s iterating the same SELECT. The engine keeps a symbol's ticks
    // together, so the set is asked once per run of a symbol rather than per row.
    registerRowVisitor(
      db,
      'tickscope_visit_ticks',
      (n: number, symbol: string, ts: number, bid: number, ask: number, source: string) => {
        if (symbol !== last) {
          last = symbol;
          keep = wanted.has(symbol);
        }
        if (keep) visit(symbol, Number(ts), bid, ask, source);
        return n + 1;
      },
    );
    const scan = db.prepare('SELECT tickscope_visit_ticks(symbol, ts_us, bid, ask, source) FROM ticks');
    db.transaction(() => scan.get())();
    return true;
  } finally {
    db.close();
  }
}
