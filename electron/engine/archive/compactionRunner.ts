// Compaction as the engine runs it: which days a run takes (asked for, or every live day older
// than compactAfterDays), one day at a time in the archive worker, each swapped in by the
// writer, with the run's progress for the UI and the counters for stats. A day that changed
// while it was compacted (a late tick) is left live and taken again by a later run.
import type { CompactionProgress, CompactionRequest } from '../../../shared/archive.ts';
import type { DayInfo } from '../../../shared/catalog.ts';
import { dayIndexToKey, dayKeyToIndex, utcDayIndex } from '../../../shared/time.ts';
import type { Clock } from '../clock.ts';
import type { StorageConfig } from '../config.ts';
import type { StatsCollector } from '../metrics/statsCollector.ts';
import type { SwapOutcome } from './archiveSwap.ts';
import type { PreparedArchive } from './compactDay.ts';

export interface CompactionDeps {
  config: Pick<StorageConfig, 'compactAfterDays'>;
  clock: Clock;
  stats: StatsCollector;
  listDays: () => Promise<DayInfo[]>;
  /** Builds and verifies the compacted file in the archive worker. */
  prepare: (path: string, day: number, onProgress: (ticksDone: number) => void) => Promise<PreparedArchive>;
  discard: (tmpPath: string) => Promise<void>;
  /** The writer's swap (it closes the day first). */
  swap: (p: PreparedArchive) => Promise<SwapOutcome>;
}

/** The first automatic run waits this long after start, so opening the app stays quick. */
export const FIRST_AUTOMATIC_RUN_MS = 10 * 60_000;

/** The status of a run that never started (nothing to take on). */
export function idleStatus(): CompactionProgress {
  return {
    running: false,
    daysTotal: 0,
    daysDone: 0,
    day: null,
    ticks: 0,
    bytesBefore: 0,
    bytesAfter: 0,
    skipped: [],
    failed: [],
    startedAtUs: null,
    finishedAtUs: null,
  };
}

export class CompactionRunner {
  private readonly d: CompactionDeps;
  private status: CompactionProgress = idleStatus();
  private readonly queued: CompactionRequest[] = [];
  private loop: Promise<void> | null = null;
  private stopped = false;
  private lastAutomaticDay: number | null = null;
  private readonly startedUs: number;

  constructor(deps: CompactionDeps) {
    this.d = deps;
    this.startedUs = deps.clock.nowUs();
  }

  progress(): CompactionProgress {
    return { ...this.status, skipped: [...this.status.skipped], failed: [...this.status.failed] };
  }

  /** Takes a request on (a running run adds its days); answers the run's status at once. */
  request(req: CompactionRequest = {}): CompactionProgress {
    if (this.stopped) return this.progress();
    this.queued.push(req);
    if (!this.status.running) {
      this.status = { ...idleStatus(), running: true, startedAtUs: this.d.clock.nowUs() };
    }
    this.loop ??= this.run().finally(() => {
      this.loop = null;
    });
    return this.progress();
  }

  /**
   * Called at every rotation check: once a UTC day (the first time ten minutes after start),
   * a run over every live day older than compactAfterDays.
   */
  automatic(): void {
    const after = this.d.config.compactAfterDays;
    const now = this.d.clock.nowUs();
    const today = utcDayIndex(now);
    if (after === null || this.lastAutomaticDay === today || this.status.running) return;
    if (this.lastAutomaticDay === null && now - this.startedUs < FIRST_AUTOMATIC_RUN_MS * 1000) return;
    this.lastAutomaticDay = today;
    this.request({ olderThanDays: after });
  }

  /**
   * Drops the rest of the run (those days stay live). The day in hand ends when the caller
   * terminates the archive workers (its half-written file is never read and the next run
   * replaces it) or, if its swap is under way in the writer, when that swap is done.
   */
  stop(): void {
    this.stopped = true;
    this.queued.length = 0;
  }

  /** Resolves when the run loop has ended (after stop and the workers' end). */
  async ended(): Promise<void> {
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.queued.length > 0 && !this.stopped) {
      const req = this.queued.shift()!;
      let days: { day: number; path: string }[];
      try {
        days = await this.daysFor(req);
      } catch (e) {
        this.status.failed.push({ day: '*', error: `listing the days: ${(e as Error).message}` });
        continue;
      }
      this.status.daysTotal += days.length;
      for (const d of days) {
        if (this.stopped) break;
        await this.compactOne(d.day, d.path);
        this.status.daysDone++;
      }
    }
    this.status.running = false;
    this.status.day = null;
    this.status.finishedAtUs = this.d.clock.nowUs();
  }

  private async daysFor(req: CompactionRequest): Promise<{ day: number; path: string }[]> {
    const today = utcDayIndex(this.d.clock.nowUs());
    const all = await this.d.listDays();
    const byDay = new Map(all.map((x) => [dayKeyToIndex(x.day)!, x]));
    const out: { day: number; path: string }[] = [];
    const skip = (day: string, reason: string) => this.status.skipped.push({ day, reason });
    if (req.days) {
      for (const key of req.days) {
        const day = dayKeyToIndex(key);
        const info = day === null ? undefined : byDay.get(day);
        if (day === null) skip(key, 'not a valid day');
        else if (day >= today) skip(key, 'today is still being recorded; only closed days are compacted');
        else if (!info) skip(key, 'no day file');
        else if (info.tier === 'archived' && info.lateTicks === 0) skip(key, 'already archived');
        else out.push({ day, path: info.path });
      }
      return out;
    }
    const older = req.olderThanDays ?? this.d.config.compactAfterDays ?? 7;
    for (const info of all) {
      const day = dayKeyToIndex(info.day)!;
      if (day > today - older - 1 || day >= today) continue;
      // An archived day with late ticks is compacted again, which folds them into its blocks.
      if (info.tier === 'archived' && info.lateTicks === 0) continue;
      out.push({ day, path: info.path });
    }
    return out;
  }

  private async compactOne(day: number, path: string): Promise<void> {
    const key = dayIndexToKey(day);
    this.status.day = key;
    const before = this.status.ticks;
    try {
      const p = await this.d.prepare(path, day, (done) => {
        this.status.ticks = before + done;
      });
      const outcome = await this.d.swap(p);
      if (outcome === 'swapped') {
        this.status.ticks = before + p.ticks;
        this.status.bytesBefore += p.bytesBefore;
        this.status.bytesAfter += p.bytesAfter;
        this.d.stats.c.compacted_days++;
        this.d.stats.c.compacted_ticks += p.ticks;
        return;
      }
      this.status.ticks = before;
      await this.d.discard(p.tmpPath).catch(() => undefined);
      this.status.skipped.push({
        day: key,
        reason:
          outcome === 'changed'
            ? 'ticks or feed events arrived for the day while it was compacted; a later run takes it again'
            : 'the day file was busy (a reader held its write-ahead log); a later run takes it again',
      });
    } catch (e) {
      this.status.ticks = before;
      if (this.stopped) {
        this.status.skipped.push({ day: key, reason: 'the recorder stopped before the day was compacted' });
        return;
      }
      const error = (e as Error).message;
      this.status.failed.push({ day: key, error });
      this.d.stats.c.compaction_failures++;
      this.d.stats.incident('warn', `compacting ${key} failed (the live file is untouched): ${error}`);
    }
  }
}
