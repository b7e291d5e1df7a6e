// Finds the day files under the SQLite base (YYYY/MM/ticks_YYYY-MM-DD.db), oldest first.
import fs from 'node:fs';
import path from 'node:path';
import { dayIndexOfFile } from './dayPath.ts';

export interface DayFileRef {
  day: number;
  path: string;
}

export function listDayFiles(sqliteDir: string): DayFileRef[] {
  const out: DayFileRef[] = [];
  for (const y of safeReaddir(sqliteDir)) {
    if (!/^\d{4}$/.test(y)) continue;
    for (const m of safeReaddir(path.join(sqliteDir, y))) {
      if (!/^\d{2}$/.test(m)) continue;
      for (const f of safeReaddir(path.join(sqliteDir, y, m))) {
        const day = dayIndexOfFile(f);
        if (day !== null) out.push({ day, path: path.join(sqliteDir, y, m, f) });
      }
    }
  }
  return out.sort((a, b) => a.day - b.day);
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

export function fileBytesWithWal(p: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += fs.statSync(p + suffix).size;
    } catch {
      // no WAL when the file is closed cleanly
    }
  }
  return total;
}
