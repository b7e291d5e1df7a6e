// Where a UTC day's ticks live: <sqliteDir>/YYYY/MM/ticks_YYYY-MM-DD.db.
import path from 'node:path';
import { dayIndexToKey, dayKeyToIndex } from '../../../shared/time.ts';

export function dayFilePath(sqliteDir: string, dayIndex: number): string {
  const key = dayIndexToKey(dayIndex);
  return path.join(sqliteDir, key.slice(0, 4), key.slice(5, 7), `ticks_${key}.db`);
}

const DAY_FILE = /^ticks_(\d{4}-\d{2}-\d{2})\.db$/;

/** The day index a day file name stands for, or null when it is not one of ours. */
export function dayIndexOfFile(fileName: string): number | null {
  const m = DAY_FILE.exec(fileName);
  return m ? dayKeyToIndex(m[1]) : null;
}

export function jsonDayPath(jsonDir: string, symbol: string, dayIndex: number): string {
  // Symbols may contain '/', which cannot be a folder name; the legacy layout used '_' for it.
  return path.join(jsonDir, symbol.replaceAll('/', '_'), `${dayIndexToKey(dayIndex)}.json`);
}
