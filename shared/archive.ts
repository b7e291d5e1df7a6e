// The archive tier and retention as the engine reports them and the UI shows them: which days
// are compacted, what a compaction run is doing, what retention would delete, and when the disk
// or the budget runs out at the recent rate.

/** live: ticks in SQLite rows (written today or not compacted yet); archived: compressed blocks. */
export type DayTier = 'live' | 'archived';

/** A compaction run (on demand or the daily one), as storage.compaction reports it. */
export interface CompactionProgress {
  running: boolean;
  /** Days this run took on, and how many of them are done (compacted, skipped or failed). */
  daysTotal: number;
  daysDone: number;
  /** The day being compacted now (YYYY-MM-DD), or null. */
  day: string | null;
  /** Ticks compacted by this run so far. */
  ticks: number;
  /** Day-file bytes of the days this run compacted, before and after. */
  bytesBefore: number;
  bytesAfter: number;
  /** Days this run left as they were, with why (a late tick arrived meanwhile, the day is today...). */
  skipped: { day: string; reason: string }[];
  /** Days that failed, with the error (the live file is untouched). */
  failed: { day: string; error: string }[];
  startedAtUs: number | null;
  finishedAtUs: number | null;
}

export interface CompactionRequest {
  /** These days (YYYY-MM-DD); absent: every live day older than `olderThanDays`. */
  days?: string[];
  /** Days older than this many days (0: every closed day; default: the compactAfterDays setting, 7). */
  olderThanDays?: number;
}

/** What retention keeps: null means no limit of that kind. */
export interface RetentionPolicy {
  /** Keep today and this many days before it (the retentionDays rule); older days go. */
  keepDays: number | null;
  /** Keep the day files under this many bytes together; the oldest days go first. */
  maxBytes: number | null;
}

export interface RetentionPlanDay {
  day: string;
  bytes: number;
  ticks: number;
  tier: DayTier;
  /** Why it goes: older than keepDays, or needed to get under maxBytes. */
  reason: 'age' | 'budget';
}

/** A dry run (storage.retentionPreview) or what was deleted (storage.retentionApply). */
export interface RetentionPlan {
  policy: RetentionPolicy;
  /** Oldest first; never today. */
  days: RetentionPlanDay[];
  bytes: number;
  ticks: number;
  /** Day-file bytes left after these days go. */
  keptBytes: number;
  /** Set when the budget cannot be met without deleting today (which retention never does). */
  note: string | null;
}

export interface StorageForecast {
  /** Day files (SQLite) and JSON files in the data folder, bytes. */
  usedBytes: number;
  freeBytes: number | null;
  budgetBytes: number | null;
  /** Bytes a day at the recent rate (the files of the 7 days before today, else today extrapolated), or null without data. */
  bytesPerDay: number | null;
  /** Days until usedBytes reaches the budget at that rate; null without a budget or a rate. */
  daysUntilBudget: number | null;
  /** Days until the disk is full at that rate; null without a rate or a free-space figure. */
  daysUntilDiskFull: number | null;
}
