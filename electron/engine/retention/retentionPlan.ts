// What retention deletes, decided from the day list alone, so the dry run and the deletion are
// one computation. Age first: days before `today - keepDays` go (the rule the rotation sweep has
// always used). Then the size budget: the oldest remaining days go until the rest fit. Today, and
// any later day a tick from a fast clock created, is never a candidate.
import type { DayTier, RetentionPlan, RetentionPlanDay, RetentionPolicy } from '../../../shared/archive.ts';
import type { DayInfo } from '../../../shared/catalog.ts';
import { dayIndexToKey, dayKeyToIndex } from '../../../shared/time.ts';
import { ConfigError } from '../errors.ts';

/** A day file as retention weighs it. */
export interface RetentionDay {
  day: number;
  bytes: number;
  ticks: number;
  tier: DayTier;
}

/** What a day file's removal freed, as the writer reports it. */
export interface RemovedDay {
  day: number;
  bytes: number;
}

/** The first day the age limit keeps. */
export function firstKeptDay(today: number, keepDays: number): number {
  return today - keepDays;
}

/** The readers' day list as retention weighs it (a file whose name is no day is left out). */
export function retentionDaysOf(infos: readonly DayInfo[]): RetentionDay[] {
  const out: RetentionDay[] = [];
  for (const d of infos) {
    const day = dayKeyToIndex(d.day);
    if (day !== null) out.push({ day, bytes: d.bytes, ticks: d.ticks, tier: d.tier });
  }
  return out;
}

/** The policy a call asks for: absent fields take the settings, null lifts that limit. */
export function resolvePolicy(
  asked: Partial<RetentionPolicy> | undefined,
  settings: { retentionDays: number | null; retentionMaxBytes: number | null },
): RetentionPolicy {
  const keepDays = asked?.keepDays !== undefined ? asked.keepDays : settings.retentionDays;
  const maxBytes = asked?.maxBytes !== undefined ? asked.maxBytes : settings.retentionMaxBytes;
  if (keepDays !== null && !(Number.isSafeInteger(keepDays) && keepDays >= 1))
    throw new ConfigError(
      'keepDays',
      `${String(keepDays)} is not a whole number of days of at least 1 (or null)`,
    );
  if (maxBytes !== null && !(Number.isSafeInteger(maxBytes) && maxBytes >= 0))
    throw new ConfigError('maxBytes', `${String(maxBytes)} is not a whole number of bytes (or null)`);
  return { keepDays, maxBytes };
}

export function planRetention(
  days: readonly RetentionDay[],
  today: number,
  policy: RetentionPolicy,
): RetentionPlan {
  const sorted = [...days].sort((a, b) => a.day - b.day);
  let kept = sorted.reduce((sum, d) => sum + d.bytes, 0);
  const ageLimit = policy.keepDays === null ? null : firstKeptDay(today, policy.keepDays);
  const going: RetentionPlanDay[] = [];
  // Both rules pick a prefix of the oldest-first list, so the walk stops at the first day kept.
  for (const d of sorted) {
    if (d.day >= today) break;
    let reason: RetentionPlanDay['reason'];
    if (ageLimit !== null && d.day < ageLimit) reason = 'age';
    else if (policy.maxBytes !== null && kept > policy.maxBytes) reason = 'budget';
    else break;
    going.push({ day: dayIndexToKey(d.day), bytes: d.bytes, ticks: d.ticks, tier: d.tier, reason });
    kept -= d.bytes;
  }
  const note =
    policy.maxBytes !== null && kept > policy.maxBytes
      ? `the size budget of ${formatBytes(policy.maxBytes)} cannot be met: today's day file holds ` +
        `${formatBytes(kept)} on its own, and retention never deletes today (it can go after midnight)`
      : null;
  return { policy, ...totals(going), keptBytes: kept, note };
}

/**
 * The part of `plan` the writer did delete, with the bytes each removal actually freed (a file
 * checkpointed on close is not the size it was measured at). A day the writer refused (its
 * current day, when midnight passed between the plan and the deletion) stays among the kept.
 */
export function deletedPart(plan: RetentionPlan, removed: readonly RemovedDay[]): RetentionPlan {
  const freed = new Map(removed.map((r) => [dayIndexToKey(r.day), r.bytes]));
  const days = plan.days.filter((d) => freed.has(d.day)).map((d) => ({ ...d, bytes: freed.get(d.day)! }));
  const refusedBytes = plan.days.filter((d) => !freed.has(d.day)).reduce((sum, d) => sum + d.bytes, 0);
  return { policy: plan.policy, ...totals(days), keptBytes: plan.keptBytes + refusedBytes, note: plan.note };
}

function totals(days: RetentionPlanDay[]): { days: RetentionPlanDay[]; bytes: number; ticks: number } {
  let bytes = 0;
  let ticks = 0;
  for (const d of days) {
    bytes += d.bytes;
    ticks += d.ticks;
  }
  return { days, bytes, ticks };
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${n} bytes`;
}
