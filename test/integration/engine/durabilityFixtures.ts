// Helpers for the durability tests: temp dirs, counting what is really in the day files, polling.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { listDayFiles } from '../../../electron/engine/storage/dayFileCatalog.ts';

export function tempDataDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tickscope-${prefix}-`));
}

/** Rows in the `ticks` view of every day file under sqliteDir, read with a separate connection. */
export function countStoredTicks(sqliteDir: string): number {
  let n = 0;
  for (const f of listDayFiles(sqliteDir)) {
    const db = new Database(f.path, { readonly: true, fileMustExist: true });
    try {
      n += (db.prepare('SELECT count(*) AS n FROM ticks').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  return n;
}

export async function waitFor(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
