// Which source files earlier runs migrated, so a re-run skips them and a killed run resumes.
// A small SQLite file under <output>/.migration: a write is a single-row transaction, so the
// ledger is never half-written, and a file is marked done only after the store has flushed its
// ticks. A file left 'in_progress' by a killed run is simply redone; the day files' unique key
// makes the repeat harmless.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FileStatus, MigrationFormat } from '../../shared/migration.ts';

export interface LedgerEntry {
  path: string;
  rel: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  format: MigrationFormat | null;
  status: 'in_progress' | FileStatus;
  ticksRead: number;
  ticksAccepted: number;
  ticksRejected: number;
  reason: string | null;
  runId: string;
}

export interface LedgerDay {
  path: string;
  symbol: string;
  day: string;
  ticks: number;
}

export function migrationStateDir(outputDir: string): string {
  return path.join(outputDir, '.migration');
}

export class MigrationLedger {
  private readonly db: Database.Database;

  constructor(outputDir: string) {
    const dir = migrationStateDir(outputDir);
    mkdirSync(dir, { recursive: true });
    this.db = new Database(path.join(dir, 'ledger.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS files (
        path TEXT PRIMARY KEY, rel TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL,
        sha256 TEXT NOT NULL, format TEXT, status TEXT NOT NULL, ticks_read INTEGER NOT NULL,
        ticks_accepted INTEGER NOT NULL, ticks_rejected INTEGER NOT NULL, reason TEXT,
        run_id TEXT NOT NULL, updated_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS file_days (
        path TEXT NOT NULL, symbol TEXT NOT NULL, day TEXT NOT NULL, ticks INTEGER NOT NULL,
        PRIMARY KEY (path, symbol, day)
      );
    `);
  }

  get(absPath: string): LedgerEntry | null {
    const r = this.db.prepare('SELECT * FROM files WHERE path = ?').get(absPath) as
      Record<string, unknown> | undefined;
    if (!r) return null;
    return {
      path: r.path as string,
      rel: r.rel as string,
      size: r.size as number,
      mtimeMs: r.mtime_ms as number,
      sha256: r.sha256 as string,
      format: (r.format as MigrationFormat | null) ?? null,
      status: r.status as LedgerEntry['status'],
      ticksRead: r.ticks_read as number,
      ticksAccepted: r.ticks_accepted as number,
      ticksRejected: r.ticks_rejected as number,
      reason: (r.reason as string | null) ?? null,
      runId: r.run_id as string,
    };
  }

  /** Finished earlier with this size and modification time (the hash is checked by the caller). */
  finishedEntry(absPath: string, size: number, mtimeMs: number): LedgerEntry | null {
    const e = this.get(absPath);
    return e && e.status === 'migrated' && e.size === size && e.mtimeMs === mtimeMs ? e : null;
  }

  put(e: LedgerEntry, days?: Map<string, number>): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT OR REPLACE INTO files (path, rel, size, mtime_ms, sha256, format, status, ticks_read,
             ticks_accepted, ticks_rejected, reason, run_id, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          e.path,
          e.rel,
          e.size,
          e.mtimeMs,
          e.sha256,
          e.format,
          e.status,
          e.ticksRead,
          e.ticksAccepted,
          e.ticksRejected,
          e.reason,
          e.runId,
          new Date().toISOString(),
        );
      if (days) {
        this.db.prepare('DELETE FROM file_days WHERE path = ?').run(e.path);
        const ins = this.db.prepare('INSERT INTO file_days (path, symbol, day, ticks) VALUES (?, ?, ?, ?)');
        for (const [key, ticks] of days) {
          const sep = key.lastIndexOf('|');
          ins.run(e.path, key.slice(0, sep), key.slice(sep + 1), ticks);
        }
      }
    })();
  }

  daysOf(absPath: string): LedgerDay[] {
    return this.db
      .prepare('SELECT path, symbol, day, ticks FROM file_days WHERE path = ?')
      .all(absPath) as LedgerDay[];
  }

  close(): void {
    this.db.close();
  }
}
