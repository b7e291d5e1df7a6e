// Retention as the engine runs it: the plan from the readers' day list at the moment it runs,
// the deletion in the writer, the counters. One deletion at a time, so two runs (the scheduled
// one and one the user asked for) never plan the same day twice.
import type { RetentionPlan, RetentionPolicy } from '../../../shared/archive.ts';
import type { DayInfo } from '../../../shared/catalog.ts';
import { dayKeyToIndex, utcDayIndex } from '../../../shared/time.ts';
import type { Clock } from '../clock.ts';
import type { StorageConfig } from '../config.ts';
import type { StatsCollector } from '../metrics/statsCollector.ts';
import type { RemovedDay } from './retentionPlan.ts';
import { deletedPart, firstKeptDay, planRetention, resolvePolicy, retentionDaysOf } from './retentionPlan.ts';

export interface RetentionDeps {
  config: Pick<StorageConfig, 'retentionDays' | 'retentionMaxBytes'>;
  clock: Clock;
  stats: StatsCollector;
  listDays: () => Promise<DayInfo[]>;
  deleteDays: (days: number[], jsonBeforeDay: number | null) => Promise<RemovedDay[]>;
}

export class RetentionRunner {
  private readonly d: RetentionDeps;
  private queue: Promise<unknown> = Promise.resolve();
  private scheduledRunning = false;
  /** Why the settings' budget cannot be met (today alone is over it), from the last scheduled run. */
  budgetNote: string | null = null;

  constructor(deps: RetentionDeps) {
    this.d = deps;
  }

  async preview(asked?: Partial<RetentionPolicy>): Promise<RetentionPlan> {
    const policy = resolvePolicy(asked, this.d.config);
    return this.plan(policy, utcDayIndex(this.d.clock.nowUs()));
  }

  apply(asked?: Partial<RetentionPolicy>): Promise<RetentionPlan> {
    const policy = resolvePolicy(asked, this.d.config);
    const run = this.queue.then(() => this.deleteNow(policy));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The run at the rotation check, under the settings. It asks the readers for the day list only
   * when a limit may bite: the oldest day file (`oldestDay`, as the writer's rotation found it)
   * older than the age limit, or more bytes on disk than the budget (the writer's disk figure, a
   * few seconds old, counts the journal and JSON files too).
   */
  async scheduled(oldestDay: number | null): Promise<void> {
    if (this.scheduledRunning) return;
    const { retentionDays, retentionMaxBytes } = this.d.config;
    const today = utcDayIndex(this.d.clock.nowUs());
    const ageBites =
      retentionDays !== null && oldestDay !== null && oldestDay < firstKeptDay(today, retentionDays);
    const budgetBites = retentionMaxBytes !== null && this.d.stats.diskBytes > retentionMaxBytes;
    if (!ageBites && !budgetBites) {
      this.budgetNote = null;
      // JSON-only days have no day file for a plan to list; the age limit applies to their files.
      if (retentionDays !== null) await this.d.deleteDays([], firstKeptDay(today, retentionDays));
      return;
    }
    this.scheduledRunning = true;
    try {
      this.budgetNote = (await this.apply()).note;
    } finally {
      this.scheduledRunning = false;
    }
  }

  private async plan(policy: RetentionPolicy, today: number): Promise<RetentionPlan> {
    return planRetention(retentionDaysOf(await this.d.listDays()), today, policy);
  }

  private async deleteNow(policy: RetentionPolicy): Promise<RetentionPlan> {
    const today = utcDayIndex(this.d.clock.nowUs());
    const plan = await this.plan(policy, today);
    const jsonBefore = policy.keepDays === null ? null : firstKeptDay(today, policy.keepDays);
    if (plan.days.length === 0 && jsonBefore === null) return plan;
    // The plan's keys come from day indices, so they always parse.
    const removed = await this.d.deleteDays(
      plan.days.map((d) => dayKeyToIndex(d.day)!),
      jsonBefore,
    );
    const done = deletedPart(plan, removed);
    const c = this.d.stats.c;
    c.retention_deleted_days += done.days.length;
    c.retention_deleted_ticks += done.ticks;
    c.retention_deleted_bytes += done.bytes;
    return done;
  }
}
