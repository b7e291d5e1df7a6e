// What a stopped recorder tells the person or the service manager: whether every accepted tick is
// durable, and if not, how many were lost (by reason) and how many wait in the spill journal.
// Pure, so the mapping from the engine's StopResult and stats to words and exit code is tested
// without making the engine lose anything.
import type { StopResult } from '../engine/tickStoreApi.ts';
import type { StorageStats } from '../../shared/stats.ts';
import { EXIT } from './exitCodes.ts';

export interface StopOutcome {
  /** 0 when every tick accepted is durable, 1 otherwise. */
  exitCode: typeof EXIT.ok | typeof EXIT.notClean;
  lost: number;
  lostByReason: Record<string, number>;
  pendingInJournal: number;
  /** Sentences for stderr, each complete; empty when clean. */
  problems: string[];
}

/** The larger count of each reason: the StopResult and the stats may each know of losses. */
function mergeReasons(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [reason, n] of Object.entries(b)) out[reason] = Math.max(out[reason] ?? 0, n);
  return out;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function stopOutcome(result: StopResult, stats: StorageStats): StopOutcome {
  const lostByReason = mergeReasons(result.lostByReason, stats.lost_by_reason);
  const byReasonTotal = Object.values(lostByReason).reduce((a, b) => a + b, 0);
  const lost = Math.max(result.lost, stats.ticks_lost, byReasonTotal);
  const pendingInJournal = Math.max(result.pendingInJournal, stats.spill_pending_ticks);
  const problems: string[] = [];
  if (lost > 0) {
    const reasons = Object.entries(lostByReason)
      .filter(([, n]) => n > 0)
      .sort((x, y) => y[1] - x[1])
      .map(([reason, n]) => `${reason}: ${n}`);
    problems.push(
      `${plural(lost, 'tick was', 'ticks were')} lost${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}: ` +
        'they are in no day file and no journal.',
    );
  }
  if (pendingInJournal > 0) {
    problems.push(
      `${plural(pendingInJournal, 'tick waits', 'ticks wait')} in the spill journal ` +
        `(${stats.data_dir}/spill): they are written to the day files at the next start on this data folder.`,
    );
  }
  if (result.timedOut) {
    problems.push('the stop deadline ran out before the workers finished, so they were terminated.');
  }
  for (const p of result.problems) {
    // The engine's own words, unless they repeat a count already said above.
    if (!/spill journal/.test(p) || pendingInJournal === 0) problems.push(p.endsWith('.') ? p : `${p}.`);
  }
  if (!result.clean && problems.length === 0) {
    problems.push('the engine reports that not every accepted tick is durable, without saying why.');
  }
  return {
    exitCode: problems.length > 0 ? EXIT.notClean : EXIT.ok,
    lost,
    lostByReason,
    pendingInJournal,
    problems,
  };
}

/** The ticks this run made durable, in the backend's own files. */
function storedTicks(stats: StorageStats): number {
  return stats.backend === 'json' ? stats.json_ticks_written : stats.ticks_written + stats.ticks_duplicate;
}

/** One line for the end of a run: `1234 ticks accepted, 1234 stored in the day files, 0 pending ..., 0 lost`. */
export function stopSummary(stats: StorageStats, outcome: StopOutcome): string {
  const where = stats.backend === 'json' ? 'in the JSON files' : 'in the day files';
  return (
    `${stats.ticks_stored} ticks accepted, ${storedTicks(stats)} stored ${where}, ` +
    `${outcome.pendingInJournal} pending in the spill journal, ${outcome.lost} lost`
  );
}

/** What a shutdown in progress still waits for, for the answer to a repeated signal. */
export function stillWaitingFor(stats: StorageStats): string {
  const parts: string[] = [];
  if (stats.queue_size > 0) parts.push(`${plural(stats.queue_size, 'accepted tick')} to reach the day files`);
  if (stats.spill_inflight_ticks > 0) {
    parts.push(`${plural(stats.spill_inflight_ticks, 'tick')} to reach the spill journal`);
  }
  return parts.length > 0 ? parts.join(' and ') : 'the workers to commit and close the day files';
}
