// Which source files earlier runs migrated, so a re-run skips them and a killed run resumes.
// A small SQLite file under <output>/.migration: a write is a single-row transaction, so the
// ledger is never half-written, and a file is marked done only after the store has flushed its
// ticks. A file left 'in_progress' by a killed run is simply redone; the day files' unique key
// makes the repeat harmless. Per file and symbol-day it keeps the count and checksum of the ticks
// the store accepted, which is what lets validation check a day file without the sources.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FileStatus, MigrationFormat } from '../../shared/migration.ts';
import type { DayTallies } from './dayTally.ts';
import { splitDaySymbolKey } from './dayTally.ts';
import type { TickTally } from './tickChecksum.ts';

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
  /** What the file's ticks depend on besides its bytes (see fileIdentity.ts); null if unknown. */
  ticksKey: string | null;
}

export interface LedgerDay {
  path: string;
  symbol: string;
  day: string;
  ticks: number;
  /** Count and checksum of the accepted ticks; null for entries of older ledgers. */
  tally: TickTally | null;
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
    // Ledgers written before checksums were kept gain the columns; their rows stay NULL.
    this.addColumnIfMissing('files', 'ticks_key', 'TEXT');
    this.addColumnIfMissing('file_days', 'sum_hi', 'INTEGER');
    this.addColumnIfMissing('file_days', 'sum_lo', 'INTEGER');
    this.db.exec('CREATE INDEX IF NOT EXISTS files_by_sha256 ON files (sha256)');
  }

  private addColumnIfMissing(table: string, column: string, type: string): void {
    const cols = this.db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
    if (!cols.some((c) => c.name === column))
      this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  }

  get(absPath: string): LedgerEntry | null {
    const r = this.db.prepare('SELECT * FROM files WHERE path = ?').get(absPath) as
      Record<string, unknown> | undefined;
    return r ? entryOf(r) : null;
  }

  /** Sizes of the files migrated so far: only a file of one of these sizes can be a copy of one. */
  migratedSizes(): Set<number> {
    const sizes = this.db
      .prepare("SELECT DISTINCT size FROM files WHERE status = 'migrated' AND sha256 != ''")
      .pluck()
      .all() as number[];
    return new Set(sizes);
  }

  /** Files migrated with these bytes, oldest first. */
  migratedWithHash(sha256: string): LedgerEntry[] {
    const rows = this.db
      .prepare("SELECT * FROM files WHERE sha256 = ? AND status = 'migrated' ORDER BY updated_at")
      .all(sha256) as Array<Record<string, unknown>>;
    return rows.map(entryOf);
  }

  /** Finished earlier with this size and modification time (the hash is checked by the caller). */
  finishedEntry(absPath: string, size: number, mtimeMs: number): LedgerEntry | null {
    const e = this.get(absPath);
    return e && e.status === 'migrated' && e.size === size && e.mtimeMs === mtimeMs ? e : null;
  }

  put(e: LedgerEntry, days?: DayTallies): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT OR REPLACE INTO files (path, rel, size, mtime_ms, sha256, format, status, ticks_read,
             ticks_accepted, ticks_rejected, reason, run_id, updated_at, ticks_key)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
          e.ticksKey,
        );
      if (days) {
        this.db.prepare('DELETE FROM file_days WHERE path = ?').run(e.path);
        const ins = this.db.prepare(
          'INSERT INTO file_days (path, symbol, day, ticks, sum_hi, sum_lo) VALUES (?, ?, ?, ?, ?, ?)',
        );
        for (const [key, t] of days) {
          const { symbol, day } = splitDaySymbolKey(key);
          ins.run(e.path, symbol, day, t.ticks, t.hi, t.lo);
        }
      }
    })();
  }

  daysOf(absPath: string): LedgerDay[] {
    const rows = this.db
      .prepare('SELECT path, symbol, day, ticks, sum_hi, sum_lo FROM file_days WHERE path = ?')
      .all(absPath) as Array<{
      path: string;
      symbol: string;
      day: string;
      ticks: number;
      sum_hi: number | null;
      sum_lo: number | null;
    }>;
    return rows.map((r) => ({
      path: r.path,
      symbol: r.symbol,
      day: r.day,
      ticks: r.ticks,
      tally: r.sum_hi === null || r.sum_lo === null ? null : { ticks: r.ticks, hi: r.sum_hi, lo: r.sum_lo },
    }));
  }

  close(): void {
    this.db.close();
  }
}

function entryOf(r: Record<string, unknown>): LedgerEntry {
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
    ticksKey: (r.ticks_key as string | null) ?? null,
  };
}
