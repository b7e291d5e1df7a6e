// Deletes day files (with their -wal and -shm) and legacy JSON files for retention: exactly the
// days a plan lists (retention/retentionPlan.ts decides which), and JSON files by age.
import fs from 'node:fs';
import path from 'node:path';
import { dayKeyToIndex } from '../../../shared/time.ts';
import { listDayFiles } from '../storage/dayFileCatalog.ts';
import type { DeletedDay } from '../workers/writerApi.ts';

const DAY_FILE_SUFFIXES = ['', '-wal', '-shm'];

/**
 * Deletes these days' day files and every symbol's JSON file of those days. `closeDay` runs
 * first for each day file, so no connection writes into a file being removed. Answers the day
 * files removed with the bytes they freed (day file, -wal and -shm: the JSON files are not part
 * of the day-file bytes retention weighs), oldest first.
 */
export function deleteDays(
  sqliteDir: string,
  jsonDir: string,
  days: readonly number[],
  closeDay: (day: number) => void,
): DeletedDay[] {
  const wanted = new Set(days);
  const deleted: DeletedDay[] = [];
  for (const ref of listDayFiles(sqliteDir)) {
    if (!wanted.has(ref.day)) continue;
    closeDay(ref.day);
    let bytes = 0;
    for (const suffix of DAY_FILE_SUFFIXES) bytes += removeFile(ref.path + suffix);
    deleted.push({ day: ref.day, bytes });
  }
  deleteJsonFiles(jsonDir, (day) => wanted.has(day));
  return deleted;
}

/** Deletes every JSON file of a day before `firstKeptDay`, with or without a day file (JSON-only periods). */
export function deleteJsonBefore(jsonDir: string, firstKeptDay: number): void {
  deleteJsonFiles(jsonDir, (day) => day < firstKeptDay);
}

function deleteJsonFiles(jsonDir: string, goes: (day: number) => boolean): void {
  for (const symDir of safeList(jsonDir)) {
    for (const f of safeList(path.join(jsonDir, symDir))) {
      const day = dayKeyToIndex(f.replace(/\.json$/, ''));
      if (day !== null && goes(day)) removeFile(path.join(jsonDir, symDir, f));
    }
  }
}

/** Removes a file if it is there; answers its size (0 when there was none). */
function removeFile(p: string): number {
  let size: number;
  try {
    size = fs.statSync(p).size;
  } catch {
    return 0;
  }
  fs.rmSync(p, { force: true });
  return size;
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
