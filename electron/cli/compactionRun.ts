// Starts a compaction in the engine and follows it to the end for a command: the engine compacts
// in its own worker and answers compact() at once, so this only polls compactionStatus() and, as
// days finish, reads their DayInfo for the per-day line. Shared by `compact` and `migrate --compact`.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CompactionProgress, CompactionRequest } from '../../shared/archive.ts';
import type { DayInfo } from '../../shared/catalog.ts';
import { utcDayKey } from '../../shared/time.ts';
import type { TickStore } from '../engine/tickStoreApi.ts';
import { idleStatus } from '../engine/archive/compactionRunner.ts';

export { idleStatus };
import type { CompactedDay, CompactionOutcome } from './compactionReport.ts';
import { dayLine, failedLine, skippedLine } from './compactionReport.ts';

export const COMPACTION_POLL_MS = 200;

export type CompactionStore = Pick<TickStore, 'compact' | 'compactionStatus' | 'listDays'>;

export interface RunCompactionOptions {
  /** Prefix of the lines: `compact`, `migrate`. */
  name: string;
  /** Where the per-day, skipped and failed lines go (stderr). */
  log(line: string): void;
  /** Stops the wait (not the engine: the caller stops the store, which finishes the current day). */
  signal?: AbortSignal;
  pollMs?: number;
  now?: () => number;
}

/** Days with rows to compact: live ones, and archived ones that late ticks reached; never today. */
export function closedLiveDays(days: readonly DayInfo[], nowMs = Date.now()): string[] {
  const today = utcDayKey(nowMs * 1000);
  return days
    .filter((d) => d.day < today && (d.tier === 'live' || d.lateTicks > 0))
    .map((d) => d.day)
    .sort();
}

/** Archived now with no rows left over, and it was not so before the run. */
function newlyArchived(before: DayInfo | undefined, after: DayInfo): boolean {
  if (after.tier !== 'archived' || after.lateTicks > 0) return false;
  return before === undefined || before.tier === 'live' || before.lateTicks > 0;
}

export async function runCompaction(
  store: CompactionStore,
  request: CompactionRequest,
  o: RunCompactionOptions,
): Promise<CompactionOutcome> {
  const now = o.now ?? Date.now;
  const started = now();
  const before = new Map((await store.listDays()).map((d) => [d.day, d]));
  const days: CompactedDay[] = [];
  const seen = new Set<string>();
  let status = store.compact(request);
  let lastDone = -1;
  let skippedShown = 0;
  let failedShown = 0;
  let interrupted = false;

  const collectFinished = async (): Promise<void> => {
    for (const d of await store.listDays()) {
      if (seen.has(d.day) || !newlyArchived(before.get(d.day), d)) continue;
      seen.add(d.day);
      const done: CompactedDay = {
        day: d.day,
        ticks: d.ticks,
        bytesBefore: d.liveBytes ?? before.get(d.day)?.bytes ?? 0,
        bytesAfter: d.bytes,
      };
      days.push(done);
      // Counted as the lines go out: several days may finish between two polls.
      o.log(dayLine(o.name, done, days.length + skippedShown + failedShown, status.daysTotal));
    }
  };

  for (;;) {
    const over = !status.running;
    // DayInfo is read only when a day finished: a day of millions of ticks takes seconds.
    if (status.daysDone !== lastDone || over) {
      lastDone = status.daysDone;
      await collectFinished();
    }
    for (; skippedShown < status.skipped.length; skippedShown++)
      o.log(skippedLine(o.name, status.skipped[skippedShown]));
    for (; failedShown < status.failed.length; failedShown++)
      o.log(failedLine(o.name, status.failed[failedShown]));
    if (over) break;
    if (o.signal?.aborted) {
      interrupted = true;
      break;
    }
    try {
      await sleep(o.pollMs ?? COMPACTION_POLL_MS, undefined, { signal: o.signal });
    } catch {
      // Aborted: the next turn reports what is done so far and stops waiting.
    }
    status = store.compactionStatus();
  }
  return { status, days, interrupted, durationMs: now() - started };
}

/**
 * An interrupted run once the store has stopped: stop() lets the day in hand finish, so the
 * engine's final status may hold one more day than was seen. Its bytes are the difference from
 * the last status seen (which did not hold it yet); its ticks what the seen days do not explain.
 */
export function settleAfterStop(o: CompactionOutcome, final: CompactionProgress): CompactionOutcome {
  if (!o.interrupted) return o;
  // The stop is part of the run: it waited for the day in hand.
  const ran = final.startedAtUs !== null && final.finishedAtUs !== null;
  o = {
    ...o,
    durationMs: ran
      ? Math.max(o.durationMs, (final.finishedAtUs! - final.startedAtUs!) / 1000)
      : o.durationMs,
  };
  const day = o.status.day;
  const settled = [...final.failed, ...final.skipped].some((d) => d.day === day);
  const swapped = final.bytesAfter > o.status.bytesAfter;
  if (day === null || settled || !swapped || o.days.some((d) => d.day === day))
    return { ...o, status: final };
  const seenTicks = o.days.reduce((n, d) => n + d.ticks, 0);
  const inHand: CompactedDay = {
    day,
    ticks: Math.max(0, final.ticks - seenTicks),
    bytesBefore: final.bytesBefore - o.status.bytesBefore,
    bytesAfter: final.bytesAfter - o.status.bytesAfter,
  };
  return { ...o, status: final, days: [...o.days, inHand] };
}
