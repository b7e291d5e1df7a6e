// The writer's open day files: at most a few at once (least recently written closed first), each
// checked when opened (PRAGMA quick_check) and watched while open (still the same file on disk).
// A damaged file is moved aside (`*.corrupt-<time>`), a fresh one takes its place and what can
// still be read from the damaged one is salvaged into it; a file that vanished or was replaced is
// reopened and the caller re-writes what it still has in memory.
import fs from 'node:fs';
import { dayIndexToKey } from '../../../shared/time.ts';
import type { ColumnBatch } from '../storage/columnBatch.ts';
import { DayFile } from '../storage/dayFile.ts';
import { dayFilePath } from '../storage/dayPath.ts';
import { SchemaVersionError } from '../storage/daySchema.ts';
import { salvageDayFile } from './daySalvage.ts';

const MAX_OPEN_DAY_FILES = 4;
const CORRUPT_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_VTAB',
]);

export interface PoolHooks {
  /** Inserts salvaged ticks (ids index the given names) into a fresh file; returns ticks inserted. */
  salvageInto(file: DayFile, batch: ColumnBatch, symNames: string[], srcNames: string[]): number;
  incident(severity: 'critical' | 'warn', message: string): void;
  problem(message: string): void;
}

export interface FileLoss {
  kind: 'vanished' | 'replaced';
  heldTicks: number;
}

export function isCorruptionError(e: unknown): boolean {
  const code = (e as { code?: string })?.code ?? '';
  return CORRUPT_CODES.has(code) || code.startsWith('SQLITE_CORRUPT');
}

export class DayFilePool {
  private readonly sqliteDir: string;
  private readonly busyTimeoutMs: number;
  private readonly hooks: PoolHooks;
  private readonly files = new Map<number, DayFile>();
  /** Files this run closed after writing, by what they looked like then: unchanged means still sound. */
  private readonly closedSound = new Map<string, string>();

  constructor(sqliteDir: string, busyTimeoutMs: number, hooks: PoolHooks) {
    this.sqliteDir = sqliteDir;
    this.busyTimeoutMs = busyTimeoutMs;
    this.hooks = hooks;
  }

  get openDays(): number[] {
    return [...this.files.keys()];
  }

  /** The open file for a day, opened (and checked) if needed; most recently used last. */
  get(day: number): DayFile {
    let f = this.files.get(day);
    if (f) this.files.delete(day);
    else f = this.open(day);
    this.files.set(day, f);
    return f;
  }

  private open(day: number): DayFile {
    const p = dayFilePath(this.sqliteDir, day);
    let before: fs.Stats | null = null;
    try {
      before = fs.statSync(p);
    } catch {
      // a new day: nothing to check
    }
    let f: DayFile;
    try {
      f = new DayFile(p, day, this.busyTimeoutMs);
    } catch (e) {
      if (before && isCorruptionError(e) && !(e instanceof SchemaVersionError))
        return this.replaceCorrupt(day, p, (e as Error).message);
      throw e;
    }
    if (before && before.size > 0 && this.closedSound.get(p) !== stamp(before)) {
      let problem: string | null;
      try {
        problem = f.quickCheck();
      } catch (e) {
        problem = (e as Error).message;
      }
      if (problem !== null) {
        f.abandon();
        return this.replaceCorrupt(day, p, problem);
      }
    }
    return f;
  }

  private replaceCorrupt(day: number, p: string, problem: string): DayFile {
    const aside = `${p}.corrupt-${new Date().toISOString().replace(/[-:.]/g, '')}`;
    for (const suffix of ['', '-wal', '-shm']) {
      try {
        fs.renameSync(p + suffix, aside + suffix);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    const fresh = new DayFile(p, day, this.busyTimeoutMs);
    let inserted = 0;
    const r = salvageDayFile(aside, fresh.dayStartUs, (batch, symNames, srcNames) => {
      inserted += this.hooks.salvageInto(fresh, batch, symNames, srcNames);
    });
    let events = 0;
    if (r.feedEvents.length > 0) {
      try {
        events = fresh.transaction(() => fresh.insertFeedEvents(r.feedEvents));
      } catch (e) {
        r.problems.push(`the salvaged feed events could not be written: ${describe(e)}`);
      }
    }
    const held = r.expected === null ? 'an unknown number of' : String(r.expected);
    this.hooks.incident(
      'critical',
      `day file ${p} (${dayIndexToKey(day)}) was damaged (${problem}); it was moved to ${aside} and a new file ` +
        `takes its place; ${inserted} of ${held} ticks were salvaged into it` +
        (events > 0 ? `, and ${events} feed events` : '') +
        (r.problems.length ? ` (${r.problems.slice(0, 3).join('; ')})` : ''),
    );
    return fresh;
  }

  /**
   * Whether the day's open file is still the one on disk. If it vanished or was replaced, the
   * connection is dropped and the day reopened; the loss is returned so the caller can re-write.
   */
  ensurePresent(day: number): FileLoss | null {
    const f = this.files.get(day);
    if (!f) return null;
    const presence = f.presence();
    if (presence === 'present') return null;
    f.abandon();
    this.files.delete(day);
    const loss: FileLoss = { kind: presence, heldTicks: f.totalTicks };
    this.get(day);
    return loss;
  }

  /** Closes past days beyond the few kept open (today's file always stays). */
  closeIdle(currentDay: number): number[] {
    const closed: number[] = [];
    for (const day of [...this.files.keys()]) {
      if (this.files.size <= MAX_OPEN_DAY_FILES) break;
      if (day === currentDay) continue;
      this.close(day);
      closed.push(day);
    }
    return closed;
  }

  /** Checkpoints and closes a day's file; a failure is reported, never thrown. */
  close(day: number): void {
    const f = this.files.get(day);
    if (!f) return;
    this.files.delete(day);
    try {
      f.close();
      const st = fs.statSync(f.path);
      this.closedSound.set(f.path, stamp(st));
    } catch (e) {
      this.hooks.problem(`closing ${f.path}: ${describe(e)}`);
    }
  }

  /** Forgets a file without checkpointing (its insert failed and rolled back: reopen next time). */
  drop(day: number): void {
    const f = this.files.get(day);
    if (!f) return;
    this.files.delete(day);
    try {
      f.abandon();
    } catch {
      // already broken; the error that matters was reported by the caller
    }
  }

  closeAll(): string[] {
    const problems: string[] = [];
    for (const [day, f] of [...this.files]) {
      this.files.delete(day);
      try {
        f.close();
      } catch (e) {
        problems.push(
          `closing ${f.path}: ${describe(e)} (its write-ahead log keeps the data; it is checkpointed at the next start)`,
        );
      }
    }
    return problems;
  }
}

function stamp(st: fs.Stats): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

export function describe(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return err?.code ? `${err.code}: ${err.message}` : (err?.message ?? String(e));
}
