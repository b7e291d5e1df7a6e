// What a compaction run tells the person at the terminal and a script: one line per day, the JSON
// summary and the exit code. Pure, so the wording and the exit code are tested without a store.
import type { CompactionProgress } from '../../shared/archive.ts';
import { EXIT } from './exitCodes.ts';

/** A day this run moved into the archive tier, with the figures its DayInfo gives. */
export interface CompactedDay {
  day: string;
  ticks: number;
  /** The live file's bytes before compaction, and the day file's bytes after. */
  bytesBefore: number;
  bytesAfter: number;
}

export interface CompactionOutcome {
  /** The engine's last status of the run (daysTotal, skipped and failed days, totals). */
  status: CompactionProgress;
  /** Days seen archived, in the order they were seen. */
  days: CompactedDay[];
  /** The wait was cut short (a signal) before the engine said the run was over. */
  interrupted: boolean;
  durationMs: number;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Decimal units, three significant digits: `61.8 kB`, `1.20 GB`. */
export function formatBytes(bytes: number): string {
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0
    ? `${v} B`
    : `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${UNITS[u]}`;
}

/** How many times smaller the day got; null when there is nothing to divide by. */
export function ratioOf(bytesBefore: number, bytesAfter: number): number | null {
  return bytesAfter > 0 && bytesBefore > 0 ? Math.round((bytesBefore / bytesAfter) * 10) / 10 : null;
}

/** `2024-01-02  12345 ticks  1.21 MB -> 150 kB  (8.1x)  [3/10]`, prefixed by the command. */
export function dayLine(name: string, d: CompactedDay, done: number, total: number): string {
  const ratio = ratioOf(d.bytesBefore, d.bytesAfter);
  return (
    `${name}: ${d.day}  ${d.ticks} ticks  ${formatBytes(d.bytesBefore)} -> ${formatBytes(d.bytesAfter)}` +
    `  (${ratio === null ? '-' : `${ratio}x`})${total > 0 ? `  [${done}/${total}]` : ''}`
  );
}

export function skippedLine(name: string, s: { day: string; reason: string }): string {
  return `${name}: ${s.day} left as it was: ${s.reason}`;
}

export function failedLine(name: string, f: { day: string; error: string }): string {
  return `${name}: ${f.day} FAILED (its live file is untouched): ${f.error}`;
}

/**
 * 1 when a day failed, when the run was interrupted, or when a day asked for by name was not
 * compacted (a typo'd or current day must not pass for done); else 0.
 */
export function compactionExitCode(o: CompactionOutcome, named: readonly string[] = []): number {
  const done = new Set(o.days.map((d) => d.day));
  if (o.status.failed.length > 0 || o.interrupted || named.some((d) => !done.has(d))) return EXIT.notClean;
  return EXIT.ok;
}

/** The JSON summary for stdout (and the `compaction` field of migrate's summary). */
export function compactionSummary(o: CompactionOutcome, exitCode: number) {
  const s = o.status;
  return {
    exitCode,
    interrupted: o.interrupted,
    daysTotal: s.daysTotal,
    daysDone: s.daysDone,
    compacted: o.days.map((d) => ({ ...d, ratio: ratioOf(d.bytesBefore, d.bytesAfter) })),
    skipped: s.skipped,
    failed: s.failed,
    ticks: s.ticks,
    bytesBefore: s.bytesBefore,
    bytesAfter: s.bytesAfter,
    ratio: ratioOf(s.bytesBefore, s.bytesAfter),
    durationMs: o.durationMs,
  };
}

/** The last line on stderr: what the run did, in one sentence. */
export function totalLine(name: string, o: CompactionOutcome): string {
  const s = o.status;
  const ratio = ratioOf(s.bytesBefore, s.bytesAfter);
  return (
    `${name}: ${o.interrupted ? 'interrupted: ' : ''}${o.days.length} day(s) compacted, ` +
    `${s.skipped.length} left as they were, ${s.failed.length} failed; ${s.ticks} ticks, ` +
    `${formatBytes(s.bytesBefore)} -> ${formatBytes(s.bytesAfter)}${ratio === null ? '' : ` (${ratio}x)`} ` +
    `in ${(o.durationMs / 1000).toFixed(1)} s`
  );
}
