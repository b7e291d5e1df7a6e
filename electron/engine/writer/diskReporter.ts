// Bytes the recorder keeps on disk and space left, measured by walking its folders. Day files
// and the journal are walked every report; the legacy JSON tree (a file per symbol and day: tens
// of thousands after a year) only every so often, so its walk rarely delays a pass.
import fs from 'node:fs';
import path from 'node:path';
import type { DiskReport } from '../workers/writerApi.ts';

const JSON_WALK_EVERY = 12;

export class DiskReporter {
  private readonly sqliteDir: string;
  private readonly jsonDir: string;
  private readonly spillDir: string;
  private jsonBytes = 0;
  private reports = 0;

  constructor(sqliteDir: string, jsonDir: string, spillDir: string) {
    this.sqliteDir = sqliteDir;
    this.jsonDir = jsonDir;
    this.spillDir = spillDir;
  }

  measure(full = false): DiskReport {
    if (full || this.reports++ % JSON_WALK_EVERY === 0) this.jsonBytes = dirBytes(this.jsonDir);
    const spillBytes = dirBytes(this.spillDir);
    let freeBytes: number | null;
    try {
      const st = fs.statfsSync(this.sqliteDir);
      freeBytes = st.bavail * st.bsize;
    } catch {
      freeBytes = null;
    }
    return { bytes: dirBytes(this.sqliteDir) + this.jsonBytes + spillBytes, spillBytes, freeBytes };
  }
}

function dirBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!e.isFile()) continue;
    try {
      total += fs.statSync(path.join(e.parentPath, e.name)).size;
    } catch {
      // removed while walking
    }
  }
  return total;
}
