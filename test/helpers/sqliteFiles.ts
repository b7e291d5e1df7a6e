// Looking at what is really on disk, through separate read-only connections (never the engine's).
import Database from 'better-sqlite3';
import { listDayFiles } from '../../electron/engine/storage/dayFileCatalog.ts';

/** Rows of the `ticks` view of one day file (optionally filtered by a WHERE clause). */
export function sqliteCount(dbPath: string, where = '1', ...params: unknown[]): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ticks WHERE ${where}`).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Runs one query on a day file, read-only. */
export function sqliteAll<T>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Rows of the `ticks` view across every day file under sqliteDir. */
export function sqliteCountAll(sqliteDir: string): number {
  let n = 0;
  for (const f of listDayFiles(sqliteDir)) n += sqliteCount(f.path);
  return n;
}

/** Ticks per `symbol source` across every day file under sqliteDir, from the `ticks` view. */
export function sqliteCountsBySymbolSource(sqliteDir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of listDayFiles(sqliteDir)) {
    const rows = sqliteAll<{ symbol: string; source: string; n: number }>(
      f.path,
      'SELECT symbol, source, count(*) AS n FROM ticks GROUP BY symbol, source',
    );
    for (const r of rows) out.set(`${r.symbol} ${r.source}`, (out.get(`${r.symbol} ${r.source}`) ?? 0) + r.n);
  }
  return out;
}
