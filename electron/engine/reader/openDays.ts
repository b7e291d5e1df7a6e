// The day files a reader worker has open: read-only connections kept in least-recently-used
// order, each with the dictionary entries (symbols, sources) it has looked up, and a damaged file
// named in a QueryError instead of a bare SQLite code.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { isArchived } from '../archive/archiveMeta.ts';
import { utcDayIndex } from '../../../shared/time.ts';
import { QueryError } from '../errors.ts';
import type { DayFileRef } from '../storage/dayFileCatalog.ts';
import { listDayFiles } from '../storage/dayFileCatalog.ts';
import { SCHEMA_VERSION } from '../storage/daySchema.ts';

export interface DaySymbol {
  id: number;
  scale: number;
  sizeScale: number;
}

export interface OpenDay {
  db: Database.Database;
  path: string;
  version: number;
  /** The file this connection reads: a compaction (or a salvage) puts another at the path. */
  ino: number;
  /** Compacted into the archive tier: ticks in blocks, late ones in q. */
  archived: boolean;
  sources: Map<number, string>;
  /** Source name -> id in this file, for the names looked up so far. */
  sourceIds: Map<string, number>;
  symbols: Map<string, DaySymbol>;
}

const MAX_OPEN = 64;

function isCorrupt(e: unknown): boolean {
  const code = (e as { code?: string })?.code ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

export class OpenDays {
  private readonly sqliteDir: string;
  private readonly open = new Map<number, OpenDay>();

  constructor(sqliteDir: string) {
    this.sqliteDir = sqliteDir;
  }

  /** Every day file, oldest first. */
  files(): DayFileRef[] {
    return listDayFiles(this.sqliteDir);
  }

  /** The day files that can hold ticks of [fromUs, toUs). */
  filesIn(fromUs: number, toUs: number): DayFileRef[] {
    const first = utcDayIndex(fromUs);
    const last = utcDayIndex(toUs - 1);
    return this.files().filter((f) => f.day >= first && f.day <= last);
  }

  /**
   * Runs a read on a day file; a damaged file is named in a QueryError instead of a bare SQLite
   * code. A file the writer is creating right now (version 0: no tables yet) answers `none`.
   */
  onDay<T>(ref: DayFileRef, fn: (d: OpenDay) => T, none: T): T {
    try {
      const d = this.day(ref);
      return d === null ? none : fn(d);
    } catch (e) {
      if (!isCorrupt(e)) throw e;
      this.forget(ref.day);
      throw new QueryError(
        `${ref.path}: the day file is damaged (${(e as Error).message}); Tickscope moves it aside and salvages ` +
          'what it can the next time it writes to that day',
      );
    }
  }

  private forget(day: number): void {
    const d = this.open.get(day);
    this.open.delete(day);
    try {
      d?.db.close();
    } catch {
      // closing a damaged file may fail too
    }
  }

  private day(ref: DayFileRef): OpenDay | null {
    let d = this.open.get(ref.day);
    if (d && inodeOf(ref.path) !== d.ino) {
      // Swapped for its compacted (or salvaged) successor: read the file now at the path.
      this.forget(ref.day);
      d = undefined;
    }
    if (d) {
      // Re-insert to keep the map in least-recently-used order.
      this.open.delete(ref.day);
      this.open.set(ref.day, d);
      // The writer migrates a file it writes to (an old day getting a late tick): a layout read
      // with the old version's queries would miss the new key column.
      const version = d.db.pragma('user_version', { simple: true }) as number;
      if (version !== d.version) {
        if (version > SCHEMA_VERSION) {
          this.forget(ref.day);
          return this.day(ref);
        }
        d.version = version;
        d.archived = isArchived(d.db);
        d.symbols.clear();
        d.sources.clear();
        d.sourceIds.clear();
      }
      return d;
    }
    const ino = inodeOf(ref.path);
    const db = new Database(ref.path, { fileMustExist: true });
    let version: number;
    let archived = false;
    try {
      db.pragma('query_only = ON');
      db.pragma('busy_timeout = 2000');
      db.pragma('mmap_size = 268435456');
      version = db.pragma('user_version', { simple: true }) as number;
      if (version > 0 && version <= SCHEMA_VERSION) archived = isArchived(db);
    } catch (e) {
      db.close();
      throw e;
    }
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new QueryError(
        `${ref.path}: schema version ${version} is newer than this Tickscope (${SCHEMA_VERSION})`,
      );
    }
    if (version === 0) {
      // Created this instant: its schema commits in one transaction; look again next time.
      db.close();
      return null;
    }
    d = {
      db,
      path: ref.path,
      version,
      ino,
      archived,
      sources: new Map(),
      sourceIds: new Map(),
      symbols: new Map(),
    };
    this.open.set(ref.day, d);
    if (this.open.size > MAX_OPEN) {
      const [oldest, od] = this.open.entries().next().value!;
      od.db.close();
      this.open.delete(oldest);
    }
    return d;
  }

  close(): void {
    for (const d of this.open.values()) d.db.close();
    this.open.clear();
  }
}

function inodeOf(p: string): number {
  try {
    return fs.statSync(p).ino;
  } catch {
    return -1;
  }
}

/** A symbol's id and scales in a day file, or null when the file does not have it. */
export function daySymbol(d: OpenDay, name: string): DaySymbol | null {
  let s = d.symbols.get(name);
  if (s) return s;
  const row = d.db.prepare('SELECT id, scale, size_scale FROM symbols WHERE name = ?').get(name) as
    { id: number; scale: number; size_scale: number } | undefined;
  if (!row) return null;
  // Only committed symbols are visible here, and their ids never change: safe to cache.
  d.symbols.set(name, (s = { id: row.id, scale: row.scale, sizeScale: row.size_scale }));
  return s;
}

export function sourceName(d: OpenDay, id: number): string {
  let n = d.sources.get(id);
  if (n === undefined) {
    n = (d.db.prepare('SELECT name FROM sources WHERE id = ?').pluck().get(id) as string | undefined) ?? '?';
    d.sources.set(id, n);
  }
  return n;
}

/** A source's id in a day file, or null when no tick of that file has it. */
export function sourceIdIn(d: OpenDay, name: string): number | null {
  const known = d.sourceIds.get(name);
  if (known !== undefined) return known;
  const id = d.db.prepare('SELECT id FROM sources WHERE name = ?').pluck().get(name) as number | undefined;
  // A source committed later gets an id then: only a found one is kept.
  if (id === undefined) return null;
  d.sourceIds.set(name, id);
  return id;
}
