// Deletes day files (and legacy JSON files) of days before the first day retention keeps.
import fs from 'node:fs';
import path from 'node:path';
import { dayKeyToIndex } from '../../../shared/time.ts';
import { listDayFiles } from '../storage/dayFileCatalog.ts';

export function sweepRetention(
  sqliteDir: string,
  jsonDir: string,
  firstKeptDay: number,
  closeDay: (day: number) => void,
): number[] {
  const deleted: number[] = [];
  for (const ref of listDayFiles(sqliteDir)) {
    if (ref.day >= firstKeptDay) break;
    closeDay(ref.day);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(ref.path + suffix, { force: true });
    deleted.push(ref.day);
  }
  for (const symDir of safeList(jsonDir)) {
    for (const f of safeList(path.join(jsonDir, symDir))) {
      const day = dayKeyToIndex(f.replace(/\.json$/, ''));
      if (day !== null && day < firstKeptDay) fs.rmSync(path.join(jsonDir, symDir, f), { force: true });
    }
  }
  return deleted;
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
