// Swaps a verified compacted file in for its live original, atomically: rename(2) over the
// original, then the folder is synced. It runs only where nothing else can write the day in
// between (inside the writer worker, with the day's connection closed, or in the compact CLI
// with no recorder running). Before the rename the original's write-ahead log is emptied: a log
// with frames left beside the new file would be replayed onto it.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dayFingerprint } from './archiveMeta.ts';
import type { CompactStage, PreparedArchive } from './compactDay.ts';

export type SwapOutcome = 'swapped' | 'changed' | 'busy';

export function swapInArchive(p: PreparedArchive, onStage?: (stage: CompactStage) => void): SwapOutcome {
  const db = new Database(p.sourcePath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    const [cp] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number }[];
    if (dayFingerprint(db) !== p.fingerprint) {
      fs.rmSync(p.tmpPath, { force: true });
      return 'changed';
    }
    if (cp && cp.busy !== 0) return 'busy';
  } finally {
    db.close();
  }
  if (walFrames(p.sourcePath) > 0) return 'busy';
  fs.renameSync(p.tmpPath, p.sourcePath);
  onStage?.('renamed');
  syncFolder(path.dirname(p.sourcePath));
  return 'swapped';
}

/** Bytes in the day's -wal file (0 when it is absent). */
function walFrames(dbPath: string): number {
  try {
    return fs.statSync(`${dbPath}-wal`).size;
  } catch {
    return 0;
  }
}

export function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems cannot sync a folder; the rename itself is still atomic.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
